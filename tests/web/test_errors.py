"""Error pages for non-API paths (R10): friendly HTML in the person's language, the right
status, never a stack trace or an exception's message; "not logged in" means the login page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from almanac.errors import (
    BadCredentials,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    Throttled,
    VersionConflict,
)

SECRET_DETAIL = "db password is hunter2"


def _raiser(exc: BaseException) -> Callable[[], None]:
    def endpoint() -> None:
        raise exc

    return endpoint


@pytest.fixture
def failing(app: FastAPI) -> FastAPI:
    """The app with a few page routes that fail on purpose."""
    failures: dict[str, BaseException] = {
        "/boom": RuntimeError(SECRET_DETAIL),
        "/forbidden": Forbidden(SECRET_DETAIL),
        "/missing": NotFound("contact", SECRET_DETAIL),
        "/invalid": InvalidInput.one("q", SECRET_DETAIL),
        "/throttled": Throttled(7),
        "/conflict": VersionConflict(1, 2),
        "/anonymous": NotAuthenticated(),
        "/bad-credentials": BadCredentials(),
    }
    for path, exc in failures.items():
        app.add_api_route(path, _raiser(exc), include_in_schema=False)
    return app


@pytest.mark.parametrize(
    ("path", "status", "zh", "en"),
    [
        ("/no-such-page", 404, "找不到页面", "Page not found"),
        ("/missing", 404, "找不到页面", "Page not found"),
        ("/forbidden", 403, "禁止访问", "Forbidden"),
        ("/invalid", 400, "请求无效", "Bad request"),
        ("/conflict", 409, "操作冲突", "Conflict"),
        ("/boom", 500, "出错了", "Something went wrong"),
    ],
)
def test_error_pages_are_friendly_and_in_the_page_language(
    failing: FastAPI, client: TestClient, path: str, status: int, zh: str, en: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert zh in response.text and '<html lang="zh-CN">' in response.text
    assert SECRET_DETAIL not in response.text and "Traceback" not in response.text
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    english = client.get(path, params={"lang": "en"})
    assert english.status_code == status and en in english.text


def test_throttled_page_says_when_to_retry(failing: FastAPI, client: TestClient) -> None:
    response = client.get("/throttled")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert "尝试次数过多，请 7 秒后再试" in response.text


@pytest.mark.parametrize("path", ["/anonymous", "/bad-credentials"])
def test_not_logged_in_goes_to_the_login_page(
    failing: FastAPI, client: TestClient, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["location"] == "/login"


def test_wrong_method_is_a_405_page(client: TestClient) -> None:
    response = client.get("/logout")
    assert response.status_code == 405
    assert "不支持的操作" in response.text
    assert "POST" in response.headers["allow"]


def test_api_errors_stay_json(client: TestClient) -> None:
    """The API keeps its JSON envelope; only page paths get HTML."""
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_language_link_on_a_refused_form_leads_to_a_page(client: TestClient) -> None:
    """After a refused POST the language link goes to the start page, not to GET /logout."""
    refused = client.post("/logout", data={"csrf_token": "forged"})
    assert refused.status_code == 403
    assert 'href="/?lang=en"' in refused.text
    on_get = client.get("/no-such-page")
    assert 'href="/no-such-page?lang=en"' in on_get.text


def test_a_logged_in_person_keeps_the_navigation_on_an_error_page(
    failing: FastAPI, logged_in: TestClient
) -> None:
    """On a 4xx page the person still sees their name, the modules and 退出登录; the
    language switch after a refused POST goes back to the start page."""
    for path, status in (("/no-such-page", 404), ("/invalid", 400), ("/forbidden", 403)):
        page = logged_in.get(path)
        assert page.status_code == status
        assert 'id="mainnav"' in page.text and ">wang<" in page.text, path
        assert 'action="/logout"' in page.text
    refused = logged_in.post("/settings", data={"csrf_token": "forged"})
    assert refused.status_code == 403 and 'id="mainnav"' in refused.text
    assert '<input type="hidden" name="next" value="/">' in refused.text


def test_a_server_error_page_shows_no_navigation(failing: FastAPI, logged_in: TestClient) -> None:
    page = logged_in.get("/boom")
    assert page.status_code == 500 and "出错了" in page.text
    assert 'id="mainnav"' not in page.text and SECRET_DETAIL not in page.text
