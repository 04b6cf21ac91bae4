"""The address book's advanced search dialog (R4; issue 6 §2; 搜索 → 高级搜索…): conditions
— 姓名/拼音 contains, 电话, 邮箱, 单位, 分组, 生日 — all of which a contact must meet (AND).
Its ``criteria`` go to ``Client.search_contacts`` (``almanac.client.contact_search``); the
contacts page shows the result in its list with a bar that says what was searched and a
button back to all contacts. A bad condition is said beside its field; an empty search asks
for a condition. Its words are ``i18n``'s ``advanced.*`` keys."""

from __future__ import annotations

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
from almanac.desktop.i18n import t
from almanac.errors import InvalidInput

TEXT_FIELDS = ("name", "phone", "email", "company")


def describe(criteria: ContactCriteria, group_names: dict[str, str]) -> str:
    """姓名/拼音包含“张”，单位含“华为”，分组“同事”，有生日."""
    parts = [
        t("advanced.cond.text", label=t(f"advanced.{name}").removesuffix("包含"), value=value)
        for name, value in criteria.text().items()
    ]
    if criteria.group:
        parts.append(t("advanced.cond.group", value=group_names.get(criteria.group, "?")))
    if criteria.has_birthday is not None:
        parts.append(
            t("advanced.with_birthday" if criteria.has_birthday else "advanced.without_birthday")
        )
    return t("advanced.sep").join(parts)


class AdvancedSearchDialog(QDialog):
    """After 搜索, ``criteria`` holds the conditions (checked; at least one)."""

    def __init__(
        self, client: Client, current: ContactCriteria | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(t("advanced.title"))
        self.setMinimumWidth(460)
        self.criteria: ContactCriteria | None = None
        current = current or ContactCriteria()
        self.form = FieldForm()
        self.inputs: dict[str, QLineEdit] = {}
        for name in TEXT_FIELDS:
            line = QLineEdit(getattr(current, name))
            line.setObjectName(f"advanced_{name}")
            line.setClearButtonEnabled(True)
            self.inputs[name] = self.form.add(name, t(f"advanced.{name}"), line)
            line.textChanged.connect(lambda _text, n=name: self._edited(n))
        self.group = self.form.add("group", t("advanced.group"), QComboBox())
        self.group.setObjectName("advanced_group")
        self.group.addItem(t("advanced.any"), None)
        for item in client.list("group", limit=1000).items:
            self.group.addItem(item.content["name"], str(item.id))
        self.group.setCurrentIndex(max(0, self.group.findData(current.group)))
        self.birthday = self.form.add("has_birthday", t("advanced.has_birthday"), QComboBox())
        self.birthday.setObjectName("advanced_birthday")
        for key, value in (("any", None), ("with_birthday", True), ("without_birthday", False)):
            self.birthday.addItem(t(f"advanced.{key}"), value)
        self.birthday.setCurrentIndex(max(0, self.birthday.findData(current.has_birthday)))
        intro = QLabel(t("advanced.intro"))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #555")
        self.other = QLabel()
        self.other.setObjectName("advanced_other")
        self.other.setStyleSheet("color: #c0392b;")
        buttons = QDialogButtonBox()
        self.search_button = buttons.addButton(
            t("advanced.search"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        clear = buttons.addButton(t("advanced.clear"), QDialogButtonBox.ButtonRole.ResetRole)
        buttons.addButton(t("advanced.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
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
            self.other.setText(t("advanced.empty"))
            return
        try:
            check(criteria)
        except InvalidInput as exc:
            self.other.setText("\n".join(self.form.show_errors(exc)))
            return
        self.criteria = criteria
        self.accept()
