"""The demo account that ``almanac serve --demo`` creates: realistic Chinese sample data in
every module (groups, contacts, memos, solar and lunar birthdays, holidays, events), so a
person can try the product at once.

The demo password is made once and kept (0600) in ``<data_dir>/demo-login``, so later runs
can print it again. The data is fixed (seeded), so screenshots and manual checks repeat."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from almanac.errors import Duplicate
from almanac.server.context import AppContext

DEMO_USER = "demo"

GROUPS = ["家人", "同事", "同学", "朋友", "客户"]

# (name, group, company, title, birthday or None)
PEOPLE: list[tuple[str, str, str, str, dict[str, Any] | None]] = [
    ("张伟", "同事", "华为技术有限公司", "产品经理", {"calendar": "solar", "month": 3, "day": 12}),
    ("王芳", "同学", "北京大学", "讲师", {"calendar": "lunar", "month": 8, "day": 15}),
    ("李娜", "朋友", "", "", {"calendar": "solar", "month": 2, "day": 29, "year": 1996}),
    ("刘洋", "客户", "腾讯科技", "销售总监", None),
    ("陈静", "同事", "华为技术有限公司", "测试工程师", None),
    ("杨磊", "同学", "清华大学", "博士研究生", {"calendar": "solar", "month": 11, "day": 30}),
    ("赵敏", "朋友", "", "", {"calendar": "lunar", "month": 1, "day": 1}),
    ("黄晓明", "客户", "阿里巴巴集团", "采购经理", None),
    ("周杰", "同学", "", "", None),
    ("吴磊", "同事", "华为技术有限公司", "架构师", {"calendar": "solar", "month": 6, "day": 1}),
    ("曾小贤", "朋友", "上海广播电台", "主持人", None),
    ("单田芳", "客户", "北京评书艺术团", "评书演员", None),
    ("欧阳娜娜", "朋友", "", "", None),
    ("司马光", "同学", "", "", None),
    ("解晓东", "客户", "中国移动", "客户经理", None),
    ("朴树", "朋友", "", "歌手", None),
    ("孙丽", "同事", "华为技术有限公司", "人力资源", None),
    ("马云飞", "客户", "京东", "物流主管", None),
    ("胡歌", "朋友", "", "", {"calendar": "solar", "month": 9, "day": 20}),
    ("郭靖", "同学", "", "", None),
    ("林志玲", "客户", "台北文创", "顾问", None),
    ("何炅", "朋友", "湖南广电", "", None),
    ("罗永浩", "客户", "锤子科技", "创始人", None),
    ("徐静蕾", "朋友", "", "导演", None),
]

FAMILY: list[tuple[str, str, dict[str, Any], str]] = [
    ("爸爸", "138", {"calendar": "lunar", "month": 6, "day": 18, "year": 1962}, "农历生日"),
    ("妈妈", "139", {"calendar": "lunar", "month": 8, "day": 15, "year": 1965}, "中秋节生日"),
    ("奶奶", "137", {"calendar": "lunar", "month": 12, "day": 30}, "腊月三十，小月按廿九过"),
    ("姐姐", "186", {"calendar": "solar", "month": 5, "day": 20, "year": 1990}, ""),
]

MEMOS: list[dict[str, Any]] = [
    {"title": "买菜清单", "body": "鸡蛋\n西红柿\n葱姜蒜\n五花肉\n青菜", "pinned": True},
    {
        "title": "春节回家准备",
        "body": "1. 提前抢火车票\n2. 给爸妈买年货\n3. 准备红包",
        "pinned": True,
    },
    {"title": "读书笔记：《平凡的世界》", "body": "孙少平在黄原揽工的日子……"},
    {
        "title": "周报要点",
        "body": "本周完成：需求评审、接口联调。\n下周计划：性能测试。",
        "due": "2026-12-04T17:00:00+08:00",
    },
    {"title": "WiFi 密码提示", "body": "客厅路由器：见冰箱贴"},
    {
        "title": "体检预约",
        "body": "周六上午 8:00 空腹，带身份证。",
        "due": "2026-12-12T08:00:00+08:00",
    },
]

HOLIDAYS: list[dict[str, Any]] = [
    {"name": "结婚纪念日", "date": {"calendar": "solar", "month": 10, "day": 8, "year": 2018}},
    {
        "name": "爷爷忌日",
        "date": {"calendar": "lunar", "month": 3, "day": 3},
        "notes": "清明前去扫墓",
    },
    {
        "name": "公司年会",
        "date": {"calendar": "solar", "month": 1, "day": 16, "year": 2027},
        "yearly": False,
    },
]

EVENTS: list[dict[str, Any]] = [
    {
        "title": "部门周会",
        "start": "2026-11-30T10:00:00",
        "end": "2026-11-30T11:00:00",
        "location": "3 号楼 502 会议室",
        "rrule": "FREQ=WEEKLY;BYDAY=MO",
    },
    {
        "title": "瑜伽课",
        "start": "2026-12-02T19:30:00",
        "end": "2026-12-02T20:30:00",
        "location": "小区会所",
        "rrule": "FREQ=WEEKLY;BYDAY=WE,FR",
    },
    {
        "title": "春节回老家",
        "all_day": True,
        "start": "2027-02-04",
        "end": "2027-02-12",
        "location": "湖南长沙",
    },
    {
        "title": "和王芳吃饭",
        "start": "2026-12-05T18:30:00",
        "end": "2026-12-05T20:30:00",
        "location": "海底捞（中关村店）",
    },
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    created: bool


def ensure_demo_account(ctx: AppContext) -> DemoLogin:
    """Create the demo account with its data, or return the existing one's login."""
    login_file = Path(ctx.settings.data_dir) / "demo-login"
    password = secrets.token_urlsafe(9)
    try:
        user = ctx.accounts.register(DEMO_USER, password)
    except Duplicate:
        known = login_file.read_text().strip() if login_file.exists() else "(unknown: see docs)"
        return DemoLogin(DEMO_USER, known, created=False)
    _write_private(login_file, password)
    seed(ctx, user.id)
    return DemoLogin(DEMO_USER, password, created=True)


