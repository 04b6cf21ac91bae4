"""Issue 3's numbers: sync, push, local search and store opening, beside the CardDAV anchor.

Our side is real end to end: an ``almanac serve`` subprocess (uvicorn, SQLite in a temporary
data folder) on a free loopback port, accounts and data loaded server-side through
``RecordStore.create_many`` (chunks of 2,000), and ``almanac.client.Client`` over
``almanac.remote.HttpTransport`` (timeout raised to 600 s; the time inside each pull and
push call is summed and printed) with its encrypted store in a temporary home:

- first full sync of 10,000 contacts + 10,000 memos (+ 10 groups) into an empty store;
- a no-change sync and a one-change sync (one contact changed by another device, an HTTP
  push) with 100,000 contacts in the store (bootstrapped once, untimed);
- pushing 10,000 offline edits (5,000 contacts, 5,000 memos): the whole ``sync()``, and its
  push phase alone (until the first pull progress);
- local search p95 over the 100,000 contacts: CJK name prefix (张伟), pinyin initials (zw),
  full pinyin (zhangwei), phone digits (last four);
- opening the store (``Client.open``: key derivation and the store's checks included).

Then the anchor (``bench/sync_radicale.py``): Radicale 3.9.0 + vdirsyncer 0.21.0 over
CardDAV with as many contacts as our first sync has, run in the same session; if it cannot be
installed, the issue's figures stand in. The table gives ours, the target, the anchor and
anchor/ours. It prints figures and never fails on them (exit status 0 unless it crashes).

    .venv/bin/python bench/sync.py                  # the issue's sizes (loading takes minutes)
    .venv/bin/python bench/sync.py --quick          # small sizes, a smoke run
    .venv/bin/python bench/sync.py --no-anchor      # ours, beside the issue's anchor figures
    .venv/bin/python bench/sync.py --keep /tmp/sb   # keep server + client data; reuse them
    .venv/bin/python bench/sync.py --parts first --profile /tmp/first.prof  # + pstats of it
"""

from __future__ import annotations

import sys

# bench/calendar.py shadows the standard library's calendar when this script's folder is first
# on sys.path: drop it before importing anything else.
if sys.path and sys.path[0] == __import__("os").path.dirname(
    __import__("os").path.abspath(__file__)
):
    sys.path.pop(0)

import argparse
import cProfile
import importlib.util
import os
import random
import shutil
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from uuid import UUID, uuid4

from pypinyin import Style, lazy_pinyin

HERE = Path(__file__).resolve().parent
PASSWORD = "同步基准-Bench-2026"
FIRST_USER, BIG_USER = "first", "big"
CHUNK = 2000
# The default (10 s) is for people; a push of 500 mutations to a busy server can take longer,
# and the bench wants the figure, not an Offline. Each call's time is reported.
HTTP_TIMEOUT = 600.0
PROFILE: Path | None = None
"""``--profile FILE``: cProfile stats of the first sync (this process: the client) go there, and
those of the push of the offline edits to ``FILE`` with ``.push`` before its suffix."""
SERVER_PID: int | None = None
"""The ``almanac serve`` process of the run (its CPU time is read around the push)."""


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


server_bench = _load("server")  # its contact generator: real surname frequencies, phones …
anchor = _load("sync_radicale")


@dataclass
class Sizes:
    first_contacts: int
    first_memos: int
    big_contacts: int
    edits: int
    repeats: int
    searches: int


FULL = Sizes(10_000, 10_000, 100_000, 10_000, 20, 200)
QUICK = Sizes(1_000, 1_000, 10_000, 1_000, 10, 50)


