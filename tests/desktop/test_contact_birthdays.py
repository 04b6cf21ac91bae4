"""A birthday typed on a contact in the desktop app (R4, R6, R7): on the 提醒 page's list of
the next days, and double-clicking it opens the contact on 联系人 — also when a search there
hides it. Real store, live server, real Qt offscreen."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from almanac.desktop.window import PAGES

from .conftest import Account, wait_workers
from .test_reminders import SH, Clock, close, open_window, upcoming_rows


def test_a_contacts_birthday_is_upcoming_and_opens_the_contact(
    qtbot, account: Account, tmp_path: Path
) -> None:
    clock = Clock(datetime(2026, 9, 20, 12, 0, tzinfo=SH))
    win = open_window(qtbot, account, tmp_path / "home", clock, login=True)
    zhang = win.client.add(
        "contact",
        {"name": "张伟", "birthday": {"calendar": "lunar", "month": 8, "day": 15, "year": 1990}},
    )
    win.client.add("contact", {"name": "李娜"})
    win.show_page("contacts")
    win.contacts.search.setText("李娜")  # a search that hides 张伟
    win.contacts.apply_search()
    wait_workers(qtbot)
    win.show_page("upcoming")
    page = win._page("upcoming")
    wait_workers(qtbot)  # built in a worker
    rows = upcoming_rows(page)
    assert rows["张伟（农历）"] == ["9月25日 周五", "5 天后", "生日", "张伟（农历）",
                                  "满 36 周岁（虚岁 37）"]  # fmt: skip
    page._open(list(rows).index("张伟（农历）"))
    assert PAGES[win.nav.currentRow()] == "contacts"
    current = win.contacts.current()
    assert current is not None and current.id == zhang.id
    close(qtbot, win)
