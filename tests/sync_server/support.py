"""Helpers for the sync server tests: mutations, pushes and whole pulls over HTTP; the
search-term rows a person holds and those their records want."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from almanac.model import load_content
from almanac.server.db.tables import record_terms
from almanac.server.records.terms import terms_of
from api.support import Person, login, sample


def held_terms(engine: sa.Engine, owner: int) -> dict[str, set[tuple[str, str]]]:
    """The owner's ``record_terms`` rows: record id → (term, sort key) pairs."""
    terms: dict[str, set[tuple[str, str]]] = {}
    t = record_terms.c
    with engine.connect() as conn:
        query = sa.select(t.record_id, t.term, t.sort_key).where(t.owner_id == owner)
        for rid, term, key in conn.execute(query):
            terms.setdefault(rid, set()).add((term, key))
    return terms


def wanted_terms(row: Any) -> set[tuple[str, str]]:
    """The (term, sort key) pairs a ``records`` row's content wants (none for a tombstone)."""
    if row.deleted:
        return set()
    content = load_content(row.kind, json.loads(row.data))
    return {(term, row.sort_key) for term in terms_of(row.kind, content)}


def mutation(op: str, record_id: str, kind: str = "contact", **extra: Any) -> dict[str, Any]:
    return {
        "mutation_id": str(uuid.uuid4()),
        "record_id": record_id,
        "kind": kind,
        "op": op,
        **extra,
    }


def push(person: Person, *mutations: dict[str, Any]) -> list[dict[str, Any]]:
    response = person.post("/sync/push", {"mutations": list(mutations)})
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def pull_all(person: Person, cursor: int = 0, limit: int = 500) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    while True:
        response = person.get("/sync/pull", params={"cursor": cursor, "limit": limit})
        assert response.status_code == 200, response.text
        page = response.json()
        changes += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return changes


def new_contact(person: Person) -> dict[str, Any]:
    rid = str(uuid.uuid4())
    [result] = push(person, mutation("create", rid, changes=sample("contacts")))
    assert result["status"] == "applied", result
    record: dict[str, Any] = result["record"]
    return record


def pull_page(person: Person, cursor: int, limit: int = 500) -> dict[str, Any]:
    response = person.get("/sync/pull", params={"cursor": cursor, "limit": limit})
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


def last_cursor(person: Person) -> int:
    """Where a device that has pulled everything now stands."""
    cursor = 0
    while True:
        page = pull_page(person, cursor)
        cursor = page["next_cursor"]
        if not page["more"]:
            return cursor


def second_device(person: Person, device: str = "家里的电脑") -> Person:
    """The same person logged in from another device (its own token)."""
    response = login(person.client, person.username, person.password, device)
    assert response.status_code == 201, response.text
    body = response.json()
    return replace(person, token=body["token"], token_id=body["token_id"], made={})
