"""Valid sample content of every kind, and one change to each (R4–R7)."""

from __future__ import annotations

from typing import Any

SAMPLES: dict[str, dict[str, Any]] = {
    "group": {"name": "家人"},
    "contact": {
        "name": "张三",
        "phones": [{"label": "mobile", "value": "138 0013 8000"}],
        "emails": [{"label": "work", "value": "zhangsan@example.com"}],
        "company": "北京百花科技有限公司",
        "title": "工程师",
        "address": "北京市海淀区中关村大街1号",
        "birthday": {"calendar": "lunar", "month": 8, "day": 15},
        "notes": "老同学 🎂",
    },
    "memo": {"title": "买菜", "body": "白菜、豆腐、鸡蛋\n记得带购物袋", "pinned": True},
    "birthday": {
        "name": "李四",
        "date": {"calendar": "solar", "month": 2, "day": 29, "year": 1996},
    },
    "holiday": {"name": "中秋节", "date": {"calendar": "lunar", "month": 8, "day": 15}},
    "event": {
        "title": "部门例会",
        "start": "2026-12-01T09:30:00+08:00",
        "end": "2026-12-01T10:30:00+08:00",
        "timezone": "Asia/Shanghai",
        "location": "三楼会议室",
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
    },
}

CHANGES: dict[str, dict[str, Any]] = {
    "group": {"name": "同事"},
    "contact": {"title": "高级工程师", "phones": []},
    "memo": {"pinned": False, "body": "改成明天去"},
    "birthday": {"notes": "农历生日也要记得"},
    "holiday": {"notes": "一家人团圆"},
    "event": {"location": "线上会议"},
}
