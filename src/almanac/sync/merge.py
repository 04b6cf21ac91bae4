"""What the server does with one pushed mutation: the merge rules (R8, R14; issue 3 §3).

``merge(base, current, current_deleted, mutation)`` is pure: it gets the record's content at
the mutation's ``base_version`` (from the server's history), its content now and whether it
is deleted now, and returns a ``MergeOutcome`` — the new content and deleted flag, whether
anything changed (a new version), the conflicts and the notices. The server stores the
outcome; it never decides anything itself. ``docs/sync.md`` explains the rules and why.

The rules, per changed field ``f`` (``b`` = base value, ``c`` = current value, ``n`` = the
mutation's new value):

1. ``c == n``: already there (two devices made the same edit) — never a conflict.
2. ``c == b``: nobody else changed ``f`` since the client's base — take ``n``.
3. otherwise both sides changed ``f`` to different values:
   - text fields (``TEXT_FIELDS``: a memo's body, notes): three-way line merge
     (``textmerge.merge3``); edits on different lines merge cleanly; overlapping lines: the
     mutation's lines win those hunks, and a conflict is recorded; too large to diff in the
     bound: the whole-value rule below (``text_too_large``);
   - set fields (``SET_FIELDS``: a contact's groups): element-wise — the mutation's additions
     and removals (against ``b``) are applied to ``c``; never a conflict;
   - every other field (names, dates, phone and email lists, flags…) is a whole value: the
     mutation wins (**the later arrival at the server wins**), and a ``FieldConflict`` keeps
     the overridden value so the person can choose it (it is also in the history).

A field back at its **default** travels as ``null`` in a mutation's changes (a *reset*: the
model leaves some defaults out of the content, e.g. an empty reminder list). Here ``null`` and
an absent key are the same value: a reset compares equal to a missing key, is applied by
removing the key, and a conflict shows it as ``null`` ("the default"); the validator never
sees ``null`` in place of a list.

Whole-record rules: an update of a deleted record brings it back with the edit
(``resurrected``: an edit beats a concurrent delete); a delete of a deleted record does
nothing (``already_deleted``); a delete whose base is not what the record holds now — someone
changed it and this client did not see it — is refused and the record stays
(``delete_refused``: nothing the person typed is lost; the client is told). A create for an id
that exists is merged like an update with an empty base. An update or delete of an unknown
record raises ``NotFound``.

If a ``validate`` callable is given (``almanac.model.validate_content``) and a field-wise merge
yields content the model refuses (each side valid, the combination not — e.g. a one-off
holiday whose year the other side cleared), the merge falls back to the mutation's whole
values on every field it touched, then to the client's own view (base + changes), recording
each overridden value (``invalid_merge``); if even that is invalid, its ``InvalidInput`` is
raised and the server rejects the mutation.

Part of the core: standard library, pydantic (via ``protocol``) and ``almanac.errors`` only.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from almanac.errors import InvalidInput, NotFound
from almanac.sync.protocol import ConflictReason, FieldConflict, Mutation
from almanac.sync.textmerge import merge3

__all__ = [
    "ALREADY_DELETED",
    "DELETE_REFUSED",
    "IDENTICAL",
    "INVALID_MERGE",
    "MISSING",
    "RESURRECTED",
    "SET_FIELDS",
    "TEXT_FIELDS",
    "TEXT_MERGED",
    "MergeOutcome",
    "MergeStatus",
    "Validator",
    "merge",
    "same_content",
    "same_field",
    "same_value",
    "without_resets",
]

TEXT_FIELDS: Final[Mapping[str, frozenset[str]]] = {
    "memo": frozenset({"body"}),
    "contact": frozenset({"notes"}),
    "birthday": frozenset({"notes"}),
    "holiday": frozenset({"notes"}),
    "event": frozenset({"notes"}),
}
"""Long multi-line text merged line by line; every other text is a whole value."""

SET_FIELDS: Final[Mapping[str, frozenset[str]]] = {"contact": frozenset({"groups"})}
"""Lists of distinct ids merged element-wise (order: current's, then the additions)."""

RESURRECTED = "resurrected"
"""An edit arrived for a deleted record: it is back, with the edit."""
DELETE_REFUSED = "delete_refused"
"""A delete lost to changes its client had not seen: the record stays."""
ALREADY_DELETED = "already_deleted"
"""A delete of a record that is already deleted: nothing to do."""
IDENTICAL = "identical"
"""Every change was already there: nothing to do."""
TEXT_MERGED = "text_merged"
"""Concurrent edits of a long text were merged line by line."""
INVALID_MERGE = "invalid_merge"
"""The field-wise merge was not valid content; the mutation's whole values were used."""

MergeStatus = Literal["applied", "merged", "conflict"]

Validator = Callable[[str, Mapping[str, Any]], object]
"""``validate(kind, content)``: raises ``InvalidInput`` when the content is not valid."""


class _Missing:
    """The value of a field a content mapping does not have (distinct from null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()


@dataclass(frozen=True)
class MergeOutcome:
    """What to store. ``changed``: write a new version (else leave the record as it is).
    ``content`` is the record's content afterwards (a tombstone keeps its last content)."""

    status: MergeStatus
    content: dict[str, Any]
    deleted: bool
    changed: bool
    conflicts: list[FieldConflict] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def same_value(a: object, b: object) -> bool:
    """Equality of JSON values that does not confuse ``true`` with ``1`` or ``1`` with
    ``1.0``; key order does not matter."""
    if a is b:
        return True
    if isinstance(a, _Missing) or isinstance(b, _Missing):
        return False
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return _canonical(a) == _canonical(b)


def _field(value: object) -> object:
    return MISSING if value is None else value


def same_field(a: object, b: object) -> bool:
    """``same_value`` for one field's values, where ``null`` (a reset to the default) and an
    absent key (``MISSING``) are the same."""
    return same_value(_field(a), _field(b))


def without_resets(content: Mapping[str, Any]) -> dict[str, Any]:
    """``content`` without its ``null`` fields (a field at its default, as a missing key)."""
    return {name: value for name, value in content.items() if value is not None}


def same_content(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """``same_value(without_resets(a), without_resets(b))``, field by field: the merge copies
    the current content and replaces a few fields, so most values are the very same objects
    and need no canonical JSON (two whole contents written out per update otherwise)."""
    a, b = without_resets(a), without_resets(b)
    return a.keys() == b.keys() and all(same_value(value, b[name]) for name, value in a.items())


def _put(content: dict[str, Any], name: str, value: object) -> None:
    """Set ``name`` to ``value``; ``null`` (a reset) removes the key."""
    if value is None or isinstance(value, _Missing):
        content.pop(name, None)
    else:
        content[name] = value


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _json(value: object) -> Any:
    return None if isinstance(value, _Missing) else value


def merge(
    base: Mapping[str, Any] | None,
    current: Mapping[str, Any] | None,
    current_deleted: bool,
    mutation: Mutation,
    *,
    validate: Validator | None = None,
) -> MergeOutcome:
    """Decide what the server does with ``mutation`` (see the module doc for the rules).

    ``base``: the record's content at ``mutation.base_version`` (None for a create, or when the
    history no longer has it — then every concurrent difference counts as a conflict);
    ``current``/``current_deleted``: the record now (``current`` None: no such record)."""
    if mutation.op == "create" and current is None:
        content = dict(mutation.changes)
        if validate is not None:
            validate(mutation.kind, content)
        return MergeOutcome("applied", content, deleted=False, changed=True)
    if current is None:
        raise NotFound(mutation.kind, mutation.record_id)
    if mutation.op == "delete":
        return _delete(base, current, current_deleted)
    return _update(
        {} if mutation.op == "create" else base, current, current_deleted, mutation, validate
    )


def _delete(
    base: Mapping[str, Any] | None, current: Mapping[str, Any], current_deleted: bool
) -> MergeOutcome:
    content = dict(current)
    if current_deleted:
        return MergeOutcome("applied", content, True, False, notices=[ALREADY_DELETED])
    if base is not None and same_value(dict(base), content):
        return MergeOutcome("applied", content, deleted=True, changed=True)
    return MergeOutcome("conflict", content, False, False, notices=[DELETE_REFUSED])


def _update(
    base: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    current_deleted: bool,
    mutation: Mutation,
    validate: Validator | None,
) -> MergeOutcome:
    base_map: Mapping[str, Any] = base if base is not None else {}
    content = dict(current)
    conflicts: list[FieldConflict] = []
    notices: list[str] = []
    concurrent = False
    for name, value_sent in mutation.changes.items():
        old = _field(base_map.get(name))
        now = _field(current.get(name))
        new = _field(value_sent)  # null (a reset) is the same as the key left out
        if same_value(now, new):
            concurrent = concurrent or not same_value(old, new)
            continue
        if same_value(now, old):
            _put(content, name, new)
            continue
        concurrent = True
        value, conflict, note = _combine(mutation.kind, name, old, now, new)
        _put(content, name, value)
        if conflict is not None:
            conflicts.append(conflict)
        if note is not None and note not in notices:
            notices.append(note)
    if validate is not None:
        content, conflicts, fallback = _validated(
            validate, mutation, base, current, content, conflicts
        )
        if fallback:
            notices.append(INVALID_MERGE)
    changed = current_deleted or not same_content(content, current)
    if current_deleted:
        notices.insert(0, RESURRECTED)
    elif not changed:
        notices.append(IDENTICAL)
    status: MergeStatus = (
        "conflict" if conflicts or current_deleted else "merged" if concurrent else "applied"
    )
    return MergeOutcome(status, content, False, changed, conflicts, notices)


def _conflict(
    name: str, kept: object, other: object, base: object, reason: ConflictReason = "same_field"
) -> FieldConflict:
    return FieldConflict(
        field=name,
        kept_value=_json(kept),
        other_value=_json(other),
        base_value=_json(base),
        reason=reason,
    )


def _combine(
    kind: str, name: str, old: object, now: object, new: object
) -> tuple[object, FieldConflict | None, str | None]:
    """Both sides changed ``name``: the merged value, the conflict if any, a notice if any."""
    if name in TEXT_FIELDS.get(kind, ()) and isinstance(now, str) and isinstance(new, str):
        base_text = old if isinstance(old, str) else ""
        result = merge3(base_text, now, new, prefer="b")
        if result is None:
            return new, _conflict(name, new, now, old, "text_too_large"), None
        if result.clean:
            return result.text, None, TEXT_MERGED
        return result.text, _conflict(name, result.text, now, old, "text_overlap"), TEXT_MERGED
    if name in SET_FIELDS.get(kind, ()):
        merged = _merge_set(*(_list(value) for value in (old, now, new)))
        if merged is not None:
            return merged, None, None
    return new, _conflict(name, new, now, old), None


def _list(value: object) -> object:
    """A set field at its default (absent, reset) is the empty set."""
    return [] if isinstance(value, _Missing) else value


def _distinct(value: object) -> list[Any] | None:
    if not isinstance(value, list):
        return None
    keys = [_canonical(item) for item in value]
    return value if len(set(keys)) == len(keys) else None


def _merge_set(old: object, now: object, new: object) -> list[Any] | None:
    base_items = [] if isinstance(old, _Missing) or old is None else _distinct(old)
    current_items = _distinct(now)
    new_items = _distinct(new)
    if base_items is None or current_items is None or new_items is None:
        return None
    base_keys = {_canonical(item) for item in base_items}
    new_keys = {_canonical(item) for item in new_items}
    removed = base_keys - new_keys
    kept = [item for item in current_items if _canonical(item) not in removed]
    kept_keys = {_canonical(item) for item in kept}
    added = [
        item
        for item in new_items
        if _canonical(item) not in base_keys and _canonical(item) not in kept_keys
    ]
    return kept + added


def _validated(
    validate: Validator,
    mutation: Mutation,
    base: Mapping[str, Any] | None,
    current: Mapping[str, Any],
    merged: dict[str, Any],
    conflicts: list[FieldConflict],
) -> tuple[dict[str, Any], list[FieldConflict], bool]:
    """The first candidate the model accepts: the field-wise merge, the mutation's whole
    values over the current content, the client's own view (base + changes)."""
    try:
        validate(mutation.kind, merged)
        return merged, conflicts, False
    except InvalidInput:
        pass
    base_map: Mapping[str, Any] = base if base is not None else {}
    whole = dict(current)
    whole_conflicts: list[FieldConflict] = []
    for name, new in mutation.changes.items():
        now = current.get(name, MISSING)
        old = base_map.get(name, MISSING)
        _put(whole, name, new)
        if not same_field(now, new) and not same_field(now, old):
            whole_conflicts.append(_conflict(name, new, now, old, "invalid_merge"))
    try:
        validate(mutation.kind, whole)
        return whole, whole_conflicts, True
    except InvalidInput:
        pass
    own = without_resets({**base_map, **mutation.changes})
    own_conflicts = [
        _conflict(
            name,
            own.get(name, MISSING),
            current.get(name, MISSING),
            base_map.get(name, MISSING),
            "invalid_merge",
        )
        for name in sorted(set(own) | set(current))
        if not same_field(own.get(name), current.get(name))
        and not same_field(current.get(name), base_map.get(name))
    ]
    validate(mutation.kind, own)  # raises InvalidInput: the server rejects the mutation
    return own, own_conflicts, True
