"""Benchmark of the server's record storage (issue 2 "Numbers"; R4, R13, R15).

Loads N generated contacts (realistic Chinese names, phones, some emails, companies, titles,
birthdays and groups) for one person into a temporary SQLite database through
``RecordStore.create_many``, then times, server-side and in one process, the operations the
API serves: search by CJK name prefix, pinyin initials, full pinyin and phone suffix, a list
page of 100 (first and deep, via the cursor), creating one contact, and a primary-key SELECT
of one row as the baseline. Prints the machine, the load time and p50/p95/p99 of each; it
never fails on a number (targets: search and a page of 100 ≤ 20 ms p95, create ≤ 10 ms p95).

    .venv/bin/python bench/server.py                   # 100,000 contacts
    .venv/bin/python bench/server.py --contacts 10000
    .venv/bin/python bench/server.py --db /tmp/b.db    # keep the database; reuse it next time
"""

from __future__ import annotations

import sys

# bench/ holds other benchmarks (calendar.py) whose names shadow the standard library when
# this script's folder is first on sys.path: drop it before importing anything else.
if sys.path and sys.path[0] == __import__("os").path.dirname(
    __import__("os").path.abspath(__file__)
):
    sys.path.pop(0)

import argparse
import os
import platform
import random
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pypinyin import Style, lazy_pinyin

from almanac.server.db import migrate
from almanac.server.db.engine import WalCheckpointer, make_engine
from almanac.server.db.tables import records, users
from almanac.server.records import RecordStore

# Common surnames with their rough share of the population (per mille), then rarer ones.
SURNAMES = [
    ("王", 71),
    ("李", 79),
    ("张", 71),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 22),
    ("赵", 20),
    ("吴", 20),
    ("周", 19),
    ("徐", 13),
    ("孙", 13),
    ("马", 12),
    ("朱", 11),
    ("胡", 11),
    ("郭", 11),
    ("何", 10),
    ("高", 10),
    ("林", 10),
    ("罗", 9),
    ("郑", 8),
    ("梁", 8),
    ("谢", 7),
    ("宋", 6),
    ("唐", 6),
    ("许", 6),
    ("韩", 6),
    ("冯", 6),
    ("邓", 6),
    ("曹", 5),
    ("彭", 5),
    ("曾", 5),
    ("肖", 5),
    ("田", 5),
    ("董", 5),
    ("袁", 4),
    ("潘", 4),
    ("于", 4),
    ("蒋", 4),
    ("蔡", 4),
    ("余", 4),
    ("杜", 4),
    ("叶", 4),
    ("程", 4),
    ("苏", 3),
    ("魏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("沈", 3),
    ("姚", 3),
    ("卢", 3),
    ("姜", 3),
    ("崔", 3),
    ("钟", 3),
    ("谭", 3),
    ("陆", 3),
    ("汪", 3),
    ("范", 3),
    ("金", 3),
    ("石", 3),
    ("廖", 3),
    ("贾", 3),
    ("夏", 3),
    ("韦", 3),
    ("付", 2),
    ("方", 2),
    ("白", 2),
    ("邹", 2),
    ("孟", 2),
    ("熊", 2),
    ("秦", 2),
    ("邱", 2),
    ("江", 2),
    ("尹", 2),
    ("薛", 2),
    ("闫", 2),
    ("段", 2),
    ("雷", 2),
    ("侯", 2),
    ("龙", 2),
    ("史", 2),
    ("陶", 2),
    ("黎", 2),
    ("贺", 2),
    ("顾", 2),
    ("毛", 2),
    ("郝", 2),
    ("龚", 2),
    ("邵", 2),
    ("万", 2),
    ("钱", 2),
    ("严", 2),
    ("单", 1),
    ("欧阳", 1),
    ("司马", 1),
    ("上官", 1),
    ("诸葛", 1),
    ("覃", 1),
    ("武", 1),
]
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志晓海燕春梅玉文博涵浩然梓萱"
    "雨轩欣怡思远嘉宇航俊子豪宁婷雪琳佳颖鹏飞辉斌鑫波宏红玲丹萍晨阳凯瑞琪璐昊天泽楠心"
)
COMPANIES = [
    "北京百花科技有限公司",
    "上海浦江贸易有限公司",
    "深圳南山电子有限公司",
    "杭州西湖软件",
    "广州珠江物流",
    "成都天府餐饮",
    "武汉长江建设集团",
    "南京金陵医药",
    "中国银行",
    "招商银行",
    "华为技术有限公司",
    "清华大学",
    "北京大学附属医院",
    "腾讯科技",
]
TITLES = ["工程师", "经理", "总监", "教师", "医生", "会计", "销售", "设计师", "律师", "研究员"]
GROUPS = ["家人", "同事", "同学", "朋友", "客户", "邻居", "球友", "老乡", "供应商", "校友"]
PAGE = 100
SEARCH_LIMIT = 50


