"""Isolation (R1, issue 2 §5): person B walks every API route with person A's ids and gets
404 every time — never A's data, never a change to it. The routes are enumerated from the
app itself, so a new route cannot be forgotten: an unclassified route fails the test."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from almanac.model import KINDS, kind_for_plural

from .support import API, PLURALS, Person, one_of_each, sample

# Routes that take no id of anybody's: what they touch is the caller's own account.
OWN_ACCOUNT_ROUTES = {
    ("POST", "/auth/register"),
    ("POST", "/auth/token"),
    ("DELETE", "/auth/token"),
    ("GET", "/auth/tokens"),
    ("POST", "/auth/password"),
    ("GET", "/account"),
    ("DELETE", "/account"),
    ("PATCH", "/settings"),  # the caller's own settings (R3); tests/api/test_settings.py
}
# Routes that take no id and read only the caller's own records (issue 4's calendar), with
# the query each is walked with: B's answer holds none of A's ids.
OWN_DATA_ROUTES: dict[tuple[str, str], dict[str, str]] = {
    ("GET", "/calendar/days"): {"from": "2026-01-01", "to": "2026-12-31"},
    ("GET", "/upcoming"): {"days": "366"},
    ("GET", "/reminders/due"): {},
    ("GET", "/settings"): {},
    ("GET", "/sync/pull"): {"cursor": "0"},
    ("GET", "/conflicts"): {"resolved": "false"},
}
# Routes that take ids in their body: the sync push, walked with A's ids in
# tests/sync_server/test_sync_api.py (B's mutations of A's ids are rejected as not found).
BODY_ID_ROUTES = {("POST", "/sync/push")}
# Routes that touch nobody's data: an error report holds no person (R10; issue 6 §4) and
# the support contact is the company's; tests/api/test_reports_api.py.
PUBLIC_ROUTES = {("POST", "/reports"), ("GET", "/support")}
PATCH_BODY = {
    "groups": {"name": "B 改的"},
    "contacts": {"name": "B 改的"},
    "memos": {"title": "B 改的"},
    "birthdays": {"name": "B 改的"},
    "holidays": {"name": "B 改的"},
    "events": {"title": "B 改的"},
}


def api_routes(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path below /api/v1) of every API route of the app."""
    found = []
    for route in iter_route_contexts(app.routes):  # included routers flattened
        path, methods = route.path, route.methods
        if isinstance(route.original_route, APIRoute) and path and path.startswith(API + "/"):
            for method in sorted((methods or set()) - {"HEAD", "OPTIONS"}):
                found.append((method, path.removeprefix(API)))
    return found


