"""The store secret in the token answer (issue 3 §1, R1, R12; docs/api.md): 32 random bytes,
base64url without padding, the same on every login of one person and through a password
change, different per person, never handed out except to a password login."""

from __future__ import annotations

import base64

import sqlalchemy as sa
from fastapi.testclient import TestClient

from almanac.server.db.tables import users

from .support import API, PASSWORD, Person, login, new_person


def decoded(secret: str) -> bytes:
    assert "=" not in secret and len(secret) == 43
    return base64.urlsafe_b64decode(secret + "=")


def test_a_login_gets_the_persons_32_byte_secret_every_time(person: Person) -> None:
    """R12: each login of one person answers the same secret (it wraps the store's key)."""
    first = login(person.client, person.username, device="办公室电脑").json()["store_secret"]
    second = login(person.client, person.username, device="家里电脑").json()["store_secret"]
    assert len(decoded(first)) == 32
    assert first == second


def test_the_secret_differs_per_person(client: TestClient) -> None:
    """R1: nobody can unwrap another person's store with their own secret."""
    secrets = set()
    for _ in range(3):
        person = new_person(client)
        secrets.add(login(client, person.username).json()["store_secret"])
    assert len(secrets) == 3


def test_the_secret_survives_a_password_change(person: Person) -> None:
    """Issue 3 §1: a password changed on the server re-keys the device store at the next
    online login, which needs the same secret as before."""
    before = login(person.client, person.username).json()["store_secret"]
    new_password = "新的密码 horse 2026"
    changed = person.post(
        "/auth/password", {"old_password": PASSWORD, "new_password": new_password}
    )
    assert changed.status_code == 204, changed.text
    after = login(person.client, person.username, new_password).json()["store_secret"]
    assert after == before


def test_no_other_answer_carries_the_secret(person: Person) -> None:
    """docs/api.md: only a password login gets it (a stolen token alone cannot unwrap)."""
    secret = login(person.client, person.username).json()["store_secret"]
    for path in ("/account", "/auth/tokens"):
        response = person.get(path)
        assert response.status_code == 200
        assert secret not in response.text
    openapi = person.client.get("/openapi.json").text
    assert secret not in openapi
    assert person.client.get(f"{API}/auth/tokens").status_code == 401


def test_a_person_without_a_secret_gets_one_at_login(person: Person, engine: sa.Engine) -> None:
    """A row made some other way than registration (no secret yet) gets one when it is
    first asked for, and keeps it."""
    with engine.begin() as conn:
        conn.execute(sa.update(users).where(users.c.id == person.user_id).values(store_secret=None))
    first = login(person.client, person.username).json()["store_secret"]
    assert len(decoded(first)) == 32
    assert login(person.client, person.username).json()["store_secret"] == first
