"""A web page's reads share one database connection (``almanac.server.db.shared``,
``web.shared_reads``); writes, the API and everything outside a page take their own."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.db.engine import make_engine
from almanac.server.db.shared import SharedReads, one_connection

from .support import add_contact, post_form

BACKGROUND = {"wal-checkpoint", "tombstone-purge", "almanac-pinyin"}


@contextmanager
def checkouts(engine: sa.Engine) -> Iterator[list[int]]:
    """The pool checkouts the requests made in the block (one entry each; the server's
    background threads — WAL checkpoints, the tombstone purge — are not a page's)."""
    seen: list[int] = []

    def note(*_args: Any) -> None:
        if threading.current_thread().name not in BACKGROUND:
            seen.append(1)

    sa.event.listen(engine, "checkout", note)
    try:
        yield seen
    finally:
        sa.event.remove(engine, "checkout", note)


def test_reads_in_one_connection_share_it_and_it_closes(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    reads = SharedReads(engine)
    with one_connection():
        with reads.connect() as first, reads.connect() as second:
            assert first is second
            assert first.execute(sa.text("select 1")).scalar() == 1
        assert not first.closed  # the with blocks leave it open for the next read
        with reads.begin() as writing:  # a write takes its own connection
            assert writing is not first
    assert first.closed
    with reads.connect() as a, reads.connect() as b:  # outside: the engine's own connections
        assert a is not b
    assert reads.dialect.name == "sqlite"  # everything else is the engine's
    engine.dispose()


def test_a_page_opens_one_connection(app: FastAPI, logged_in: TestClient) -> None:
    for n in range(3):
        add_contact(app, logged_in, f"张{n}")
    engine = app.state.ctx.engine
    for path in ("/contacts", "/contacts?q=zhang", "/calendar", "/memos", "/settings"):
        with checkouts(engine) as seen:
            page = logged_in.get(path)
        assert page.status_code == 200, path
        assert len(seen) == 1, (path, len(seen))
    assert logged_in.get("/contacts").text.count('class="contact card"') == 3


def test_a_form_post_still_writes_and_the_next_page_reads_it(
    app: FastAPI, logged_in: TestClient
) -> None:
    saved = post_form(logged_in, "/contacts/new", "/contacts/new", {"name": "李四"})
    assert saved.status_code == 303, saved.text
    assert "李四" in logged_in.get("/contacts").text
