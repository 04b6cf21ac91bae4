"""Login makes an encrypted profile; every edit works offline (issue 3 §1, §2; R1, R12, R14)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from almanac.client.facade import Client
from almanac.client.transport import Transport
from almanac.errors import NotFound, NotLoggedIn, Offline, WrongPassword
from almanac.remote import HttpTransport

from .conftest import Account, free_port

ZHANG = {"name": "张伟", "phones": [{"value": "13812345678"}], "notes": "老同学，住在杭州"}


def no_network(server_url: str) -> Transport:
    raise AssertionError(f"open() and local edits must not reach {server_url}")


def test_login_creates_an_encrypted_profile_under_home(account: Account, tmp_path: Path) -> None:
    """Issue 3 §1: one encrypted store per profile under --home; the raw files hold neither
    the names nor the phone numbers, nor the token (R12)."""
    with account.login(tmp_path) as client:
        client.add("contact", ZHANG)
        client.sync()
        client.add("memo", {"title": "给王芳打电话", "body": "电话 13998765432"})
        status = client.status()
        token = client._token()
    assert status.store_path.is_relative_to(tmp_path)
    assert status.user == account.username and status.pending == 1
    profile = json.loads((status.store_path.parent / "profile.json").read_text("utf-8"))
    assert profile["user"] == account.username
    raw = b"".join(p.read_bytes() for p in status.store_path.parent.iterdir() if p.is_file())
    for secret in ("张伟", "13812345678", "杭州", "王芳", "13998765432", token):
        assert secret.encode("utf-8") not in raw, secret


def test_every_edit_works_offline_without_any_network_call(
    account: Account, tmp_path: Path
) -> None:
    """Issue 3 §2: add, change, delete, list, get commit locally at once; open() needs no
    network (R14)."""
    account.login(tmp_path).close()
    with Client.open(account.password, home=tmp_path, transport=no_network) as client:
        zhang = client.add("contact", ZHANG)
        li = client.add("contact", {"name": "李娜", "phones": [{"value": "13700001111"}]})
        edited = client.edit("contact", str(zhang.id)[:8], {"company": "西湖书店"})
        assert edited.content["company"] == "西湖书店" and edited.pending
        client.remove("contact", li.id)
        with pytest.raises(NotFound):
            client.get("contact", li.id)
        with pytest.raises(NotFound):
            client.get("memo", zhang.id)  # the id is a contact's
        names = [i.content["name"] for i in client.list("contact").items]
        assert names == ["张伟"]
        assert client.status().pending == 1  # create+edit compacted; li's create cancelled
    # an unreachable server: the edits stay, sync says Offline
    unreachable = f"http://127.0.0.1:{free_port()}"
    with Client.open(
        account.password, home=tmp_path, transport=lambda _: HttpTransport(unreachable)
    ) as client:
        client.profile = client.profile.model_copy(update={"server_url": unreachable})
        with pytest.raises(Offline):
            client.sync()
        assert client.status(check_online=True).online is False
        assert client.get("contact", zhang.id).content["company"] == "西湖书店"
        assert client.status().pending == 1


def test_open_wrong_password_and_no_profile(account: Account, tmp_path: Path) -> None:
    """R1/R12: a wrong password says so and changes nothing; no profile → log in first."""
    with pytest.raises(NotLoggedIn):
        Client.open(account.password, home=tmp_path, transport=no_network)
    account.login(tmp_path).close()
    with pytest.raises(WrongPassword):
        Client.open("不对的密码", home=tmp_path, transport=no_network)
    Client.open(account.password, home=tmp_path, transport=no_network).close()


def test_logout_keeps_the_store_and_forgets_the_token(account: Account, tmp_path: Path) -> None:
    """Issue 3 §6: logout revokes the token; the store and its edits stay."""
    with account.login(tmp_path) as client:
        client.add("memo", {"title": "周末去超市"})
        client.logout()
        with pytest.raises(NotLoggedIn):
            client.sync()
    with Client.open(account.password, home=tmp_path, transport=no_network) as client:
        assert [i.content["title"] for i in client.list("memo").items] == ["周末去超市"]
    with account.login(tmp_path) as client:
        report = client.sync()
        assert report.pushed == 1 and client.status().pending == 0