def seed(ctx: AppContext, owner_id: int) -> None:
    """Fill one person's account with the sample data."""
    rng = random.Random(2026)
    store = ctx.records
    group_ids = {name: str(store.create(owner_id, "group", {"name": name}).id) for name in GROUPS}
    for name, phone_prefix, birthday, notes in FAMILY:
        contact = store.create(
            owner_id,
            "contact",
            {
                "name": name,
                "phones": [{"label": "mobile", "value": _phone(rng, phone_prefix)}],
                "groups": [group_ids["家人"]],
                "birthday": birthday,
                "notes": notes,
            },
        )
        store.create(
            owner_id,
            "birthday",
            {"name": name, "contact_id": str(contact.id), "date": birthday, "notes": notes},
        )
    for name, group, company, title, birthday in PEOPLE:
        store.create(
            owner_id, "contact", _contact(rng, name, group_ids[group], company, title, birthday)
        )
    for memo in MEMOS:
        store.create(owner_id, "memo", memo)
    for holiday in HOLIDAYS:
        store.create(owner_id, "holiday", holiday)
    for event in EVENTS:
        store.create(owner_id, "event", event)


def _contact(
    rng: random.Random,
    name: str,
    group_id: str,
    company: str,
    title: str,
    birthday: dict[str, Any] | None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": name,
        "phones": [{"label": "mobile", "value": _phone(rng, rng.choice(["138", "139", "186"]))}],
        "groups": [group_id],
        "company": company,
        "title": title,
        "birthday": birthday,
    }
    if company:
        data["emails"] = [{"label": "work", "value": f"user{rng.randint(100, 999)}@example.com"}]
        data["phones"].append({"label": "work", "value": f"010-{rng.randint(60000000, 69999999)}"})
    return data


def _phone(rng: random.Random, prefix: str) -> str:
    return f"+86 {prefix} {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def _write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.touch(mode=0o600)
    tmp.write_text(text + "\n")
    tmp.replace(path)
