"""The main window (issue 6 §2): navigation on the left (通讯录, 备忘录, 生日节日, 日历, 提醒,
同步), the pages in a stack, a menu bar (file, address-book groups, view, help), a status bar
that says online or offline, the unsent changes and the last sync (R14), and the reminders
(``reminders.ReminderWatcher``: pop-ups, missed ones at start)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from almanac.client.facade import Client
from almanac.client.reports import Status
from almanac.desktop import errors, groups, help_dialogs, report_dialog, report_rescue
from almanac.desktop.calendar_page import CalendarPage
from almanac.desktop.contacts import ContactsPage
from almanac.desktop.dates import DatesPage
from almanac.desktop.i18n import set_language, t
from almanac.desktop.main import translate_qt
from almanac.desktop.memos import MemosPage
from almanac.desktop.prefs import Prefs
from almanac.desktop.reminders import ReminderWatcher, open_item
from almanac.desktop.settings_dialog import SettingsDialog, start_key
from almanac.desktop.sync_page import SyncPage
from almanac.desktop.workers import run_async
from almanac.model.preferences import Preferences
from almanac.store.builder import SHORT_STEP

ONLINE_CHECK_MS = 60_000
PAGES = ("contacts", "memos", "dates", "calendar", "upcoming", "sync")
AGENDA_PAGES = ("calendar", "upcoming")  # pages showing ``Client.agenda``: ``follow_changes``


class MainWindow(QMainWindow):
    def __init__(self, client: Client, home: Path, prefs: Prefs, offline: bool = False) -> None:
        super().__init__()
        self.client = client
        self.home = home
        self.prefs = prefs
        carried = prefs.carry_clock(client, home)  # desktop.json's old clock choice, once
        self.shown = client.preferences()  # the person's settings (R3) this window follows
        self._remember_language()
        self.online: bool | None = not offline
        self.setWindowTitle(f"{t('app.title')} — {client.profile.user}")
        self.resize(1000, 680)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(120)
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setStyleSheet("QListWidget::item { padding: 10px 8px; font-size: 15px; }")
        self.stack = QStackedWidget()
        self._made: dict[str, QWidget] = {}
        for key in PAGES:
            self.nav.addItem(t(f"nav.{key}"))
            self.stack.addWidget(QWidget())  # the page is made on its first visit
        self.contacts = self._page("contacts")
        self.sync = self._page("sync")
        self.reminders = ReminderWatcher(self)  # before the start page (提醒 asks its clock)
        self.nav.currentRowChanged.connect(self._visit)
        self.nav.setCurrentRow(PAGES.index(start_key(self.shown.start_page)))
        body = QWidget()
        row = QHBoxLayout(body)
        row.addWidget(self.nav)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self._status_labels()
        self._menus()
        errors.configure_reports(
            report_dialog.reporting_for(client, home, self.statusBar().showMessage)
        )
        report_rescue.arm(client)  # a severe error seals the typed text with its key (R12)
        self._wire_sync()
        self.timer = QTimer(self)
        self.timer.setInterval(ONLINE_CHECK_MS)
        self.timer.timeout.connect(self.check_online)
        self.timer.start()
        self.refresh_status()
        QTimer.singleShot(0, self.reminders.start)  # due ones pop up; missed ones at start
        QTimer.singleShot(0, self.tell_rebuilt)  # the store was damaged: said once (R13)
        QTimer.singleShot(0, self.offer_rescued)  # text a severe error saved last time
        self._indexing, self._closing = False, False
        QTimer.singleShot(0, self.build_index)  # what a first sync deferred (docs/store.md)
        if offline:
            self.statusBar().showMessage(t("login.offline"), 10_000)
        elif carried:
            self.statusBar().showMessage(t("settings.carried"), 10_000)

    # -- pages, each made on its first visit (a quick start with 100,000 contacts) -------------

    def _make(self, key: str) -> QWidget:
        if key == "contacts":
            return ContactsPage(self.client)
        if key == "memos":
            return MemosPage(self.client)
        if key == "dates":
            return DatesPage(self.client)
        if key == "calendar":
            return CalendarPage(self.client)
        if key == "upcoming":
            from almanac.desktop.upcoming import UpcomingPage

            return UpcomingPage(self.client, self.open_item, lambda: self.reminders.clock())
        return SyncPage(self.client)

    def _page(self, key: str) -> Any:
        page = self._made.get(key)
        if page is None:
            page = self._made[key] = self._make(key)
            index = PAGES.index(key)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            if placeholder is not None:
                self.stack.removeWidget(placeholder)
                placeholder.deleteLater()
            changed = getattr(page, "changed", None)
            if changed is not None:
                changed.connect(self._edited)
        return page

    def _visit(self, row: int) -> None:
        page = self._page(PAGES[row])
        self.stack.setCurrentIndex(row)
        if PAGES[row] in AGENDA_PAGES and not self.sync.running:
            page.follow_changes()  # e.g. the CLI changed the store meanwhile (a sync: at its end)

    def _edited(self) -> None:
        """A page changed the person's records in the local store (offline first): the status
        bar, and every page showing the agenda, at once."""
        self.refresh_status()
        self.follow_store()

    def follow_store(self) -> None:
        """The pages showing the agenda (日历's grid and day, 提醒) read the store again if it
        changed since they last did (``Client.changes``; the page that made the change has
        already, so it does not twice)."""
        for page in self.made(*AGENDA_PAGES):
            page.follow_changes()

    @property
    def memos(self) -> MemosPage:
        page: MemosPage = self._page("memos")
        return page

    @property
    def dates(self) -> DatesPage:
        page: DatesPage = self._page("dates")
        return page

    @property
    def calendar(self) -> CalendarPage:
        page: CalendarPage = self._page("calendar")
        return page

    def made(self, *keys: str) -> list[Any]:
        """The pages among ``keys`` that exist already."""
        return [self._made[k] for k in keys if k in self._made]

    def show_page(self, key: str) -> None:
        self.nav.setCurrentRow(PAGES.index(key))

    def open_item(self, item: Any) -> None:
        """Show an agenda item (a reminder's, an upcoming row's) on its page."""
        open_item(self, item)

    def tell_rebuilt(self) -> None:
        """The login found the store damaged, moved it aside and rebuilt it, with every
        unsynced edit that could be read (R13): the person is told where the old file is."""
        aside = self.client.rebuilt_from
        if aside is not None:
            key = "rebuilt.waiting" if self.client.rebuild_waiting() else "rebuilt.text"
            QMessageBox.information(self, t("rebuilt.title"), t(key, moved=str(aside)))

    def offer_rescued(self) -> None:
        """The text a severe error rescued (sealed) last time, offered back (R10, R12)."""
        report_rescue.offer_rescued(self, self.client, self.home, self._rescued_saved)

    def _rescued_saved(self, item: Any) -> None:
        """The memo made of rescued text, shown on 备忘录."""
        self.show_page("memos")
        page = self.memos
        page.reload()
        row = page.model.row_of(item.id)
        if row >= 0:
            page.view.setCurrentIndex(page.model.index(row, 0))
        self.refresh_status()
        self.statusBar().showMessage(t("rescue.saved"), 10_000)

    # -- menus ---------------------------------------------------------------------------------

    def _action(self, text: str, slot: object, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(t("menu.file"))
        self.sync_action = self._action(t("menu.sync"), self.start_sync, "Ctrl+S")
        file.addAction(self.sync_action)
        file.addSeparator()
        file.addAction(self._action(t("menu.quit"), self.close, "Ctrl+Q"))
        edit = bar.addMenu(t("menu.edit"))
        self.settings_action = self._action(t("menu.settings"), self.open_settings, "Ctrl+,")
        edit.addAction(self.settings_action)
        book = bar.addMenu(t("menu.contacts"))
        self.new_group_action = self._action(t("menu.new_group"), self.new_group)
        self.rename_group_action = self._action(t("menu.rename_group"), self.rename_group)
        self.delete_group_action = self._action(t("menu.delete_group"), self.delete_group)
        for action in (self.new_group_action, self.rename_group_action, self.delete_group_action):
            book.addAction(action)
        search = bar.addMenu(t("menu.search"))
        self.advanced_search_action = self._action(
            t("menu.advanced_search"), self.advanced_search, "Ctrl+Shift+F"
        )
        search.addAction(self.advanced_search_action)
        view = bar.addMenu(t("menu.view"))
        for index, key in enumerate(PAGES):
            view.addAction(self._action(t(f"nav.{key}"), self._goto(key), f"Ctrl+{index + 1}"))
        view.addSeparator()
        self.language_action = self._action(t("menu.language"), self.switch_language)
        view.addAction(self.language_action)
        help_menu = bar.addMenu(t("menu.help"))
        self.help = help_dialogs.HelpMenu(self, help_menu)
        help_menu.addAction(self._action(t("menu.about"), self.about))

    def _goto(self, key: str) -> object:
        return lambda: self.show_page(key)

    def new_group(self) -> None:
        if groups.ask_new_group(self, self.client) is not None:
            self.contacts.reload()
            self.refresh_status()

    def rename_group(self) -> None:
        if groups.ask_rename_group(self, self.client) is not None:
            self.contacts.reload()
            self.refresh_status()

    def delete_group(self) -> None:
        if groups.ask_delete_group(self, self.client) is not None:
            self.contacts.reload()
            self.refresh_status()

    def advanced_search(self) -> None:
        """搜索 → 高级搜索…: the address book's search with conditions."""
        self.show_page("contacts")
        self.contacts.open_advanced_search()

    def switch_language(self) -> None:
        """视图 → English/中文: the person's language setting, at once (synced later)."""
        other = "en" if self.shown.language == "zh-CN" else "zh-CN"
        self.follow(self.client.set_preferences({"language": other}))

    # -- the person's settings (R3) ------------------------------------------------------------

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.client, self)
        if dialog.exec() and dialog.saved is not None:
            self.follow(dialog.saved)
            self.statusBar().showMessage(t("settings.saved"), 8000)

    def follow(self, prefs: Preferences) -> bool:
        """Show ``prefs``: a new language rebuilds the words of the whole window; the calendar
        (its clock) and the dates page (today, in the person's zone) follow the rest. True when
        anything changed."""
        before, self.shown = self.shown, prefs
        if prefs == before:
            return False
        if prefs.language != before.language:
            self._remember_language()
            self.retranslate()
        else:
            for page in self.made("calendar", "dates"):
                page.follow(prefs)
        return True

    def _remember_language(self) -> None:
        """The person's language for the words, Qt's own, and the next login dialog."""
        set_language(self.shown.language)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            translate_qt(app, self.shown.language)
        if self.prefs.language != self.shown.language:
            self.prefs.language = self.shown.language
            self.prefs.save(self.home)

    def retranslate(self) -> None:
        """Every word again in the current language: title, menus, navigation, status bar;
        the pages are made again (their words are set when they are made)."""
        self.setWindowTitle(f"{t('app.title')} — {self.client.profile.user}")
        self.menuBar().clear()
        self._menus()
        for row, key in enumerate(PAGES):
            item = self.nav.item(row)
            if item is not None:
                item.setText(t(f"nav.{key}"))
        row = self.nav.currentRow()
        for key in list(self._made):
            page = self._made.pop(key)
            stop = getattr(page, "stop", None)
            if callable(stop):
                stop()
            index = PAGES.index(key)
            self.stack.insertWidget(index, QWidget())
            self.stack.removeWidget(page)
            page.deleteLater()
        self.contacts = self._page("contacts")
        self.sync = self._page("sync")
        self._wire_sync()
        self._visit(row)
        self.refresh_status()

    def _wire_sync(self) -> None:
        self.sync.started.connect(lambda: self._editing(False))
        self.sync.finished.connect(self._synced)
        self.sync.resolved.connect(self._resolved)

    def about(self) -> None:
        QMessageBox.about(self, t("menu.about"), t("about.text"))

    # -- status bar ----------------------------------------------------------------------------

    def _status_labels(self) -> None:
        self.online_label = QLabel()
        self.online_label.setObjectName("onlineLabel")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("pendingLabel")
        self.last_sync_label = QLabel()
        for label in (self.online_label, self.pending_label, self.last_sync_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)

    def refresh_status(self, status: Status | None = None) -> None:
        status = status or self.client.status()
        if self.online is None:
            self.online_label.setText(t("status.unknown"))
        else:
            color = "#27ae60" if self.online else "#c0392b"
            word = t("status.online") if self.online else t("status.offline")
            self.online_label.setText(f"<span style='color:{color}'>●</span> {word}")
        self.pending_label.setText(t("status.pending", n=status.pending))
        when = status.last_sync
        text = (
            t("status.last_sync", when=when.astimezone().strftime("%Y-%m-%d %H:%M"))
            if when
            else t("status.never")
        )
        self.last_sync_label.setText(text)
        self.sync.show_status(status)

    # -- sync and being online -----------------------------------------------------------------

    def start_sync(self) -> None:
        self.show_page("sync")
        self.sync.start()

    def _editing(self, allowed: bool) -> None:
        """While a sync runs the store is the sync's: no page and no group menu edits."""
        self.stack.setEnabled(allowed)
        for action in (
            self.new_group_action,
            self.rename_group_action,
            self.delete_group_action,
            self.advanced_search_action,
            self.settings_action,
            self.language_action,
        ):
            action.setEnabled(allowed)

    def build_index(self) -> None:
        """Build the search index a bulk pull deferred, in a worker, a chunk a transaction on
        its own connection: searches stay right and quick meanwhile (docs/store.md). A
        failure is not the person's business: searches scan what waits, and the next login
        or sync builds again."""
        if self._indexing or self._closing or not self.client.store.waiting():
            return
        self._indexing = True

        def finished(_result: object) -> None:
            self._indexing = False

        build = self.client.build_index
        run_async(lambda _r: build(SHORT_STEP, stop=lambda: self._closing), finished, finished)

    def _synced(self, ok: bool) -> None:
        self._editing(True)
        self.build_index()
        if ok:
            self.online = True
            report_dialog.send_queued_reports(errors.reporting(), self.client.profile.server_url)
        for page in self.made("contacts", "memos", "dates", "upcoming"):
            page.reload()
        for page in self.made("calendar"):
            page.refresh()
        if self.follow(self.client.preferences()):  # changed on another device, e.g. the web
            self.statusBar().showMessage(t("settings.followed"), 8000)
        self.refresh_status()

    def _resolved(self) -> None:
        for page in self.made("contacts", "memos", "dates"):
            page.reload()
        self.follow_store()  # the kept side may be a birthday's date, an event's time
        self.refresh_status()

    def check_online(self) -> None:
        """In a worker; back online after being offline: sync and say so (R14)."""
        if self.sync.running:
            return
        run_async(
            lambda _report: self.client.status(check_online=True).online,
            self._online_checked,
            lambda _exc: None,
        )

    def _online_checked(self, online: object) -> None:
        was = self.online
        self.online = bool(online)
        self.refresh_status()
        if self.online and was is False and not self.sync.running:
            self.sync.start(announce=t("sync.back_online"))

    def closeEvent(self, event: QCloseEvent) -> None:
        report_rescue.arm(None)
        self._closing = True  # an index build stops after its chunk
        self.timer.stop()
        self.reminders.stop()
        for page in self.made("calendar"):
            page.stop()
        self.client.close()
        event.accept()
