"""The minimal pages (issue 2 §6; R1 log in / register / log out, R2 any browser, R4 the
contacts list and search): what each page shows, in Chinese by default and in English."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import PASSWORD, add_contact, csrf_from, login, register


def test_start_page_sends_you_to_login_or_contacts(client: TestClient) -> None:
    assert client.get("/").headers["location"] == "/login"
    assert client.get("/contacts").headers["location"] == "/login"
    register(client, "wang")
    login(client, "wang")
    assert client.get("/").headers["location"] == "/contacts"
    assert client.get("/login").headers["location"] == "/contacts"


def test_pages_are_chinese_by_default_and_english_on_request(client: TestClient) -> None:
    page = client.get("/login")
    assert '<html lang="zh-CN">' in page.text
    assert "Almanac 个人助理" in page.text and "登录 Almanac" in page.text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text
    english = client.get("/login?lang=en")
    assert '<html lang="en">' in english.text and "Log in to Almanac" in english.text
    assert "lang=en" in english.headers["set-cookie"]
    # The choice sticks (cookie) until switched back.
    assert "User name" in client.get("/register").text
    assert "用户名" in client.get("/register?lang=zh").text
    assert "用户名" in client.get("/register").text


def test_wrong_password_asks_again_keeping_the_name(client: TestClient) -> None:
    """R1: a wrong entry asks again."""
    register(client, "wang")
    token = csrf_from(client.get("/login").text)
    secret = "not-the-password-42"
    response = client.post(
        "/login", data={"username": "wang", "password": secret, "csrf_token": token}
    )
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert 'value="wang"' in response.text
    assert secret not in response.text
    assert "almanac_session" not in response.headers.get("set-cookie", "")
    unknown = client.post(
        "/login?lang=en", data={"username": "nobody", "password": secret, "csrf_token": token}
    )
    assert unknown.status_code == 401 and "Wrong user name or password" in unknown.text


def test_too_many_tries_say_how_long_to_wait(
    app_factory: Callable[..., FastAPI],
) -> None:
    with TestClient(app_factory(throttle_max_failures=2), follow_redirects=False) as client:
        register(client, "wang")
        token = csrf_from(client.get("/login").text)
        form = {"username": "wang", "password": "wrong-password", "csrf_token": token}
        statuses = [client.post("/login", data=form).status_code for _ in range(4)]
        assert statuses[0] == 401 and statuses[-1] == 429
        response = client.post("/login", data={**form, "password": PASSWORD})
        assert response.status_code == 429
        found = re.search(r"尝试次数过多，请 (\d+) 秒后再试", response.text)
        assert found, response.text
        assert found.group(1) == response.headers["retry-after"]
        assert "almanac_session" not in response.headers.get("set-cookie", "")


def _register_form(client: TestClient, lang: str = "zh", **form: str) -> tuple[int, str]:
    token = csrf_from(client.get(f"/register?lang={lang}").text)
    response = client.post("/register", data={**form, "csrf_token": token})
    return response.status_code, response.text


def test_register_errors_name_the_field_in_the_page_language(client: TestClient) -> None:
    ok = {"username": "wang", "password": PASSWORD, "password2": PASSWORD}
    status, html = _register_form(client, **{**ok, "username": "ab"})
    assert status == 422 and "用户名：至少需要 3 个字符" in html
    assert 'value="ab"' in html and PASSWORD not in html
    status, html = _register_form(client, **{**ok, "password": "short", "password2": "short"})
    assert status == 422 and "密码：至少需要 8 个字符" in html
    status, html = _register_form(client, **{**ok, "password2": PASSWORD + "x"})
    assert status == 422 and "两次输入的密码不一致" in html
    status, html = _register_form(client, **{**ok, "username": "wa ng"})
    assert status == 422 and "用户名：只能包含" in html
    status, html = _register_form(client, "en", **{**ok, "username": "ab"})
    assert status == 422 and "User name: needs at least 3 characters" in html
    status, html = _register_form(client, "en", **{**ok, "password": "short", "password2": "short"})
    assert "Password: needs at least 8 characters" in html


def test_register_then_log_in(client: TestClient) -> None:
    response = register(client, "王小明")
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/login"
    assert parse_qs(location.query)["username"] == ["王小明"]
    page = client.get(response.headers["location"])
    assert "注册成功，请登录。" in page.text and 'value="王小明"' in page.text
    status, html = _register_form(client, username="王小明", password=PASSWORD, password2=PASSWORD)
    assert status == 422 and "用户名：已被占用" in html
    assert login(client, "王小明").headers["location"] == "/contacts"


def test_empty_address_book_is_friendly(logged_in: TestClient) -> None:
    page = logged_in.get("/contacts")
    assert page.status_code == 200
    assert "通讯录还是空的" in page.text
    assert "退出登录" in page.text  # the logout form is on every logged-in page


def test_contacts_are_listed_with_phones_emails_and_company(
    app: FastAPI, logged_in: TestClient
) -> None:
    add_contact(
        app,
        logged_in,
        "张三",
        phones=[{"label": "mobile", "value": "+86 138 0013 8000"}],
        emails=[{"label": "work", "value": "zhangsan@example.cn"}],
        company="北京星辰科技",
        title="工程师",
    )
    add_contact(app, logged_in, "李四", phones=[{"label": "家里", "value": "010-6543 2100"}])
    html = logged_in.get("/contacts").text
    for text in ("张三", "李四", "+86 138 0013 8000", "zhangsan@example.cn", "北京星辰科技"):
        assert text in html
    assert "手机" in html and "工作" in html and "家里" in html
    assert 'href="tel:+86 138 0013 8000"' in html
    assert 'href="mailto:zhangsan@example.cn"' in html
    assert "Mobile" in logged_in.get("/contacts?lang=en").text


def test_search_finds_by_pinyin_initials(app: FastAPI, logged_in: TestClient) -> None:
    """R4 find contacts by condition; issue 2 §5: ``zs`` finds 张三."""
    add_contact(app, logged_in, "张三")
    add_contact(app, logged_in, "李四")
    html = logged_in.get("/contacts", params={"q": "zs"}).text
    assert "张三" in html and "李四" not in html
    assert 'value="zs"' in html
    nothing = logged_in.get("/contacts", params={"q": "王五"}).text
    assert "没有找到与“王五”匹配的联系人" in nothing


def test_next_page_follows_the_cursor(app: FastAPI, logged_in: TestClient) -> None:
    for i in range(55):
        add_contact(app, logged_in, f"联系人{i:02d}")
    first = logged_in.get("/contacts").text
    assert first.count('class="contact card"') == 50
    next_url = re.search(r'rel="next" href="([^"]+)"', first)
    assert next_url
    second = logged_in.get(next_url.group(1).replace("&amp;", "&")).text
    assert second.count('class="contact card"') == 5
    assert 'rel="next"' not in second and "回到第一页" in second


def test_other_peoples_contacts_are_not_shown(
    app: FastAPI, logged_in: TestClient, client_factory: Callable[..., TestClient]
) -> None:
    """R1: nobody else can read a person's information."""
    add_contact(app, logged_in, "秘密联系人")
    other = client_factory()
    register(other, "zhao")
    login(other, "zhao")
    assert "秘密联系人" not in other.get("/contacts").text
    assert "秘密联系人" not in other.get("/contacts", params={"q": "秘密"}).text


def test_odd_addresses_give_a_page_not_a_crash(logged_in: TestClient) -> None:
    """A tampered cursor is a 400 page; odd search words just find nothing."""
    bad = logged_in.get("/contacts", params={"cursor": "garbage"})
    assert bad.status_code == 400 and "请求无效" in bad.text
    for q in ("x" * 5000, "\x00", "%", "*", "' OR 1=1 --"):
        response = logged_in.get("/contacts", params={"q": q})
        assert response.status_code == 200, q
