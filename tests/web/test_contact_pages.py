"""Contacts and groups in the browser (issue 5 §1, R4): add, view, change, delete; find by
name, pinyin, phone, group and birthday; field problems by name with the typed values kept;
edits checked against the version they started from (R14); groups from the menu."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import add_contact, owner_id, post_form, records_of

ZHANG = {
    "name": "张伟",
    "phones.0.label": "mobile",
    "phones.0.value": "138 0013 8000",
    "emails.0.label": "work",
    "emails.0.value": "zhangwei@example.cn",
    "company": "杭州西湖电子",
    "title": "工程师",
    "birthday.calendar": "lunar",
    "birthday.month": "8",
    "birthday.day": "15",
    "notes": "喜欢喝龙井\n周末爬山",
}


def _add(client: TestClient, data: dict[str, str]) -> object:
    return post_form(client, "/contacts/new", "/contacts/new", data)


def test_add_a_contact_then_see_it(app: FastAPI, logged_in: TestClient) -> None:
    """R4 add; a lunar birthday (八月十五) is stored as a lunar DateSpec."""
    response = _add(logged_in, ZHANG)
    assert response.status_code == 303
    (stored,) = records_of(app, logged_in, "contact")
    assert response.headers["location"] == f"/contacts/{stored.id}"
    birthday = stored.data["birthday"]
    assert (birthday["calendar"], birthday["month"], birthday["day"]) == ("lunar", 8, 15)
    assert stored.data["phones"] == [{"label": "mobile", "value": "138 0013 8000"}]
    page = logged_in.get(response.headers["location"]).text
    for shown in ("张伟", "138 0013 8000", "zhangwei@example.cn", "杭州西湖电子", "农历八月十五"):
        assert shown in page
    assert "喜欢喝龙井\n周末爬山" in page


def test_problems_are_named_by_field_and_the_typing_kept(
    app: FastAPI, logged_in: TestClient
) -> None:
    """Issue 5 §1 forms: InvalidInput's dotted paths land next to their inputs."""
    bad = {
        **ZHANG,
        "name": "   ",
        "phones.0.value": "一二三",
        "emails.0.value": "not-an-email",
        "birthday.calendar": "solar",
        "birthday.year": "2026",
        "birthday.month": "2",
        "birthday.day": "30",
    }
    response = _add(logged_in, bad)
    assert response.status_code == 422
    html = response.text
    assert 'id="err-name"' in html and "不能为空" in html
    assert 'id="err-phones.0.value"' in html and "不是电话号码" in html
    assert 'id="err-emails.0.value"' in html and "不是有效的邮箱地址" in html
    assert 'id="err-birthday.day"' in html and "这一天不存在" in html
    assert 'value="一二三"' in html and 'value="not-an-email"' in html
    assert 'value="杭州西湖电子"' in html and "喜欢喝龙井" in html
    assert re.search(r'<option value="30"[^>]*selected>', html)
    assert records_of(app, logged_in, "contact") == []
    # Logged in, pages follow the person's language setting (R3); ?lang= wins for one page.
    english = post_form(logged_in, "/contacts/new", "/contacts/new?lang=en", bad).text
    assert "is not a phone number" in english


def test_a_typed_number_that_is_not_one(logged_in: TestClient) -> None:
    response = _add(logged_in, {**ZHANG, "birthday.year": "一九九零"})
    assert response.status_code == 422
    assert 'id="err-birthday.year"' in response.text and "请填写数字" in response.text


def test_find_by_pinyin_phone_group_and_birthday(app: FastAPI, logged_in: TestClient) -> None:
    """R4 find with conditions: the API's q, group and has_birthday."""
    owner = owner_id(app, logged_in)
    family = app.state.ctx.records.create(owner, "group", {"name": "家人"})
    add_contact(app, logged_in, "张伟", groups=[str(family.id)],
                birthday={"month": 5, "day": 20})  # fmt: skip
    add_contact(app, logged_in, "李娜", phones=[{"value": "139 1111 2222"}])
    add_contact(app, logged_in, "王芳", groups=[str(family.id)])

    def names(**params: str) -> list[str]:
        html = logged_in.get("/contacts", params=params).text
        return re.findall(r'<h2 class="contact-name"><a href="[^"]+">([^<]+)</a>', html)

    assert names(q="zw") == ["张伟"]
    assert names(q="zhangwei") == ["张伟"]
    assert names(q="139 1111") == ["李娜"]
    assert names(group=str(family.id)) == ["王芳", "张伟"]  # pinyin order
    assert names(has_birthday="true") == ["张伟"]
    assert names(has_birthday="false") == ["李娜", "王芳"]
    assert names(group=str(family.id), has_birthday="false") == ["王芳"]
    page = logged_in.get("/contacts", params={"group": str(family.id)}).text
    assert "通讯录 · 家人" in page and f'<option value="{family.id}" selected>' in page


