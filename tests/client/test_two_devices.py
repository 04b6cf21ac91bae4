"""Two devices (two homes) of one person against a real server (issue 3 §3, "Done means";
R8, R14): different fields both survive, the same field makes a conflict both see and either
can settle, an edit beats a delete, a replay after a lost response applies once."""

from __future__ import annotations

from pathlib import Path

import pytest

from almanac.client.facade import Client
from almanac.errors import InvalidInput, Offline
from almanac.remote import HttpTransport
from almanac.sync.merge import RESURRECTED
from almanac.sync.protocol import PullResponse

from .conftest import Account

WANG = {"name": "王芳", "phones": [{"value": "13912345678"}], "company": "西湖书店"}


def shared_contact(office: Client, home: Client) -> str:
    record = office.add("contact", WANG)
    office.sync()
    home.sync()
    assert home.get("contact", record.id).content["name"] == "王芳"
    return str(record.id)


def test_offline_edits_of_different_fields_both_survive(devices: tuple[Client, Client]) -> None:
    """Issue 3 §3: concurrent changes to different fields of one record both survive."""
    office, home = devices
    rid = shared_contact(office, home)
    office.edit("contact", rid, {"company": "新华书店"})
    home.edit("contact", rid, {"notes": "喜欢喝龙井"})
    office.sync()
    report = home.sync()
    office.sync()
    assert not report.notices and not report.conflicts
    for device in (office, home):
        content = device.get("contact", rid).content
        assert (content["company"], content["notes"]) == ("新华书店", "喜欢喝龙井")
        assert device.status().pending == 0


def test_same_field_conflict_is_seen_everywhere_and_settled_by_choosing(
    devices: tuple[Client, Client],
) -> None:
    """Issue 3 §3: the later arrival wins, the other value is a stored conflict both devices
    see; `conflicts resolve ID --keep VERSION` brings the other value back everywhere."""
    office, home = devices
    rid = shared_contact(office, home)
    office.edit("contact", rid, {"company": "新华书店"})
    home.edit("contact", rid, {"company": "三联书店"})
    office.sync()
    report = home.sync()  # arrives later: wins
    assert [n.what for n in report.notices] == ["conflict"]
    # once in the report, though the push's answer and the pull after it both name it
    # (the CLI said "2 conflicts" for one)
    [reported] = report.conflicts
    office.sync()
    [mine] = home.conflicts()
    assert reported.id == mine.id
    [theirs] = office.conflicts()
    assert mine.id == theirs.id
    assert (mine.kept_value, mine.other_value) == ("三联书店", "新华书店")
    assert office.get("contact", rid).content["company"] == "三联书店"
    assert mine.other_version is not None
    settled = home.resolve(str(mine.id)[:8], keep=mine.other_version)
    assert settled.content["company"] == "新华书店"
    assert home.conflicts() == []  # resolved locally at once
    home.sync()
    office.sync()
    for device in (office, home):
        assert device.get("contact", rid).content["company"] == "新华书店"
        assert device.conflicts() == []
    assert [c.id for c in office.conflicts(resolved=True)] == [mine.id]


def test_resolve_refuses_a_version_the_conflict_does_not_name(
    devices: tuple[Client, Client],
) -> None:
    """Issue 3 §6: --keep must name one of the conflict's two versions (field "keep")."""
    office, home = devices
    rid = shared_contact(office, home)
    office.edit("contact", rid, {"company": "甲"})
    home.edit("contact", rid, {"company": "乙"})
    office.sync()
    home.sync()
    [conflict] = home.conflicts()
    with pytest.raises(InvalidInput) as caught:
        home.resolve(str(conflict.id), keep=99)
    assert caught.value.field == "keep"


def test_an_edit_beats_a_delete_and_the_person_is_told(devices: tuple[Client, Client]) -> None:
    """Issue 3 §3: an edit beats a concurrent delete — the record comes back, and the
    person is told (notice ``resurrected``)."""
    office, home = devices
    rid = shared_contact(office, home)
    office.remove("contact", rid)
    home.edit("contact", rid, {"notes": "别删，下周还要联系"})
    office.sync()
    report = home.sync()
    assert any(RESURRECTED in n.notices for n in report.notices)
    office.sync()
    assert office.get("contact", rid).content["notes"] == "别删，下周还要联系"


class LosesOneResponse(HttpTransport):
    """The server stores the push, the answer never arrives (the ownCloud/DAVx5 case)."""

    lost = 0

    def push_encoded(self, token: str, body: bytes) -> bytes:
        response = super().push_encoded(token, body)
        if not LosesOneResponse.lost:
            LosesOneResponse.lost += 1
            raise Offline(self.server_url, "the answer was lost")
        return response

    def pull(self, token: str, cursor: int, limit: int) -> PullResponse:
        return super().pull(token, cursor, limit)


def test_a_replay_after_a_lost_response_applies_once(account: Account, tmp_path: Path) -> None:
    """Issue 3 §3: the mutation was marked sent before the request; the retry carries the
    same mutation id; the server answers duplicate; one record, one version."""
    with account.login(tmp_path / "a") as device:
        rid = device.add("contact", WANG).id
        device.sync()
        device.edit("contact", rid, {"company": "商务印书馆"})
        device.add("memo", {"title": "只存一次"})
    lossy = Client.open(account.password, home=tmp_path / "a", transport=LosesOneResponse)
    with lossy:
        with pytest.raises(Offline):
            lossy.sync()
        assert lossy.status().pending == 2  # both still queued, marked sent
        assert all(p.sent for p in lossy.store.outbox())
        lossy.edit("contact", rid, {"notes": "丢了回答之后又改"})
        lossy.sync()
        assert lossy.status().pending == 0
    with account.login(tmp_path / "b") as other:
        other.sync()
        memos = other.list("memo").items
        assert [m.content["title"] for m in memos] == ["只存一次"]
        contact = other.get("contact", rid)
        assert contact.version == 3  # created, company, notes: the replay wrote nothing
        assert (contact.content["company"], contact.content["notes"]) == (
            "商务印书馆",
            "丢了回答之后又改",
        )
        assert other.conflicts() == []


def test_keeping_the_current_value_settles_the_conflict_everywhere(
    devices: tuple[Client, Client],
) -> None:
    """Issue 3 §3: --keep the kept version changes no field, yet the settlement reaches the
    server (an update with only ``resolves``) and the other device."""
    office, home = devices
    rid = shared_contact(office, home)
    office.edit("contact", rid, {"company": "新华书店"})
    home.edit("contact", rid, {"company": "三联书店"})
    office.sync()
    home.sync()
    office.sync()
    [conflict] = office.conflicts()
    office.resolve(str(conflict.id), keep=conflict.kept_version)
    assert office.status().pending == 1 and office.conflicts() == []
    office.sync()
    home.sync()
    assert home.conflicts() == [] and office.status().pending == 0
    for device in (office, home):
        assert device.get("contact", rid).content["company"] == "三联书店"
