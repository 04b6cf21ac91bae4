"""A full re-key of a profile's store, safe against a crash at any point (R12; issue 3 §1).

Re-wrapping (``keys.rewrap``) changes only how the data key is stored: enough after a
password change. A **re-key** also changes the data key itself (``PRAGMA rekey`` rewrites
every page), so an old copy of ``profile.json`` and the old password no longer open the
store. Order of the steps:

1. the new key file is written beside the profile as ``profile.json.next`` (atomic);
2. the store is re-keyed (one SQLite transaction: the old key or the new one, never half);
3. ``profile.json.next`` replaces ``profile.json`` (atomic).

A crash between 2 and 3 leaves a store that only the ``.next`` key file opens:
``open_store`` tries ``profile.json`` and then ``profile.json.next`` and finishes step 3.
A crash before 2 leaves a stale ``.next``, which ``open_store`` removes once the main
profile has opened the store.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable

from almanac.errors import StoreDamaged, WrongPassword
from almanac.store.db import KEY_MISMATCH
from almanac.store.keys import (
    KEY_BYTES,
    KdfCosts,
    KeyFile,
    Profile,
    dump_profile,
    read_profile,
    rewrap,
    seal,
    unseal,
)
from almanac.store.local import LocalStore
from almanac.store.paths import ProfilePaths, atomic_write, sync_folder


def rekey_store(
    paths: ProfilePaths,
    profile: Profile,
    store: LocalStore,
    old_key: bytes,
    password: str,
    server_secret: bytes | None,
    *,
    costs: KdfCosts | None = None,
) -> tuple[Profile, bytes]:
    """Re-key ``store`` with a new random data key wrapped for ``password`` (and the server's
    secret); the sealed device token follows. Returns the saved profile and the new key."""
    new_key = os.urandom(KEY_BYTES)
    token = profile.keyfile.sealed_token
    sealed = None if token is None else seal(new_key, unseal(old_key, token))
    keyfile = rewrap(new_key, password, server_secret, costs=costs, sealed_token=sealed)
    updated = profile.model_copy(update={"keyfile": keyfile})
    atomic_write(paths.next_json, dump_profile(updated))
    store.rekey(new_key)
    os.replace(paths.next_json, paths.profile_json)
    sync_folder(paths.folder)
    return updated, new_key


def open_store(
    paths: ProfilePaths, key_for: Callable[[KeyFile], bytes]
) -> tuple[Profile, bytes, LocalStore]:
    """Open the profile's store with the key ``key_for`` gets from a key file (e.g.
    ``lambda kf: unlock(kf, password)``), finishing an interrupted re-key. ``WrongPassword``
    when no key file opens for it; ``StoreDamaged`` when the store does not pass its check."""
    candidates = [read_profile(paths.profile_json)]
    if paths.next_json.exists():
        with contextlib.suppress(StoreDamaged):  # a torn .next never re-keyed the store
            candidates.append(read_profile(paths.next_json))
    mismatch: StoreDamaged | None = None
    for number, profile in enumerate(candidates):
        try:
            key = key_for(profile.keyfile)
            store = LocalStore.open(paths.store_db, key)
        except WrongPassword:
            continue
        except StoreDamaged as exc:
            if not str(exc.reason).startswith(KEY_MISMATCH):
                raise
            mismatch = exc
            continue
        if number == 1:  # the re-key happened; finish it
            os.replace(paths.next_json, paths.profile_json)
        else:
            paths.next_json.unlink(missing_ok=True)
        sync_folder(paths.folder)
        return profile, key, store
    # A key that opened no store is only damage when no key file was refused.
    if mismatch is not None and len(candidates) == 1:
        raise mismatch
    raise WrongPassword()