def snapshot(a: Person, made: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """A's records and lists exactly as A gets them (bytes)."""
    shot = {}
    for plural, record in made.items():
        one = a.get(f"/{plural}/{record['id']}")
        assert one.status_code == 200
        shot[f"{plural}/{record['id']}"] = one.content
        shot[plural] = a.get(f"/{plural}").content
    shot["tokens"] = a.get("/auth/tokens").content
    return shot


def a_data_in(text: str, made: dict[str, dict[str, Any]]) -> list[str]:
    return [record["id"] for record in made.values() if record["id"] in text]


def call_by_id(b: Person, method: str, path: str, plural: str, record_id: str) -> Any:
    url = path.replace("{id}", record_id)
    if method == "GET":
        return b.get(url)
    if method == "PATCH":
        return b.patch(url, PATCH_BODY[plural], headers={"If-Match": "1"})
    return b.delete(url)


def walk_as_b(route: tuple[str, str], b: Person, a: Person, made: dict[str, dict[str, Any]]):
    method, path = route
    segment = path.strip("/").split("/")[0]
    if "{token_id}" in path:
        response = b.delete(path.replace("{token_id}", str(a.token_id)))
        assert response.status_code == 404, (route, response.text)
        return
    if "{id}" in path:
        record_id, ghost = made[segment]["id"], str(uuid.uuid4())
        response = call_by_id(b, method, path, segment, record_id)
        assert response.status_code == 404, (route, response.text)
        assert response.json()["error"]["code"] == "not_found"
        # Exactly what an id that never existed gets: nothing tells A's ids apart.
        missing = call_by_id(b, method, path, segment, ghost)
        assert response.text.replace(record_id, "ID") == missing.text.replace(ghost, "ID")
        return
    spec = kind_for_plural(segment)
    if method == "GET":
        walk_list(b, made, segment)
        return
    assert method == "POST", route
    walk_create(b, made, segment)
    assert spec.kind in KINDS


def walk_list(b: Person, made: dict[str, dict[str, Any]], plural: str) -> None:
    spec = kind_for_plural(plural)
    b_ids = {r["id"] for r in b.get(f"/{plural}", params={"limit": 500}).json()["items"]}
    params: dict[str, str] = {"q": "张三", "limit": "500"}
    for name, flt in spec.filters.items():
        if flt.type == "uuid":
            linked = {"group": "groups", "contact": "contacts"}[name]
            params[name] = made[linked]["id"]
    for query in ({}, params, {"q": "zs"}):
        response = b.get(f"/{plural}", params=query)
        assert response.status_code == 200, response.text
        owners = {item["id"] for item in response.json()["items"]}
        assert owners <= b_ids, (plural, query)  # only B's own records, if any
        assert not a_data_in(response.text, made)
    assert made[plural]["id"] not in b_ids


def walk_create(b: Person, made: dict[str, dict[str, Any]], plural: str) -> None:
    # A's id as the client-made id of B's new record: refused, and A's record is untouched.
    reuse = b.post(f"/{plural}", {**sample(plural), "id": made[plural]["id"]})
    assert reuse.status_code in (404, 409), reuse.text
    assert set(reuse.json()) == {"error"}  # an envelope, nothing of A's record
    # A's ids as references from B's records: as unknown as ids that never existed.
    refs = {"group": made["groups"]["id"], "contact": made["contacts"]["id"]}
    if plural == "contacts":
        linked = b.post("/contacts", sample("contacts", refs))
        assert linked.status_code == 422 and linked.json()["error"]["field"] == "groups.0"
    if plural == "birthdays":
        linked = b.post("/birthdays", sample("birthdays", refs))
        assert linked.status_code == 422 and linked.json()["error"]["field"] == "contact_id"


def test_b_can_neither_see_nor_change_a_records(
    app: FastAPI, person: Person, make_person: Any
) -> None:
    a, b = person, make_person()
    made = one_of_each(a)
    assert set(made) == set(PLURALS) == {spec.plural for spec in KINDS.values()}
    before = snapshot(a, made)
    b_own = one_of_each(b)  # B has records of its own too

    routes = api_routes(app)
    unclassified = [
        r
        for r in routes
        if r not in OWN_ACCOUNT_ROUTES
        and r not in OWN_DATA_ROUTES
        and r not in BODY_ID_ROUTES
        and r not in PUBLIC_ROUTES
        and r[1].strip("/").split("/")[0] not in PLURALS
        and "{token_id}" not in r[1]
    ]
    assert unclassified == [], "classify these routes in the isolation test"
    walked = 0
    for route in routes:
        if route in OWN_ACCOUNT_ROUTES or route in BODY_ID_ROUTES or route in PUBLIC_ROUTES:
            continue
        if route in OWN_DATA_ROUTES:
            response = b.get(route[1], params=OWN_DATA_ROUTES[route])
            assert response.status_code == 200, (route, response.text)
            assert a_data_in(response.text, made) == [], route
            continue
        walk_as_b(route, b, a, made)
        walked += 1
    assert walked == 5 * len(PLURALS) + 1

    assert snapshot(a, made) == before
    for plural, record in b_own.items():  # B still sees B's own records
        assert b.get(f"/{plural}/{record['id']}").status_code == 200


def test_ids_that_never_existed_look_the_same_as_other_peoples(person: Person) -> None:
    other = person.get(f"/memos/{uuid.uuid4()}")
    assert other.status_code == 404
    assert set(other.json()["error"]) == {"code", "message"}
