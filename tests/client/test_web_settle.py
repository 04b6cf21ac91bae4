"""A conflict made by two real devices and settled in the browser (issue 5 §1, issue 3 §3;
R8, R14; docs/sync.md "Settling from the web"): the web page's button goes through the push
path, so both devices' next sync shows the conflict settled and the chosen value — exactly
as if a device had settled it. The browser is plain HTTP with cookies and the form's CSRF
token against the live server."""

from __future__ import annotations

import re

import httpx

from almanac.client.facade import Client

from .conftest import PASSWORD, Account
from .test_two_devices import shared_contact

_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


def browser_login(account: Account) -> httpx.Client:
    browser = httpx.Client(base_url=account.server.url, timeout=30)
    token = _CSRF.search(browser.get("/login").text)
    assert token
    form = {"username": account.username, "password": PASSWORD, "csrf_token": token.group(1)}
    assert browser.post("/login", data=form).status_code == 303
    return browser


def keep(browser: httpx.Client, conflict_id: str, which: str) -> httpx.Response:
    page = browser.get("/conflicts").text
    assert f'id="cf-{conflict_id}"' in page
    token = _CSRF.search(page)
    assert token
    data = {"csrf_token": token.group(1)}
    return browser.post(f"/conflicts/{conflict_id}/keep/{which}", data=data)


def test_settled_in_the_browser_both_devices_follow(
    account: Account, devices: tuple[Client, Client]
) -> None:
    office, home = devices
    rid = shared_contact(office, home)
    office.edit("contact", rid, {"company": "新华书店"})
    home.edit("contact", rid, {"company": "三联书店"})
    office.sync()
    home.sync()  # arrives later: wins
    office.sync()
    [conflict] = office.conflicts()
    browser = browser_login(account)
    try:
        response = keep(browser, str(conflict.id), "other")
        assert response.status_code == 303, response.text
        assert "没有待处理的冲突" in browser.get("/conflicts").text
    finally:
        browser.close()
    for device in (office, home):
        device.sync()
        assert device.get("contact", rid).content["company"] == "新华书店"
        assert device.conflicts() == []
        assert [c.id for c in device.conflicts(resolved=True)] == [conflict.id]
        assert device.status().pending == 0


def test_kept_in_the_browser_changes_nothing_on_the_devices(
    account: Account, devices: tuple[Client, Client]
) -> None:
    office, home = devices
    rid = shared_contact(office, home)
    office.edit("contact", rid, {"company": "甲书店"})
    home.edit("contact", rid, {"company": "乙书店"})
    office.sync()
    home.sync()
    [conflict] = home.conflicts()
    version = home.get("contact", rid).version
    browser = browser_login(account)
    try:
        assert keep(browser, str(conflict.id), "kept").status_code == 303
    finally:
        browser.close()
    for device in (office, home):
        device.sync()
        item = device.get("contact", rid)
        assert (item.content["company"], item.version) == ("乙书店", version)
        assert device.conflicts() == []