@dataclass
class Row:
    figure: str
    ours: float | None  # seconds
    target: float | None
    anchor: float | None = None
    anchor_source: str = ""
    note: str = ""


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        """Keep the row and print it at once (a long run shows figures as they come)."""
        self.rows.append(row)
        ours = "—" if row.ours is None else f"{row.ours * 1000:.1f} ms"
        print(f"  {row.figure.strip(' …')}: {ours}  {row.note}", flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  * {text}", flush=True)

    def row(self, prefix: str) -> Row:
        """The row whose figure starts with ``prefix`` (a placeholder when not measured)."""
        match = [r for r in self.rows if r.figure.startswith(prefix)]
        if match:
            return match[0]
        missing = Row(f"{prefix} (not measured)", None, None)
        self.rows.append(missing)
        return missing


# -- data -------------------------------------------------------------------------------------

MEMO_TITLES = [
    "周末去超市采购",
    "给妈妈打电话",
    "季度报告提纲",
    "读书笔记：《活着》",
    "装修预算",
    "春节回家车票",
    "体检预约",
    "会议纪要",
    "孩子家长会",
    "旅行清单：云南",
]
MEMO_LINES = [
    "记得带上身份证和医保卡。",
    "大米两袋、鸡蛋一盒、酱油、青菜。",
    "下周三之前交给王经理审阅。",
    "预算控制在三万元以内。",
    "高铁 G1234 次，早上八点发车。",
    "问一下张医生复查的时间。",
    "第一部分：市场情况；第二部分：竞争对手。",
    "周六上午九点，学校三楼会议室。",
]


def memo(rnd: random.Random, n: int) -> dict[str, Any]:
    lines = rnd.sample(MEMO_LINES, rnd.randint(1, 5))
    return {
        "title": f"{rnd.choice(MEMO_TITLES)} {n}",
        "body": "\n".join(lines),
        "pinned": rnd.random() < 0.05,
    }


def contacts_of(count: int, groups: list[str], seed: int) -> Iterator[dict[str, Any]]:
    names = server_bench.Names(seed=seed)
    for _ in range(count):
        yield names.contact(groups)


# -- the server -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def load_account(data_dir: Path, user: str, contacts: int, memos: int, seed: int) -> None:
    """Register ``user`` and load their groups, contacts and memos (unless already there)."""
    from almanac.errors import Duplicate
    from almanac.server.accounts import Accounts
    from almanac.server.db import migrate
    from almanac.server.db.engine import make_engine
    from almanac.server.records import RecordStore
    from almanac.server.settings import ServerSettings

    settings = ServerSettings(data_dir=data_dir)
    engine = make_engine(settings.database_url())
    try:
        migrate.upgrade(engine)
        try:
            owner = Accounts(engine, settings).register(user, PASSWORD).id
        except Duplicate:
            owner = None
        store = RecordStore(engine)
        if owner is None:
            print(f"  {user}: already there (reused)")
            return
        started = time.perf_counter()
        made = store.create_many(owner, "group", [{"name": g} for g in server_bench.GROUPS])
        gen = contacts_of(contacts, [str(g.id) for g in made], seed)
        _in_chunks(lambda batch: store.create_many(owner, "contact", batch), gen, contacts, user)
        rnd = random.Random(seed)
        memo_gen = (memo(rnd, i) for i in range(memos))
        _in_chunks(lambda batch: store.create_many(owner, "memo", batch), memo_gen, memos, user)
        seconds = time.perf_counter() - started
        print(f"  loaded {user}: {contacts:,} contacts + {memos:,} memos in {seconds:.0f} s")
    finally:
        engine.dispose()


def _in_chunks(
    write: Callable[[list[Any]], Any], items: Iterator[Any], total: int, who: str
) -> None:
    done = 0
    while done < total:
        batch = [next(items) for _ in range(min(CHUNK, total - done))]
        write(batch)
        done += len(batch)
        print(f"\r  {who}: {done:,}/{total:,}", end="", file=sys.stderr, flush=True)
    if total:
        print(file=sys.stderr)


@contextmanager
def almanac_server(data_dir: Path) -> Iterator[str]:
    """``almanac serve`` in a subprocess on a loopback port; yields its URL. The port is kept
    in the data folder and used again when free: a client profile is per server URL, so a
    ``--keep`` run finds its stores again."""
    kept = data_dir / "bench-port"
    port = int(kept.read_text()) if kept.exists() else _free_port()
    try:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))
    except OSError:
        port = _free_port()
    kept.write_text(str(port))
    with run_serve(data_dir, port):
        yield f"http://127.0.0.1:{port}"


