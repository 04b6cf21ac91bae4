"""The person's settings on the client (R3; issue 5 §3, issue 6 §6) against a live server:
changed offline at once, sent by the next sync, field-wise last writer wins between
devices, a pending change kept through an offline sync and a restart, bad input named."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from almanac.calendar.festivals import FESTIVALS
from almanac.client.facade import Client
from almanac.client.preferences import festival_patch
from almanac.errors import InvalidInput, Offline
from almanac.model.preferences import Preferences
from almanac.remote import HttpTransport

from .conftest import Account, free_port


def server_settings(account: Account) -> dict[str, Any]:
    response = httpx.get(
        f"{account.server.url}/api/v1/settings",
        headers={"Authorization": f"Bearer {account.api_token()}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["settings"]
    return data


def web_patch(account: Account, patch: dict[str, Any]) -> None:
    """As the web settings page does: another device changes settings."""
    response = httpx.patch(
        f"{account.server.url}/api/v1/settings",
        json=patch,
        headers={"Authorization": f"Bearer {account.api_token()}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def offline_client(account: Account, home: Path) -> Client:
    unreachable = f"http://127.0.0.1:{free_port()}"
    client = Client.open(
        account.password, home=home, transport=lambda _: HttpTransport(unreachable)
    )
    client.profile = client.profile.model_copy(update={"server_url": unreachable})
    return client


def test_offline_set_then_sync(account: Account, tmp_path: Path) -> None:
    """R3: set while offline → shown at once, pending; the next online sync sends it."""
    account.login(tmp_path).close()
    with offline_client(account, tmp_path) as client:
        prefs = client.set_preferences({"language": "en", "festivals_hidden": ["qixi", "laba"]})
        assert prefs.language == "en" and prefs.festivals_hidden == ("laba", "qixi")
        assert client.preferences() == prefs
        with pytest.raises(Offline):
            client.sync()
        assert client.pending_preferences() == {
            "language": "en",
            "festivals_hidden": ["laba", "qixi"],
        }
    assert server_settings(account)["language"] == "zh-CN"  # nothing reached the server yet
    with account.open(tmp_path) as client:  # a restart: still pending
        assert client.preferences().language == "en"
        client.sync()
        assert client.pending_preferences() == {}
        assert client.preferences().festivals_hidden == ("laba", "qixi")
    remote = server_settings(account)
    assert remote["language"] == "en" and remote["festivals_hidden"] == ["laba", "qixi"]


def test_two_devices_change_different_fields(account: Account, tmp_path: Path) -> None:
    """Field-wise last writer wins: the phone's clock and the PC's week start both stay."""
    with (
        account.login(tmp_path / "pc", device="电脑") as pc,
        account.login(tmp_path / "laptop", device="笔记本") as laptop,
    ):
        pc.set_preferences({"week_start": 7})
        laptop.set_preferences({"clock_format": "12h", "time_zone": "Asia/Tokyo"})
        pc.sync()
        laptop.sync()
        pc.sync()
        for device in (pc, laptop):
            prefs = device.preferences()
            assert (prefs.week_start, prefs.clock_format, prefs.time_zone) == (
                7,
                "12h",
                "Asia/Tokyo",
            )
        # the same field on both: the later writer wins
        pc.set_preferences({"clock_format": "24h"})
        pc.sync()
        laptop.set_preferences({"clock_format": "12h"})
        laptop.sync()
        pc.sync()
        assert pc.preferences().clock_format == "12h"


def test_web_change_followed_and_reset(account: Account, tmp_path: Path) -> None:
    """A change made on the web arrives with a sync; null resets a field to its default."""
    with account.login(tmp_path) as client:
        web_patch(account, {"start_page": "calendar", "clock_visible": False})
        default = Preferences().start_page
        assert client.preferences().start_page == default
        client.sync()
        assert client.preferences().start_page == "calendar"
        assert client.preferences().clock_visible is False
        client.set_preferences({"start_page": None})
        assert client.preferences().start_page == default
        client.sync()
        assert client.pending_preferences() == {}
    assert server_settings(account)["start_page"] == default


def test_login_fetches_settings(account: Account, tmp_path: Path) -> None:
    web_patch(account, {"language": "en"})
    with account.login(tmp_path) as client:
        assert client.preferences().language == "en"
        assert client.pending_preferences() == {}


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"language": "fr"}, "language"),
        ({"week_start": 0}, "week_start"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"festivals_hidden": ["no_such_day"]}, "festivals_hidden"),
        ({"clock_format": "13h"}, "clock_format"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_named_nothing_changes(
    account: Account, tmp_path: Path, patch: dict[str, Any], field: str
) -> None:
    with account.login(tmp_path) as client:
        client.set_preferences({"clock_format": "12h"})
        before = (client.preferences(), client.pending_preferences())
        with pytest.raises(InvalidInput) as caught:
            client.set_preferences({"week_start": 7, **patch})
        assert field in {p.field.split(".")[0] for p in caught.value.problems}
        assert (client.preferences(), client.pending_preferences()) == before


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    patches=st.lists(
        st.fixed_dictionaries(
            {},
            optional={
                "language": st.sampled_from(["zh-CN", "en", None]),
                "clock_format": st.sampled_from(["24h", "12h", None]),
                "week_start": st.one_of(st.integers(1, 7), st.none()),
                "clock_visible": st.one_of(st.booleans(), st.none()),
            },
        ),
        max_size=5,
    )
)
def test_local_view_is_patches_in_order(
    tmp_path_factory: pytest.TempPathFactory, patches: list[dict[str, Any]]
) -> None:
    """Offline, what is shown is the patches applied in order to the defaults (no server)."""
    from almanac.client import preferences
    from almanac.store.local import LocalStore

    path = tmp_path_factory.mktemp("prefs") / "store.db"
    store = LocalStore.create(path, b"k" * 32)
    try:
        expected = Preferences()
        for patch in patches:
            expected = expected.patched(patch)
            assert preferences.change(store, patch) == expected
        assert preferences.current(store) == expected
    finally:
        store.close()


KNOWN = st.frozensets(st.sampled_from([f.id for f in FESTIVALS]))


@given(hidden=KNOWN, turned_on=KNOWN, hide=KNOWN, show=KNOWN)
def test_festival_patch_shows_what_was_seen_less_hide_plus_show(
    hidden: frozenset[str], turned_on: frozenset[str], hide: frozenset[str], show: frozenset[str]
) -> None:
    """``settings set --hide-festival/--show-festival`` (R3): after the patch the person
    sees what they saw, less the hidden, plus the shown (shown wins); no change, no patch."""
    prefs = Preferences(festivals_hidden=tuple(hidden), festivals_shown=tuple(turned_on))
    patch = festival_patch(prefs, hide, show)
    after = prefs.patched(patch)
    assert after.festivals_seen() == (prefs.festivals_seen() - hide) | show
    if after.festivals_seen() == prefs.festivals_seen():
        assert festival_patch(after, hide, show) == {}


def test_festival_patch_keeps_unknown_ids_for_the_check_to_name() -> None:
    patch = festival_patch(Preferences(), hide=["不是节日"], show=["也不是"])
    assert patch == {"festivals_hidden": ["不是节日"], "festivals_shown": ["也不是"]}
    with pytest.raises(InvalidInput) as caught:
        Preferences().patched(patch)
    assert {p.field.split(".")[0] for p in caught.value.problems} == set(patch)


def test_festival_patch_leaves_a_list_it_does_not_need_alone() -> None:
    """Stored lists with redundant entries (the API accepts any known ids) are not tidied by
    an unrelated change: a pending patch of an untouched list could undo another device's
    change to it."""
    prefs = Preferences(festivals_shown=("chongyang",), festivals_hidden=("xiaonian_south",))
    assert festival_patch(prefs, show=["chunjie"]) == {}
    assert festival_patch(prefs, hide=["qixi"]) == {"festivals_hidden": ["qixi", "xiaonian_south"]}
