"""The anchor beside issue 3's numbers: Radicale 3.9.0 + vdirsyncer 0.21.0 over CardDAV.

Only runs the two programs; none of their code is used. They live in their own virtual
environment, ``bench/.anchor-venv`` (made on demand with ``python3 -m venv`` and pip; never in
the project's constraints). The run:

1. writes N vCards (the contacts ``bench/sync.py`` generates: Chinese names, mobile phones,
   some emails, companies, birthdays and groups) straight into a Radicale filesystem
   collection in a temporary folder — that is how Radicale stores what was PUT;
2. starts Radicale on a free loopback port (htpasswd auth, plain file; one user), and warms
   it with one PROPFIND of the address book (builds its item cache, untimed). Its storage
   sits in RAM (``/dev/shm`` when there is one): on this machine's disk each fsync takes
   ~10 ms and Radicale makes several per cached item, so warming took minutes. That favours
   the anchor's server; vdirsyncer's own folder is on disk, as our client's store is;
3. times ``vdirsyncer sync`` (after an untimed ``vdirsyncer discover``) into an empty
   filesystem storage, then again with nothing changed, then after one contact was changed
   on the server by an HTTP PUT (as another device would).

Each timing includes vdirsyncer's process start-up (as a person running it sees); that
start-up alone is measured too and printed, so it can be discounted.

    .venv/bin/python bench/sync_radicale.py                # 10,000 contacts
    .venv/bin/python bench/sync_radicale.py --contacts 1000
"""

from __future__ import annotations

import sys

# bench/calendar.py shadows the standard library's calendar (which urllib needs) when this
# script's folder is first on sys.path: drop it before importing anything else.
if sys.path and sys.path[0] == __import__("os").path.dirname(
    __import__("os").path.abspath(__file__)
):
    sys.path.pop(0)

import base64
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

HERE = Path(__file__).resolve().parent
ANCHOR_VENV = HERE / ".anchor-venv"
PINS = ("radicale==3.9.0", "vdirsyncer==0.21.0")
# Issue 3 "Numbers": measured on this machine kind, 10,000 contacts over CardDAV.
ISSUE_FIGURES = {"first": 24.1, "no_change": 4.3, "one_change": 4.3}
ISSUE_CONTACTS = 10_000
USER = "bench"
PASSWORD = "bench-anchor"
BOOK = "contacts"
COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛")
_UID_SPACE = UUID("6f1c8a52-3c1e-4d0b-9a57-0d5b1f0b7a10")


@dataclass(frozen=True)
class AnchorResult:
    """Seconds for each sync, and what was checked after it."""

    contacts: int
    first: float
    no_change: float
    one_change: float
    discover: float
    startup: float
    synced_files: int
    change_seen: bool


# -- the environment ------------------------------------------------------------------------


def _bin(name: str) -> Path:
    return ANCHOR_VENV / "bin" / name


