"""Argon2id password hashes (argon2-cffi) with the server's cost settings.

``verify`` against ``None`` (no such person) checks the password against a dummy hash made at
start-up with the same parameters, so an unknown user name costs as much as a wrong password.
"""

from __future__ import annotations

import contextlib
import secrets

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

from almanac.server.settings import ServerSettings


class Passwords:
    """Hash, verify and re-hash passwords. Holds no password; its repr shows only the costs."""

    def __init__(self, *, time_cost: int, memory_kib: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism, type=Type.ID
        )
        self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(24))

    @classmethod
    def from_settings(cls, settings: ServerSettings) -> Passwords:
        return cls(
            time_cost=settings.argon2_time_cost,
            memory_kib=settings.argon2_memory_kib,
            parallelism=settings.argon2_parallelism,
        )

    def __repr__(self) -> str:
        h = self._hasher
        return f"Passwords(argon2id t={h.time_cost} m={h.memory_cost} p={h.parallelism})"

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        """True when ``password`` matches ``stored_hash``. With no hash, or one that is not a
        valid Argon2 hash, the dummy is checked instead (same cost) and the answer is False."""
        if stored_hash is None:
            self._verify_dummy(password)
            return False
        try:
            return self._hasher.verify(stored_hash, password)
        except InvalidHashError:
            self._verify_dummy(password)
            return False
        except VerificationError:
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the hash was made with other parameters than the current settings."""
        try:
            return self._hasher.check_needs_rehash(stored_hash)
        except InvalidHashError:
            return True

    def _verify_dummy(self, password: str) -> None:
        with contextlib.suppress(VerificationError):
            self._hasher.verify(self._dummy_hash, password)
