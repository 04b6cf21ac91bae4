"""The person's own settings on this device (R3; issue 5 §3, issue 6 §6), offline first.

They live in the local store's ``meta`` table under ``preferences``, as JSON:
``{"server": {the fields the server last said were set}, "pending": {a patch not yet sent}}``.
What a face sees is the server copy with the pending patch laid over it (``current``).

- ``change`` validates a patch against what is shown now (``InvalidInput`` naming the field,
  nothing changes), lays it over the pending patch and commits — nothing waits on the network;
- ``exchange`` (one call at the end of every sync, and at login) sends the pending patch
  (``Transport.patch_preferences``) and keeps the server's answer, or, with nothing pending,
  fetches (``Transport.get_preferences``). The server settles field by field, last writer
  wins, so two devices changing different fields both keep theirs. A pending patch leaves the
  store only once the server has taken it: it survives a failed or offline sync and a restart;
  a field the server refuses as invalid (an older server that does not know a festival) is
  dropped from the patch so the rest still goes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from almanac.calendar.festivals import BY_ID
from almanac.client.transport import Transport
from almanac.errors import InvalidInput
from almanac.model.preferences import Preferences, load_stored
from almanac.store.local import LocalStore

__all__ = ["META", "change", "current", "exchange", "festival_patch", "pending"]

META = "preferences"
"""Meta: ``{"server": {...}, "pending": {...}}`` (JSON)."""


def _read(store: LocalStore) -> tuple[dict[str, Any], dict[str, Any]]:
    text = store.get_meta(META)
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    server, patch = data.get("server"), data.get("pending")
    return (
        server if isinstance(server, dict) else {},
        patch if isinstance(patch, dict) else {},
    )


def _write(store: LocalStore, server: Mapping[str, Any], patch: Mapping[str, Any]) -> None:
    data = {"server": dict(server), "pending": dict(patch)}
    store.set_meta(META, json.dumps(data, ensure_ascii=False, sort_keys=True))


def _over(base: Preferences, patch: Mapping[str, Any]) -> Preferences:
    """``patch`` laid over ``base`` field by field; a field that no longer validates is
    skipped (never fails: what was stored must always open)."""
    prefs = base
    for name, value in patch.items():
        try:
            prefs = prefs.patched({name: value})
        except InvalidInput:
            continue
    return prefs


def current(store: LocalStore) -> Preferences:
    """The settings as this device shows them: the server's copy and the pending patch."""
    server, patch = _read(store)
    return _over(load_stored(server), patch)


def pending(store: LocalStore) -> dict[str, Any]:
    """The patch not yet taken by the server (empty when all is sent)."""
    return _read(store)[1]


def change(store: LocalStore, patch: Mapping[str, Any]) -> Preferences:
    """Validate ``patch`` (``None`` resets a field) and apply it here at once, queued for the
    next sync. ``InvalidInput`` naming the field; nothing changes then."""
    server, queued = _read(store)
    shown = _over(load_stored(server), queued)
    result = shown.patched(patch)  # raises before anything is written
    values = result.model_dump(mode="json")
    for name, value in patch.items():
        queued[name] = None if value is None else values[name]
    _write(store, server, queued)
    return result


def exchange(store: LocalStore, transport: Transport, token: str) -> bool:
    """Send the pending patch or fetch; keep the server's answer. True when what this device
    shows changed (e.g. a setting changed on the web). ``Offline``/``NotAuthenticated``
    propagate with the pending patch kept."""
    before = current(store)
    _, sent = _read(store)
    # refused fields are dropped with the rest of what was sent
    answer = _send(transport, token, dict(sent)) if sent else transport.get_preferences(token)
    with store.transaction():
        _, queued = _read(store)
        # a change made while the request was out stays pending (sent again next time)
        left = {k: v for k, v in queued.items() if k not in sent or sent[k] != v}
        _write(store, answer.stored(), left)
    return current(store) != before


def festival_patch(
    prefs: Preferences, hide: Iterable[str] = (), show: Iterable[str] = ()
) -> dict[str, Any]:
    """The patch that hides the festivals ``hide`` and shows ``show`` (a festival hidden by
    default, e.g. ``xiaonian_south``, goes into ``festivals_shown``; one the person hid
    leaves ``festivals_hidden``). Unknown ids are left for ``change`` to name."""
    hidden, shown = set(prefs.festivals_hidden), set(prefs.festivals_shown)
    for fid in hide:
        shown.discard(fid)
        if not hidden_by_default(fid):  # one hidden by default is hidden once not shown
            hidden.add(fid)
    for fid in show:
        hidden.discard(fid)
        if hidden_by_default(fid) or fid not in BY_ID:  # unknown: ``change`` names it
            shown.add(fid)
    patch: dict[str, Any] = {}
    if hidden != set(prefs.festivals_hidden):
        patch["festivals_hidden"] = sorted(hidden)
    if shown != set(prefs.festivals_shown):
        patch["festivals_shown"] = sorted(shown)
    return patch


def _send(transport: Transport, token: str, patch: dict[str, Any]) -> Preferences:
    """PATCH; the fields the server refuses are dropped so the others still go."""
    while patch:
        try:
            return transport.patch_preferences(token, patch)
        except InvalidInput as exc:
            bad = {p.field.split(".")[0] for p in exc.problems} & set(patch)
            if not bad:
                raise
            patch = {k: v for k, v in patch.items() if k not in bad}
    return transport.get_preferences(token)


def hidden_by_default(fid: str) -> bool:
    festival = BY_ID.get(fid)
    return festival is not None and festival.hidden_by_default
