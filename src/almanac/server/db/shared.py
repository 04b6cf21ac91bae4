"""One database connection for all the reads of one page.

A page read the database through the pool about five times (the session, the person's
settings, the conflicts badge, the groups menu, the list), each a checkout, a ``BEGIN``, a
``ROLLBACK`` and a return: ~0.3 ms of a ~5 ms page (bench/web.py). ``SharedReads(engine)``
stands in for the engine in the stores. Inside ``one_connection()`` its ``connect()`` hands
every caller the same connection (their ``with`` block leaves it open), so the page's reads
are one read transaction — one snapshot of the person's data — closed when
``one_connection`` ends. ``begin()`` — every write — always takes its own connection from the
engine, as does every caller outside ``one_connection`` (the API, the background threads).
Only requests that change nothing use it (the web pages' GET, ``web.headers``' sibling
middleware ``SharedReadsMiddleware``): a write followed by a read of it in the same request
would read the older snapshot."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import sqlalchemy as sa


class _Holder:
    """This request's connection, opened by its first read (in whichever thread that runs)."""

    __slots__ = ("conn",)

    def __init__(self) -> None:
        self.conn: sa.Connection | None = None


_current: ContextVar[_Holder | None] = ContextVar("almanac_shared_reads", default=None)


class _Borrowed:
    """``with engine.connect() as conn`` on the shared connection: it stays open after."""

    __slots__ = ("conn",)

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> sa.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        return None


class SharedReads:
    """The engine, except that ``connect()`` inside ``one_connection()`` shares one
    connection; every other attribute is the engine's."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def connect(self) -> Any:
        holder = _current.get()
        if holder is None:
            return self.engine.connect()
        if holder.conn is None:
            holder.conn = self.engine.connect()
        return _Borrowed(holder.conn)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


@contextmanager
def one_connection() -> Iterator[None]:
    """The reads in this block (and the threads it hands work to, which copy the context)
    share one connection, closed at the end."""
    holder = _Holder()
    token = _current.set(holder)
    try:
        yield
    finally:
        _current.reset(token)
        if holder.conn is not None:
            holder.conn.close()
