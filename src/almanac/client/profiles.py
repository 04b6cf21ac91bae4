"""The keys of a profile at login and at open (R1, R12; issue 3 §1).

- ``first_keys``: a new profile — a random data key wrapped by the password and by the
  server's store secret, the device token sealed with it.
- ``login_keys``: an existing profile at an online login — the password opens it, or, when
  the password was changed on the server, the store secret does and the key file is
  re-wrapped for the new password (the data key, and so every unsynced edit, stays).
- ``open_key``: offline, the password only.

Part of the core; no network here (the caller did the login).
"""

from __future__ import annotations

import socket

from almanac.client.transport import Session
from almanac.errors import WrongPassword
from almanac.store.keys import (
    KeyFile,
    Profile,
    new_keys,
    rewrap,
    seal,
    unlock,
    unlock_with_server,
    unseal,
)

__all__ = ["default_device", "first_keys", "login_keys", "open_key", "sealed_token"]


def default_device() -> str:
    """The name a device gets in the person's token list when none is given."""
    name = socket.gethostname().strip()
    return (name or "almanac")[:100]


def first_keys(password: str, session: Session) -> tuple[KeyFile, bytes]:
    keyfile, key = new_keys(password, session.store_secret)
    return keyfile.model_copy(update={"sealed_token": seal(key, session.token)}), key


def login_keys(profile: Profile, password: str, session: Session) -> tuple[KeyFile, bytes, bool]:
    """The key file to save and the data key; ``True`` when it was re-wrapped because the
    password no longer opened it (changed on the server). ``WrongPassword`` when neither the
    password nor the server's secret opens it."""
    keyfile = profile.keyfile
    try:
        key = unlock(keyfile, password)
    except WrongPassword:
        key = unlock_with_server(keyfile, session.store_secret)
        token = seal(key, session.token)
        return rewrap(key, password, session.store_secret, sealed_token=token), key, True
    if keyfile.server_wrap is None:
        keyfile = rewrap(key, password, session.store_secret)
    return keyfile.model_copy(update={"sealed_token": seal(key, session.token)}), key, False


def open_key(profile: Profile, password: str) -> bytes:
    """The data key, offline (``WrongPassword``)."""
    return unlock(profile.keyfile, password)


def sealed_token(profile: Profile, key: bytes) -> str | None:
    """The device token, or None after a logout (or if it cannot be unsealed)."""
    if profile.keyfile.sealed_token is None:
        return None
    try:
        return unseal(key, profile.keyfile.sealed_token)
    except WrongPassword:
        return None