@contextmanager
def run_serve(
    data_dir: Path, port: int, extra: Sequence[str] = (), timeout: float = 90
) -> Iterator[subprocess.Popen[bytes]]:
    """``almanac serve`` (plus ``extra`` options) on SQLite in ``data_dir``, as a person runs
    it, until it listens on ``port``; stopped (terminate, then kill) at the end. Its output
    goes to ``data_dir/serve.log``. Shared with bench/web.py."""
    env = {
        **os.environ,
        "ALMANAC_DATA_DIR": str(data_dir),
        "ALMANAC_HOST": "127.0.0.1",
        "ALMANAC_PORT": str(port),
    }
    env.pop("ALMANAC_DB", None)
    log = (data_dir / "serve.log").open("ab")
    exe = Path(sys.executable).with_name("almanac")
    proc = subprocess.Popen(
        [str(exe), "serve", *extra], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    global SERVER_PID
    SERVER_PID = proc.pid
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"almanac serve exited ({proc.returncode}); see serve.log")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("almanac serve did not start listening") from None
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


# -- the client -------------------------------------------------------------------------------


class Wire:
    """Seconds spent inside HTTP calls (request, server, response parsing), per call kind."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {"pull": [], "push": []}

    def reset(self) -> None:
        for values in self.seconds.values():
            values.clear()

    def summary(self) -> str:
        return ", ".join(
            f"{len(v)} {k} calls {sum(v):.2f} s (max {max(v):.2f})"
            for k, v in self.seconds.items()
            if v
        )


WIRE = Wire()


class TimedTransport:
    """``HttpTransport`` with a longer timeout, timing each pull and push (delegates only)."""

    def __init__(self, url: str) -> None:
        from almanac.remote import HttpTransport

        self._http = HttpTransport(url, timeout=HTTP_TIMEOUT)
        self.server_url = self._http.server_url

    def login(self, user: str, password: str, device: str) -> Any:
        return self._http.login(user, password, device)

    def logout(self, token: str) -> None:
        self._http.logout(token)

    def pull(self, token: str, cursor: int, limit: int) -> Any:
        return self._timed("pull", lambda: self._http.pull(token, cursor, limit))

    def push_encoded(self, token: str, body: bytes) -> bytes:
        return self._timed("push", lambda: self._http.push_encoded(token, body))

    def get_preferences(self, token: str) -> Any:
        return self._http.get_preferences(token)

    def patch_preferences(self, token: str, patch: Any) -> Any:
        return self._http.patch_preferences(token, patch)

    def close(self) -> None:
        self._http.close()

    def _timed(self, kind: str, call: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        try:
            return call()
        finally:
            WIRE.seconds[kind].append(time.perf_counter() - began)


def login(url: str, user: str, home: Path) -> Any:
    from almanac.client import Client

    return Client.login(url, user, PASSWORD, home=home, transport=TimedTransport)


def open_client(home: Path) -> Any:
    from almanac.client import Client

    return Client.open(PASSWORD, home=home, transport=TimedTransport)


CPU_AT_PULL: list[float] = []
"""(server, client) CPU seconds when the last ``timed_sync``'s pull phase began."""


