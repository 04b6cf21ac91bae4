"""The input rules of R1 accounts: user names, passwords and device names.

Each check returns the cleaned value or raises ``InvalidInput`` naming the field. Messages
never quote a password.
"""

from __future__ import annotations

import unicodedata

from almanac.errors import InvalidInput

USERNAME_MIN = 3
USERNAME_MAX = 32
PASSWORD_MIN = 8
PASSWORD_MAX = 1024
DEVICE_MAX = 100
USERNAME_PUNCTUATION = frozenset("_.-")


def fold_username(raw: str) -> str:
    """The stored form of a user name: NFKC, case-folded, NFKC again (casefold can un-normalize),
    surrounding whitespace removed. "Ｚｈａｎｇ" and "zhang" fold to the same name."""
    folded = unicodedata.normalize("NFKC", raw).casefold()
    return unicodedata.normalize("NFKC", folded).strip()


def _allowed_in_username(ch: str) -> bool:
    category = unicodedata.category(ch)
    return category.startswith("L") or category == "Nd" or ch in USERNAME_PUNCTUATION


def check_username(raw: object) -> str:
    """Fold ``raw`` and check it: 3–32 letters (CJK included), digits, ``_ . -``."""
    if not isinstance(raw, str):
        raise InvalidInput.one("username", "username must be text", "type")
    name = fold_username(raw)
    if len(name) < USERNAME_MIN:
        raise InvalidInput.one(
            "username", f"username must be at least {USERNAME_MIN} characters long", "too_short"
        )
    if len(name) > USERNAME_MAX:
        raise InvalidInput.one(
            "username", f"username must be at most {USERNAME_MAX} characters long", "too_long"
        )
    bad = [ch for ch in name if not _allowed_in_username(ch)]
    if bad:
        raise InvalidInput.one(
            "username",
            f"username may contain only letters, digits, '_', '.' and '-', not {bad[0]!r}",
            "bad_character",
        )
    return name


def is_utf8(text: str) -> bool:
    """True unless ``text`` holds lone surrogates (which cannot be encoded, nor hashed)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def is_storable(text: str) -> bool:
    """True when every database driver can take ``text``: valid UTF-8 and no NUL, which
    PostgreSQL refuses in text."""
    return "\x00" not in text and is_utf8(text)


def valid_username_or_none(raw: object) -> str | None:
    """The folded name if ``raw`` could be an account's name, else None (for look-ups)."""
    try:
        return check_username(raw)
    except InvalidInput:
        return None


def normalize_password(raw: str) -> str:
    """Passwords are compared in NFC (RFC 8265 OpaqueString), so the same password typed on
    keyboards that compose accents differently still matches."""
    return unicodedata.normalize("NFC", raw)


def check_password(raw: object, field: str = "password") -> str:
    """Check a new password (8–1024 characters, not only whitespace); return it in NFC."""
    if not isinstance(raw, str):
        raise InvalidInput.one(field, f"{field} must be text", "type")
    if not is_utf8(raw):
        raise InvalidInput.one(field, f"{field} must be valid Unicode text", "invalid")
    password = normalize_password(raw)
    if len(password) < PASSWORD_MIN:
        raise InvalidInput.one(
            field, f"{field} must be at least {PASSWORD_MIN} characters long", "too_short"
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidInput.one(
            field, f"{field} must be at most {PASSWORD_MAX} characters long", "too_long"
        )
    if not password.strip():
        raise InvalidInput.one(field, f"{field} must not be only whitespace", "blank")
    return password


def check_device(raw: object) -> str:
    """A token's device name: stripped, 1–100 characters, no control characters."""
    if not isinstance(raw, str):
        raise InvalidInput.one("device", "device must be text", "type")
    device = raw.strip()
    if not device:
        raise InvalidInput.one("device", "device must not be empty", "blank")
    if len(device) > DEVICE_MAX:
        raise InvalidInput.one(
            "device", f"device must be at most {DEVICE_MAX} characters long", "too_long"
        )
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in device):
        raise InvalidInput.one(
            "device", "device must not contain control characters or broken text", "invalid"
        )
    return device