def ensure_venv(log: Any = print) -> str | None:
    """Make ``bench/.anchor-venv`` with the pinned versions unless it is there; None when
    ready, else the reason it could not be made (no network, no venv module …)."""
    wanted = {p.split("==")[0]: p.split("==")[1] for p in PINS}
    if _bin("vdirsyncer").exists() and _installed(wanted):
        return None
    log(f"anchor: installing {' '.join(PINS)} into {ANCHOR_VENV} (once) …")
    try:
        if not _bin("python").exists():
            subprocess.run(
                ["python3", "-m", "venv", str(ANCHOR_VENV)],
                check=True,
                capture_output=True,
                timeout=300,
            )
        subprocess.run(
            [str(_bin("python")), "-m", "pip", "install", "-q", *PINS],
            check=True,
            capture_output=True,
            timeout=900,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        tail = detail.decode(errors="replace").strip().splitlines()[-1:] if detail else []
        return f"{type(exc).__name__}: {' '.join(tail) or exc}"
    return None if _installed(wanted) else "pip finished but the pinned versions are missing"


def _installed(wanted: Mapping[str, str]) -> bool:
    probe = (
        "import importlib.metadata as m, sys; "
        f"sys.exit(0 if all(m.version(n) == v for n, v in {dict(wanted)!r}.items()) else 1)"
    )
    try:
        done = subprocess.run([str(_bin("python")), "-c", probe], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


# -- vCards ---------------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def _split_name(name: str) -> tuple[str, str]:
    size = 2 if name[:2] in COMPOUND_SURNAMES else 1
    return name[:size], name[size:]


def vcard(uid: str, contact: Mapping[str, Any], group_names: Mapping[str, str]) -> str:
    """A vCard 3.0 of one generated contact (CRLF lines, as CardDAV servers store them)."""
    family, given = _split_name(contact["name"])
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:{uid}",
        f"FN:{_escape(contact['name'])}",
        f"N:{_escape(family)};{_escape(given)};;;",
    ]
    for phone in contact.get("phones", []):
        kind = "CELL" if phone.get("label") == "mobile" else "WORK"
        lines.append(f"TEL;TYPE={kind}:{phone['value']}")
    for email in contact.get("emails", []):
        lines.append(f"EMAIL;TYPE=INTERNET:{email['value']}")
    if contact.get("company"):
        lines.append(f"ORG:{_escape(contact['company'])}")
    if contact.get("title"):
        lines.append(f"TITLE:{_escape(contact['title'])}")
    birthday = contact.get("birthday")
    if birthday and birthday.get("calendar") == "solar":
        lines.append(f"BDAY:--{birthday['month']:02d}{birthday['day']:02d}")
    elif birthday:
        lines.append(f"X-ALMANAC-LUNAR-BDAY:{birthday['month']:02d}-{birthday['day']:02d}")
    groups = [group_names[str(g)] for g in contact.get("groups", []) if str(g) in group_names]
    if groups:
        lines.append("CATEGORIES:" + ",".join(_escape(g) for g in groups))
    lines.append("END:VCARD")
    return "\r\n".join(lines) + "\r\n"


def uid_of(index: int) -> str:
    return str(uuid5(_UID_SPACE, f"contact-{index}"))


def write_collection(
    storage: Path, contacts: Sequence[Mapping[str, Any]], group_names: Mapping[str, str]
) -> Path:
    """Radicale's on-disk form of an address book holding ``contacts``; returns its folder."""
    book = storage / "collection-root" / USER / BOOK
    book.mkdir(parents=True)
    (book / ".Radicale.props").write_text(
        '{"D:displayname": "通讯录", "tag": "VADDRESSBOOK"}', encoding="utf-8"
    )
    for index, contact in enumerate(contacts):
        uid = uid_of(index)
        (book / f"{uid}.vcf").write_text(vcard(uid, contact, group_names), encoding="utf-8")
    return book


# -- Radicale and vdirsyncer ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _auth_header() -> str:
    return "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


def _request(url: str, method: str, body: bytes | None = None, **headers: str) -> int:
    req = urllib.request.Request(url, data=body, method=method)
    req.add_header("Authorization", _auth_header())
    for name, value in headers.items():
        req.add_header(name.replace("_", "-"), value)
    with urllib.request.urlopen(req, timeout=600) as answer:
        answer.read()
        return int(answer.status)


@contextmanager
def radicale(work: Path, storage: Path) -> Iterator[str]:
    """A Radicale server on a free loopback port over ``storage``; yields its URL."""
    port = free_port()
    (work / "users").write_text(f"{USER}:{PASSWORD}\n", encoding="utf-8")
    config = work / "radicale.ini"
    config.write_text(
        "\n".join(
            [
                "[server]",
                f"hosts = 127.0.0.1:{port}",
                "[auth]",
                "type = htpasswd",
                f"htpasswd_filename = {work / 'users'}",
                "htpasswd_encryption = plain",
                "[rights]",
                "type = owner_only",
                "[storage]",
                f"filesystem_folder = {storage}",
                "[web]",
                "type = none",
                "[logging]",
                "level = warning",
                "",
            ]
        ),
        encoding="utf-8",
    )
    log = (work / "radicale.log").open("wb")
    proc = subprocess.Popen(
        [str(_bin("python")), "-m", "radicale", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(port, proc)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _wait_for(port: int, proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Radicale exited with status {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("Radicale did not start listening")


def _vdirsyncer_config(work: Path, url: str) -> Path:
    config = work / "vdirsyncer.conf"
    config.write_text(
        "\n".join(
            [
                "[general]",
                f'status_path = "{work / "status"}/"',
                "",
                "[pair bench]",
                'a = "bench_local"',
                'b = "bench_remote"',
                'collections = ["from b"]',
                'conflict_resolution = "b wins"',
                "",
                "[storage bench_local]",
                'type = "filesystem"',
                f'path = "{work / "local"}/"',
                'fileext = ".vcf"',
                "",
                "[storage bench_remote]",
                'type = "carddav"',
                f'url = "{url}/"',
                f'username = "{USER}"',
                f'password = "{PASSWORD}"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return config


def _vdirsyncer(config: Path, *args: str, answers: str = "") -> float:
    """Seconds for one ``vdirsyncer`` run (start-up included); raises if it fails."""
    env = {**os.environ, "VDIRSYNCER_CONFIG": str(config)}
    started = time.perf_counter()
    done = subprocess.run(
        [str(_bin("vdirsyncer")), *args],
        input=answers.encode(),
        env=env,
        capture_output=True,
        timeout=1800,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"vdirsyncer {' '.join(args)} failed: {' | '.join(tail)}")
    return seconds


def run_anchor(
    contacts: Sequence[Mapping[str, Any]],
    group_names: Mapping[str, str],
    log: Any = print,
) -> AnchorResult:
    """Load ``contacts`` into Radicale and time vdirsyncer's three syncs (see the module
    docstring). Needs ``ensure_venv()`` first; raises RuntimeError when a step fails."""
    ram = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with (
        tempfile.TemporaryDirectory(prefix="almanac-anchor-") as tmp,
        tempfile.TemporaryDirectory(prefix="almanac-radicale-", dir=ram) as served,
    ):
        work = Path(tmp)
        book = write_collection(Path(served), contacts, group_names)
        log(f"anchor: {len(contacts):,} vCards written into Radicale's collection")
        with radicale(work, Path(served)) as url:
            _request(f"{url}/{USER}/{BOOK}/", "PROPFIND", Depth="1")  # warm its cache
            config = _vdirsyncer_config(work, url)
            startup = _vdirsyncer(config, "--version")
            discover = _vdirsyncer(config, "discover", answers="y\n" * 4)
            first = _vdirsyncer(config, "sync")
            synced = _count_local(work / "local")
            log(f"anchor: first sync {first:.2f} s ({synced:,} files)")
            no_change = _vdirsyncer(config, "sync")
            marker = _change_one(url, book, contacts, group_names)
            one_change = _vdirsyncer(config, "sync")
            seen = any(marker in p.read_text(encoding="utf-8") for p in _local_files(work))
    return AnchorResult(
        contacts=len(contacts),
        first=first,
        no_change=no_change,
        one_change=one_change,
        discover=discover,
        startup=startup,
        synced_files=synced,
        change_seen=seen,
    )


def _local_files(work: Path) -> list[Path]:
    return list((work / "local").rglob("*.vcf"))


def _count_local(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.vcf"))


def _change_one(
    url: str, book: Path, contacts: Sequence[Mapping[str, Any]], group_names: Mapping[str, str]
) -> str:
    """PUT contact 0 with a new mobile number, as another device would; returns the number."""
    marker = "13912345678"
    changed = {**contacts[0], "phones": [{"label": "mobile", "value": marker}]}
    uid = uid_of(0)
    status = _request(
        f"{url}/{USER}/{BOOK}/{uid}.vcf",
        "PUT",
        vcard(uid, changed, group_names).encode(),
        Content_Type="text/vcard; charset=utf-8",
    )
    if status not in (200, 201, 204):
        raise RuntimeError(f"PUT of the changed contact answered {status}")
    return marker


def describe_failure(reason: str) -> str:
    return f"anchor not run ({reason}); the issue's figures stand in for it"


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=ISSUE_CONTACTS)
    args = parser.parse_args(argv)
    reason = ensure_venv()
    if reason:
        print(describe_failure(reason))
        return
    contacts = [
        {"name": f"张伟{i}", "phones": [{"label": "mobile", "value": f"138{i:08d}"}]}
        for i in range(args.contacts)
    ]
    result = run_anchor(contacts, {})
    print(result)


if __name__ == "__main__":
    main()
