"""The one error envelope (issue 2 §5, R10): every failure of /api and /healthz is
``{"error": {"code", "message", "field"?, "details"?}}``; page paths get HTML; a crash is a 500
envelope and a log line without the request's secrets."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from almanac.server.app import create_app

from .support import API, Person, cheap_settings, unique_name
from .test_auth import assert_envelope

SECRET = "hunter2-s3cret-token-XYZ"


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_api_route_and_wrong_method(client: TestClient, person: Person) -> None:
    assert_envelope(client.get(f"{API}/no-such-thing"), 404, "not_found")
    wrong = client.put(f"{API}/contacts", headers=person.headers, json={})
    error = assert_envelope(wrong, 405, "method_not_allowed")
    assert "field" not in error
    assert "GET" in wrong.headers["allow"]


def test_pages_get_html_errors_not_the_envelope(client: TestClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_validation_errors_use_dotted_paths_without_body_prefix(person: Person) -> None:
    body = {"name": "王五", "phones": [{"value": "123456"}, {"value": "电话"}]}
    error = assert_envelope(person.post("/contacts", body), 422, field="phones.1.value")
    assert error["code"] == "not_a_phone_number"
    assert error["details"] == [
        {"field": "phones.1.value", "message": error["message"], "code": "not_a_phone_number"}
    ]
    query = assert_envelope(person.get("/memos", params={"limit": "many"}), 422, field="limit")
    assert query["details"][0]["field"] == "limit"


@pytest.fixture(scope="module")
def crashing_client(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """A real app with one extra API route and one extra page that fail unexpectedly."""
    app = create_app(cheap_settings(tmp_path_factory.mktemp("crash"), database_url))

    async def boom(request: Request) -> None:
        await request.body()
        raise RuntimeError(f"connection string with {SECRET}")

    app.add_api_route(f"{API}/boom", boom, methods=["POST"])
    app.add_api_route("/boom-page", boom, methods=["POST"])
    with TestClient(app, client=(unique_name("peer-"), 50000)) as client:
        yield client


def test_a_crash_is_a_500_envelope_and_a_log_line_without_secrets(
    crashing_client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = crashing_client.post(
            f"{API}/boom?token={SECRET}",
            json={"password": SECRET},
            headers={"Authorization": f"Bearer {SECRET}"},
        )
    assert_envelope(response, 500, "internal")
    assert SECRET not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"  # outer middleware ran
    records = [r for r in caplog.records if r.name == "almanac.server.errors"]
    assert len(records) == 1
    line = records[0].getMessage()
    assert "POST /api/v1/boom" in line and "RuntimeError" in line
    server_side = [r for r in caplog.records if not r.name.startswith("httpx")]
    assert all("hunter2" not in r.getMessage() for r in server_side)
    assert all(r.exc_info is None for r in server_side)  # no exception message via exc_info


def test_a_crash_on_a_page_is_an_html_500(crashing_client: TestClient) -> None:
    response = crashing_client.post("/boom-page", data={"password": SECRET})
    assert response.status_code == 500
    assert response.headers["content-type"].startswith("text/html")
    assert SECRET not in response.text


def test_docs_work_without_internet(client: TestClient, tmp_path: Path) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    html = page.text
    assert "<script>" not in html  # no inline script: the strict CSP holds
    assert "http://" not in html and "https://" not in html  # nothing from a CDN
    csp = page.headers["content-security-policy"]
    assert "script-src 'self';" in csp
    for asset in (
        "/docs/assets/swagger-ui-bundle.js",
        "/docs/assets/swagger-ui.css",
        "/docs/init.js",
    ):
        assert asset in html
        fetched = client.get(asset)
        assert fetched.status_code == 200, asset
        assert len(fetched.content) > 100
    schema = client.get("/openapi.json").json()
    assert schema["paths"]["/api/v1/contacts"]["get"]["operationId"] == "list_contact"


def test_openapi_declares_the_envelope_for_every_error(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]  # FastAPI's own 422
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            errors = {code for code in responses if code >= "400"}
            assert "500" in errors, (method, path)
            if operation.get("security"):
                assert "401" in errors, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert "422" in errors, (method, path)
            for code in errors:
                content = responses[code]["content"]["application/json"]["schema"]
                assert content == envelope, (method, path, code)
            ok = [code for code in responses if code < "400"]
            assert len(ok) == 1, (method, path)
