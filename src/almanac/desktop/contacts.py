"""The address book page (R4): a group chooser and a search box that filters as you type
(name, pinyin, initials, phone: ``Client.list(q=…)``) over a lazily fetched list
(``RecordModel``), a detail pane beside it, and add / change / delete; the advanced search
(``advanced_search``: conditions combined with AND) shows its result in the same list, with a
bar saying what was searched and 显示全部联系人 to go back."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from almanac.client.contact_search import ContactCriteria
from almanac.client.facade import Client
from almanac.desktop import advanced_search
from almanac.desktop.contact_dialog import ContactDialog
from almanac.desktop.errors import show_error
from almanac.desktop.i18n import language, t
from almanac.desktop.record_model import RecordModel
from almanac.desktop.workers import run_async
from almanac.errors import AlmanacError
from almanac.store.local import Item, ItemPage

SEARCH_DELAY_MS = 150


LABELS = {"mobile": "手机", "home": "家庭", "work": "工作", "office": "办公", "other": "其他"}


def label_text(label: str) -> str:
    return LABELS.get(label, label) if language() == "zh-CN" else label


def contact_line(item: Item) -> str:
    phones = item.content.get("phones") or []
    first = f"    {phones[0]['value']}" if phones else ""
    return f"{item.content.get('name', '')}{first}"


class ContactsPage(QWidget):
    changed = Signal()

    def __init__(self, client: Client, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.model = RecordModel(client, "contact", [(t("contact.name"), contact_line)])
        self.group = QComboBox()
        self.group.setObjectName("groupFilter")
        self.search = QLineEdit()
        self.search.setObjectName("contactSearch")
        self.search.setPlaceholderText(t("common.search"))
        self.search.setClearButtonEnabled(True)
        self.view = QListView()
        self.view.setObjectName("contactList")
        self.view.setUniformItemSizes(True)
        self.view.setModel(self.model)
        self.count = QLabel()
        self.detail = QLabel()
        self.detail.setObjectName("contactDetail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.add_button = QPushButton(t("common.add"))
        self.edit_button = QPushButton(t("common.edit"))
        self.delete_button = QPushButton(t("common.delete"))
        self.advanced_button = QPushButton(t("advanced.button"))
        self.advanced_button.setObjectName("advancedSearch")
        self.advanced: ContactCriteria | None = None  # the advanced search shown, if any
        self.advanced_bar = QLabel()
        self.advanced_bar.setObjectName("advancedBar")
        self.advanced_bar.setWordWrap(True)
        self.advanced_bar.setStyleSheet(
            "background: #eaf2fb; border: 1px solid #b7d0ea; border-radius: 4px; padding: 4px;"
        )
        self.show_all_button = QPushButton(t("advanced.show_all"))
        self.show_all_button.setObjectName("showAllContacts")
        self._generation = 0
        self.searching = False
        self.total = 0
        self._recount = True
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._layout()
        self._timer.timeout.connect(self.apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.group.currentIndexChanged.connect(lambda _i: self.apply_search())
        self.view.selectionModel().currentChanged.connect(lambda *_: self.show_current())
        self.view.doubleClicked.connect(lambda _i: self.edit_current())
        self.add_button.clicked.connect(self.add_contact)
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        self.advanced_button.clicked.connect(self.open_advanced_search)
        self.show_all_button.clicked.connect(self.show_all)
        self.reload()

    def _layout(self) -> None:
        left = QWidget()
        column = QVBoxLayout(left)
        column.addWidget(self.group)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.advanced_button)
        column.addLayout(search_row)
        column.addWidget(self.advanced_bar)
        column.addWidget(self.show_all_button)
        self.advanced_bar.hide()
        self.show_all_button.hide()
        column.addWidget(self.view)
        column.addWidget(self.count)
        right = QWidget()
        pane = QVBoxLayout(right)
        pane.addWidget(self.detail, 1)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        pane.addLayout(buttons)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([320, 480])
        outer = QVBoxLayout(self)
        outer.addWidget(split)

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Groups and the list again (after a sync, a group operation, an edit)."""
        chosen = self.group.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem(t("contact.all_groups"), None)
        for group in self.client.list("group", limit=1000).items:
            self.group.addItem(group.content["name"], str(group.id))
        index = self.group.findData(chosen) if chosen else 0
        self.group.setCurrentIndex(max(index, 0))
        self.group.blockSignals(False)
        self.apply_search()

    def apply_search(self) -> None:
        """The list for the search text and group. A search runs in a worker thread (a
        common prefix such as one surname can take long on a big store): typing goes on,
        only the newest search's result is shown."""
        self._timer.stop()
        self._generation += 1
        if self.advanced is not None:
            self._run_advanced(self.advanced)
            return
        group = self.group.currentData()
        filters = {"group": group} if group else None
        text = self.search.text()
        if not text.strip():
            self.model.set_query(None, filters)
            self._shown(recount=True)
            return
        generation = self._generation
        query = self.model.first_page(text, filters)
        self.searching = True

        def done(page: ItemPage) -> None:
            if generation == self._generation:
                self.searching = False
                self.model.show(text, filters, page)
                self._shown(recount=self._recount)

        run_async(lambda _report: query(), done, self._search_failed)

    # -- the advanced search (搜索 → 高级搜索…) ------------------------------------------------

    def open_advanced_search(self) -> None:
        dialog = advanced_search.AdvancedSearchDialog(self.client, self.advanced, self)
        if dialog.exec() and dialog.criteria is not None:
            self.advanced = dialog.criteria
            self.apply_search()

    def _run_advanced(self, criteria: ContactCriteria) -> None:
        """The contacts meeting the conditions, found in a worker, shown in the list; the
        quick search and the group chooser wait until 显示全部联系人."""
        generation = self._generation
        self.search.setEnabled(False)
        self.group.setEnabled(False)
        self.searching = True

        def done(result: tuple[list[Item], bool]) -> None:
            if generation != self._generation:
                return
            self.searching = False
            items, complete = result
            self.model.show(None, None, ItemPage(items, None))
            names = {str(self.group.itemData(i)): self.group.itemText(i)
                     for i in range(1, self.group.count())}  # fmt: skip
            key = "bar" if complete else "bar.more"
            described = advanced_search.describe(criteria, names)
            self.advanced_bar.setText(t(f"advanced.{key}", conditions=described, n=len(items)))
            self.advanced_bar.show()
            self.show_all_button.show()
            self.count.setText(
                t("common.found", found=len(items), n=self.client.store.count("contact"))
            )
            if self.model.rowCount():
                self.select_row(0)
            else:
                self.show_current()

        run_async(lambda _report: self.client.search_contacts(criteria), done, self._search_failed)

    def show_all(self) -> None:
        """Back from an advanced search to every contact."""
        self.advanced = None
        self.advanced_bar.hide()
        self.show_all_button.hide()
        self.search.setEnabled(True)
        self.group.setEnabled(True)
        for box in (self.search, self.group):
            box.blockSignals(True)
        self.search.clear()
        self.group.setCurrentIndex(0)
        for box in (self.search, self.group):
            box.blockSignals(False)
        self.apply_search()

    def _search_failed(self, exc: BaseException) -> None:
        self.searching = False
        show_error(self, exc)

    def _shown(self, recount: bool) -> None:
        if recount or self._recount:
            self.total = self.client.store.count("contact")  # not per key: slow at 100,000
            self._recount = False
        total = self.total
        if self.model.q is None and not self.model.filters:
            self.count.setText(t("common.count", n=total))
        else:
            more = "+" if self.model.canFetchMore() else ""
            found = f"{self.model.rowCount()}{more}"
            self.count.setText(t("common.found", found=found, n=total))
        if self.model.rowCount():
            self.select_row(0)
        else:
            self.show_current()

    def select_row(self, row: int) -> None:
        self.view.selectionModel().setCurrentIndex(
            self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
        )

    def current(self) -> Item | None:
        return self.model.item_at(self.view.currentIndex().row())

    def show_current(self) -> None:
        item = self.current()
        self.edit_button.setEnabled(item is not None)
        self.delete_button.setEnabled(item is not None)
        self.detail.setText(self._detail_html(item) if item else "")

    def _detail_html(self, item: Item) -> str:
        c = item.content
        names = {str(g.id): g.content["name"] for g in self.client.list("group", limit=1000).items}
        phones = [
            t("contact.phone_line", value=p["value"], label=label_text(p.get("label", "")))
            for p in c.get("phones", [])
        ]
        rows = [
            (t("contact.phones"), phones),
            (t("contact.emails"), [e["value"] for e in c.get("emails", [])]),
            (t("contact.company"), [c.get("company", "")]),
            (t("contact.title"), [c.get("title", "")]),
            (t("contact.address"), [c.get("address", "")]),
            (t("contact.groups"), [names.get(str(g), "?") for g in c.get("groups", [])]),
            (t("contact.notes"), [c.get("notes", "")]),
        ]
        html = [f"<h2>{escape(c.get('name', ''))}</h2><table cellpadding='4'>"]
        for label, values in rows:
            shown = [escape(v) for v in values if v]
            if shown:
                cells = f"<td style='color:#777'>{label}</td><td>{'<br>'.join(shown)}</td>"
                html.append(f"<tr>{cells}</tr>")
        html.append("</table>")
        return "".join(html)

    # -- add, change, delete -------------------------------------------------------------------

    def add_contact(self) -> None:
        dialog = ContactDialog(self.client, None, self)
        if dialog.exec() and dialog.saved is not None:
            self._after_edit(dialog.saved)

    def edit_current(self) -> None:
        item = self.current()
        if item is None:
            return
        dialog = ContactDialog(self.client, item, self)
        if dialog.exec() and dialog.saved is not None:
            self._after_edit(dialog.saved)

    def delete_current(self) -> None:
        item = self.current()
        if item is None:
            return
        name = item.content.get("name", "")
        answer = QMessageBox.question(
            self, t("common.delete"), t("common.confirm_delete", name=name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.client.remove("contact", item.id)
        except AlmanacError as exc:
            show_error(self, exc)
        row = self.view.currentIndex().row()
        self._recount = True
        self.apply_search()
        if self.model.rowCount():
            self.select_row(min(row, self.model.rowCount() - 1))
        self.changed.emit()

    def _after_edit(self, saved: Item) -> None:
        self._recount = True
        self.apply_search()
        row = self.model.row_of(saved.id)
        if row >= 0:
            self.select_row(row)
        self.changed.emit()
