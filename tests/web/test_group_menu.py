"""The contacts pages' groups menu is kept per person until their next change
(``contact_forms.all_groups``, keyed by ``RecordStore.last_change_no``): a page after no
change reads no groups, and every change — from the pages, the API or a sync, here straight
through the store — shows on the next page (R4)."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.web.i18n import translator

from .support import login, owner_id, register, statements


def _reads_groups(statement: str, params: Any) -> bool:
    """A SELECT with ``group`` among its values: a read of records of kind ``group``."""
    values = params.values() if isinstance(params, dict) else params or ()
    return "group" in tuple(values) and statement.lstrip().upper().startswith("SELECT")


def group_reads(engine: sa.Engine) -> AbstractContextManager[list[str]]:
    """The statements run in the block that read records of kind ``group``."""
    return statements(engine, _reads_groups)


def menu(client: TestClient) -> str:
    html = client.get("/contacts").text
    return html[html.index('<ul class="side-list">') : html.index("</ul>")]


def test_a_page_after_no_change_reads_no_groups(app: FastAPI, logged_in: TestClient) -> None:
    app.state.ctx.records.create(owner_id(app, logged_in), "group", {"name": "同事"})
    engine = app.state.ctx.engine
    with group_reads(engine) as first:
        assert "同事" in menu(logged_in)
    with group_reads(engine) as second:
        assert "同事" in menu(logged_in)
    assert len(first) == 1 and second == []


def test_every_change_shows_on_the_next_page(app: FastAPI, logged_in: TestClient) -> None:
    store, owner = app.state.ctx.records, owner_id(app, logged_in)
    assert "同事" not in menu(logged_in)
    made = store.create(owner, "group", {"name": "同事"})
    assert "同事" in menu(logged_in)
    store.update(owner, "group", made.id, {"name": "老同学"})
    assert "老同学" in menu(logged_in) and "同事" not in menu(logged_in)
    store.create(owner, "contact", {"name": "张三"})  # any change: the menu is read again
    assert "老同学" in menu(logged_in)
    store.delete(owner, "group", made.id)
    assert "老同学" not in menu(logged_in)


def test_each_person_sees_their_own_groups(
    app: FastAPI, logged_in: TestClient, client_factory: Any
) -> None:

    other = client_factory()
    assert register(other, "lisi").status_code == 303
    assert login(other, "lisi").status_code == 303
    app.state.ctx.records.create(owner_id(app, logged_in), "group", {"name": "王的组"})
    app.state.ctx.records.create(owner_id(app, other), "group", {"name": "李的组"})
    assert "王的组" in menu(logged_in) and "李的组" not in menu(logged_in)
    assert "李的组" in menu(other) and "王的组" not in menu(other)


def test_the_menu_marks_the_chosen_group_and_names_its_buttons(
    app: FastAPI, logged_in: TestClient
) -> None:
    made = app.state.ctx.records.create(owner_id(app, logged_in), "group", {"name": "同事"})
    html = logged_in.get(f"/contacts?group={made.id}").text
    t = translator("zh")
    assert f'href="/contacts?group={made.id}" aria-current="page">同事</a>' in html
    assert f'<option value="{made.id}" selected>同事</option>' in html
    assert f'title="{t("rename_group")}" aria-label="{t("rename_group")} 同事"' in html
    assert f'href="/groups/{made.id}/delete" title="{t("delete_group")}"' in html
    assert "aria-current" not in menu(logged_in).split("</li>", 1)[1]  # none chosen: 全部