def test_change_checks_the_version_it_started_from(app: FastAPI, logged_in: TestClient) -> None:
    """R14: the later save is checked against its starting version; the person sees the
    conflict with both versions and can keep theirs or the saved one."""
    _add(logged_in, ZHANG)
    (stored,) = records_of(app, logged_in, "contact")
    edit_url = f"/contacts/{stored.id}/edit"
    form_html = logged_in.get(edit_url).text
    assert 'name="version" value="1"' in form_html and 'value="张伟"' in form_html
    ok = post_form(logged_in, edit_url, edit_url, {**ZHANG, "version": "1", "company": "新公司"})
    assert ok.status_code == 303
    # A second tab still holds version 1.
    stale = post_form(logged_in, edit_url, edit_url, {**ZHANG, "version": "1", "title": "经理"})
    assert stale.status_code == 409
    html = stale.text
    assert "保存冲突" in html and "您的版本" in html and "已保存的版本" in html
    assert "经理" in html and "新公司" in html
    assert 'name="version" value="2"' in html
    assert records_of(app, logged_in, "contact")[0].data["title"] == "工程师"
    # Keep mine: the conflict page's form sends the same change against version 2.
    replay = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', html))
    replay.pop("csrf_token")
    kept = post_form(logged_in, edit_url, edit_url, replay)
    assert kept.status_code == 303
    (now,) = records_of(app, logged_in, "contact")
    assert now.version == 3 and now.data["title"] == "经理" and now.data["notes"] == ZHANG["notes"]


def test_delete_is_checked_against_its_version_too(app: FastAPI, logged_in: TestClient) -> None:
    _add(logged_in, ZHANG)
    (stored,) = records_of(app, logged_in, "contact")
    view = f"/contacts/{stored.id}"
    edit = f"{view}/edit"
    post_form(logged_in, edit, edit, {**ZHANG, "version": "1", "company": "改过"})
    stale = post_form(logged_in, view, f"{view}/delete", {"version": "1"})
    assert stale.status_code == 409 and "删除这条记录" in stale.text and "改过" in stale.text
    assert records_of(app, logged_in, "contact")
    gone = post_form(logged_in, view, f"{view}/delete", {"version": "2"})
    assert gone.status_code == 303 and gone.headers["location"] == "/contacts"
    assert records_of(app, logged_in, "contact") == []
    assert logged_in.get(view).status_code == 404


def test_groups_from_the_menu(app: FastAPI, logged_in: TestClient) -> None:
    """R4 groups: add from the menu, a taken name is refused by name, deleting says what
    happens and takes the group off its contacts."""
    made = post_form(logged_in, "/contacts", "/groups/new", {"name": "同事"})
    assert made.status_code == 303
    (group,) = records_of(app, logged_in, "group")
    assert made.headers["location"] == f"/contacts?group={group.id}"
    again = post_form(logged_in, "/contacts", "/groups/new", {"name": "同事"})
    assert again.status_code == 422 and "已经存在" in again.text and 'value="同事"' in again.text
    _add(logged_in, {**ZHANG, "groups": str(group.id)})
    assert records_of(app, logged_in, "contact")[0].data["groups"] == [str(group.id)]
    menu = logged_in.get("/contacts").text
    assert f'href="/groups/{group.id}/delete"' in menu
    rename = f'href="/groups/{group.id}/edit" title="重命名分组" aria-label="重命名分组 同事"'
    assert rename in menu  # the menu leads to the rename form, named for screen readers
    ask = logged_in.get(f"/groups/{group.id}/delete").text
    assert "删除分组“同事”？" in ask and "会从 1 位联系人身上移除" in ask
    done = post_form(logged_in, "/contacts", f"/groups/{group.id}/delete", {"version": "1"})
    assert done.status_code == 303
    assert records_of(app, logged_in, "group") == []
    (contact,) = records_of(app, logged_in, "contact")
    assert contact.data["groups"] == [] and contact.version == 2


def test_someone_elses_contact_is_not_found(
    app: FastAPI, logged_in: TestClient, client_factory: object
) -> None:
    """R1: another person's record id gives 404, never the record."""
    _add(logged_in, ZHANG)
    (stored,) = records_of(app, logged_in, "contact")
    from .support import login, register

    other = client_factory()  # type: ignore[operator]
    register(other, "zhao")
    login(other, "zhao")
    assert other.get(f"/contacts/{stored.id}").status_code == 404
    assert other.get(f"/contacts/{stored.id}/edit").status_code == 404
    denied = post_form(other, "/contacts", f"/contacts/{stored.id}/delete", {"version": "1"})
    assert denied.status_code == 404
    assert records_of(app, logged_in, "contact")


def test_a_change_to_a_record_deleted_elsewhere_is_not_lost(
    app: FastAPI, logged_in: TestClient
) -> None:
    """R14: another device deleted the contact while it was being edited; the typed change
    comes back as a new contact's form, nothing lost, the reason said."""
    _add(logged_in, ZHANG)
    (stored,) = records_of(app, logged_in, "contact")
    edit = f"/contacts/{stored.id}/edit"
    token_page = logged_in.get(edit).text
    app.state.ctx.records.delete(owner_id(app, logged_in), "contact", stored.id)
    from .support import csrf_from

    form = {**ZHANG, "title": "总监", "version": "1", "csrf_token": csrf_from(token_page)}
    response = logged_in.post(edit, data=form)
    assert response.status_code == 422
    assert "这条记录已在别处被删除" in response.text
    assert 'action="/contacts/new"' in response.text and 'value="总监"' in response.text
    again = post_form(logged_in, "/contacts/new", "/contacts/new", {**ZHANG, "title": "总监"})
    assert again.status_code == 303
    (revived,) = records_of(app, logged_in, "contact")
    assert revived.data["title"] == "总监"
