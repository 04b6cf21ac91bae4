"""The sync web service spoken directly over HTTP (httpx), as a client would: register,
log in, push, pull every page (``docs/sync.md``; messages from ``almanac.sync.protocol``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from almanac.sync.protocol import PullResponse, PushRequest, PushResponse, RecordChange

API = "/api/v1"
PASSWORD = "春眠不觉晓 处处闻啼鸟"


@dataclass(frozen=True)
class Account:
    """A registered person and one device token."""

    username: str
    password: str
    token: str
    user_id: int

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def register(base_url: str, device: str = "测试电脑") -> Account:
    """Register a fresh person through the API and log in."""
    username = f"e2e{uuid.uuid4().hex[:12]}"
    with httpx.Client(base_url=base_url + API, timeout=10.0, verify=False) as http:
        made = http.post("/auth/register", json={"username": username, "password": PASSWORD})
        assert made.status_code == 201, made.text
        login = http.post(
            "/auth/token", json={"username": username, "password": PASSWORD, "device": device}
        )
        assert login.status_code == 201, login.text
        token = login.json()["token"]
        me = http.get("/account", headers={"Authorization": f"Bearer {token}"})
        assert me.status_code == 200, me.text
        return Account(username, PASSWORD, token, int(me.json()["id"]))


def push(http: httpx.Client, account: Account, request: PushRequest) -> PushResponse:
    """One push; transport errors (server gone, response cut) propagate to the caller."""
    response = http.post(
        f"{API}/sync/push",
        content=request.model_dump_json(),
        headers={**account.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    return PushResponse.model_validate_json(response.content)


def pull_pages(
    http: httpx.Client, account: Account, cursor: int = 0, limit: int = 200
) -> list[PullResponse]:
    """Every page from ``cursor`` on, in order."""
    pages: list[PullResponse] = []
    while True:
        response = http.get(
            f"{API}/sync/pull", params={"cursor": cursor, "limit": limit}, headers=account.headers
        )
        assert response.status_code == 200, response.text
        page = PullResponse.model_validate_json(response.content)
        assert not page.resync_required
        pages.append(page)
        cursor = page.next_cursor
        if not page.more:
            return pages


def pull_all(base_url: str, account: Account, limit: int = 200) -> list[RecordChange]:
    with httpx.Client(base_url=base_url, timeout=10.0, verify=False) as http:
        return [c for page in pull_pages(http, account, limit=limit) for c in page.changes]
