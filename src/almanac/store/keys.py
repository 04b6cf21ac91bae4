"""The store's keys and the profile file (R1, R12; issue 3 §1).

- The **data key** is 32 random bytes; SQLCipher uses it as the raw database key.
- It is stored only **wrapped** (AES-256-GCM): once under a key derived from the person's
  password with Argon2id (salt and costs in the key file), once under the server's
  per-person store secret (sent only at an online login). The password wrap opens the store
  offline; the server wrap re-opens it after the password was changed on the server.
- The device token is **sealed** with the data key (AES-GCM), so ``profile.json`` holds no
  secret in the clear.
- ``profile.json`` is replaced atomically (temporary file, fsync, ``os.replace``).

A wrong password (or secret) fails the GCM tag: ``WrongPassword``, and nothing is written.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import UTC, datetime
from typing import Literal

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from almanac.errors import StoreDamaged, WrongPassword
from almanac.store.paths import ProfilePaths, atomic_write

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12

_AAD_PASSWORD = b"almanac/store-key/password/v1"
_AAD_SERVER = b"almanac/store-key/server/v1"
_AAD_SEAL = b"almanac/seal/v1"
_SEALED = "v1."


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64d(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class KdfCosts(BaseModel):
    """Argon2id costs. The defaults take ~0.15–0.2 s on the project's 2-core machine
    (``bench/store.py`` prints it): the issue's bound is 0.5 s for opening the store."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    time_cost: int = Field(default=3, ge=1)
    memory_cost: int = Field(default=65536, ge=8, description="KiB")
    parallelism: int = Field(default=2, ge=1)


DEFAULT_COSTS = KdfCosts()


class Kdf(KdfCosts):
    alg: Literal["argon2id"] = "argon2id"
    salt: str


class Wrapped(BaseModel):
    """A key encrypted with AES-256-GCM: ``nonce`` and ``ciphertext`` (tag included), base64url."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nonce: str
    ciphertext: str


class KeyFile(BaseModel):
    """The wrapped data key and what it takes to unwrap it (never the key itself)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: Literal[1] = 1
    kdf: Kdf
    password_wrap: Wrapped
    server_wrap: Wrapped | None = None
    sealed_token: str | None = None


class Profile(BaseModel):
    """What ``profile.json`` holds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    server_url: str
    user: str
    device: str
    keyfile: KeyFile
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))


def derive(password: str, kdf: Kdf) -> bytes:
    """The password key (Argon2id with the key file's salt and costs)."""
    return hash_secret_raw(
        password.encode("utf-8"),
        b64d(kdf.salt),
        time_cost=kdf.time_cost,
        memory_cost=kdf.memory_cost,
        parallelism=kdf.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def _wrap(wrapping_key: bytes, data_key: bytes, aad: bytes) -> Wrapped:
    nonce = os.urandom(NONCE_BYTES)
    return Wrapped(
        nonce=b64e(nonce), ciphertext=b64e(AESGCM(wrapping_key).encrypt(nonce, data_key, aad))
    )


def _unwrap(wrapping_key: bytes, wrapped: Wrapped, aad: bytes) -> bytes:
    try:
        key = AESGCM(wrapping_key).decrypt(b64d(wrapped.nonce), b64d(wrapped.ciphertext), aad)
    except (InvalidTag, ValueError, binascii.Error):
        raise WrongPassword() from None
    if len(key) != KEY_BYTES:
        raise WrongPassword()
    return key


def _server_key(server_secret: bytes) -> bytes:
    if len(server_secret) < 16:
        raise ValueError("the server's store secret is too short")
    return server_secret[:KEY_BYTES].ljust(KEY_BYTES, b"\0")


def rewrap(
    data_key: bytes,
    password: str,
    server_secret: bytes | None,
    *,
    costs: KdfCosts | None = None,
    sealed_token: str | None = None,
) -> KeyFile:
    """A new key file for ``data_key``: fresh salt and nonces, the password wrap and (when the
    secret is known) the server wrap. ``costs``: ``DEFAULT_COSTS`` as it is at the call (the
    test suite lowers it, as the server's tests lower the password hashing costs)."""
    if len(data_key) != KEY_BYTES:
        raise ValueError("the data key is 32 bytes")
    chosen = costs if costs is not None else DEFAULT_COSTS
    kdf = Kdf(salt=b64e(os.urandom(SALT_BYTES)), **chosen.model_dump())
    return KeyFile(
        kdf=kdf,
        password_wrap=_wrap(derive(password, kdf), data_key, _AAD_PASSWORD),
        server_wrap=(
            None
            if server_secret is None
            else _wrap(_server_key(server_secret), data_key, _AAD_SERVER)
        ),
        sealed_token=sealed_token,
    )


def new_keys(
    password: str, server_secret: bytes | None, *, costs: KdfCosts | None = None
) -> tuple[KeyFile, bytes]:
    """A new random data key and its key file."""
    data_key = os.urandom(KEY_BYTES)
    return rewrap(data_key, password, server_secret, costs=costs), data_key


def unlock(keyfile: KeyFile, password: str) -> bytes:
    """The data key, from the password; ``WrongPassword`` when it does not open it."""
    return _unwrap(derive(password, keyfile.kdf), keyfile.password_wrap, _AAD_PASSWORD)


def unlock_with_server(keyfile: KeyFile, server_secret: bytes) -> bytes:
    """The data key, from the server's store secret; ``WrongPassword`` when it does not open
    it (or the key file has no server wrap)."""
    if keyfile.server_wrap is None:
        raise WrongPassword("this device's store was not wrapped for the server's secret")
    return _unwrap(_server_key(server_secret), keyfile.server_wrap, _AAD_SERVER)


def seal(data_key: bytes, plain: str) -> str:
    """``plain`` encrypted with the data key (AES-GCM), as text for a JSON file."""
    nonce = os.urandom(NONCE_BYTES)
    box = AESGCM(data_key).encrypt(nonce, plain.encode("utf-8"), _AAD_SEAL)
    return _SEALED + b64e(nonce + box)


def unseal(data_key: bytes, sealed: str) -> str:
    """What ``seal`` sealed; ``WrongPassword`` when this key did not seal it."""
    if not sealed.startswith(_SEALED):
        raise WrongPassword("not a sealed value of this version")
    try:
        raw = b64d(sealed[len(_SEALED) :])
        plain = AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _AAD_SEAL)
    except (InvalidTag, ValueError, binascii.Error):
        raise WrongPassword("this key did not seal the value") from None
    return plain.decode("utf-8")


def dump_profile(profile: Profile) -> bytes:
    return (profile.model_dump_json(indent=2) + "\n").encode("utf-8")


def read_profile(path: os.PathLike[str] | str) -> Profile:
    """The profile in ``path``; ``StoreDamaged`` when it is not one (FileNotFoundError passes)."""
    with open(path, "rb") as handle:
        raw = handle.read()
    try:
        return Profile.model_validate(json.loads(raw))
    except (ValueError, ValidationError) as exc:
        raise StoreDamaged(path, f"unreadable profile: {type(exc).__name__}") from None


def load_profile(paths: ProfilePaths) -> Profile:
    """The profile saved in ``profile.json``."""
    return read_profile(paths.profile_json)


def save_profile(paths: ProfilePaths, profile: Profile) -> None:
    """Write ``profile.json`` atomically (mode 0600)."""
    atomic_write(paths.profile_json, dump_profile(profile))
