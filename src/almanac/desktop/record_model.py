"""``RecordModel``: one kind's live records from the local store as a Qt table model, fetched
page by page (``canFetchMore``/``fetchMore``, keyset cursors from ``Client.list``), so a list
of 100,000 contacts costs one page of rows, not one widget per row (issue 6 §5)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from almanac.client.facade import Client
from almanac.store.local import Item, ItemPage

Index = QModelIndex | QPersistentModelIndex
Column = tuple[str, Callable[[Item], str]]
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE = 100


class RecordModel(QAbstractTableModel):
    """Rows are the records of ``kind`` matching ``q`` and ``filters``, in the store's
    (pinyin) order; ``columns`` say what each column shows."""

    def __init__(
        self,
        client: Client,
        kind: str,
        columns: Sequence[Column],
        first: tuple[str, str] | None = None,
    ) -> None:
        """``first``: a boolean filter (``("pinned", "true")``) whose records come first."""
        super().__init__()
        self.first = first
        self.client = client
        self.kind = kind
        self.columns = list(columns)
        self.items: list[Item] = []
        self.q: str | None = None
        self.filters: dict[str, str] = {}
        self._after: str | None = None
        self._more = False

    # -- loading -------------------------------------------------------------------------------

    def set_query(self, q: str | None = None, filters: Mapping[str, str] | None = None) -> None:
        self.q = q.strip() if q and q.strip() else None
        self.filters = dict(filters or {})
        self.reload()

    def first_page(
        self, q: str | None = None, filters: Mapping[str, str] | None = None
    ) -> Callable[[], ItemPage]:
        """The first page's query as a call (for a worker thread); ``show`` shows its result."""
        q = q.strip() if q and q.strip() else None
        wanted = dict(filters or {})
        return lambda: self.client.list(self.kind, q, wanted or None, PAGE)

    def show(self, q: str | None, filters: Mapping[str, str] | None, page: ItemPage) -> None:
        """Show a first page fetched elsewhere (``first_page``); ``first`` is not used."""
        self.beginResetModel()
        self.q = q.strip() if q and q.strip() else None
        self.filters = dict(filters or {})
        self.items = list(page.items)
        self._after = page.next_after
        self._more = page.next_after is not None
        self.endResetModel()

    def _filters(self) -> dict[str, str] | None:
        if self.first is None:
            return self.filters or None
        name, value = self.first
        return {**self.filters, name: "false" if value == "true" else "true"}

    def _first_items(self) -> list[Item]:
        if self.first is None:
            return []
        found: list[Item] = []
        after: str | None = None
        while True:
            wanted = {**self.filters, self.first[0]: self.first[1]}
            page = self.client.list(self.kind, self.q, wanted, 1000, after)
            found.extend(page.items)
            after = page.next_after
            if after is None:
                return found

    def reload(self) -> None:
        self.beginResetModel()
        first = self._first_items()
        page = self.client.list(self.kind, self.q, self._filters(), PAGE)
        self.items = first + list(page.items)
        self._after = page.next_after
        self._more = page.next_after is not None
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        if parent.isValid() or not self._more:
            return
        page = self.client.list(self.kind, self.q, self._filters(), PAGE, self._after)
        if page.items:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
            self.items.extend(page.items)
            self.endInsertRows()
        self._after = page.next_after
        self._more = page.next_after is not None

    # -- the model -----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[index.column()][1](item)
        if role == ITEM_ROLE:
            return item
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section][0]
        return None

    def item_at(self, row: int) -> Item | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def row_of(self, record_id: object) -> int:
        """The row showing a record (-1 when not loaded)."""
        for row, item in enumerate(self.items):
            if item.id == record_id:
                return row
        return -1
