"""The sync page and the status bar (R8, R14; issue 6 §3) against a live server: the sync
button in a worker thread with progress, what reached the server and came back from another
device, a conflict settled by choosing a version, and the sync on coming back online."""

from __future__ import annotations

from pathlib import Path

from almanac.desktop.i18n import t
from almanac.desktop.window import MainWindow

from .conftest import Account, screenshot, wait_workers


def _sync(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.sync.finished, timeout=30_000) as blocker:
        window.sync_action.trigger()
        assert window.sync.running and not window.stack.isEnabled()
        assert not window.new_group_action.isEnabled()
    assert blocker.args == [True], window.sync.result.text()
    assert window.stack.isEnabled() and window.new_group_action.isEnabled()


def test_sync_button_sends_and_receives(
    qtbot, window: MainWindow, account: Account, tmp_path: Path
) -> None:
    """R8: the sync button pushes the app's edits and pulls another device's; the status
    bar then shows no unsent changes and the last sync."""
    window.client.add("contact", {"name": "陈静", "phones": [{"value": "13512345678"}]})
    window.contacts.reload()
    window.refresh_status()
    assert window.pending_label.text() == t("status.pending", n=1)
    _sync(qtbot, window)
    assert window.pending_label.text() == t("status.pending", n=0)
    assert window.last_sync_label.text() != t("status.never")
    assert window.sync.last_report is not None and window.sync.last_report.pushed == 1
    screenshot(window, "40-sync")

    other = account.login(tmp_path / "phone", device="家里电脑")
    other.sync()
    assert [c.content["name"] for c in other.list("contact").items] == ["陈静"]
    other.add("memo", {"title": "周末去看电影"})
    other.sync()
    other.close()

    _sync(qtbot, window)
    assert [i.content["title"] for i in window.memos.model.items] == ["周末去看电影"]


def test_a_conflict_is_listed_and_settled(
    qtbot, window: MainWindow, account: Account, tmp_path: Path
) -> None:
    """R8, R14: both devices change the same field; the app lists the conflict and the
    person keeps its own version, which then reaches the other device."""
    item = window.client.add("contact", {"name": "黄磊", "company": "北京分公司"})
    _sync(qtbot, window)
    other = account.login(tmp_path / "laptop", device="笔记本")
    other.sync()
    other.edit("contact", item.id, {"company": "上海分公司"})
    other.sync()
    window.client.edit("contact", item.id, {"company": "广州分公司"})
    _sync(qtbot, window)

    page = window.sync
    assert len(page.items) == 1, page.result.text()
    conflict = page.items[0]
    assert conflict.field == "company"
    values = {conflict.kept_value, conflict.other_value}
    assert values == {"上海分公司", "广州分公司"}
    assert "黄磊" in page.conflicts.item(0).text()
    screenshot(window, "41-conflict")
    mine_is_kept = conflict.kept_value == "广州分公司"
    (page.keep_kept if mine_is_kept else page.keep_other).click()
    assert page.items == []
    assert window.client.get("contact", item.id).content["company"] == "广州分公司"
    _sync(qtbot, window)

    other.sync()
    assert other.get("contact", item.id).content["company"] == "广州分公司"
    assert other.conflicts() == []
    other.close()


def test_back_online_syncs_and_says_so(qtbot, window: MainWindow) -> None:
    """R14: when the app notices it is back online it syncs and says so."""
    window.online = False
    window.refresh_status()
    assert t("status.offline") in window.online_label.text()
    window.client.add("memo", {"title": "离线时写的"})
    with qtbot.waitSignal(window.sync.finished, timeout=30_000):
        window.check_online()
    wait_workers(qtbot)
    assert t("status.online") in window.online_label.text()
    assert t("sync.back_online") in window.sync.result.text()
    assert window.client.status().pending == 0
