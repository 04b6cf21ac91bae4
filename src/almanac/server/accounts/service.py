"""``Accounts``: the R1 service the HTTP API, the web pages and the CLI call.

Every write runs in one transaction whose first statement is a write (the SQLite rule in
``almanac.server.db.engine``). Password checks (Argon2id) run outside any transaction so a
slow hash never holds a connection or a lock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import sqlalchemy as sa

from almanac.errors import BadCredentials, Duplicate, InvalidInput, NotAuthenticated, NotFound
from almanac.server.accounts import rules, throttle
from almanac.server.accounts import tokens as token_store
from almanac.server.accounts.entities import (
    TOKEN_KINDS,
    TokenInfo,
    TokenKind,
    User,
    as_utc,
    inserted_id,
)
from almanac.server.accounts.passwords import Passwords
from almanac.server.db.tables import login_failures, record_terms, records, tokens, users
from almanac.server.settings import ServerSettings

T = TypeVar("T")
_RETRIES = 5
_RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization failure, deadlock
_RETRY_MYSQL_CODES = frozenset({1205, 1213})  # lock wait timeout, deadlock
_USER_COLUMNS = (users.c.id, users.c.username, users.c.created_at, users.c.password_hash)
_TOKEN_USER = (
    sa.select(
        *_USER_COLUMNS,
        tokens.c.id.label("token_id"),
        tokens.c.kind,
        tokens.c.expires_at,
        tokens.c.last_used_at,
    )
    .join(users, users.c.id == tokens.c.user_id)
    .where(tokens.c.token_hash == sa.bindparam("token_hash"))
)
"""The person and token for a token hash: built once, as every request asks it (a page's
session, an API call's bearer token); bench/web.py."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _worth_retrying(error: sa.exc.DBAPIError) -> bool:
    """A lost insert race, or a deadlock/serialization failure the database asks to retry."""
    if isinstance(error, sa.exc.IntegrityError):
        return True
    sqlstate = getattr(error.orig, "sqlstate", None)  # psycopg
    mysql_code = (getattr(error.orig, "args", None) or (None,))[0]  # PyMySQL
    return sqlstate in _RETRY_SQLSTATES or mysql_code in _RETRY_MYSQL_CODES


def _user(row: Any) -> User:
    return User(id=int(row.id), username=str(row.username), created_at=as_utc(row.created_at))


class Accounts:
    """Register, authenticate (throttled), tokens and sessions, change password, delete."""

    def __init__(
        self,
        engine: sa.Engine,
        settings: ServerSettings,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._engine = engine
        self._settings = settings
        self._clock = clock or _utc_now
        self._passwords = Passwords.from_settings(settings)
        self._user_policy = throttle.Policy(
            settings.throttle_max_failures,
            settings.throttle_base_delay,
            settings.throttle_max_delay,
        )
        self._addr_policy = throttle.Policy(
            settings.throttle_addr_max_failures,
            settings.throttle_base_delay,
            settings.throttle_max_delay,
        )

    def __repr__(self) -> str:
        return f"Accounts({self._engine.url.render_as_string(hide_password=True)!r})"

    # -- people ---------------------------------------------------------------------------

    def register(self, username: str, password: str) -> User:
        """Create an account. InvalidInput (field ``username``/``password``); Duplicate
        (field ``username``) when the folded name is taken."""
        name = rules.check_username(username)
        clean = rules.check_password(password)
        password_hash = self._passwords.hash(clean)
        now = self._now()
        try:
            with self._engine.begin() as conn:
                result = conn.execute(
                    sa.insert(users).values(
                        username=name,
                        password_hash=password_hash,
                        created_at=now,
                        password_changed_at=now,
                        store_secret=token_store.new_store_secret(),
                    )
                )
                user_id = inserted_id(result)
                throttle.clear(conn, throttle.user_key(name))
        except sa.exc.IntegrityError:
            raise Duplicate("username", name, f"username {name!r} is already taken") from None
        return self.get_user(user_id)

    def get_user(self, user_id: int) -> User:
        """The person with this id; NotFound("user", id) if there is none."""
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(*_USER_COLUMNS).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound("user", user_id)
        return _user(row)

    def user_by_name(self, username: str) -> User:
        """The person with this user name (folded first); NotFound("user", name) if none."""
        row = self._row_by_name(rules.valid_username_or_none(username))
        if row is None:
            raise NotFound("user", username)
        return _user(row)

    def store_secret(self, user_id: int) -> str:
        """The person's store secret (base64url, 43 characters): made at registration, kept
        through password changes, gone with the account. Only a password login hands it out
        (docs/api.md). A row without one (inserted some other way) gets one now."""
        query = sa.select(users.c.store_secret).where(users.c.id == user_id)
        with self._engine.connect() as conn:
            found = conn.execute(query).one_or_none()
        if found is None:
            raise NotFound("user", user_id)
        if found.store_secret is None:
            with self._engine.begin() as conn:
                conn.execute(
                    sa.update(users)
                    .where(users.c.id == user_id, users.c.store_secret.is_(None))
                    .values(store_secret=token_store.new_store_secret())
                )
                return str(conn.execute(query).scalar_one())
        return str(found.store_secret)

    # -- logging in -----------------------------------------------------------------------

    def authenticate(self, username: str, password: str, client_addr: str | None) -> User:
        """The person whose name and password these are. BadCredentials when either is
        wrong (unknown names cost the same and count the same); Throttled while the name or
        the address is locked, without looking at the password."""
        name = rules.fold_username(username) if isinstance(username, str) else ""
        keys = self._keys(throttle.user_key(name), client_addr)
        self._reserve(keys)
        row = self._row_by_name(rules.valid_username_or_none(name))
        stored = None if row is None else str(row.password_hash)
        if not self._verify(stored, password):
            raise BadCredentials()
        assert row is not None and stored is not None
        self._settle_success(keys, int(row.id), stored, password)
        return _user(row)

    def change_password(
        self,
        user_id: int,
        old_password: str,
        new_password: str,
        *,
        keep_token_id: int | None = None,
        client_addr: str | None = None,
    ) -> None:
        """Set a new password (InvalidInput field ``new_password``) after checking the old one
        (BadCredentials, counted for throttling). Revokes every token and session of the
        person except ``keep_token_id``."""
        clean = rules.check_password(new_password, field="new_password")
        row = self._checked_row(user_id, old_password, client_addr)
        new_hash = self._passwords.hash(clean)
        with self._engine.begin() as conn:
            conn.execute(
                sa.update(users)
                .where(users.c.id == user_id)
                .values(password_hash=new_hash, password_changed_at=self._now())
            )
            token_store.delete_all_but(conn, user_id, keep_token_id)
            throttle.clear(conn, throttle.user_key(str(row.username)))

    def delete_account(
        self, user_id: int, password: str, *, client_addr: str | None = None
    ) -> None:
        """Delete the person and all their rows (records, record_terms, tokens, the name's
        throttle entry) in one transaction, after checking the password (BadCredentials)."""
        row = self._checked_row(user_id, password, client_addr)
        with self._engine.begin() as conn:
            # First a write on the person's row: it queues behind (and blocks) their writers.
            bumped = conn.execute(
                sa.update(users)
                .where(users.c.id == user_id)
                .values(last_change_no=users.c.last_change_no + 1)
            )
            if bumped.rowcount == 0:
                raise NotFound("user", user_id)
            conn.execute(sa.delete(record_terms).where(record_terms.c.owner_id == user_id))
            conn.execute(sa.delete(records).where(records.c.owner_id == user_id))
            conn.execute(sa.delete(tokens).where(tokens.c.user_id == user_id))
            key = throttle.user_key(str(row.username))
            conn.execute(sa.delete(login_failures).where(login_failures.c.key == key))
            conn.execute(sa.delete(users).where(users.c.id == user_id))

    # -- tokens and sessions --------------------------------------------------------------

    def issue_token(self, user_id: int, device: str, kind: TokenKind = "api") -> str:
        """A new token (``api``: no expiry) or session (expires after ``session_days``) for
        the person; returns its secret, which is never stored and cannot be shown again."""
        return self.issue_token_with_info(user_id, device, kind)[0]

    def issue_token_with_info(
        self, user_id: int, device: str, kind: TokenKind = "api"
    ) -> tuple[str, TokenInfo]:
        """Like ``issue_token``, and also the new token's listing (its id, cleaned device
        name, times). InvalidInput field ``device``/``kind``; NotFound("user")."""
        if kind not in TOKEN_KINDS:
            raise InvalidInput.one("kind", "kind must be 'api' or 'session'", "invalid")
        clean_device = rules.check_device(device)
        now = self._now()
        expires = now + timedelta(days=self._settings.session_days) if kind == "session" else None
        secret = token_store.new_secret()
        try:
            with self._engine.begin() as conn:
                token_id = token_store.insert(
                    conn,
                    user_id=user_id,
                    kind=kind,
                    device=clean_device,
                    secret=secret,
                    now=now,
                    expires_at=expires,
                )
        except sa.exc.IntegrityError:
            self.get_user(user_id)  # NotFound when the person is gone
            raise
        info = TokenInfo(token_id, kind, clean_device, now, None, expires)
        return secret, info

    def user_for_token(self, secret: str, kind: TokenKind = "api") -> tuple[User, int]:
        """(person, token id) for a live token of this kind; NotAuthenticated otherwise."""
        if not isinstance(secret, str) or not secret:
            raise NotAuthenticated()
        with self._engine.connect() as conn:
            hashed = {"token_hash": token_store.secret_hash(secret)}
            row = conn.execute(_TOKEN_USER, hashed).first()
        now = self._now()
        expires = None if row is None or row.expires_at is None else as_utc(row.expires_at)
        if row is None or row.kind != kind or not token_store.is_live(expires, now):
            raise NotAuthenticated("the token or session is unknown, expired or revoked")
        last_used = None if row.last_used_at is None else as_utc(row.last_used_at)
        if token_store.needs_touch(last_used, now):
            with self._engine.begin() as conn:
                token_store.touch(conn, int(row.token_id), now)
        return _user(row), int(row.token_id)

    def list_tokens(self, user_id: int) -> list[TokenInfo]:
        """The person's live tokens and sessions, oldest first."""
        with self._engine.connect() as conn:
            return token_store.list_live(conn, user_id, self._now())

    def revoke_token(self, user_id: int, token_id: int) -> None:
        """Revoke one of the person's tokens; NotFound("token", id) if it is not theirs."""
        with self._engine.begin() as conn:
            if not token_store.delete_one(conn, user_id, token_id):
                raise NotFound("token", token_id)

    def revoke_secret(self, secret: str) -> None:
        """Revoke the token or session with this secret, if any (log out); never raises."""
        if not isinstance(secret, str) or not secret:
            return
        digest = token_store.secret_hash(secret)
        with self._engine.begin() as conn:
            conn.execute(sa.delete(tokens).where(tokens.c.token_hash == digest))

    def purge_expired(self) -> int:
        """Housekeeping: delete expired sessions and throttle entries that are neither locked
        nor remembered any more; returns how many rows went."""
        now = self._now()
        with self._engine.begin() as conn:
            return token_store.delete_expired(conn, now) + throttle.delete_forgotten(conn, now)

    # -- helpers --------------------------------------------------------------------------

    def _now(self) -> datetime:
        return as_utc(self._clock())

    def _keys(self, user_key: str, client_addr: str | None) -> list[str]:
        return [user_key] if not client_addr else [user_key, throttle.addr_key(client_addr)]

    def _row_by_name(self, name: str | None) -> Any:
        if name is None:
            return None
        with self._engine.connect() as conn:
            return conn.execute(sa.select(*_USER_COLUMNS).where(users.c.username == name)).first()

    def _verify(self, stored_hash: str | None, password: object) -> bool:
        """Argon2 check; odd inputs (not text, too long) cost a dummy check and fail."""
        if (
            not isinstance(password, str)
            or len(password) > rules.PASSWORD_MAX
            or not rules.is_utf8(password)
        ):
            self._passwords.verify(None, "")
            return False
        return self._passwords.verify(stored_hash, rules.normalize_password(password))

    def _checked_row(self, user_id: int, password: str, client_addr: str | None) -> Any:
        """The person's row once ``password`` is theirs (throttled like a login)."""
        with self._engine.connect() as conn:
            row = conn.execute(sa.select(*_USER_COLUMNS).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound("user", user_id)
        keys = self._keys(throttle.user_key(str(row.username)), client_addr)
        self._reserve(keys)
        stored = str(row.password_hash)
        if not self._verify(stored, password):
            raise BadCredentials("the password is wrong")
        self._settle_success(keys, user_id, stored, password)
        return row

    def _reserve(self, keys: list[str]) -> None:
        """Throttled if a key is locked; else count this attempt as a failure for each key
        (the account's, then the address's) until it turns out right."""
        with self._engine.connect() as conn:
            states = throttle.read_states(conn, keys)
        throttle.check(states, self._now())  # refuse early, without writing
        for key in keys:
            if key not in states:
                throttle.ensure_row(self._engine, key, self._now())
        policies = [self._user_policy, self._addr_policy]

        def write(conn: sa.Connection) -> None:
            now = self._now()
            for key, policy in zip(keys, policies, strict=False):
                throttle.reserve(conn, key, policy, now)

        self._write_with_retry(write)

    def _settle_success(self, keys: list[str], user_id: int, stored: str, password: str) -> None:
        """The attempt was right: clear the account's failures, give the address its reserved
        failure back and upgrade an outdated hash, in one transaction."""
        rehash = self._passwords.needs_rehash(stored)
        new_hash = self._passwords.hash(rules.normalize_password(password)) if rehash else None

        def write(conn: sa.Connection) -> None:
            throttle.clear(conn, keys[0])
            if len(keys) > 1:
                throttle.refund(conn, keys[1], self._addr_policy)
            if new_hash is not None:
                conn.execute(
                    sa.update(users)
                    .where(users.c.id == user_id, users.c.password_hash == stored)
                    .values(password_hash=new_hash)
                )

        self._write_with_retry(write)

    def _write_with_retry(self, work: Callable[[sa.Connection], T]) -> T:
        """Run ``work`` in a write transaction, retrying a lost insert race or deadlock."""
        for attempt in range(_RETRIES):
            try:
                with self._engine.begin() as conn:
                    return work(conn)
            except sa.exc.DBAPIError as error:
                if attempt == _RETRIES - 1 or not _worth_retrying(error):
                    raise
        raise AssertionError("unreachable")
