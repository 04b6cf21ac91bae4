"""Accounts over HTTP (R1): register, tokens per device, log out, password, the account."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from .support import API, PASSWORD, Person, login, register, sample, unique_name


def assert_envelope(response, status: int, code: str | None = None, field: str | None = None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    if code is not None:
        assert error["code"] == code, error
    if field is not None:
        assert error["field"] == field, error
    return error


def test_register_returns_the_public_user(client: TestClient) -> None:
    name = unique_name("Zhang")
    response = client.post(f"{API}/auth/register", json={"username": name, "password": PASSWORD})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "username", "created_at"}
    assert body["username"] == name.lower()  # names are case-insensitive (stored folded)


def test_register_refuses_a_taken_name_and_bad_input(client: TestClient) -> None:
    name = register(client)
    taken = client.post(
        f"{API}/auth/register", json={"username": name.upper(), "password": PASSWORD}
    )
    assert_envelope(taken, 409, "duplicate", "username")
    short = client.post(f"{API}/auth/register", json={"username": unique_name(), "password": "短"})
    assert_envelope(short, 422, field="password")
    missing = client.post(f"{API}/auth/register", json={"username": unique_name()})
    assert_envelope(missing, 422, "required", "password")


def test_token_names_its_device_and_opens_the_api(client: TestClient) -> None:
    name = register(client)
    response = login(client, name, device="  我的手机  ")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "token_id", "device", "store_secret"}
    assert body["device"] == "我的手机"
    me = client.get(f"{API}/account", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200
    assert me.json()["username"] == name


def test_wrong_password_is_401_with_www_authenticate(client: TestClient) -> None:
    name = register(client)
    error = assert_envelope(login(client, name, "not the password"), 401, "bad_credentials")
    assert "password" not in error.get("field", "")
    unknown = login(client, unique_name(), PASSWORD)
    assert_envelope(unknown, 401, "bad_credentials")
    assert unknown.headers["www-authenticate"] == "Bearer"


def test_five_wrong_passwords_then_429_with_retry_after(client: TestClient) -> None:
    name = register(client)
    for _ in range(5):
        assert login(client, name, "wrong password!").status_code == 401
    refused = login(client, name, PASSWORD)  # even the right password is refused now
    assert_envelope(refused, 429, "throttled")
    assert int(refused.headers["retry-after"]) >= 1


def test_without_or_with_a_bad_token_is_401(client: TestClient) -> None:
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        response = client.get(f"{API}/contacts", headers=headers)
        assert_envelope(response, 401, "not_authenticated")
        assert response.headers["www-authenticate"] == "Bearer"


def test_logout_revokes_only_the_token_used(client: TestClient, person: Person) -> None:
    other = login(client, person.username, device="平板").json()
    assert person.delete("/auth/token").status_code == 204
    assert_envelope(person.get("/account"), 401, "not_authenticated")
    still = client.get(f"{API}/account", headers={"Authorization": f"Bearer {other['token']}"})
    assert still.status_code == 200


def test_tokens_are_listed_without_secrets_and_revocable(
    client: TestClient, person: Person
) -> None:
    phone = login(client, person.username, device="手机").json()
    listed = person.get("/auth/tokens")
    assert listed.status_code == 200
    tokens = {t["id"]: t for t in listed.json()}
    assert set(tokens) == {person.token_id, phone["token_id"]}
    assert tokens[person.token_id]["current"] is True
    assert tokens[phone["token_id"]] | {"current": False} == tokens[phone["token_id"]]
    assert tokens[phone["token_id"]]["device"] == "手机"
    assert person.token not in listed.text and phone["token"] not in listed.text
    assert person.delete(f"/auth/tokens/{phone['token_id']}").status_code == 204
    gone = client.get(f"{API}/account", headers={"Authorization": f"Bearer {phone['token']}"})
    assert gone.status_code == 401
    assert_envelope(person.delete(f"/auth/tokens/{phone['token_id']}"), 404, "not_found")


def test_someone_elses_token_cannot_be_revoked(
    client: TestClient, make_person: Callable[[], Person]
) -> None:
    alice, bob = make_person(), make_person()
    assert_envelope(bob.delete(f"/auth/tokens/{alice.token_id}"), 404, "not_found")
    assert alice.get("/account").status_code == 200


def test_change_password_revokes_every_other_token(client: TestClient, person: Person) -> None:
    other = login(client, person.username, device="办公室").json()
    new_password = "新的密码 new password"
    wrong = person.post(
        "/auth/password", {"old_password": "wrong password", "new_password": new_password}
    )
    assert_envelope(wrong, 401, "bad_credentials")
    weak = person.post("/auth/password", {"old_password": PASSWORD, "new_password": "short"})
    assert_envelope(weak, 422, field="new_password")
    done = person.post("/auth/password", {"old_password": PASSWORD, "new_password": new_password})
    assert done.status_code == 204
    assert person.get("/account").status_code == 200  # the token used is kept
    revoked = client.get(f"{API}/account", headers={"Authorization": f"Bearer {other['token']}"})
    assert revoked.status_code == 401
    assert login(client, person.username, PASSWORD).status_code == 401
    assert login(client, person.username, new_password).status_code == 201


def test_delete_account_removes_the_person_and_their_data(
    client: TestClient, person: Person
) -> None:
    group = person.create("groups", sample("groups"))
    wrong = person.delete("/account", {"password": "not my password"})
    assert_envelope(wrong, 401, "bad_credentials")
    assert person.get(f"/groups/{group['id']}").status_code == 200
    assert person.delete("/account", {"password": PASSWORD}).status_code == 204
    assert_envelope(person.get("/account"), 401, "not_authenticated")
    assert login(client, person.username).status_code == 401
    # The name is free again, and the new account starts empty.
    register(client, person.username)
    token = login(client, person.username).json()["token"]
    listed = client.get(f"{API}/groups", headers={"Authorization": f"Bearer {token}"})
    assert listed.json() == {"items": [], "next_cursor": None}
