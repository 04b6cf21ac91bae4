"""The network-trouble banner's markup (issue 5 §5, R11), in process: on every page, hidden,
announced politely, its words rendered by the server in the page's language (offline.js only
reads them), and both word lists carry every ``net_*`` key."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.server.web import words

from .support import post_form, records_of

KEYS = (
    "offline",
    "failed",
    "back",
    "back_pending",
    "resend",
    "sending",
    "draft",
    "pending",
    "restore",
    "discard",
    "close",
)
BANNER = re.compile(r'<div id="net-banner"([^>]*)>')


def _banner(html: str) -> dict[str, str]:
    """The banner's attributes (a bare one such as ``hidden`` maps to "")."""
    found = BANNER.search(html)
    assert found, "no banner on the page"
    return {name: value for name, _, value in re.findall(r'([a-z-]+)(="([^"]*)")?', found.group(1))}


def test_both_word_lists_have_every_banner_word() -> None:
    net_zh = {k for k in words.ZH if k.startswith("net_")}
    net_en = {k for k in words.EN if k.startswith("net_")}
    assert net_zh == net_en
    assert {"net_" + key for key in KEYS} <= net_zh
    assert words.ZH["net_failed"] == "未能发送，已保存在本机；恢复连接后可重新发送"
    assert words.ZH["net_back"] == "已恢复连接，数据已刷新"


def test_the_banner_is_on_every_page_hidden_with_the_pages_words(logged_in: TestClient) -> None:
    for path in ("/contacts", "/contacts/new", "/memos/new", "/events/new", "/no-such-page"):
        attributes = _banner(logged_in.get(path).text)
        assert attributes["role"] == "status" and attributes["aria-live"] == "polite"
        assert attributes["hidden"] == ""
        assert attributes["data-owner"] == "wang"  # an error page knows the person too
        for key in KEYS:
            assert attributes["data-" + key.replace("_", "-")] == words.ZH["net_" + key], key


def test_the_banner_speaks_english_on_english_pages(client: TestClient) -> None:
    attributes = _banner(client.get("/login?lang=en").text)
    assert attributes["data-owner"] == ""
    assert attributes["data-failed"] == words.EN["net_failed"]
    assert attributes["data-back"] == words.EN["net_back"]


def test_the_record_forms_are_the_ones_offline_js_keeps(logged_in: TestClient) -> None:
    """offline.js takes over ``form.record-form``; every add form is one."""
    for path in ("/contacts/new", "/memos/new", "/birthdays/new", "/holidays/new", "/events/new"):
        html = logged_in.get(path).text
        assert re.search(r'<form method="post" action="[^"]+" class="record-form', html), path


def test_the_one_button_forms_are_kept_too(app: FastAPI, logged_in: TestClient) -> None:
    """offline.js keeps ``form.kept-form``: pin, every delete, the group's delete page and the
    conflict page's "keep mine"; "keep the saved one" names the drafts it drops."""
    made = post_form(logged_in, "/memos/new", "/memos/new", {"title": "交房租"})
    assert made.status_code == 303
    (memo,) = records_of(app, logged_in, "memo")
    memo_id = memo.id
    memos = logged_in.get("/memos").text
    assert f'action="/memos/{memo_id}/pin" class="inline kept-form"' in memos
    assert f'action="/memos/{memo_id}/delete" class="inline kept-form"' in memos
    post_form(logged_in, "/contacts", "/groups/new", {"name": "同事"})
    (group,) = records_of(app, logged_in, "group")
    assert "kept-form" in logged_in.get(f"/groups/{group.id}/delete").text
    stale = post_form(
        logged_in, "/memos", f"/memos/{memo_id}/edit", {"title": "交房租和网费", "version": "0"}
    )
    assert stale.status_code == 409
    assert (
        f'<form method="post" action="/memos/{memo_id}/edit" class="kept-form"'
        f' data-sent-from="/memos/{memo_id}/edit">'
    ) in stale.text
    assert f'data-forget="/memos/{memo_id}/edit"' in stale.text
