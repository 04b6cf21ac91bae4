"""The operators' pages (R10; issue 6 §4): ``/operator/reports`` lists the error reports the
apps sent, newest first (``?since=YYYY-MM-DD``), and ``/operator/reports/{id}`` shows one
with its traceback. Only people named in ``ALMANAC_OPERATORS`` see them; for anyone else —
logged in or not — the pages do not exist (404), so they do not reveal themselves.

The words are here (Chinese first, then English), not in the record pages' catalog: only
operators read them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from almanac.errors import NotFound
from almanac.server.reports import ReportStore
from almanac.server.web import i18n, session
from almanac.server.web.render import render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 200
WORDS: dict[str, dict[str, str]] = {
    "zh": {
        "title": "错误报告",
        "lead": "桌面程序和网页发来的错误报告，最新的在前。报告里没有个人资料。",
        "since": "起始日期",
        "filter": "筛选",
        "none": "还没有错误报告。",
        "received": "收到时间 (UTC)",
        "source": "来源",
        "version": "版本",
        "os": "操作系统",
        "what": "出错的操作",
        "error": "错误类型",
        "message": "错误信息",
        "traceback": "调用栈",
        "back": "返回列表",
        "count": "共 {n} 条",
    },
    "en": {
        "title": "Error reports",
        "lead": "Error reports sent by the desktop app and the pages, newest first. "
        "They hold no personal data.",
        "since": "Since",
        "filter": "Filter",
        "none": "No error reports yet.",
        "received": "Received (UTC)",
        "source": "Source",
        "version": "Version",
        "os": "OS",
        "what": "What failed",
        "error": "Error type",
        "message": "Message",
        "traceback": "Traceback",
        "back": "Back to the list",
        "count": "{n} reports",
    },
}


def words(request: Request) -> Callable[..., str]:
    lang = i18n.lang_of(request)
    table = WORDS.get(lang, WORDS["zh"])

    def w(key: str, **values: Any) -> str:
        text = table.get(key) or WORDS["zh"][key]
        return text.format(**values) if values else text

    return w


def operator_of(request: Request) -> Any:
    """The logged-in operator; ``NotFound`` (404) for anyone else."""
    found = session.current(request)
    names = request.app.state.ctx.settings.operator_names()
    if found is None or found[0].username not in names:
        raise NotFound("page", request.url.path)
    return found[0]


def since_of(request: Request) -> date | None:
    raw = request.query_params.get("since", "").strip()
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@router.get("/operator/reports")
async def report_list(request: Request) -> Response:
    user = operator_of(request)
    since = since_of(request)
    start = datetime(since.year, since.month, since.day, tzinfo=UTC) if since else None
    store = ReportStore(request.app.state.ctx.engine)
    found = await run_in_threadpool(store.list, PAGE_SIZE, start)
    context = {"reports": found, "since": since, "w": words(request), "section": None}
    return render(request, "operator_reports.html", context, user=user)


@router.get("/operator/reports/{key}")
async def report_page(request: Request, key: str) -> Response:
    user = operator_of(request)
    store = ReportStore(request.app.state.ctx.engine)
    found = await run_in_threadpool(store.get, key)
    context = {"r": found, "w": words(request), "section": None}
    return render(request, "operator_report.html", context, user=user)
