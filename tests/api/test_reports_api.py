"""Error reports and the support contact over the API (R10; issue 6 §4), on SQLite,
PostgreSQL and MariaDB: a report is stored once per report_id, scrubbed of control
characters; oversize bodies are 413, oversize fields 422 naming the field; one address is
throttled after ``reports_per_hour``; ``/support`` follows the settings. No login needed."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.server.app import create_app
from almanac.server.db.tables import error_reports
from almanac.server.reports import MAX_BODY, MESSAGE_MAX, ReportStore, scrub

from .support import API, cheap_settings, unique_name


def report(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "report_id": str(uuid.uuid4()),
        "source": "desktop",
        "app_version": "0.1.0",
        "os": "Linux-6.1-x86_64 (Debian 12)",
        "what": "contacts.save",
        "error_type": "builtins.ValueError",
        "message": "bad state",
        "traceback": 'File "almanac/desktop/contacts.py", line 10, in save',
    }
    body.update(changes)
    return body


def stored_rows(app: FastAPI, report_id: str) -> list[Any]:
    with app.state.ctx.engine.connect() as conn:
        query = sa.select(error_reports).where(error_reports.c.report_id == report_id)
        return list(conn.execute(query).all())


@pytest.fixture(scope="module")
def report_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir: Path = tmp_path_factory.mktemp("reports-api")
    app = create_app(cheap_settings(data_dir, database_url, reports_per_hour=5))
    yield app
    app.state.ctx.engine.dispose()


def peer(app: FastAPI) -> TestClient:
    """A client from an address of its own (the throttle counts per address)."""
    return TestClient(app, client=(unique_name("peer-"), 50000))


def test_a_report_is_stored_once_without_login(report_app: FastAPI) -> None:
    body = report(message="line one\r\nline\x00 two\x1b[31m", what="保存联系人")
    with peer(report_app) as client:
        first = client.post(f"{API}/reports", json=body)
        again = client.post(f"{API}/reports", json=body)
    assert first.status_code == 201, first.text
    assert first.json() == {"report_id": body["report_id"], "stored": True}
    assert again.status_code == 201
    assert again.json() == {"report_id": body["report_id"], "stored": False}
    rows = stored_rows(report_app, body["report_id"])
    assert len(rows) == 1
    assert rows[0].message == "line one\nline two[31m"
    assert rows[0].what == "保存联系人"
    assert rows[0].error_type == "builtins.ValueError"


def test_oversize_is_refused_and_nothing_is_stored(report_app: FastAPI) -> None:
    with peer(report_app) as client:
        big = report(traceback="x" * (MAX_BODY + 10))
        response = client.post(f"{API}/reports", json=big)
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "too_large"
        long = report(message="m" * (MESSAGE_MAX + 1))
        response = client.post(f"{API}/reports", json=long)
        assert response.status_code == 422
        assert response.json()["error"]["field"] == "message"
        bad = client.post(f"{API}/reports", json=report(report_id="not-a-uuid"))
        assert bad.status_code == 422
        assert bad.json()["error"]["field"] == "report_id"
        extra = client.post(f"{API}/reports", json=report(username="wang"))
        assert extra.status_code == 422
    assert stored_rows(report_app, big["report_id"]) == []
    assert stored_rows(report_app, long["report_id"]) == []


def test_one_address_is_throttled(report_app: FastAPI) -> None:
    with peer(report_app) as client:
        answers = [client.post(f"{API}/reports", json=report()).status_code for _ in range(6)]
    assert answers == [201] * 5 + [429]
    with peer(report_app) as other:
        assert other.post(f"{API}/reports", json=report()).status_code == 201


def test_support_follows_the_settings(database_url: str, tmp_path: Path) -> None:
    app = create_app(
        cheap_settings(
            tmp_path,
            database_url,
            support_phone="400-820-8820",
            support_email="help@almanac.cn",
        )
    )
    with TestClient(app) as client:
        body = client.get(f"{API}/support").json()
    assert body["phone"] == "400-820-8820"
    assert body["email"] == "help@almanac.cn"
    assert "示例" in body["hours"]
    assert body["placeholder"] == {"phone": False, "email": False, "hours": True}
    assert body["configured"] is False


def test_support_defaults_are_said_to_be_defaults(report_app: FastAPI) -> None:
    with peer(report_app) as client:
        body = client.get(f"{API}/support").json()
    assert body["configured"] is False
    assert all(body["placeholder"].values())


def test_list_newest_first_with_since_and_limit(report_app: FastAPI) -> None:
    from datetime import UTC, datetime, timedelta

    from almanac.server.reports import ReportIn

    store = ReportStore(report_app.state.ctx.engine)
    base = datetime(2031, 5, 1, 8, 0, tzinfo=UTC)
    ids = []
    for n in range(3):
        item = ReportIn.model_validate(report(what=f"step {n}"))
        assert store.add(item, now=base + timedelta(hours=n))
        ids.append(str(item.report_id))
    newest = store.list(limit=2, since=base)
    assert [r.report_id for r in newest] == [ids[2], ids[1]]
    assert newest[0].received_at == base + timedelta(hours=2)
    assert [r.report_id for r in store.list(since=base + timedelta(hours=1))] == ids[:0:-1]
    assert store.get(ids[0]).what == "step 0"
    assert store.get(str(newest[0].id)).report_id == ids[2]


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=60))
def test_scrub_removes_every_control_character_but_line_breaks(text: str) -> None:
    out = scrub(text)
    assert all(unicodedata.category(ch) not in ("Cc", "Cs") or ch in "\n\t" for ch in out)
    assert "\r" not in out and "\u2028" not in out
    kept = [
        ch for ch in text if ch == "\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Zl", "Zp")
    ]
    assert out.replace("\n", "") == "".join(kept).replace("\n", "")
