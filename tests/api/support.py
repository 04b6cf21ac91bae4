"""Helpers for the API tests: cheap settings, a person with a token, sample records."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient

from almanac.server.settings import ServerSettings

API = "/api/v1"
PASSWORD = "correct horse 电池 staple"
PLURALS = ("groups", "contacts", "memos", "birthdays", "holidays", "events")


def cheap_settings(data_dir: Path, database_url: str, **overrides: Any) -> ServerSettings:
    """Settings for tests: the given database, fast Argon2."""
    values: dict[str, Any] = {
        "db": database_url,
        "data_dir": data_dir,
        "argon2_time_cost": 1,
        "argon2_memory_kib": 8,
        "argon2_parallelism": 1,
        **overrides,
    }
    return ServerSettings(**values)


def unique_name(prefix: str = "u") -> str:
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@dataclass
class Person:
    """One registered person with an API token, talking to the app through ``client``."""

    client: TestClient
    username: str
    password: str
    token: str
    token_id: int
    user_id: int
    made: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(API + path, headers=self._h(kwargs), **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.client.post(API + path, json=json, headers=self._h(kwargs), **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.client.patch(API + path, json=json, headers=self._h(kwargs), **kwargs)

    def delete(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.client.request(
            "DELETE", API + path, json=json, headers=self._h(kwargs), **kwargs
        )

    def create(self, plural: str, data: dict[str, Any]) -> dict[str, Any]:
        response = self.post(f"/{plural}", data)
        assert response.status_code == 201, response.text
        body: dict[str, Any] = response.json()
        return body

    def _h(self, kwargs: dict[str, Any]) -> dict[str, str]:
        return {**self.headers, **kwargs.pop("headers", {})}


def register(client: TestClient, username: str | None = None, password: str = PASSWORD) -> str:
    username = username or unique_name()
    response = client.post(
        f"{API}/auth/register", json={"username": username, "password": password}
    )
    assert response.status_code == 201, response.text
    return username


def login(client: TestClient, username: str, password: str = PASSWORD, device: str = "测试电脑"):
    return client.post(
        f"{API}/auth/token", json={"username": username, "password": password, "device": device}
    )


def new_person(client: TestClient, password: str = PASSWORD) -> Person:
    username = register(client, password=password)
    response = login(client, username, password)
    assert response.status_code == 201, response.text
    token = response.json()
    me = client.get(f"{API}/account", headers={"Authorization": f"Bearer {token['token']}"})
    assert me.status_code == 200, me.text
    return Person(
        client=client,
        username=username,
        password=password,
        token=token["token"],
        token_id=token["token_id"],
        user_id=me.json()["id"],
    )


def sample(plural: str, refs: dict[str, str] | None = None) -> dict[str, Any]:
    """Valid content of each kind; ``refs`` holds ids of a group and a contact to link."""
    refs = refs or {}
    if plural == "groups":
        return {"name": unique_name("家人-")}
    if plural == "contacts":
        return {
            "name": "张三",
            "phones": [{"label": "mobile", "value": "+86 138 0013 8000"}],
            "emails": [{"label": "work", "value": "zhangsan@example.com"}],
            "company": "阿里巴巴",
            "groups": [refs["group"]] if "group" in refs else [],
            "birthday": {"calendar": "lunar", "month": 8, "day": 15},
        }
    if plural == "memos":
        return {
            "title": "买菜",
            "body": "鸡蛋\n牛奶",
            "pinned": True,
            "due": "2026-12-01T09:00:00+08:00",
        }
    if plural == "birthdays":
        data: dict[str, Any] = {
            "name": "李四",
            "date": {"calendar": "solar", "month": 2, "day": 29},
        }
        if "contact" in refs:
            data["contact_id"] = refs["contact"]
        return data
    if plural == "holidays":
        return {"name": "春节", "date": {"calendar": "lunar", "month": 1, "day": 1}, "yearly": True}
    if plural == "events":
        return {
            "title": "周会",
            "start": "2026-12-07T10:00:00",
            "end": "2026-12-07T11:00:00",
            "timezone": "Asia/Shanghai",
            "rrule": "FREQ=WEEKLY;BYDAY=MO",
        }
    raise KeyError(plural)


def one_of_each(person: Person) -> dict[str, dict[str, Any]]:
    """Create one record of every kind (the contact in the group, the birthday linked)."""
    made: dict[str, dict[str, Any]] = {}
    made["groups"] = person.create("groups", sample("groups"))
    refs = {"group": made["groups"]["id"]}
    made["contacts"] = person.create("contacts", sample("contacts", refs))
    refs["contact"] = made["contacts"]["id"]
    for plural in ("memos", "birthdays", "holidays", "events"):
        made[plural] = person.create(plural, sample(plural, refs))
    return made
