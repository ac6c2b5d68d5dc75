"""Item models over lists of core dataclasses: every list on screen is one of these."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from shopfront.core.customers import CustomerSummary, Service, Staff, TimelineEntry
from shopfront.core.money import format_minor

T = TypeVar("T")
ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1  # the dataclass behind a row
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    header: str
    text: Callable[[T], str]
    tooltip: Callable[[T], str] | None = None


class ListTableModel(QAbstractTableModel, Generic[T]):
    """A read-only table over a list of items, with named columns."""

    def __init__(self, columns: Sequence[Column[T]], parent: Any = None):
        super().__init__(parent)
        self.columns = list(columns)
        self.items: list[T] = []

    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def item(self, row: int) -> T | None:
        return self.items[row] if 0 <= row < len(self.items) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.items):
            return None
        item, column = self.items[index.row()], self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            return column.tooltip(item) if column.tooltip else column.text(item)
        if role == ENTITY_ROLE:
            return item
        return self.extra_data(item, index.column(), role)

    def extra_data(self, item: T, column: int, role: int) -> Any:
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if role == Qt.ItemDataRole.DisplayRole and horizontal and 0 <= section < len(self.columns):
            return self.columns[section].header
        return None


def _short(text: str, limit: int = 120) -> str:
    """Long cells are cut for display (full text in the tooltip); keeps painting fast."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CustomerTableModel(ListTableModel[CustomerSummary]):
    """Customer search results, loaded a page at a time as the user scrolls."""

    NAME, PHONE, EMAIL, TAGS, OWNER = range(5)

    def __init__(self, parent: Any = None):
        super().__init__(
            [
                Column("Name", lambda c: _short(c.name), lambda c: c.name),
                Column("Phone", lambda c: ", ".join(c.phones)),
                Column("Email", lambda c: ", ".join(c.emails)),
                Column("Tags", lambda c: ", ".join(c.tags)),
                Column("Looked after by", lambda c: c.owner),
            ],
            parent,
        )
        self._fetch: Callable[[int], list[CustomerSummary]] | None = None
        self._more = False

    def set_results(
        self,
        items: list[CustomerSummary],
        page: int,
        fetch: Callable[[int], list[CustomerSummary]] | None,
    ) -> None:
        self._fetch, self._more = fetch, fetch is not None and len(items) >= page
        self._page = page
        self.set_items(items)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._fetch is None:
            return
        more = self._fetch(len(self.items))
        self._more = len(more) >= self._page
        if more:
            first = len(self.items)
            self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
            self.items.extend(more)
            self.endInsertRows()

    def extra_data(self, item: CustomerSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and item.archived:
            return QColor("#8A8F98")
        if role == Qt.ItemDataRole.FontRole and item.archived:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def row_of(self, customer_id: int) -> int:
        return next((i for i, c in enumerate(self.items) if c.id == customer_id), -1)


class StaffTableModel(ListTableModel[Staff]):
    def __init__(self, parent: Any = None):
        super().__init__(
            [
                Column("Name", lambda s: s.name),
                Column("Role", lambda s: s.role.value.capitalize()),
                Column("Colour", lambda s: s.colour),
                Column("Active", lambda s: "yes" if s.active else "no"),
            ],
            parent,
        )

    def extra_data(self, item: Staff, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return QColor(item.colour)
        return None


class ServiceTableModel(ListTableModel[Service]):
    def __init__(self, currency: str = "", parent: Any = None):
        super().__init__(
            [
                Column("Category", lambda s: s.category),
                Column("Service", lambda s: s.name),
                Column("Minutes", lambda s: str(s.duration_min)),
                Column("Price", lambda s: f"{format_minor(s.price_minor)} {self.currency}"),
                Column(
                    "Follow up after",
                    lambda s: f"{s.followup_days} days" if s.followup_days else "",
                ),
                Column("Active", lambda s: "yes" if s.active else "no"),
            ],
            parent,
        )
        self.currency = currency


class TimelineModel(QAbstractListModel):
    """A customer's timeline, newest first; times shown in the shop's zone."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.entries: list[TimelineEntry] = []
        self.zone: Any = None

    def set_entries(self, entries: list[TimelineEntry], zone: Any) -> None:
        self.beginResetModel()
        self.entries, self.zone = list(entries), zone
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            local = entry.at.astimezone(self.zone) if self.zone else entry.at
            return f"{local:%d %b %Y %H:%M}   {entry.summary}"
        if role == ENTITY_ROLE:
            return entry
        return None
