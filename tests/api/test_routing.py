"""The route table (issue 5 "Numbers"; R13): the JSON API is one branch under ``/api/v1`` that
a page's path never walks into, while its routes stay in the OpenAPI document, answer with
the error envelope, and a page path that merely looks like the prefix is a page."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match

from almanac.server.app import ApiBranch

from .support import API, PLURALS, Person
from .test_auth import assert_envelope


def _branch_route(app: FastAPI):  # type: ignore[no-untyped-def]
    found = [r for r in app.routes if isinstance(getattr(r, "original_router", None), ApiBranch)]
    assert len(found) == 1
    return found[0]


def _scope(path: str, method: str = "GET") -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": "", "headers": []}


def test_a_page_path_is_turned_away_by_the_branch(app: FastAPI) -> None:
    branch = _branch_route(app)
    for path in ("/contacts", "/calendar", "/healthz", "/api/v10/contacts", "/api/v1x", "/"):
        assert branch.matches(_scope(path))[0] == Match.NONE, path
    assert branch.matches(_scope(f"{API}/contacts"))[0] == Match.FULL
    assert branch.matches(_scope(f"{API}/contacts", "PUT"))[0] == Match.PARTIAL  # → 405


def test_every_api_route_is_still_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for plural in PLURALS:
        assert f"{API}/{plural}" in paths
    assert all(p.startswith(f"{API}/") or p == "/healthz" for p in paths), sorted(paths)


def test_the_api_and_the_pages_still_answer(client: TestClient, person: Person) -> None:
    assert client.get(f"{API}/contacts", headers=person.headers).status_code == 200
    assert_envelope(client.get(f"{API}/no-such-thing"), 404, "not_found")
    assert_envelope(
        client.put(f"{API}/contacts", headers=person.headers, json={}), 405, "method_not_allowed"
    )
    near = client.get("/api/v1x/contacts")
    assert near.status_code == 404
    assert client.get("/login").headers["content-type"].startswith("text/html")