def timed_sync(client: Any) -> tuple[float, Any, float | None]:
    """(seconds, report, seconds until the pull phase began)."""
    WIRE.reset()
    CPU_AT_PULL.clear()
    began = time.perf_counter()
    pull_began: list[float] = []

    def progress(p: Any) -> None:
        if p.phase == "pull" and not pull_began:
            pull_began.append(time.perf_counter() - began)
            CPU_AT_PULL.extend((process_cpu(SERVER_PID), time.process_time()))

    report = client.sync(confirm=True, progress=progress)
    return time.perf_counter() - began, report, pull_began[0] if pull_began else None


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used so far; 0 when unknown."""
    stat = Path(f"/proc/{pid}/stat")
    if pid is None or not stat.exists():
        return 0.0
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


# -- the figures ------------------------------------------------------------------------------


def first_sync(url: str, work: Path, sizes: Sizes, results: Results) -> None:
    home = work / "client-first"
    shutil.rmtree(home, ignore_errors=True)  # always into an empty store, also with --keep
    client = login(url, FIRST_USER, home)
    try:
        profile = cProfile.Profile() if PROFILE else None
        if profile is not None:
            profile.enable()
        seconds, report, _ = timed_sync(client)
        if profile is not None:
            profile.disable()
            profile.dump_stats(str(PROFILE))
            results.note(f"first sync profiled (client process): {PROFILE}")
        count = client.store.count()
        results.add(
            Row(
                f"first full sync, {sizes.first_contacts:,} contacts + {sizes.first_memos:,} memos",
                seconds,
                1.5,
                note=f"{report.pulled:,} pulled, {count:,} live; in HTTP: {WIRE.summary()}",
            )
        )
        stamp = push_edits(client, sizes, results)
        server_search(url, stamp, results)
    finally:
        client.close()


def push_edits(client: Any, sizes: Sizes, results: Results) -> str:
    """Edit offline, then time the sync that pushes the edits; returns the titles' stamp."""
    half = sizes.edits // 2
    contacts = _ids(client, "contact", half)
    memos = _ids(client, "memo", sizes.edits - len(contacts))
    stamp = time.strftime("%H%M%S")
    began = time.perf_counter()
    for n, rid in enumerate(contacts):
        client.edit("contact", rid, {"title": f"主管 {stamp}-{n}"})
    for n, rid in enumerate(memos):
        client.edit("memo", rid, {"body": f"已改 {stamp}-{n}\n记得带上身份证。"})
    local = time.perf_counter() - began
    pending = client.status().pending
    profile = cProfile.Profile() if PROFILE else None
    server_cpu, client_cpu = process_cpu(SERVER_PID), time.process_time()
    if profile is not None:
        profile.enable()
    seconds, report, push_part = timed_sync(client)
    if profile is not None:
        profile.disable()
        target = PROFILE.with_name(f"{PROFILE.stem}.push{PROFILE.suffix}")
        profile.dump_stats(str(target))
        results.note(f"push of the offline edits profiled (client process): {target}")
    server_cpu = (CPU_AT_PULL[0] if CPU_AT_PULL else process_cpu(SERVER_PID)) - server_cpu
    client_cpu = (CPU_AT_PULL[1] if CPU_AT_PULL else time.process_time()) - client_cpu
    edits = len(contacts) + len(memos)
    results.add(
        Row(
            f"push {edits:,} offline edits (push phase)",
            push_part,
            2.0,
            note=f"{pending:,} pending; {report.pushed:,} pushed; in HTTP: {WIRE.summary()};"
            f" CPU in the push phase: server {server_cpu:.2f} s, client {client_cpu:.2f} s",
        )
    )
    results.add(
        Row(
            f"  … whole sync (push, then pull back {report.pulled:,})",
            seconds,
            None,
            note=f"rejected {len(report.rejected)}, conflicts {len(report.conflicts)};"
            f" loadavg {loadavg()}",
        )
    )
    results.note(f"{edits:,} offline edits committed locally in {local:.2f} s")
    return stamp


def server_search(url: str, stamp: str, results: Results) -> None:
    """A search on the server right after the push's sync (``GET /api/v1/contacts?q=``): it
    pays for whatever of the push's term backlog the server's indexer has not caught up yet
    (docs/sync.md, "How a push is applied"); it must find the new titles."""
    import httpx

    other = TimedTransport(url)
    since = time.perf_counter()  # the sync has just ended
    session = other.login(FIRST_USER, PASSWORD, "搜索")
    try:
        began = time.perf_counter()
        answer = httpx.get(
            f"{url}/api/v1/contacts",
            params={"q": "zhuguan", "limit": 20},
            headers={"Authorization": f"Bearer {session.token}"},
            timeout=60,
        )
        seconds = time.perf_counter() - began
        answer.raise_for_status()
        items = answer.json()["items"]
        found = sum(str(item.get("title", "")).startswith(f"主管 {stamp}") for item in items)
        results.add(
            Row(
                "  … a server search right after (the term backlog caught up)",
                seconds,
                None,
                note=f"{found} of the first {len(items)} found carry the new title; asked"
                f" {(began - since) * 1000:.0f} ms after the sync ended (a login first)",
            )
        )
    finally:
        other.logout(session.token)


