"""Where profiles live (issue 3 §1).

The **home** is the folder passed in (``--home DIR``), else ``$ALMANAC_HOME``, else
platformdirs' user-data folder for ``almanac``. A **profile** (one server + one person) is the
folder ``<home>/profiles/<slug>/`` with ``profile.json`` and ``store.db``; the text file
``<home>/current`` holds the slug of the profile in use.

A slug is readable and safe on every file system: the user name and the server's host and
port, lower-case, anything outside ``[a-z0-9._-]`` replaced, plus a short hash of the exact
(server URL, user) pair so that two pairs never share a folder (``张三`` and ``李四`` both
fold to nothing readable, ``Alice`` and ``alice`` differ on the server).
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import platformdirs

HOME_ENV = "ALMANAC_HOME"
CURRENT = "current"
PROFILES = "profiles"
PROFILE_JSON = "profile.json"
STORE_DB = "store.db"

_UNSAFE = re.compile(r"[^a-z0-9._-]+")
_SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,95}")


def resolve_home(explicit: Path | None = None) -> Path:
    """The home folder: ``explicit``, else ``$ALMANAC_HOME``, else the platform's user-data
    folder. Not created here."""
    if explicit is not None:
        return Path(explicit).expanduser()
    env = os.environ.get(HOME_ENV, "").strip()
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("almanac", appauthor=False))


def _readable(text: str, limit: int) -> str:
    cleaned = _UNSAFE.sub("-", text.lower()).strip("-.")
    return cleaned[:limit].strip("-.")


def profile_slug(server_url: str, user: str) -> str:
    """A readable, file-system-safe folder name for (server, user), e.g.
    ``zhangsan@pim.example.com-8443-1a2b3c4d``."""
    parts = urlsplit(server_url if "//" in server_url else f"//{server_url}")
    host = parts.hostname or "server"
    try:
        port = parts.port
    except ValueError:
        port = None
    where = _readable(host + (f"-{port}" if port else ""), 48) or "server"
    who = _readable(user, 32) or "user"
    digest = hashlib.sha256(f"{server_url.rstrip('/')}\n{user}".encode()).hexdigest()[:8]
    return f"{who}@{where}-{digest}"


@dataclass(frozen=True)
class ProfilePaths:
    """The files of one profile."""

    folder: Path
    profile_json: Path
    store_db: Path

    @classmethod
    def of(cls, home: Path, slug: str) -> ProfilePaths:
        if not _SLUG.fullmatch(slug.replace("@", "-")):
            raise ValueError(f"not a profile slug: {slug!r}")
        folder = Path(home) / PROFILES / slug
        return cls(folder, folder / PROFILE_JSON, folder / STORE_DB)

    @property
    def next_json(self) -> Path:
        """Where a re-key writes the new key file before the store is re-keyed."""
        return self.folder / (PROFILE_JSON + ".next")


def current_profile(home: Path) -> ProfilePaths | None:
    """The profile in use (``<home>/current``), or None when there is none (or it is gone)."""
    pointer = Path(home) / CURRENT
    try:
        slug = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    try:
        paths = ProfilePaths.of(Path(home), slug)
    except ValueError:
        return None
    return paths if paths.profile_json.exists() else None


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one: a temporary
    file beside it, fsync, ``os.replace``, fsync of the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """fsync a folder so a rename in it is durable (a no-op where folders cannot be opened)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_current_profile(home: Path, slug: str) -> None:
    """Make ``slug`` the profile in use (atomic)."""
    ProfilePaths.of(Path(home), slug)  # checks the slug
    atomic_write(Path(home) / CURRENT, (slug + "\n").encode("utf-8"))
