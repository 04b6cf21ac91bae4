"""The message after a save or a delete (“已保存。”/“已删除。”, R4–R7): the redirect carries
a short-lived signed cookie, the next page shows the message in the person's language with
role="status" and clears it; a forged cookie shows nothing; a page fetched by offline.js
(not a navigation) shows it and leaves it for the page the script opens next."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.web.flash import FLASH_COOKIE, MAX_AGE

from .support import post_form, records_of

# One valid new form per kind, sent to {base}/new
NEW_FORMS: dict[str, tuple[str, dict[str, str]]] = {
    "/contacts": ("contact", {"name": "李四"}),
    "/groups": ("group", {"name": "同学"}),
    "/memos": ("memo", {"title": "交水费", "body": "月底前"}),
    "/birthdays": ("birthday", {"name": "爸爸", "date.calendar": "solar", "date.month": "6",
                                "date.day": "1"}),
    "/holidays": ("holiday", {"name": "春游", "date.month": "4", "date.day": "5", "yearly": "1"}),
    "/events": ("event", {"title": "看牙", "start_date": "2026-12-02", "start_time": "15:00"}),
}  # fmt: skip
SHOWN = re.compile(r'<p class="notice flash" role="status">([^<]*)</p>')


def _shown(page: str) -> list[str]:
    return SHOWN.findall(page)


def _cleared(response: object) -> bool:
    cookies = response.headers.get_list("set-cookie")  # type: ignore[attr-defined]
    return any(c.startswith(f"{FLASH_COOKIE}=") and "Max-Age=0" in c for c in cookies)


@pytest.mark.parametrize("base", NEW_FORMS)
def test_add_change_delete_each_say_so_once(app: FastAPI, logged_in: TestClient, base: str) -> None:
    kind, form = NEW_FORMS[base]
    made = post_form(logged_in, f"{base}/new", f"{base}/new", form)
    assert made.status_code == 303
    flash = next(c for c in made.headers.get_list("set-cookie") if c.startswith(FLASH_COOKIE))
    assert f"Max-Age={MAX_AGE}" in flash and "HttpOnly" in flash and "SameSite=lax" in flash
    landed = logged_in.get(made.headers["location"])
    assert _shown(landed.text) == ["已保存。"]
    assert _cleared(landed)
    assert _shown(logged_in.get(made.headers["location"]).text) == []  # once only

    (record,) = records_of(app, logged_in, kind)
    edit = f"{base}/{record.id}/edit"
    changed = post_form(logged_in, edit, edit, {**form, "version": "1"})
    assert changed.status_code == 303
    assert _shown(logged_in.get(changed.headers["location"]).text) == ["已保存。"]

    (record,) = records_of(app, logged_in, kind)
    version = str(record.version)
    gone = post_form(logged_in, edit, f"{base}/{record.id}/delete", {"version": version})
    assert gone.status_code == 303 and records_of(app, logged_in, kind) == []
    said = "分组已删除。" if kind == "group" else "已删除。"
    assert _shown(logged_in.get(gone.headers["location"]).text) == [said]


def test_in_english_and_nothing_after_a_refused_form(logged_in: TestClient) -> None:
    refused = post_form(logged_in, "/memos/new", "/memos/new", {"title": ""})
    assert refused.status_code == 422 and _shown(refused.text) == []
    assert not any(c.startswith(FLASH_COOKIE) for c in refused.headers.get_list("set-cookie"))
    post_form(logged_in, "/settings", "/settings/language", {"lang": "en", "next": "/memos"})
    made = post_form(logged_in, "/memos/new", "/memos/new", {"title": "Rent"})
    assert _shown(logged_in.get(made.headers["location"]).text) == ["Saved."]


@pytest.mark.parametrize("forged", ["saved", "saved.0123", "oops.x", "deleted." + "0" * 32])
def test_a_forged_cookie_shows_nothing_and_is_cleared(logged_in: TestClient, forged: str) -> None:
    logged_in.cookies.set(FLASH_COOKIE, forged)
    page = logged_in.get("/memos")
    assert _shown(page.text) == [] and _cleared(page)


def test_a_fetched_page_leaves_it_for_the_next_navigation(logged_in: TestClient) -> None:
    """offline.js sends the form with fetch, which follows the redirect (Sec-Fetch-Mode: cors),
    then opens the address it landed on: that page shows the message too and clears it."""
    made = post_form(logged_in, "/memos/new", "/memos/new", {"title": "买菜"})
    fetched = logged_in.get(made.headers["location"], headers={"sec-fetch-mode": "cors"})
    assert _shown(fetched.text) == ["已保存。"] and not _cleared(fetched)
    opened = logged_in.get(made.headers["location"], headers={"sec-fetch-mode": "navigate"})
    assert _shown(opened.text) == ["已保存。"] and _cleared(opened)
    assert _shown(logged_in.get("/memos").text) == []


def test_a_resent_form_says_saved_too(app: FastAPI, logged_in: TestClient) -> None:
    """The first answer was lost and the same form (same record id) was sent again."""
    page = logged_in.get("/memos/new").text
    rid = re.search(r'name="id" value="([^"]+)"', page)
    assert rid
    form = {"title": "体检", "id": rid.group(1)}
    first = post_form(logged_in, "/memos/new", "/memos/new", form)
    logged_in.cookies.delete(FLASH_COOKIE)  # the answer never arrived
    again = post_form(logged_in, "/memos/new", "/memos/new", form)
    assert again.status_code == 303 and again.headers["location"] == first.headers["location"]
    assert len(records_of(app, logged_in, "memo")) == 1
    assert _shown(logged_in.get(again.headers["location"]).text) == ["已保存。"]