def _ids(client: Any, kind: str, count: int) -> list[UUID]:
    found: list[UUID] = []
    after = None
    while len(found) < count:
        page = client.list(kind, limit=min(500, count - len(found)), after=after)
        found.extend(item.id for item in page.items)
        after = page.next_after
        if after is None:
            break
    return found


def big_store(url: str, work: Path, sizes: Sizes, results: Results) -> None:
    home = work / "client-big"
    client = login(url, BIG_USER, home)
    try:
        began = time.perf_counter()
        report = client.sync(confirm=True)
        results.note(
            f"bootstrap of the big store (untimed figure): {report.pulled:,} pulled in "
            f"{time.perf_counter() - began:.1f} s; {client.store.count():,} live records"
        )
        build_index(client, results)
        quiet = [timed_sync(client)[0] for _ in range(sizes.repeats)]
        live = client.store.count()
        results.add(
            Row(
                f"no-change sync, {live:,} records here (p50; p95 in note)",
                statistics.median(quiet),
                0.030,
                note=f"p95 {pct(quiet, 95) * 1000:.1f} ms over {len(quiet)}",
            )
        )
        one_change(url, client, sizes, results)
        search(client, sizes, results)
    finally:
        client.close()
    opening(home, sizes, results)


def build_index(client: Any, results: Results) -> None:
    """The first searches after the bootstrap (the index waits: they scan), the chunked build
    (``Client.build_index``, as the desktop's worker runs it) with a search half-way, and
    the store's size after."""
    for q in ("张", "zw"):
        began = time.perf_counter()
        client.list("contact", q=q, limit=50)
        results.note(
            f"search {q!r} right after the bootstrap ({client.store.waiting():,} items wait for "
            f"the index; scanned): {time.perf_counter() - began:.2f} s"
        )
    chunks: list[float] = []
    mark = [time.perf_counter()]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        chunks.append(now - mark[0])
        if len(chunks) == (total // 5000) // 2:
            began = time.perf_counter()
            client.list("contact", q="zw", limit=50)
            results.note(
                f"search 'zw' half-way ({total - done:,} still wait): "
                f"{time.perf_counter() - began:.2f} s"
            )
        mark[0] = time.perf_counter()

    began = time.perf_counter()
    built = client.build_index(progress=progress)
    wall = time.perf_counter() - began
    size = sum(
        f.stat().st_size for f in client.paths.store_db.parent.glob("store.db*") if f.is_file()
    )
    results.note(
        f"index built in {len(chunks)} chunks: {built:,} items in {wall:.1f} s (chunk p50 "
        f"{statistics.median(chunks or [0]):.2f} s, max {max(chunks or [0]):.2f} s); "
        f"store {size / 2**20:.0f} MiB"
    )


def one_change(url: str, client: Any, sizes: Sizes, results: Results) -> None:
    """Another device (a bare HTTP session) changes one contact; we time the sync."""
    from almanac.client.transport import send_push
    from almanac.sync.protocol import Mutation, PushRequest

    other = TimedTransport(url)
    session = other.login(BIG_USER, PASSWORD, "另一台设备")
    targets = _ids(client, "contact", sizes.repeats)
    stamp = time.strftime("%H%M%S")  # a new value on every run, also with --keep
    times: list[float] = []
    pulled: list[int] = []
    for n, rid in enumerate(targets):
        item = client.get("contact", rid)
        mutation = Mutation(
            mutation_id=uuid4(),
            record_id=rid,
            kind="contact",
            op="update",
            base_version=item.version,
            changes={"company": f"深圳南山电子有限公司 {stamp}-{n}"},
        )
        send_push(other, session.token, PushRequest(mutations=[mutation]))
        seconds, report, _ = timed_sync(client)
        times.append(seconds)
        pulled.append(report.pulled)
        if client.get("contact", rid).content.get("company") != f"深圳南山电子有限公司 {stamp}-{n}":
            results.note("one-change sync: the change did not arrive!")
    other.logout(session.token)
    results.add(
        Row(
            "one-change sync, same store (p50; p95 in note)",
            statistics.median(times),
            0.060,
            note=f"p95 {pct(times, 95) * 1000:.1f} ms; pulled {sorted(set(pulled))}",
        )
    )


def search(client: Any, sizes: Sizes, results: Results) -> None:
    sample = _sample_contacts(client, sizes.searches)
    cjk = [c["name"][:2] for c in sample]
    syllables = [lazy_pinyin(c["name"], style=Style.NORMAL) for c in sample]
    kinds = {
        "name prefix (张伟)": cjk,
        "pinyin initials (zw)": ["".join(s[0] for s in parts) for parts in syllables],
        "full pinyin (zhangwei)": ["".join(parts) for parts in syllables],
        "phone digits (5678)": [c["phones"][0]["value"][-4:] for c in sample],
    }
    every: list[float] = []
    detail: list[str] = []
    for label, queries in kinds.items():
        for q in queries[:5]:
            client.list("contact", q=q, limit=50)  # warm
        times = []
        for q in queries:
            began = time.perf_counter()
            client.list("contact", q=q, limit=50)
            times.append(time.perf_counter() - began)
        every.extend(times)
        detail.append(f"{label.split(' (')[0]} {pct(times, 95) * 1000:.1f}")
    results.add(Row("local search p95, all queries", pct(every, 95), 0.020))
    results.note("search p95 ms by query: " + "; ".join(detail))


def _sample_contacts(client: Any, n: int) -> list[dict[str, Any]]:
    ids = _ids(client, "contact", min(client.store.count("contact"), 20_000))
    picks = random.Random(11).sample(ids, min(n, len(ids)))
    return [client.get("contact", rid).content for rid in picks]


def opening(home: Path, sizes: Sizes, results: Results) -> None:
    times = []
    for _ in range(max(5, sizes.repeats // 4)):
        began = time.perf_counter()
        client = open_client(home)
        times.append(time.perf_counter() - began)
        client.close()
    results.add(
        Row(
            "open the big store (KDF + checks; median)",
            statistics.median(times),
            0.5,
            note=f"max {max(times) * 1000:.0f} ms over {len(times)}; {open_parts(home)}",
        )
    )


def open_parts(home: Path) -> str:
    """Where opening goes: the key derivation alone, the store's page check alone."""
    from almanac.store.keys import load_profile, unlock
    from almanac.store.paths import current_profile, resolve_home
    from almanac.store.recovery import check

    paths = current_profile(resolve_home(home))
    if paths is None:
        return ""
    began = time.perf_counter()
    key = unlock(load_profile(paths).keyfile, PASSWORD)
    kdf = time.perf_counter() - began
    began = time.perf_counter()
    check(paths.store_db, key)
    pages = time.perf_counter() - began
    size = paths.store_db.stat().st_size / 2**20
    return f"of which KDF {kdf * 1000:.0f} ms, page check {pages * 1000:.0f} ms ({size:.0f} MiB)"


# -- main -------------------------------------------------------------------------------------


def loadavg() -> str:
    return Path("/proc/loadavg").read_text().strip() if Path("/proc/loadavg").exists() else "?"


def ours(work: Path, sizes: Sizes, results: Results, parts: set[str]) -> None:
    server_dir = work / "server"
    server_dir.mkdir(parents=True, exist_ok=True)
    print(f"loading the server (SQLite in {server_dir}) …")
    load_account(server_dir, FIRST_USER, sizes.first_contacts, sizes.first_memos, seed=2026)
    if "big" in parts:
        load_account(server_dir, BIG_USER, sizes.big_contacts, 0, seed=4242)
    print(f"ours: timing (loadavg {loadavg()})")
    with almanac_server(server_dir) as url:
        if "first" in parts:
            first_sync(url, work, sizes, results)
        if "big" in parts:
            big_store(url, work, sizes, results)
    results.note(f"loadavg after ours: {loadavg()}")


def the_anchor(sizes: Sizes, results: Results, enabled: bool) -> None:
    figures = {k: (v, "issue") for k, v in anchor.ISSUE_FIGURES.items()}
    reason = anchor.ensure_venv() if enabled else "--no-anchor"
    if reason is None:
        group_names = {f"g{i}": g for i, g in enumerate(server_bench.GROUPS)}
        contacts = list(contacts_of(sizes.first_contacts, list(group_names), seed=2026))
        print(f"anchor: timing (loadavg {loadavg()})")
        try:
            run = anchor.run_anchor(contacts, group_names)
        except RuntimeError as exc:
            reason = str(exc)
        else:
            label = f"measured, {run.contacts:,} contacts"
            figures = {
                "first": (run.first, label),
                "no_change": (run.no_change, label),
                "one_change": (run.one_change, label),
            }
            results.note(
                f"anchor: vdirsyncer start-up {run.startup:.2f} s is inside each of its figures;"
                f" discover {run.discover:.2f} s (untimed); {run.synced_files:,} files synced;"
                f" the changed contact arrived: {run.change_seen}; loadavg after: {loadavg()}"
            )
    if reason is not None:
        results.note(anchor.describe_failure(reason))
    prefixes = {"first": "first full sync", "no_change": "no-change", "one_change": "one-change"}
    for key, prefix in prefixes.items():
        row = results.row(prefix)
        row.anchor, row.anchor_source = figures[key]


def _ratio(value: float) -> str:
    return f"{value:.0f}x" if value >= 10 else f"{value:.1f}x"


def show(results: Results) -> None:
    def fmt(seconds: float | None) -> str:
        if seconds is None:
            return "—"
        return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"

    head = f"{'figure':56} {'ours':>10} {'target':>9} {'met':>4} {'anchor':>9} {'ratio':>8}"
    print("\n" + head)
    print("-" * len(head))
    for row in results.rows:
        met = (
            ""
            if row.target is None or row.ours is None
            else ("yes" if row.ours <= row.target else "NO")
        )
        ratio = _ratio(row.anchor / row.ours) if row.anchor is not None and row.ours else ""
        print(
            f"{row.figure:56} {fmt(row.ours):>10} {fmt(row.target):>9} {met:>4} "
            f"{fmt(row.anchor):>9} {ratio:>8}"
        )
        source = f"anchor: {row.anchor_source}" if row.anchor_source else ""
        extra = "; ".join(x for x in (row.note, source) if x)
        if extra:
            print(f"    {extra}")
    for note in results.notes:
        print(f"* {note}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run)")
    parser.add_argument("--no-anchor", action="store_true", help="skip Radicale + vdirsyncer")
    parser.add_argument("--keep", type=Path, help="folder for server and client data (reused)")
    parser.add_argument(
        "--parts",
        default="first,big,anchor",
        help="what to run: first (first sync, push), big (100,000: syncs, search, open), anchor",
    )
    parser.add_argument(
        "--profile", type=Path, help="write cProfile stats of the first sync (client) here"
    )
    args = parser.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    parts = set(args.parts.split(","))
    sizes = QUICK if args.quick else FULL
    results = Results()
    print(f"machine: {server_bench.machine()}; loadavg {loadavg()}")
    with tempfile.TemporaryDirectory(prefix="almanac-syncbench-") as tmp:
        work = args.keep or Path(tmp)
        try:
            if parts & {"first", "big"}:
                ours(work, sizes, results, parts)
        except Exception as exc:  # a benchmark reports; it never fails a build
            results.note(f"ours stopped: {type(exc).__name__}: {exc}")
    try:
        the_anchor(sizes, results, "anchor" in parts and not args.no_anchor)
    except Exception as exc:
        results.note(f"anchor stopped: {type(exc).__name__}: {exc}")
    show(results)


if __name__ == "__main__":
    main()
