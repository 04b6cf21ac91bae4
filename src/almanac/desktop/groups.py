"""Group operations from the menu (R4): new group, rename, delete — deleting asks what
happens to the group's contacts: keep them (taken out of the group) or delete them too."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from almanac.client.facade import Client
from almanac.desktop.errors import show_error
from almanac.desktop.i18n import t
from almanac.errors import AlmanacError
from almanac.store.local import Item


class Members(Enum):
    KEEP = "keep"
    DELETE = "delete"


def all_groups(client: Client) -> list[Item]:
    return list(client.list("group", limit=1000).items)


def members(client: Client, group: Item) -> list[Item]:
    """Every contact in the group (all pages)."""
    found: list[Item] = []
    after: str | None = None
    while True:
        page = client.list("contact", filters={"group": str(group.id)}, limit=1000, after=after)
        found.extend(page.items)
        after = page.next_after
        if after is None:
            return found


def delete_group(client: Client, group: Item, what: Members) -> int:
    """Delete a group; its contacts are taken out of it (KEEP) or deleted (DELETE).
    Returns how many contacts were touched."""
    people = members(client, group)
    with client.store.transaction():
        for person in people:
            if what is Members.DELETE:
                client.remove("contact", person.id)
            else:
                left = [g for g in person.content.get("groups", []) if str(g) != str(group.id)]
                client.edit("contact", person.id, {"groups": left})
        client.remove("group", group.id)
    return len(people)


def ask_new_group(parent: QWidget, client: Client) -> Item | None:
    name, ok = QInputDialog.getText(parent, t("group.new"), t("group.name"))
    while ok:
        try:
            return client.add("group", {"name": name})
        except AlmanacError as exc:
            show_error(parent, exc)
        name, ok = QInputDialog.getText(parent, t("group.new"), t("group.name"), text=name)
    return None


def _choose(parent: QWidget, client: Client, title: str) -> Item | None:
    groups = all_groups(client)
    if not groups:
        QMessageBox.information(parent, title, t("group.none"))
        return None
    names = [g.content["name"] for g in groups]
    name, ok = QInputDialog.getItem(parent, title, t("group.choose"), names, 0, False)
    return groups[names.index(name)] if ok else None


def ask_rename_group(parent: QWidget, client: Client) -> Item | None:
    group = _choose(parent, client, t("group.rename"))
    if group is None:
        return None
    name, ok = QInputDialog.getText(
        parent, t("group.rename"), t("group.name"), text=group.content["name"]
    )
    if not ok:
        return None
    try:
        return client.edit("group", group.id, {"name": name})
    except AlmanacError as exc:
        show_error(parent, exc)
        return None


def ask_delete_group(parent: QWidget, client: Client) -> Item | None:
    """Choose a group, ask about its contacts, delete it. Returns the deleted group."""
    group = _choose(parent, client, t("group.delete"))
    if group is None:
        return None
    count = len(members(client, group))
    name = group.content["name"]
    box = QMessageBox(parent)
    box.setObjectName("deleteGroupBox")
    box.setWindowTitle(t("group.delete"))
    box.setIcon(QMessageBox.Icon.Question)
    if count == 0:
        box.setText(t("group.delete_empty", name=name))
        keep = box.addButton(t("common.delete"), QMessageBox.ButtonRole.AcceptRole)
        remove_all = None
    else:
        box.setText(t("group.delete_ask", name=name, n=count))
        keep = box.addButton(t("group.keep"), QMessageBox.ButtonRole.AcceptRole)
        remove_all = box.addButton(t("group.delete_all"), QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(t("common.cancel"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if clicked not in (keep, remove_all) or clicked is None:
        return None
    what = Members.DELETE if clicked is remove_all else Members.KEEP
    try:
        delete_group(client, group, what)
    except AlmanacError as exc:
        show_error(parent, exc)
        return None
    return group
