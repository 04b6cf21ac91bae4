"""The address book page (R4; issue 6 §2): add, change, delete through the dialogs (field
errors shown beside the field they name), the search box filtering as you type (name, pinyin,
initials, phone), and the group menu (new, rename, delete asking about the contacts)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from almanac.desktop.contact_dialog import ContactDialog
from almanac.desktop.groups import Members, delete_group
from almanac.desktop.i18n import t
from almanac.desktop.window import MainWindow

from .conftest import answer_next, screenshot


def _names(win: MainWindow) -> list[str]:
    model = win.contacts.model
    while model.canFetchMore():
        model.fetchMore()
    return [item.content["name"] for item in model.items]


def _fill_and_save(seen: dict[str, Any], **fields: str) -> Any:
    def act(modal: QWidget) -> None:
        assert isinstance(modal, ContactDialog)
        for name, value in fields.items():
            widget = getattr(modal, name)
            if hasattr(widget, "setPlainText"):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        modal.save()
        seen["errors"] = {k: modal.form.error_text(k) for k in modal.form.errors}
        seen["open"] = modal.isVisible()
        if modal.isVisible():
            seen["shot"] = screenshot(modal, "11-contact-field-error")
            modal.reject()

    return act


def _yes(modal: QWidget) -> None:
    assert isinstance(modal, QMessageBox)
    modal.button(QMessageBox.StandardButton.Yes).click()


def test_add_change_delete_a_contact(qtbot, window: MainWindow) -> None:
    """R4: add, change and delete a contact from the page; each edit is queued for sync."""
    seen: dict[str, Any] = {}
    answer_next(_fill_and_save(seen, name="王小明", phones="138 0013 8000", company="长城公司"))
    window.contacts.add_contact()
    assert seen["open"] is False
    assert _names(window) == ["王小明"]
    current = window.contacts.current()
    assert current is not None and current.content["phones"][0]["value"] == "138 0013 8000"
    assert "长城公司" in window.contacts.detail.text()
    assert window.pending_label.text() == t("status.pending", n=1)

    answer_next(_fill_and_save(seen, name="王晓明", phones="工作: 010-6552 9988"))
    window.contacts.edit_current()
    item = window.client.get("contact", current.id)
    assert item.content["name"] == "王晓明"
    assert item.content["phones"] == [{"label": "工作", "value": "010-6552 9988"}]
    assert item.content["company"] == "长城公司"
    screenshot(window, "10-contacts")

    answer_next(_yes)
    window.contacts.delete_current()
    assert _names(window) == []
    assert window.client.store.count("contact") == 0


def test_field_errors_are_shown_beside_their_field(qtbot, window: MainWindow) -> None:
    """R4: a bad phone and an empty name are refused, each said beside its field; nothing
    is stored."""
    seen: dict[str, Any] = {}
    answer_next(_fill_and_save(seen, name="", phones="138 0013 8000\n不是电话"))
    window.contacts.add_contact()
    assert seen["open"] is True
    assert seen["errors"]["name"] == "不能为空"
    assert seen["errors"]["phones"].startswith("第 2 行：不是电话号码")
    assert seen["errors"]["company"] == ""
    assert window.client.store.count("contact") == 0


def test_search_filters_as_you_type(qtbot, window: MainWindow) -> None:
    """R4: the search box finds by name, pinyin, initials and phone, as you type."""
    people = [
        ("张伟", "13912345678"),
        ("李娜", "13800001111"),
        ("王芳", "02161234567"),
        ("刘洋", "18688889999"),
    ]
    for name, phone in people:
        window.client.add("contact", {"name": name, "phones": [{"value": phone}]})
    window.contacts.reload()
    assert len(_names(window)) == 4
    for query, expected in [
        ("李", ["李娜"]),
        ("zhangwei", ["张伟"]),
        ("wf", ["王芳"]),
        ("8888", ["刘洋"]),
    ]:
        window.contacts.search.clear()
        if query.isascii():
            qtbot.keyClicks(window.contacts.search, query)  # one key at a time
        else:
            window.contacts.search.insert(query)  # as an input method commits it
        qtbot.waitUntil(lambda e=expected: _names(window) == e, timeout=3000)
    assert window.contacts.count.text() == t("common.found", found="1", n=4)
    screenshot(window, "12-contacts-search")


def test_group_menu_new_rename_and_delete(qtbot, window: MainWindow) -> None:
    """R4: groups from the menu — new, rename, delete (asking what happens to the
    contacts): keeping them takes them out of the group."""

    def type_name(name: str) -> Any:
        def act(modal: QWidget) -> None:
            assert isinstance(modal, QInputDialog)
            modal.setTextValue(name)
            modal.accept()

        return act

    answer_next(type_name("同事"))
    window.new_group_action.trigger()
    groups = window.client.list("group").items
    assert [g.content["name"] for g in groups] == ["同事"]
    gid = str(groups[0].id)
    window.client.add("contact", {"name": "赵敏", "groups": [gid]})
    window.client.add("contact", {"name": "周杰", "groups": [gid]})
    window.contacts.reload()
    window.contacts.group.setCurrentIndex(window.contacts.group.findData(gid))
    assert _names(window) == ["赵敏", "周杰"]

    def choose_then_rename(modal: QWidget) -> None:
        modal.accept()  # the group chooser: the only group
        answer_next(type_name("老同事"))

    answer_next(choose_then_rename)
    window.rename_group_action.trigger()
    assert window.client.get("group", gid).content["name"] == "老同事"

    seen: dict[str, str] = {}

    def keep(modal: QWidget) -> None:
        assert isinstance(modal, QMessageBox)
        seen["text"] = modal.text()
        screenshot(modal, "13-delete-group-ask")
        for button in modal.buttons():
            if button.text() == t("group.keep"):
                button.click()

    def choose_then_keep(modal: QWidget) -> None:
        modal.accept()  # the group chooser
        answer_next(keep)

    answer_next(choose_then_keep)
    window.delete_group_action.trigger()
    assert seen["text"] == t("group.delete_ask", name="老同事", n=2)
    assert window.client.list("group").items == []
    left = window.client.list("contact").items
    assert sorted(c.content["name"] for c in left) == ["周杰", "赵敏"]
    assert all(c.content.get("groups", []) == [] for c in left)
    assert window.contacts.group.count() == 1


def test_deleting_a_group_with_its_contacts(qtbot, window: MainWindow) -> None:
    """R4: the other answer deletes the group's contacts too; others stay."""
    client = window.client
    group = client.add("group", {"name": "家人"})
    client.add("contact", {"name": "孙丽", "groups": [str(group.id)]})
    client.add("contact", {"name": "钱进"})
    assert delete_group(client, group, Members.DELETE) == 1
    assert [c.content["name"] for c in client.list("contact").items] == ["钱进"]
    assert client.list("group").items == []