class Names:
    """Random Chinese contacts from a fixed seed."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.surnames = [s for s, _ in SURNAMES]
        self.weights = [w for _, w in SURNAMES]

    def name(self) -> str:
        surname = self.rnd.choices(self.surnames, self.weights)[0]
        size = 1 if self.rnd.random() < 0.3 else 2
        return surname + "".join(self.rnd.choice(GIVEN) for _ in range(size))

    def phone(self) -> str:
        return f"1{self.rnd.choice('3456789')}{self.rnd.randrange(10**9):09d}"

    def contact(self, group_ids: list[str]) -> dict[str, Any]:
        rnd = self.rnd
        name = self.name()
        data: dict[str, Any] = {
            "name": name,
            "phones": [{"label": "mobile", "value": self.phone()}],
        }
        if rnd.random() < 0.2:
            data["phones"].append({"label": "work", "value": f"010-{rnd.randrange(10**8):08d}"})
        if rnd.random() < 0.4:
            local = "".join(lazy_pinyin(name)) + str(rnd.randrange(1000))
            data["emails"] = [{"label": "home", "value": f"{local}@example.com"}]
        if rnd.random() < 0.3:
            data["company"] = rnd.choice(COMPANIES)
            data["title"] = rnd.choice(TITLES)
        if rnd.random() < 0.3:
            data["birthday"] = {
                "calendar": rnd.choice(["solar", "lunar"]),
                "month": rnd.randint(1, 12),
                "day": rnd.randint(1, 28),
            }
        data["groups"] = rnd.sample(group_ids, rnd.choice([0, 0, 1, 1, 2]))
        return data


@dataclass
class Figure:
    label: str
    times: list[float]
    found: float | None = None

    def pct(self, p: float) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def load(store: RecordStore, engine: sa.Engine, count: int, chunk: int = 2000) -> tuple[int, float]:
    """Make the person and their groups and contacts; returns (owner id, seconds)."""
    now = datetime.now(UTC)
    with engine.begin() as conn:
        owner = conn.execute(
            users.insert().values(
                username="bench", password_hash="!", created_at=now, password_changed_at=now
            )
        ).inserted_primary_key[0]
    names = Names(seed=2026)
    started = time.perf_counter()
    groups = [str(g.id) for g in store.create_many(owner, "group", [{"name": n} for n in GROUPS])]
    done = 0
    while done < count:
        batch = [names.contact(groups) for _ in range(min(chunk, count - done))]
        store.create_many(owner, "contact", batch)
        done += len(batch)
        print(f"\r  loaded {done:,}/{count:,}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return owner, time.perf_counter() - started


def existing_owner(engine: sa.Engine) -> int | None:
    with engine.connect() as conn:
        return conn.execute(sa.select(users.c.id).where(users.c.username == "bench")).scalar()


def sample_contacts(engine: sa.Engine, owner: int, n: int, seed: int) -> list[dict[str, Any]]:
    """n random stored contacts' content (for realistic queries)."""
    import json

    with engine.connect() as conn:
        top = conn.execute(sa.select(sa.func.max(records.c.change_no))).scalar_one()
        rnd = random.Random(seed)
        picks = [rnd.randint(1, top) for _ in range(n * 2)]
        rows = conn.execute(
            sa.select(records.c.data).where(
                records.c.owner_id == owner,
                records.c.kind == "contact",
                records.c.change_no.in_(picks),
            )
        ).scalars()
        return [json.loads(r) for r in rows][:n]


def timed(label: str, calls: list[Callable[[], Any]], warmup: int = 5) -> Figure:
    for call in calls[:warmup]:
        call()
    times: list[float] = []
    sizes: list[int] = []
    for call in calls:
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
        items = getattr(result, "items", None)
        if isinstance(items, list):
            sizes.append(len(items))
    return Figure(label, times, statistics.mean(sizes) if sizes else None)


def deep_cursors(store: RecordStore, owner: int, n: int, seed: int) -> list[str]:
    """Cursors at random depths, found by walking the whole list once."""
    cursors: list[str] = []
    cursor: str | None = None
    while True:
        page = store.list(owner, "contact", limit=500, cursor=cursor)
        if page.next_cursor is None:
            break
        cursors.append(page.next_cursor)
        cursor = page.next_cursor
    rnd = random.Random(seed)
    return [rnd.choice(cursors) for _ in range(n)] if cursors else []


