"""Sealed files: a small JSON value kept on disk encrypted with a profile's data key (R12).

For what must outlive a broken store but may not lie on disk in the clear — the desktop
app's rescued text after a severe error (the store could not be written, the key is still in
memory). The value is sealed with ``keys.seal`` (AES-256-GCM under the data key, a fresh
nonce; no second copy of the crypto) together with its ``purpose``, so a file sealed for one
use is not accepted for another. The file is JSON holding only the format, the purpose and the
sealed text (base64url): none of the value, in any encoding. It is written atomically, mode
0600 (``paths.atomic_write``).

``open_sealed`` raises ``WrongPassword`` when the key did not seal it (another profile's file,
or a re-keyed store) and ``StoreDamaged`` when the file is not a sealed file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from almanac.errors import StoreDamaged, WrongPassword
from almanac.store.keys import seal, unseal
from almanac.store.paths import atomic_write

FORMAT = "almanac-sealed/v1"


def seal_value(data_key: bytes, value: Any, *, purpose: str) -> dict[str, str]:
    """``value`` (anything JSON can hold) sealed for ``purpose``, as a JSON-ready dict."""
    plain = json.dumps({"purpose": purpose, "value": value}, ensure_ascii=False)
    return {"format": FORMAT, "purpose": purpose, "sealed": seal(data_key, plain)}


def open_value(data_key: bytes, blob: Any, *, purpose: str) -> Any:
    """The value ``seal_value`` sealed for ``purpose``; ``WrongPassword`` when this key did not
    seal it, ``StoreDamaged`` when ``blob`` is not a sealed value."""
    if (
        not isinstance(blob, dict)
        or blob.get("format") != FORMAT
        or not isinstance(blob.get("sealed"), str)
    ):
        raise StoreDamaged("(sealed value)", "not a sealed value")
    plain = json.loads(unseal(data_key, blob["sealed"]))
    if not isinstance(plain, dict) or plain.get("purpose") != purpose:
        raise WrongPassword(f"not sealed for {purpose}")
    return plain.get("value")


def write_sealed(path: Path, data_key: bytes, value: Any, *, purpose: str) -> None:
    """Seal ``value`` and write it to ``path`` atomically (mode 0600). The plain value is
    never written."""
    blob = seal_value(data_key, value, purpose=purpose)
    atomic_write(path, (json.dumps(blob, indent=2) + "\n").encode("ascii"))


def open_sealed(path: Path, data_key: bytes, *, purpose: str) -> Any:
    """The value sealed in ``path`` (``FileNotFoundError`` passes)."""
    raw = path.read_bytes()
    try:
        blob = json.loads(raw)
    except ValueError:
        raise StoreDamaged(path, "not a sealed file") from None
    try:
        return open_value(data_key, blob, purpose=purpose)
    except StoreDamaged:
        raise StoreDamaged(path, "not a sealed file") from None
