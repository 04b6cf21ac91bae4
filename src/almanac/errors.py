"""The typed errors every part of Almanac raises.

Each error carries data (a stable ``code``, the ``field`` it concerns, numbers such as
``retry_after``), never presentation. Each face turns them into words in exactly one
place: the JSON API's error envelope (``almanac.server.api.errors``), the CLI's handler
(``almanac.cli.main``), the desktop app's dialog.

The tree::

    AlmanacError
    ├── InvalidInput          bad input; names the field (dotted path) and the reason
    ├── NotFound              no such record *for this person* (also for other people's ids)
    ├── Conflict              the request clashes with stored state
    │   ├── Duplicate         a unique value is taken (e.g. a group name)
    │   └── VersionConflict   the record changed since the version the client started from
    ├── AuthError
    │   ├── NotAuthenticated  no or unknown credentials (token, session)
    │   ├── BadCredentials    wrong user name or password
    │   ├── Forbidden         authenticated, but not allowed (e.g. CSRF check failed)
    │   ├── WrongPassword     the password does not open this device's local store
    │   └── NotLoggedIn       no profile on this device yet (``almanac login`` first)
    ├── Throttled             too many failed tries; retry after ``retry_after`` seconds
    ├── Offline               the server cannot be reached (the local store still works)
    ├── NeedsConfirmation     a sync would delete most records: the person must confirm
    └── StoreDamaged          the local store file is damaged (moved aside, never deleted)

This module is part of the core: it imports nothing but the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldProblem:
    """One problem with one field of an input: ``field`` is a dotted path (``phones.0.value``)."""

    field: str
    message: str
    code: str = "invalid"


class AlmanacError(Exception):
    """Base of every error Almanac raises on purpose."""

    code: str = "error"

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.field = field


class InvalidInput(AlmanacError):
    """An input failed validation. ``problems`` lists every field at fault; the first one is
    also exposed as ``field``/``message``."""

    code = "invalid"

    def __init__(self, problems: list[FieldProblem] | FieldProblem):
        items = [problems] if isinstance(problems, FieldProblem) else list(problems)
        if not items:
            raise ValueError("InvalidInput needs at least one problem")
        first = items[0]
        super().__init__(first.message, code=first.code, field=first.field)
        self.problems: list[FieldProblem] = items

    @classmethod
    def one(cls, field: str, message: str, code: str = "invalid") -> InvalidInput:
        return cls(FieldProblem(field=field, message=message, code=code))


class NotFound(AlmanacError):
    code = "not_found"

    def __init__(self, kind: str, record_id: object):
        super().__init__(f"no {kind} with id {record_id}")
        self.kind = kind
        self.record_id = record_id


class Conflict(AlmanacError):
    code = "conflict"


class Duplicate(Conflict):
    code = "duplicate"

    def __init__(self, field: str, value: object, message: str | None = None):
        super().__init__(message or f"{field} {value!r} is already taken", field=field)
        self.value = value


class VersionConflict(Conflict):
    code = "version_conflict"

    def __init__(self, expected: int, actual: int):
        super().__init__(
            f"the record is at version {actual}, not {expected}: it changed since you loaded it"
        )
        self.expected = expected
        self.actual = actual


class AuthError(AlmanacError):
    code = "auth"


class NotAuthenticated(AuthError):
    code = "not_authenticated"

    def __init__(self, message: str = "log in first: no valid token or session"):
        super().__init__(message)


class BadCredentials(AuthError):
    code = "bad_credentials"

    def __init__(self, message: str = "wrong user name or password"):
        super().__init__(message)


class Forbidden(AuthError):
    code = "forbidden"


class Throttled(AlmanacError):
    code = "throttled"

    def __init__(self, retry_after: int, message: str | None = None):
        retry_after = max(1, int(retry_after))
        super().__init__(message or f"too many failed attempts; try again in {retry_after} s")
        self.retry_after = retry_after


class WrongPassword(AuthError):
    code = "wrong_password"

    def __init__(self, message: str = "this password does not open the local store"):
        super().__init__(message, field="password")


class NotLoggedIn(AuthError):
    code = "not_logged_in"

    def __init__(self, message: str = "no profile here yet: run almanac login first"):
        super().__init__(message)


class Offline(AlmanacError):
    """The server could not be reached (or answered with something that is not Almanac)."""

    code = "offline"

    def __init__(self, server: str, reason: str = ""):
        detail = f": {reason}" if reason else ""
        super().__init__(f"cannot reach the server {server}{detail}")
        self.server = server
        self.reason = reason


class NeedsConfirmation(AlmanacError):
    """The safety stop: a sync would delete ``deletions`` of the person's ``live`` records."""

    code = "needs_confirmation"

    def __init__(self, deletions: int, live: int, where: str = "this device"):
        super().__init__(
            f"this sync would delete {deletions} of {live} records on {where}; "
            "confirm to go on (almanac sync --yes)"
        )
        self.deletions = deletions
        self.live = live
        self.where = where


class StoreDamaged(AlmanacError):
    """The local store could not be read. ``moved_to``: where the damaged file was put
    aside (never deleted), if it was."""

    code = "store_damaged"

    def __init__(self, path: object, reason: str, moved_to: object | None = None):
        aside = f"; the damaged file was moved to {moved_to}" if moved_to else ""
        super().__init__(f"the local store {path} is damaged ({reason}){aside}")
        self.path = path
        self.reason = reason
        self.moved_to = moved_to
