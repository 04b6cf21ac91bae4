"""The address book's advanced search dialog (R4; issue 6 §2; 搜索 → 高级搜索…): conditions
— 姓名/拼音 contains, 电话, 邮箱, 单位, 分组, 生日 — all of which a contact must meet (AND).
Its ``criteria`` go to ``Client.search_contacts`` (``almanac.client.contact_search``); the
contacts page shows the result in its list with a bar that says what was searched and a
button back to all contacts. A bad condition is said beside its field; an empty search asks
for a condition. The words, Chinese first, then English, are here (``w``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from almanac.client.contact_search import ContactCriteria, check
from almanac.client.facade import Client
from almanac.desktop.forms import FieldForm
from almanac.desktop.i18n import language
from almanac.errors import InvalidInput

ZH: dict[str, str] = {
    "title": "高级搜索",
    "intro": "联系人须同时满足所填的全部条件。姓名可输入汉字、拼音或首字母；电话可输入后几位。",
    "name": "姓名/拼音包含",
    "phone": "电话",
    "email": "邮箱",
    "company": "单位",
    "group": "分组",
    "has_birthday": "生日",
    "any": "不限",
    "with_birthday": "有生日",
    "without_birthday": "没有生日",
    "search": "搜索",
    "clear": "清空条件",
    "cancel": "取消",
    "empty": "请至少填写一个条件。",
    "button": "高级搜索…",
    "bar": "高级搜索：{conditions} — 找到 {n} 个联系人",
    "bar.more": "高级搜索：{conditions} — 找到的前 {n} 个联系人",
    "show_all": "显示全部联系人",
    "cond.text": "{label}含“{value}”",
    "cond.group": "分组“{value}”",
    "sep": "，",
}

EN: dict[str, str] = {
    "title": "Advanced search",
    "intro": "Contacts must meet every condition given. Names by characters, pinyin or "
    "initials; phones by their last digits.",
    "name": "Name/pinyin has",
    "phone": "Phone",
    "email": "Email",
    "company": "Company",
    "group": "Group",
    "has_birthday": "Birthday",
    "any": "Any",
    "with_birthday": "Has a birthday",
    "without_birthday": "No birthday",
    "search": "Search",
    "clear": "Clear",
    "cancel": "Cancel",
    "empty": "Please give at least one condition.",
    "button": "Advanced search…",
    "bar": "Advanced search: {conditions} — {n} contacts found",
    "bar.more": "Advanced search: {conditions} — the first {n} contacts found",
    "show_all": "Show all contacts",
    "cond.text": "{label} “{value}”",
    "cond.group": "group “{value}”",
    "sep": ", ",
}

TEXT_FIELDS = ("name", "phone", "email", "company")


def w(key: str, **values: Any) -> str:
    """The words for ``key`` in the app's language (Chinese when English lacks it)."""
    words = EN if language() == "en" else ZH
    text = words.get(key) or ZH.get(key, key)
    return text.format(**values) if values else text


def describe(criteria: ContactCriteria, group_names: dict[str, str]) -> str:
    """姓名/拼音包含“张”，单位含“华为”，分组“同事”，有生日."""
    parts = [
        w("cond.text", label=w(name).removesuffix("包含"), value=value)
        for name, value in criteria.text().items()
    ]
    if criteria.group:
        parts.append(w("cond.group", value=group_names.get(criteria.group, "?")))
    if criteria.has_birthday is not None:
        parts.append(w("with_birthday" if criteria.has_birthday else "without_birthday"))
    return w("sep").join(parts)


class AdvancedSearchDialog(QDialog):
    """After 搜索, ``criteria`` holds the conditions (checked; at least one)."""

    def __init__(
        self, client: Client, current: ContactCriteria | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(w("title"))
        self.setMinimumWidth(460)
        self.criteria: ContactCriteria | None = None
        current = current or ContactCriteria()
        self.form = FieldForm()
        self.inputs: dict[str, QLineEdit] = {}
        for name in TEXT_FIELDS:
            line = QLineEdit(getattr(current, name))
            line.setObjectName(f"advanced_{name}")
            line.setClearButtonEnabled(True)
            self.inputs[name] = self.form.add(name, w(name), line)
            line.textChanged.connect(lambda _text, n=name: self._edited(n))
        self.group = self.form.add("group", w("group"), QComboBox())
        self.group.setObjectName("advanced_group")
        self.group.addItem(w("any"), None)
        for item in client.list("group", limit=1000).items:
            self.group.addItem(item.content["name"], str(item.id))
        self.group.setCurrentIndex(max(0, self.group.findData(current.group)))
        self.birthday = self.form.add("has_birthday", w("has_birthday"), QComboBox())
        self.birthday.setObjectName("advanced_birthday")
        for key, value in (("any", None), ("with_birthday", True), ("without_birthday", False)):
            self.birthday.addItem(w(key), value)
        self.birthday.setCurrentIndex(max(0, self.birthday.findData(current.has_birthday)))
        intro = QLabel(w("intro"))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555")
        self.other = QLabel()
        self.other.setObjectName("advanced_other")
        self.other.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox()
        self.search_button = buttons.addButton(w("search"), QDialogButtonBox.ButtonRole.AcceptRole)
        clear = buttons.addButton(w("clear"), QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(w("cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.search)
        buttons.rejected.connect(self.reject)
        clear.clicked.connect(self.clear)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(self.form)
        column.addWidget(self.other)
        column.addWidget(buttons)
        self.inputs["name"].setFocus()

    def read(self) -> ContactCriteria:
        return ContactCriteria(
            **{name: line.text() for name, line in self.inputs.items()},
            group=self.group.currentData(),
            has_birthday=self.birthday.currentData(),
        )

    def _edited(self, name: str) -> None:
        """A field's error goes once the person changes the field."""
        label = self.form.errors[name]
        label.clear()
        label.hide()
        self.other.clear()

    def clear(self) -> None:
        for line in self.inputs.values():
            line.clear()
        self.group.setCurrentIndex(0)
        self.birthday.setCurrentIndex(0)
        self.form.clear_errors()
        self.other.clear()

    def search(self) -> None:
        criteria = self.read()
        self.form.clear_errors()
        self.other.clear()
        if criteria.is_empty():
            self.other.setText(w("empty"))
            return
        try:
            check(criteria)
        except InvalidInput as exc:
            self.other.setText("\n".join(self.form.show_errors(exc)))
            return
        self.criteria = criteria
        self.accept()
