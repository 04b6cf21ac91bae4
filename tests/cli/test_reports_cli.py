"""``almanac reports`` (R10; issue 6 §4): the operator lists, as a table or JSON, the error
reports the API stored, newest first, filters them by date and shows one by its id — reading
the server's database directly, like ``almanac user``."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from almanac.cli.main import app
from almanac.server.app import create_app
from almanac.server.settings import ServerSettings


def post_reports(data_dir: Path, whats: list[str]) -> list[str]:
    server = create_app(ServerSettings(data_dir=data_dir, argon2_time_cost=1))
    ids = []
    with TestClient(server) as client:
        for what in whats:
            report_id = str(uuid.uuid4())
            body = {
                "report_id": report_id,
                "app_version": "0.1.0",
                "os": "Linux",
                "what": what,
                "error_type": "builtins.ZeroDivisionError",
                "message": "division by zero",
                "traceback": 'File "almanac/desktop/calendar_page.py", line 7, in refresh',
            }
            assert client.post("/api/v1/reports", json=body).status_code == 201
            ids.append(report_id)
    server.state.ctx.engine.dispose()
    return ids


def run(args: list[str], data_dir: Path) -> tuple[int, str]:
    result = CliRunner().invoke(app, args, env={"ALMANAC_DATA_DIR": str(data_dir)})
    return result.exit_code, result.output


def test_reports_lists_what_the_api_stored(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first, second = post_reports(data_dir, ["日历.刷新", "calendar.refresh"])

    code, out = run(["reports", "--json"], data_dir)
    assert code == 0, out
    listed = json.loads(out)
    assert [r["report_id"] for r in listed] == [second, first]
    assert listed[1]["what"] == "日历.刷新"
    assert listed[0]["error_type"] == "builtins.ZeroDivisionError"

    code, out = run(["reports", "list", "--limit", "1"], data_dir)
    assert code == 0, out
    assert "calendar.refresh" in out and "日历.刷新" not in out

    code, out = run(["reports", "list", "--since", "2999-01-01", "--json"], data_dir)
    assert (code, json.loads(out)) == (0, [])

    code, out = run(["reports", "show", first], data_dir)
    assert code == 0, out
    assert "division by zero" in out and "calendar_page.py" in out
    code, out = run(["reports", "show", str(listed[0]["id"]), "--json"], data_dir)
    assert json.loads(out)["report_id"] == second


def test_reports_bad_input_names_the_field(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    code, out = run(["reports", "--since", "yesterday"], data_dir)
    assert code == 2 and "since" in out
    code, out = run(["reports", "show", str(uuid.uuid4())], data_dir)
    assert code == 1
