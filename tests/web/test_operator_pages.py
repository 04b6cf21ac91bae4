"""The operators' error-report pages (R10; issue 6 §4): a person named in
``ALMANAC_OPERATORS`` sees the reports the API stored, newest first, and each one with its
traceback, with the reports' text escaped; anyone else — another person or nobody — gets 404."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from .support import login, register


def send_report(client: TestClient, **changes: str) -> str:
    report_id = str(uuid.uuid4())
    body = {
        "report_id": report_id,
        "app_version": "0.1.0",
        "os": "Windows-11",
        "what": "memos.save",
        "error_type": "builtins.KeyError",
        "message": "<script>alert(1)</script>",
        "traceback": 'File "almanac/desktop/memos.py", line 42, in save',
        **changes,
    }
    response = client.post("/api/v1/reports", json=body)
    assert response.status_code == 201, response.text
    return report_id


def test_operator_sees_reports_others_get_404(app_factory: Callable[..., FastAPI]) -> None:
    app = app_factory(operators=" Boss , ops2")
    with TestClient(app, follow_redirects=False) as operator:
        check_pages(app, operator)


def check_pages(app: FastAPI, operator: TestClient) -> None:
    assert register(operator, "boss").status_code == 303
    assert login(operator, "boss").status_code == 303
    older = send_report(operator, what="contacts.delete")
    newer = send_report(operator)

    page = operator.get("/operator/reports")
    assert page.status_code == 200
    html = page.text
    assert html.index(newer) < html.index(older)  # newest first
    assert "错误报告" in html and "contacts.delete" in html
    one = operator.get(f"/operator/reports/{newer}")
    assert one.status_code == 200
    assert "memos.py&#34;, line 42, in save" in one.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in one.text
    assert "<script>alert(1)" not in one.text
    assert operator.get("/operator/reports?lang=en").text.count("Error reports") >= 1
    assert operator.get("/operator/reports?since=2999-01-01").text.count(newer) == 0
    assert operator.get(f"/operator/reports/{uuid.uuid4()}").status_code == 404

    other = TestClient(app, follow_redirects=False)
    nobody = TestClient(app, follow_redirects=False)
    assert register(other, "wang").status_code == 303
    assert login(other, "wang").status_code == 303
    for path in ("/operator/reports", f"/operator/reports/{newer}"):
        assert other.get(path).status_code == 404
        assert nobody.get(path).status_code == 404  # not logged in
