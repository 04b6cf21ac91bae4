"""A long memo shows as a preview in the list (R5; a phone's list stays short): its first
lines, cut where a character ends, “…” and a link to the full text on the memo's form."""

from __future__ import annotations

import html
import unicodedata

from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from almanac.server.web.memo_preview import MAX_CHARS, MAX_LINES, preview

from .support import post_form, records_of

LONG = "《红楼梦》第三回\n" + "很长的一段文字。" * 30
# letters with combining accents, emoji sequences joined by ZWJ, skin tones and flags' tags
CLUSTERS = ("é", "e\u0301", "👩\u200d💻", "👍🏽", "❤\ufe0f", "🏴\U000e0067\U000e0062\U000e007f")


def test_a_long_memo_is_previewed_in_the_list(app: FastAPI, logged_in: TestClient) -> None:
    """The walk-through's memo (248 characters) no longer fills a phone's screen: the list has
    its first line and the start of the second, the form has every word."""
    post_form(logged_in, "/memos/new", "/memos/new", {"title": "读书笔记", "body": LONG})
    post_form(logged_in, "/memos/new", "/memos/new", {"title": "买菜", "body": "西红柿、鸡蛋"})
    (memo,) = [m for m in records_of(app, logged_in, "memo") if m.data["title"] == "读书笔记"]
    page = logged_in.get("/memos").text
    shown = preview(LONG)
    assert shown.endswith("…") and len(shown) <= MAX_CHARS + 1
    assert f'<p class="entry-text">{shown}</p>' in page
    assert LONG not in page and "很长的一段文字。" * 20 not in page
    assert f'href="/memos/{memo.id}/edit" aria-label="查看全文：读书笔记"' in page
    assert '<p class="entry-text">西红柿、鸡蛋</p>' in page  # short ones whole, no link
    assert page.count("查看全文 ›") == 1
    form = logged_in.get(f"/memos/{memo.id}/edit").text
    assert html.escape(LONG, quote=False) in form


def test_short_bodies_are_shown_whole() -> None:
    assert preview("西红柿、鸡蛋、青菜") == "西红柿、鸡蛋、青菜"
    assert preview("一\n二\n三") == "一\n二\n三"
    assert preview("一\n二\n三\n四") == "一\n二\n三…"
    assert preview("  空白  \n") == "空白"


def test_a_cut_never_splits_a_character() -> None:
    for cluster in CLUSTERS:
        body = "字" * (MAX_CHARS - 1) + cluster * 3
        shown = preview(body)
        assert shown == "字" * (MAX_CHARS - 1) + cluster + "…", cluster


@given(
    st.lists(
        st.one_of(st.sampled_from((*CLUSTERS, "\n", " ", "字", "a"))),
        max_size=400,
    )
)
def test_previews_are_starts_of_the_body_in_whole_characters(parts: list[str]) -> None:
    """Any body: the preview is the body's start (or the body), at most MAX_LINES lines, and
    ends at a boundary between the pieces it was made of."""
    body = "".join(parts)
    shown = preview(body)
    if not shown.endswith("…") or shown == body.strip():
        assert shown == body.strip()
        return
    start = shown[:-1]
    assert body.strip().startswith(start)
    assert len(start.splitlines()) <= MAX_LINES
    rest = body.strip()[len(start.rstrip()) :]
    assert rest, "nothing was left out"
    assert not unicodedata.combining(rest[0]) and rest[0] not in "\u200d\ufe0f"
    assert not 0x1F3FB <= ord(rest[0]) <= 0x1F3FF and not 0xE0020 <= ord(rest[0]) <= 0xE007F
    assert not start.endswith("\u200d")
