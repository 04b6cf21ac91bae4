"""SQLCipher connections, transactions and migrations of the local store.

The database is opened with the **raw** 256-bit data key (``PRAGMA key = "x'…'"``), which
skips SQLCipher's own PBKDF2: the key was derived once, with Argon2id, by ``keys``. Every
page — the main file and the write-ahead log — is AES-256 encrypted with an HMAC, so a
changed page is found when it is read.

Settings: WAL journal (a commit appends to the log instead of rewriting pages; readers never
block the writer) with ``synchronous = FULL`` (a commit is on disk before it returns: an edit
the person saw committed, or an outbox entry marked sent, survives a power cut), foreign
keys on, a 5 s busy timeout, temporary tables in memory (nothing decrypted reaches a temp
file). The connection runs in autocommit mode; ``Database.transaction()`` opens
``BEGIN IMMEDIATE`` (nested: a savepoint) and commits or rolls back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlcipher3

from almanac.errors import AlmanacError, StoreDamaged
from almanac.store.schema import CURRENT_VERSION, MIGRATIONS

BUSY_TIMEOUT_MS = 5000
CACHE_KIB = 32 * 1024
"""The page cache (SQLCipher's default is 8 MB). A page read again after it fell out of the
cache is decrypted again (AES and HMAC-SHA512): a push of 10,000 edits touches the shadows,
items and outbox of 20,000 records, ~25 MB, once a wave (docs/sync.md)."""
KEY_MISMATCH = "the key does not read it"
"""How ``StoreDamaged.reason`` starts when the key (or the first page) is wrong."""

DatabaseError: type[Exception] = sqlcipher3.DatabaseError


class StoreTooNew(AlmanacError):
    """The store was written by a newer Almanac (its schema version is beyond this program's):
    it is not damaged, and it is left as it is."""

    code = "store_too_new"

    def __init__(self, path: object, found: int, known: int):
        super().__init__(
            f"the local store {path} has schema version {found}, but this Almanac knows only "
            f"up to {known}: update Almanac to open it"
        )
        self.path = path
        self.found = found
        self.known = known


def key_pragma(key: bytes) -> str:
    if len(key) != 32:
        raise ValueError("the store key is 32 bytes")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect(path: Path, key: bytes) -> Any:
    """An open, keyed connection (not yet checked: the first read tells a wrong key)."""
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()  # errors come as exceptions
        conn.execute(key_pragma(key))
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA temp_store = MEMORY")
    except BaseException:
        conn.close()
        raise
    return conn


def configure(conn: Any) -> None:
    """The per-connection settings, once the key is known to be right."""
    conn.execute("PRAGMA journal_mode = WAL").fetchall()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def user_version(conn: Any) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def readable(conn: Any) -> None:
    """Read the schema (page 1): raises ``DatabaseError`` when the key is wrong or the first
    page is damaged."""
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def migrate(conn: Any, path: object, steps: Any = MIGRATIONS) -> int:
    """Bring the schema to ``len(steps)``, one transaction per step; returns the version.
    ``StoreTooNew`` when the store is beyond the steps known here."""
    known = len(steps)
    version = user_version(conn)
    if version > known:
        raise StoreTooNew(path, version, known)
    while version < known:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if user_version(conn) == version:  # nobody else migrated meanwhile
                steps[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        version = user_version(conn)
    return version


class Database:
    """One keyed connection and its transaction depth.

    The connection may be used from several threads (the app reads in workers): a
    transaction or a snapshot read holds a re-entrant lock for its whole span, so another
    thread's ``BEGIN`` waits for the ``COMMIT`` instead of landing inside it ("cannot start a
    transaction within a transaction"), and the depth is only ever changed by the thread that
    holds it."""

    def __init__(self, conn: Any, path: Path):
        self.conn = conn
        self.path = path
        self._depth = 0
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path, key: bytes, *, create: bool) -> Database:
        """Open (or, with ``create``, make) the store at ``path`` and migrate it to
        ``CURRENT_VERSION``. ``StoreDamaged`` when the key does not read it."""
        if not create and not path.exists():
            raise FileNotFoundError(path)
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path, key)
        try:
            try:
                readable(conn)
            except DatabaseError as exc:
                raise StoreDamaged(path, f"{KEY_MISMATCH} ({exc})") from None
            configure(conn)
            migrate(conn, path)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception); nested calls use
        a savepoint, so an inner failure undoes only the inner part."""
        with self._lock:
            conn = self.conn
            depth = self._depth
            name = f"sp{depth}"
            conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {name}")
            self._depth = depth + 1
            try:
                yield
            except BaseException:
                self._depth = depth
                if depth == 0:
                    conn.execute("ROLLBACK")
                else:
                    conn.execute(f"ROLLBACK TO {name}")
                    conn.execute(f"RELEASE {name}")
                raise
            self._depth = depth
            conn.execute("COMMIT" if depth == 0 else f"RELEASE {name}")

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Several reads from one snapshot (``BEGIN`` deferred: no write lock, so a writer on
        another connection goes on); inside a transaction, that transaction's."""
        with self._lock:
            if self._depth:
                yield
                return
            self.conn.execute("BEGIN")
            try:
                yield
            finally:
                self.conn.execute("COMMIT")

    @contextmanager
    def checkpoints_deferred(self, pages: int) -> Iterator[None]:
        """Let the WAL grow to ``pages`` pages before a commit copies it into the database
        (SQLite's default: 1,000), and back after. A push wave's commit writes ~1,100 pages:
        at the default, each commit also copied them into the file and synced it (a third of
        the commit's time), most of them pages the next waves write again."""
        conn = self.conn
        before = int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
        try:
            yield
        finally:
            conn.execute(f"PRAGMA wal_autocheckpoint = {before}")

    def rekey(self, new_key: bytes) -> None:
        """Re-encrypt every page with ``new_key`` (``PRAGMA rekey``)."""
        if self._depth:
            raise RuntimeError("re-key outside a transaction")
        self.conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
        readable(self.conn)

    def close(self) -> None:
        self.conn.close()

    @property
    def schema_version(self) -> int:
        return user_version(self.conn)

    @staticmethod
    def current_version() -> int:
        return CURRENT_VERSION
