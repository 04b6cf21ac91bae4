"""The golden corpus of search terms and sort keys (run as a script to write it again).

``build()`` makes ~3,000 realistic records of the six kinds from a fixed seed: Chinese names
(compound surnames 欧阳/司马, heteronym surnames 曾/单/解/仇/朴, ü in 吕/女), Latin and accented
names, mixed text, phones with +86, emails, long memo titles, birthdays, holidays and events;
plus query strings. ``expected(corpus)`` computes ``index_terms``, ``sort_key`` and
``query_terms`` with the code as it is. ``write()`` stores inputs and outputs in
``data/golden_terms.json.gz``; ``test_model_golden.py`` checks the code still gives them.

Usage: ``.venv/bin/python tests/unit/model/golden_corpus.py`` (only when a change of the
terms is *meant*; the point of the file is that speed-ups change nothing).
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

from almanac.errors import InvalidInput
from almanac.model import index_terms, query_terms, sort_key, validate_content

PATH = Path(__file__).parent / "data" / "golden_terms.json.gz"
SEED = 20261127

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭萧田董潘袁蔡蒋余于杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
HETERONYM = list("曾单解仇朴查区乐翟盖缪尉重种秘召折员句能黑那都长藏宿隗谌贲洗冼卜薄柏莘行率叶万")
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "尉迟", "长孙", "单于", "令狐", "皇甫", "慕容", "万俟"]
GIVEN = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰志红建国俊峰晓东雪梅晨曦子涵浩然宇轩欣怡梓萱诗雨嘉怡一诺乐行长重朝曾解单率女律绿吕"
)
RARE = ["\u3400", "\u4dae", "\U00020000", "\U0002a6a5", "\uf900", "𠮷", "䶮", "堃", "喆", "珺"]
LATIN = ["Lucy", "José", "Zoë", "O'Brien", "Anne-Marie", "Müller", "Øyvind", "Łukasz", "Ngô"]
WORDS = list(
    "会议项目周报客户拜访报告计划预算团队年会培训合同审核采购春节中秋端午国庆出差北京上海广州深圳杭州成都重庆西安南京武汉银行医院学校"
)
COMPANIES = [
    "华为技术有限公司",
    "腾讯",
    "阿里巴巴（中国）",
    "中国银行 北京分行",
    "ACME Corp.",
    "字节跳动",
]
TITLES = ["产品经理", "工程师", "Senior Engineer", "总经理助理", "CFO", "行长", "会长"]
HOLIDAYS = [
    "春节",
    "元宵节",
    "端午节",
    "中秋节",
    "重阳节",
    "国庆节",
    "腊八",
    "妈妈生日",
    "结婚纪念日",
]
PUNCT = ["", "", "", "（", "）", "·", "、", "-", "!", "：", " ", "  ", "\u3000", "《", "》"]
QUERIES = [
    "zhang",
    "zs",
    "曾",
    "zeng",
    "ceng",
    "单",
    "shan",
    "ouyang",
    "oy",
    "欧阳",
    "lv",
    "lu",
    "+86 138",
    "0086 139 1234",
    "8000",
    "1380013",
    "josé",
    "jose",
    "o'brien",
    "brien",
    "会议 北京",
    "huiyi",
    "(北京)",
    "...",
    "!!",
    "",
    "  ",
    "Ｚｈａｎｇ",
    "ＡＢＣ",
    "司马 yi",
    "piao",
    "朴",
    "xie jie",
    "+",
    "a@b.c",
    "@example.com",
    "李Lucy",
    "周报 2026",
]


def _name(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.12:
        surname = rng.choice(COMPOUND)
    elif pick < 0.35:
        surname = rng.choice(HETERONYM)
    else:
        surname = rng.choice(SURNAMES)
    given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 3))))
    shape = rng.random()
    if shape < 0.6:
        return surname + given
    if shape < 0.68:
        return surname + given + rng.choice(RARE)
    if shape < 0.76:
        return f"{rng.choice(LATIN)} {rng.choice(LATIN)}"
    if shape < 0.82:
        return f"{surname}{given} {rng.choice(LATIN)}"
    if shape < 0.88:
        return f"{rng.choice(LATIN)}·{surname}{given}"
    if shape < 0.94:
        return f"{surname} {given}"
    return f"{rng.choice(PUNCT)}{surname}{given}（{rng.choice(LATIN)}）{rng.choice(PUNCT)}"


def _text(rng: random.Random, words: int) -> str:
    parts: list[str] = []
    for _ in range(words):
        roll = rng.random()
        if roll < 0.6:
            parts.append("".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))))
        elif roll < 0.75:
            parts.append(rng.choice(LATIN))
        elif roll < 0.85:
            parts.append(str(rng.randint(1, 99999)))
        else:
            parts.append(rng.choice(HOLIDAYS))
        parts.append(rng.choice(PUNCT))
    return "".join(parts).strip()[:200] or "无题"


def _phone(rng: random.Random) -> str:
    digits = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
    shape = rng.random()
    if shape < 0.4:
        return digits
    if shape < 0.7:
        return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
    if shape < 0.85:
        return f"0086-{digits}"
    return f"(010) {rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def _email(rng: random.Random) -> str:
    local = rng.choice(["zhang.san", "li_si", "wangwu", "o.brien", "lucy-2026", "mao"])
    domain = rng.choice(["example.com", "qq.com", "163.com", "mail.example.cn", "EXAMPLE.org"])
    return f"{local}{rng.randint(1, 999)}@{domain}"


def _date(rng: random.Random) -> dict[str, Any]:
    lunar = rng.random() < 0.4
    spec: dict[str, Any] = {
        "calendar": "lunar" if lunar else "solar",
        "month": rng.randint(1, 12),
        "day": rng.randint(1, 28),
    }
    if rng.random() < 0.5:
        spec["year"] = rng.randint(1950, 2020)
    return spec


def _contact(rng: random.Random) -> dict[str, Any]:
    data: dict[str, Any] = {"name": _name(rng)}
    data["phones"] = [{"value": _phone(rng)} for _ in range(rng.choice((0, 1, 1, 2, 4)))]
    data["emails"] = [{"value": _email(rng)} for _ in range(rng.choice((0, 0, 1, 2, 4)))]
    if rng.random() < 0.5:
        data["company"] = rng.choice(COMPANIES)
    if rng.random() < 0.4:
        data["title"] = rng.choice(TITLES)
    if rng.random() < 0.3:
        data["birthday"] = _date(rng)
    if rng.random() < 0.3:
        data["groups"] = [_uuid(rng)]
    return data


def _uuid(rng: random.Random) -> str:
    raw = f"{rng.getrandbits(128):032x}"
    return f"{raw[:8]}-{raw[8:12]}-4{raw[13:16]}-8{raw[17:20]}-{raw[20:]}"


def _record(rng: random.Random) -> tuple[str, dict[str, Any]]:
    roll = rng.random()
    if roll < 0.6:
        return "contact", _contact(rng)
    if roll < 0.75:
        memo: dict[str, Any] = {
            "title": _text(rng, rng.randint(1, 30)),
            "pinned": rng.random() < 0.2,
        }
        memo["body"] = _text(rng, 40)
        if rng.random() < 0.3:
            memo["due"] = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T09:30:00"
        return "memo", memo
    if roll < 0.83:
        return "birthday", {"name": _name(rng), "date": _date(rng)}
    if roll < 0.88:
        name = rng.choice(HOLIDAYS) + rng.choice(["", "", "快乐", " 2026"])
        return "holiday", {"name": name, "date": _date(rng), "yearly": rng.random() < 0.8}
    if roll < 0.92:
        return "group", {"name": rng.choice(["家人", "同事", "大学同学", "Friends", "VIP 客户"])}
    start = f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00"
    event: dict[str, Any] = {"title": _text(rng, rng.randint(1, 8)), "start": start}
    if rng.random() < 0.5:
        event["location"] = _text(rng, 2)
    if rng.random() < 0.2:
        event["rrule"] = "FREQ=WEEKLY"
    return "event", event


def build(count: int = 3000) -> dict[str, Any]:
    """Records (kind, data) that validate, and query strings, from the fixed seed."""
    rng = random.Random(SEED)
    records: list[list[Any]] = []
    while len(records) < count:
        kind, data = _record(rng)
        try:
            validate_content(kind, data)
        except InvalidInput:
            continue
        records.append([kind, data])
    queries = QUERIES + [_name(rng) for _ in range(100)] + [_phone(rng) for _ in range(50)]
    return {"records": records, "queries": queries}


def expected(corpus: dict[str, Any]) -> dict[str, Any]:
    """The outputs of the code as it is, per record: sorted terms and the sort key."""
    outputs = []
    for kind, data in corpus["records"]:
        content = validate_content(kind, data)
        outputs.append([sorted(index_terms(kind, content)), sort_key(kind, content)])
    return {"outputs": outputs, "queries": [query_terms(q) for q in corpus["queries"]]}


def write() -> None:
    corpus = build()
    payload = {"corpus": corpus, "expected": expected(corpus)}
    PATH.parent.mkdir(exist_ok=True)
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    PATH.write_bytes(gzip.compress(text.encode(), mtime=0))


if __name__ == "__main__":
    write()
    print(PATH, PATH.stat().st_size)
