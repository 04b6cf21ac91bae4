"""Realistic Chinese records for the search tests: surnames with several readings (曾, 单,
尉迟), compound surnames, names in Latin letters, phones in every usual shape."""

from __future__ import annotations

import random
from typing import Any
from uuid import UUID

SURNAMES = ["张", "王", "李", "曾", "单", "欧阳", "司马", "尉迟", "吕", "乐", "Zhang", "O'Brien"]
GIVEN = ["伟", "芳", "娜", "敏", "静", "晓明", "小龙", "一", "乐乐", "绿", "Wei", "José"]
PHONES = ["138{:08d}", "+86 139 {:04d} {:04d}", "010-{:08d}", "(021) {:04d}-{:04d}"]
GROUPS = ["家人", "同事", "大学同学", "Friends 朋友"]
COMPANIES = ["", "", "华为技术有限公司", "中国银行", "阿里巴巴", "重庆火锅店"]


def group_ids(rnd: random.Random) -> dict[str, UUID]:
    return {name: UUID(int=rnd.getrandbits(128), version=4) for name in GROUPS}


def phone(rnd: random.Random) -> str:
    shape = rnd.choice(PHONES)
    if shape.count("{") == 2:
        return shape.format(rnd.randrange(10**4), rnd.randrange(10**4))
    return shape.format(rnd.randrange(10**8))


def contact_data(rnd: random.Random, groups: dict[str, UUID]) -> dict[str, Any]:
    surname = rnd.choice(SURNAMES)
    given = rnd.choice(GIVEN)
    name = f"{surname} {given}" if surname.isascii() or given.isascii() else surname + given
    data: dict[str, Any] = {
        "name": name,
        "phones": [{"label": "mobile", "value": phone(rnd)} for _ in range(rnd.randint(0, 2))],
        "company": rnd.choice(COMPANIES),
        "groups": [str(groups[g]) for g in rnd.sample(GROUPS, rnd.randint(0, 2))],
    }
    if rnd.random() < 0.3:
        data["birthday"] = {"calendar": rnd.choice(["solar", "lunar"]), "month": 5, "day": 20}
    return data


QUERIES = [
    "",
    "张",
    "zhang",
    "zw",
    "z",
    "zeng",
    "ceng",
    "zxm",
    "cxm",
    "晓明",
    "xiaoming",
    "shan",
    "dan",
    "单",
    "oy",
    "ouyang",
    "欧阳",
    "smy",
    "yuchi",
    "尉迟",
    "lv",
    "lu",
    "吕绿",
    "lyl",
    "le",
    "yue",
    "1380",
    "0010",
    "+86 139",
    "010",
    "021",
    "wei",
    "josé",
    "jose",
    "o'brien",
    "brien",
    "华为",
    "hw",
    "zhongguo",
    "银行",
    "重庆",
    "chongqing",
    "zhangwei",
    "张 伟",
    "z w",
    "Zhang",
    "ZHANG WEI",
    "（张）",
    "!!",
    "-",
    "伟 138",
]