def measure(store: RecordStore, engine: sa.Engine, owner: int, repeat: int) -> list[Figure]:
    picks = sample_contacts(engine, owner, repeat, seed=7)
    names = [p["name"] for p in picks]
    syll = [lazy_pinyin(n, style=Style.NORMAL) for n in names]
    initials = ["".join(s[0] for s in parts) for parts in syll]
    full = ["".join(parts) for parts in syll]
    cjk = [n[:2] if len(n) > 2 else n for n in names]
    suffixes = [p["phones"][0]["value"][-4:] for p in picks]
    names_gen = Names(seed=99)

    def search(q: str) -> Callable[[], Any]:
        return lambda: store.list(owner, "contact", q=q, limit=SEARCH_LIMIT)

    def page(cursor: str | None) -> Callable[[], Any]:
        return lambda: store.list(owner, "contact", limit=PAGE, cursor=cursor)

    ids = [str(r) for r in _ids(engine, owner, repeat)]
    baseline_sql = sa.select(records).where(records.c.id == sa.bindparam("rid"))

    def pk(rid: str) -> Callable[[], Any]:
        def run() -> Any:
            with engine.connect() as conn:
                return conn.execute(baseline_sql, {"rid": rid}).one()

        return run

    groups = [str(r.id) for r in store.list(owner, "group", limit=50).items]
    cursors = deep_cursors(store, owner, repeat, seed=3)
    return [
        timed("baseline: SELECT one row by primary key", [pk(r) for r in ids]),
        timed("search CJK name prefix (张伟)", [search(q) for q in cjk]),
        timed("search pinyin initials (zw)", [search(q) for q in initials]),
        timed("search full pinyin (zhangwei)", [search(q) for q in full]),
        timed("search phone suffix (5678)", [search(q) for q in suffixes]),
        timed("search surname only (张)", [search(n[0]) for n in names]),
        timed("list page of 100, first", [page(None) for _ in range(repeat)]),
        timed("list page of 100, deep (cursor)", [page(c) for c in cursors]),
        timed(
            "create one contact",
            [
                (lambda d: lambda: store.create(owner, "contact", d))(names_gen.contact(groups))
                for _ in range(repeat)
            ],
        ),
    ]


def _ids(engine: sa.Engine, owner: int, n: int) -> list[str]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(records.c.id).where(records.c.owner_id == owner).limit(n * 50)
        ).scalars()
        return random.Random(5).sample(list(rows), n)


TARGETS = {"search": 20.0, "list": 20.0, "create": 10.0}


def report(figures: list[Figure]) -> None:
    base = figures[0].pct(50)
    print(
        f"{'operation':42} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50/base':>9} "
        f"{'rows':>6}  target"
    )
    for fig in figures:
        kind = fig.label.split()[0]
        target = TARGETS.get(kind)
        verdict = ""
        if target is not None:
            verdict = f"p95 ≤ {target:.0f} ms: {'met' if fig.pct(95) <= target else 'MISSED'}"
        rows = f"{fig.found:6.1f}" if fig.found is not None else " " * 6
        print(
            f"{fig.label:42} {fig.pct(50):8.2f} {fig.pct(95):8.2f} {fig.pct(99):8.2f} "
            f"{fig.pct(50) / base:8.0f}x {rows}  {verdict}"
        )


def machine() -> str:
    return (
        f"{platform.platform()} | {platform.machine()} | {os.cpu_count()} cores | "
        f"Python {platform.python_version()} | SQLite {sqlite3.sqlite_version} | "
        f"SQLAlchemy {sa.__version__}"
    )


def load_average() -> str:
    """The 1/5/15-minute load averages: figures taken on a busy machine are slower."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200, help="timed calls per operation")
    parser.add_argument("--db", type=Path, help="SQLite file to keep (reused when it has data)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "bench.db"
        engine = make_engine(f"sqlite:///{path}")
        migrate.upgrade(engine)
        store = RecordStore(engine)
        print(f"machine: {machine()}")
        owner = existing_owner(engine)
        if owner is None:
            owner, seconds = load(store, engine, args.contacts)
            rate = args.contacts / seconds
            print(
                f"load: {args.contacts:,} contacts in {seconds:.1f} s ({rate:,.0f}/s), "
                f"database {path.stat().st_size / 2**20:.0f} MiB"
            )
        else:
            print(f"reusing {path} (owner {owner}); --contacts ignored")
        with engine.connect() as conn:
            live = conn.execute(
                sa.select(sa.func.count()).where(records.c.owner_id == owner)
            ).scalar_one()
        print(
            f"records of the person: {live:,}; {args.repeat} timed calls per operation; "
            f"search pages hold up to {SEARCH_LIMIT}, list pages {PAGE}"
        )
        print(f"before timing: {load_average()}")
        checkpointer = WalCheckpointer(engine)  # as `almanac serve` runs it
        checkpointer.start()
        figures = measure(store, engine, owner, args.repeat)
        checkpointer.stop()
        print(f"after timing:  {load_average()}")
        report(figures)
        engine.dispose()


if __name__ == "__main__":
    main()
