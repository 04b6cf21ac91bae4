"""What every page of a logged-in person needs from the database besides its own reads (issue 5
"Numbers"): the person's change number and their settings, in one indexed read per page
(``users`` by key, ``preferences`` joined by key), and from them, kept per app and person,
their settings parsed and the navigation's count of open sync conflicts.

Nothing here trusts a signal inside one process — there can be several workers on one
database. The settings are kept with the stored text they were parsed from (any change, from
the web, the API, the desktop or the clock form, stores new text); the conflict count with the
change number it was counted at: every write that stores or settles a conflict takes a new
change number for the person (``RecordStore``, ``sync.conflicts``), so an equal number means
an equal count — except the tombstone purge (``sync.purge``), which deletes old deleted
records with their conflicts and moves the person's ``purged_change_no`` instead, so the count
is kept with both numbers."""

from __future__ import annotations

import threading
from typing import Any, NamedTuple

import sqlalchemy as sa
from starlette.requests import Request

from almanac.model.preferences import Preferences
from almanac.server.db.tables import preferences, users
from almanac.server.preferences import parse_stored
from almanac.server.sync.settle import open_count

KEPT = 256  # people kept per app (the least recently stored go first)

_STATE = (
    sa.select(users.c.last_change_no, users.c.purged_change_no, preferences.c.data)
    .select_from(users.outerjoin(preferences, preferences.c.user_id == users.c.id))
    .where(users.c.id == sa.bindparam("user_id"))
)
_LOCK = threading.Lock()


class PersonState(NamedTuple):
    change_no: int  # the person's newest change number (0 before the first write)
    purged_change_no: int  # the newest change number the tombstone purge removed
    prefs: Preferences


def of(request: Request, user_id: int) -> PersonState:
    """The person's change number and settings, read once per GET or HEAD (a form's POST
    may write between two asks, so it reads each time)."""
    found = getattr(request.state, "person_state", None)
    if found is not None and found[0] == user_id:
        kept: PersonState = found[1]
        return kept
    with request.app.state.ctx.reads.connect() as conn:
        row = conn.execute(_STATE, {"user_id": user_id}).first()
    change_no, purged, text = row if row is not None else (0, 0, None)
    prefs = _kept(request, "kept_prefs", user_id, text, parse_stored)
    state = PersonState(int(change_no or 0), int(purged or 0), prefs)
    if request.method in ("GET", "HEAD"):
        request.state.person_state = (user_id, state)
    return state


def open_conflicts(request: Request, user_id: int) -> int:
    """How many of the person's conflicts are open, counted again only after their change
    number (or purge number) moved."""
    state = of(request, user_id)
    numbers = (state.change_no, state.purged_change_no)
    reads = request.app.state.ctx.reads
    return int(
        _kept(request, "kept_conflicts", user_id, numbers, lambda _: open_count(reads, user_id))
    )


def _kept(request: Request, name: str, user_id: int, key: Any, make: Any) -> Any:
    """The value kept under ``name`` for the person when made from the same ``key``, else
    ``make(key)``, kept."""
    state = request.app.state
    kept = getattr(state, name, None)
    if kept is None:
        kept = {}
        setattr(state, name, kept)
    found = kept.get(user_id)
    if found is not None and found[0] == key:
        return found[1]
    value = make(key)
    with _LOCK:
        kept.pop(user_id, None)
        kept[user_id] = (key, value)
        while len(kept) > KEPT:
            kept.pop(next(iter(kept)))
    return value
