"""``Client``: one open profile — what the CLI and the desktop app call (R1, R8, R12–R14;
issue 3 §1–§5).

Every add, change and delete commits to the encrypted local store at once and is queued;
only ``login``, ``sync``, ``restore`` and ``logout`` (and ``status(check_online=True)``)
use the network. Opening a damaged store rebuilds it automatically (``rebuild``) and says so
in ``status().notices``.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Collection, Iterable, Mapping
from contextlib import suppress
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any
from uuid import UUID, uuid4

from almanac.calendar.agenda import Agenda
from almanac.calendar.reminders import DueReminder
from almanac.client import agenda as agendas
from almanac.client import contact_search, profiles
from almanac.client import preferences as settings
from almanac.client import reminders as alerts
from almanac.client.contact_search import ContactCriteria
from almanac.client.engine import LAST_SYNC
from almanac.client.engine import sync as run_sync
from almanac.client.rebuild import (
    BOOTSTRAP,
    REBUILT_FROM,
    open_or_rebuild,
    rebuild_from_server,
    replace_store,
)
from almanac.client.reports import Status, SyncProgress, SyncReport
from almanac.client.transport import Transport, TransportFactory
from almanac.errors import InvalidInput, NotAuthenticated, NotFound, NotLoggedIn, Offline
from almanac.model.event import zone
from almanac.model.preferences import Preferences
from almanac.store.builder import STEP, IndexBuilder, Progress
from almanac.store.keys import Profile, load_profile, save_profile
from almanac.store.local import Item, ItemPage, LocalStore
from almanac.store.paths import (
    ProfilePaths,
    current_profile,
    profile_slug,
    resolve_home,
    set_current_profile,
)
from almanac.store.recovery import move_aside
from almanac.store.seal import open_sealed, write_sealed
from almanac.sync.protocol import ConflictRecord

__all__ = ["Client"]

STORE_REBUILT = "store_rebuilt"
"""Status notice: the store was damaged, moved aside and rebuilt."""
PASSWORD_CHANGED = "password_changed"
"""Status notice: the password was changed on the server; the store was re-keyed for it."""


class Client:
    """One profile, open. Use ``Client.login`` (online) or ``Client.open`` (offline)."""

    def __init__(
        self,
        paths: ProfilePaths,
        profile: Profile,
        key: bytes,
        store: LocalStore,
        transport: TransportFactory,
        notices: tuple[str, ...] = (),
    ) -> None:
        self.paths = paths
        self.profile = profile
        self.store = store
        self._key = key
        self._factory = transport
        self._transport: Transport | None = None
        self._notices = notices
        self.rebuilt_from: Path | None = None
        """Where the damaged file went, when this open or login rebuilt the store (R13)."""
        self._agenda: tuple[tuple[Any, ...], Agenda] | None = None  # the last, and its key

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def login(
        cls,
        server_url: str,
        user: str,
        password: str,
        *,
        home: Path | None = None,
        device: str | None = None,
        transport: TransportFactory,
    ) -> Client:
        """Log in online; create the profile and its store, or open the existing one
        (re-keyed when the password was changed on the server); make it current."""
        url = server_url.rstrip("/")
        remote = transport(url)
        try:
            return cls._login(remote, url, user, password, home, device, transport)
        except BaseException:
            _close(remote)  # no Client came of it to close the connection later
            raise

    @classmethod
    def _login(
        cls,
        remote: Transport,
        url: str,
        user: str,
        password: str,
        home: Path | None,
        device: str | None,
        transport: TransportFactory,
    ) -> Client:
        session = remote.login(user, password, device or profiles.default_device())
        base = resolve_home(home)
        paths = ProfilePaths.of(base, profile_slug(url, user))
        notices: tuple[str, ...] = ()
        aside: Path | None = None
        if paths.profile_json.exists():
            old = load_profile(paths)
            keyfile, key, rekeyed = profiles.login_keys(old, password, session)
            previous_token = profiles.sealed_token(old, key)
            profile = old.model_copy(update={"keyfile": keyfile, "device": session.device})
            save_profile(paths, profile)
            store, aside = open_or_rebuild(paths.store_db, key)
            notices = (PASSWORD_CHANGED,) if rekeyed else ()
            if aside is not None:
                notices += (STORE_REBUILT,)
            if previous_token and previous_token != session.token:
                _quietly(lambda: remote.logout(previous_token))
        else:
            keyfile, key = profiles.first_keys(password, session)
            paths.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            profile = Profile(server_url=url, user=user, device=session.device, keyfile=keyfile)
            store = LocalStore.create(paths.store_db, key)
            save_profile(paths, profile)
        set_current_profile(base, paths.folder.name)
        client = cls(paths, profile, key, store, transport, notices)
        client.rebuilt_from = aside
        client._transport = remote
        if store.get_meta(BOOTSTRAP):
            client._try_rebuild()
        with suppress(Offline, NotAuthenticated):  # the settings come with the next sync then
            settings.exchange(store, remote, session.token)
        return client

    @classmethod
    def open(
        cls, password: str, *, home: Path | None = None, transport: TransportFactory
    ) -> Client:
        """The current profile, offline (``NotLoggedIn``, ``WrongPassword``). A damaged store
        is rebuilt: from the server if it answers, else empty and marked for bootstrap."""
        paths = current_profile(resolve_home(home))
        if paths is None:
            raise NotLoggedIn()
        profile = load_profile(paths)
        key = profiles.open_key(profile, password)
        store, aside = open_or_rebuild(paths.store_db, key)
        client = cls(paths, profile, key, store, transport)
        if aside is not None:
            client._notices = (STORE_REBUILT,)
            client.rebuilt_from = aside
        if store.get_meta(BOOTSTRAP):
            client._try_rebuild()
        return client

    def rebuild_waiting(self) -> bool:
        """A rebuilt store that has not pulled from the server yet (it was offline)."""
        return bool(self.store.get_meta(BOOTSTRAP))

    def close(self) -> None:
        self.store.close()
        _close(self._transport)
        self._transport = None

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def logout(self) -> None:
        """Revoke the token if the server answers; forget it here; the store stays."""
        token = profiles.sealed_token(self.profile, self._key)
        if token is not None:
            _quietly(lambda: self._remote().logout(token))
        keyfile = self.profile.keyfile.model_copy(update={"sealed_token": None})
        self.profile = self.profile.model_copy(update={"keyfile": keyfile})
        save_profile(self.paths, self.profile)

    # -- what the person sees and does ---------------------------------------------------------

    def status(self, check_online: bool = False) -> Status:
        online: bool | None = None
        if check_online:
            online = self._online()
        last = self.store.get_meta(LAST_SYNC)
        aside = self.store.get_meta(REBUILT_FROM)
        return Status(
            server_url=self.profile.server_url,
            user=self.profile.user,
            device=self.profile.device,
            online=online,
            pending=self.store.outbox_size(),
            last_sync=datetime.fromisoformat(last) if last else None,
            conflicts=len(self.store.conflicts(False)),
            cursor=self.store.cursor,
            store_path=self.paths.store_db,
            notices=self._notices,
            damaged_copy=Path(aside) if aside else None,
        )

    def add(self, kind: str, content: Mapping[str, Any]) -> Item:
        item = self.store.edit("create", kind, uuid4(), content)
        assert item is not None
        return item

    def edit(self, kind: str, record_id: str | UUID, changes: Mapping[str, Any]) -> Item:
        rid = self.get(kind, record_id).id
        item = self.store.edit("update", kind, rid, changes)
        assert item is not None
        return item

    def remove(self, kind: str, record_id: str | UUID) -> Item:
        before = self.get(kind, record_id)
        after = self.store.edit("delete", kind, before.id, {})
        return after if after is not None else replace(before, deleted=True, pending=True)

    def get(self, kind: str, record_id: str | UUID) -> Item:
        """A live record of ``kind`` (full id or a unique prefix; ``NotFound`` otherwise)."""
        rid = record_id if isinstance(record_id, UUID) else self.store.resolve_id(record_id, kind)
        item = self.store.get(rid)
        if item is None or item.deleted or item.kind != kind:
            raise NotFound(kind, record_id)
        return item

    def list(
        self,
        kind: str,
        q: str | None = None,
        filters: Mapping[str, str] | None = None,
        limit: int = 100,
        after: str | None = None,
    ) -> ItemPage:
        return self.store.list(kind, q, filters, limit, after)

    def build_index(
        self,
        step: int = STEP,
        progress: Progress | None = None,
        stop: Callable[[], bool] | None = None,
    ) -> int:
        """Build the search index a bulk pull deferred, ``step`` items a transaction, on a
        connection of its own: a face calls it from a worker thread after a login or a sync
        while its window searches (searches are right meanwhile, docs/store.md). Returns
        how many items it indexed; ``stop()`` is asked between two chunks."""
        if not self.store.waiting():
            return 0
        with IndexBuilder(self.paths.store_db, self._key) as builder:
            return builder.run(step, progress, stop)

    def search_contacts(
        self, criteria: ContactCriteria, limit: int = 1000
    ) -> tuple[builtins.list[Item], bool]:
        """The advanced search (R4): contacts meeting every condition (name or pinyin, phone,
        email, company, group, has a birthday), at most ``limit``, and whether that is all."""
        return contact_search.search(self.store, criteria, limit)

    # -- the person's settings (R3) -------------------------------------------------------------

    def preferences(self) -> Preferences:
        """The person's settings as this device shows them (works offline)."""
        return settings.current(self.store)

    def set_preferences(self, patch: Mapping[str, Any]) -> Preferences:
        """Change the fields in ``patch`` (``None`` resets one) here at once; the next sync
        sends them. ``InvalidInput`` naming the field; nothing changes then."""
        return settings.change(self.store, patch)

    def pending_preferences(self) -> dict[str, Any]:
        """The settings changed here and not yet taken by the server."""
        return settings.pending(self.store)

    # -- the agenda and reminders (issue 4 §6) -------------------------------------------------

    def agenda(self, *, tz: str | None = None, hide: Collection[str] = ()) -> Agenda:
        """The person's agenda from this device's store (offline), in ``tz`` (default: their
        zone), without the festivals they hid and those in ``hide``. Kept until the records
        change (``changes``) or another zone or festival choice is asked: then read again."""
        prefs = self.preferences()
        key = (
            self.store.changes,  # read before the records: a change during the build shows
            tz or prefs.time_zone,
            prefs.festival_choice(also_hide=hide),
        )
        kept = self._agenda
        if kept is not None and kept[0] == key:
            return kept[1]
        built = agendas.build(self.store, prefs, tz=tz, hide=hide)
        self._agenda = (key, built)
        return built

    @property
    def changes(self) -> int:
        """A cheap counter of changes to the person's records in this device's store (one
        ``PRAGMA``): equal values mean nothing changed in between (``LocalStore.changes``)."""
        return self.store.changes

    def due_reminders(self, now: datetime | None = None) -> builtins.list[DueReminder]:
        """The reminders to show at ``now`` (default: the present; naive: the person's zone),
        each once per occurrence: those not yet marked shown, ``missed`` when they came due
        a while ago (the app was closed). Reads only; call ``mark_fired`` once shown."""
        agenda = self.agenda()
        now = _aware(now, agenda.zone)
        return alerts.due_now(self.store, agenda, now)

    def mark_fired(self, reminders: Iterable[DueReminder], now: datetime | None = None) -> None:
        """Remember ``reminders`` as shown and the check done at ``now`` (kept in the store,
        so across restarts each fires once and the next check starts here)."""
        zone_name = self.preferences().time_zone
        alerts.mark_fired(self.store, reminders, _aware(now, zone(zone_name)))

    # -- sealed files (R12) ----------------------------------------------------------------------

    def seal_file(self, path: Path, purpose: str, value: Any) -> None:
        """Seal ``value`` (anything JSON holds) for ``purpose`` with this profile's data key and
        write it to ``path`` atomically (0600); the plain value never reaches the disk and the
        key never leaves the client (``almanac.store.seal``)."""
        write_sealed(path, self._key, value, purpose=purpose)

    def open_sealed(self, path: Path, purpose: str) -> Any:
        """The value this profile's key sealed in ``path`` for ``purpose``: ``WrongPassword``
        when another key sealed it (another profile, a store re-keyed since) or for another
        purpose, ``StoreDamaged`` when it is not a sealed file."""
        return open_sealed(path, self._key, purpose=purpose)

    # -- sync, conflicts, restore --------------------------------------------------------------

    def sync(
        self, *, confirm: bool = False, progress: Callable[[SyncProgress], None] | None = None
    ) -> SyncReport:
        """Push the outbox, pull what changed (the safety stop may ask: ``confirm``)."""
        token = self._token()
        if self.store.get_meta(BOOTSTRAP):
            began = time.monotonic()
            report = rebuild_from_server(self.store, self._remote(), token)
            return replace(report, seconds=time.monotonic() - began)
        return run_sync(self.store, self._remote(), token, confirm=confirm, progress=progress)

    def conflicts(self, resolved: bool | None = False) -> builtins.list[ConflictRecord]:
        return self.store.conflicts(resolved)

    def resolve(self, conflict_id: str, keep: int) -> Item:
        """Settle a conflict by keeping version ``keep`` (its ``kept_version`` or
        ``other_version``): the field is set to that value by an edit that names the
        conflict, queued like any edit; locally it shows as resolved at once."""
        conflict = self.store.conflict(conflict_id)
        if keep == conflict.kept_version:
            value = conflict.kept_value
        elif conflict.other_version is not None and keep == conflict.other_version:
            value = conflict.other_value
        else:
            versions = [v for v in (conflict.kept_version, conflict.other_version) if v]
            choices = " or ".join(str(v) for v in versions)
            raise InvalidInput.one("keep", f"choose version {choices}", code="invalid_choice")
        with self.store.transaction():
            item = self.store.edit(
                "update",
                conflict.kind,
                conflict.record_id,
                {conflict.field: value},
                resolves=[conflict.id],
            )
            self.store.put_conflicts([conflict.model_copy(update={"resolved": True})])
        assert item is not None
        return item

    def restore(self) -> SyncReport:
        """By hand (``almanac restore``): move the store aside, make a new one with the
        salvaged unsynced edits, and pull everything from the server. Checks the server
        answers first: offline, nothing is touched."""
        token = self._token()
        remote = self._remote()
        remote.pull(token, self.store.cursor, 1)  # Offline / NotAuthenticated: untouched
        began = time.monotonic()
        path = self.paths.store_db
        self.store.close()
        aside = move_aside(path)
        self.store = replace_store(path, self._key, aside)
        report = rebuild_from_server(self.store, remote, token)
        return replace(report, seconds=time.monotonic() - began)

    # -- plumbing ------------------------------------------------------------------------------

    def _remote(self) -> Transport:
        if self._transport is None:
            self._transport = self._factory(self.profile.server_url)
        return self._transport

    def _token(self) -> str:
        token = profiles.sealed_token(self.profile, self._key)
        if token is None:
            raise NotLoggedIn("logged out on this device: run almanac login again")
        return token

    def _online(self) -> bool:
        token = profiles.sealed_token(self.profile, self._key) or "-"
        try:
            self._remote().pull(token, self.store.cursor, 1)
        except Offline:
            return False
        except NotAuthenticated:
            return True
        return True

    def _try_rebuild(self) -> None:
        """After a damaged store was replaced: pull everything now if the server answers."""
        token = profiles.sealed_token(self.profile, self._key)
        if token is None:
            return
        try:
            rebuild_from_server(self.store, self._remote(), token)
        except (Offline, NotAuthenticated):
            return  # stays marked for bootstrap; the next sync does it


def _aware(now: datetime | None, tz: Any) -> datetime:
    if now is None:
        return datetime.now(tz)
    return now if now.tzinfo is not None else now.replace(tzinfo=tz)


def _close(transport: object) -> None:
    """Close a transport that can be closed (an HTTP one holds a connection pool)."""
    closer = getattr(transport, "close", None)
    if callable(closer):
        closer()


def _quietly(call: Callable[[], None]) -> None:
    with suppress(Offline, NotAuthenticated):
        call()
