"""Realistic Chinese content for the end-to-end tests: contacts and memos, and edits that
always change something (so each applied edit makes exactly one new version)."""

from __future__ import annotations

import random
from typing import Any

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛"]
COMPANIES = ["腾讯", "华为", "小米", "百度", "京东", "美团", "阿里巴巴", "字节跳动"]
TITLES = ["经理", "工程师", "会计", "老师", "医生", "设计师"]
MEMO_TITLES = ["买菜", "周会纪要", "读书笔记", "旅行计划", "装修清单", "体检安排"]
LINES = ["鸡蛋两盒", "牛奶一箱", "给妈妈打电话", "交电费", "预约牙医", "周五前交报告", "取快递"]


def chinese_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def phone(rng: random.Random) -> str:
    return f"+86 1{rng.choice('3589')}{rng.randint(0, 9)} {rng.randint(1000, 9999)} " + str(
        rng.randint(1000, 9999)
    )


def body(rng: random.Random, tag: str) -> str:
    """A multi-line memo body; ``tag`` makes it unique."""
    return "\n".join([f"【{tag}】", *rng.sample(LINES, rng.randint(1, 4))])


def new_content(kind: str, rng: random.Random, tag: str) -> dict[str, Any]:
    if kind == "contact":
        return {
            "name": chinese_name(rng),
            "phones": [{"label": "mobile", "value": phone(rng)}],
            "company": rng.choice(COMPANIES),
            "notes": f"认识于{tag}",
        }
    return {"title": rng.choice(MEMO_TITLES), "body": body(rng, tag), "pinned": False}


def edit(kind: str, current: dict[str, Any], rng: random.Random, tag: str) -> dict[str, Any]:
    """Changes for one field or two, every value different from ``current``."""
    if kind == "contact":
        choices: list[dict[str, Any]] = [
            {"company": f"{rng.choice(COMPANIES)}（{tag}）"},
            {"title": f"{rng.choice(TITLES)} {tag}"},
            {"notes": f"{current.get('notes', '')}\n{tag} 通话一次"},
            {"phones": [{"label": "work", "value": phone(rng)}], "address": f"北京市海淀区{tag}号"},
        ]
    else:
        choices = [
            {"title": f"{rng.choice(MEMO_TITLES)}（{tag}）"},
            {"body": f"{current.get('body', '')}\n{tag}：{rng.choice(LINES)}"},
            {"pinned": not current.get("pinned", False)},
        ]
    changes = rng.choice(choices)
    if "phones" in changes and changes["phones"] == current.get("phones"):
        changes = {"title": f"{rng.choice(TITLES)} {tag}"}
    return changes
