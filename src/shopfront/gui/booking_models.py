"""Item models and small helpers of the booking dialog (customer picks, series plan, services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QMessageBox,
    QTreeView,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.customers import CustomerSummary, Service
from shopfront.core.localtime import (
    format_time,
)
from shopfront.core.money import format_minor
from shopfront.gui.checkout_dialog import short_day
from shopfront.gui.models import ENTITY_ROLE, Column, Index, ListTableModel


def fit_columns(view: QTreeView) -> None:
    """Columns as wide as their text plus a gap, so neighbouring columns don't run together."""
    model = view.model()
    for column in range(model.columnCount() - 1):
        view.resizeColumnToContents(column)
        view.setColumnWidth(column, view.columnWidth(column) + 14)


def to_local_naive(start: datetime, book: Book) -> datetime:
    """A caller's start (aware: any zone; naive: already shop-local) as shop-local wall time."""
    if start.tzinfo is None:
        return start
    return start.astimezone(book.zone()).replace(tzinfo=None)


class CustomerPickModel(ListTableModel[CustomerSummary]):
    """Customers matching what was typed: name, first phone, who looks after them."""

    def __init__(self, parent: Any = None):
        super().__init__(
            [
                Column("Name", lambda c: c.name),
                Column("Phone", lambda c: c.phones[0] if c.phones else ""),
                Column("Looked after by", lambda c: c.owner),
            ],
            parent,
        )


class PlanModel(ListTableModel[tuple[datetime, str]]):
    """A repeat plan: each date with its problem ('' = can be booked), one line each."""

    def __init__(self, zone: Any, parent: Any = None):
        super().__init__(
            [
                Column("Date", lambda p: f"{self._when(p[0])} — {p[1] or 'free'}"),
            ],
            parent,
        )
        self.zone = zone

    def _when(self, start: datetime) -> str:
        local = start.astimezone(self.zone)
        return f"{short_day(local.date())} {local.year} {format_time(local)}"

    def extra_data(self, item: tuple[datetime, str], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#B00020" if item[1] else "#1E6B34")
        return None


class ServiceChecklistModel(QAbstractTableModel):
    """Services under their category headings, each with a tick; a click anywhere ticks.

    Rows are not Qt-checkable (the view would toggle on the box only); the dialog toggles.
    """

    changed = Signal()
    NAME, MINUTES, PRICE = range(3)

    def __init__(self, services: list[Service], parent: Any = None):
        super().__init__(parent)
        ordered = sorted(services, key=lambda s: (s.category.casefold() or "~", s.name.casefold()))
        self.rows: list[str | Service] = []
        for service in ordered:
            heading = service.category or "Other"
            if heading not in self.rows:
                self.rows.append(heading)
            self.rows.append(service)
        self.checked: list[int] = []  # in the order they were ticked

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt signature)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if isinstance(self.rows[index.row()], str):
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], index.column()
        if isinstance(row, str):
            return self._heading_data(row, column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return (row.name, f"{row.duration_min} min", format_minor(row.price_minor))[column]
        if role == Qt.ItemDataRole.CheckStateRole and column == self.NAME:
            ticked = row.id in self.checked
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and column != self.NAME:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return row if role == ENTITY_ROLE else None

    def _heading_data(self, heading: str, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return heading if column == self.NAME else ""
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor("#26394D")
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return ("Service", "Minutes", "Price")[section] if 0 <= section < 3 else None
        return None

    def span_headers(self, view: QTreeView) -> None:
        for row, item in enumerate(self.rows):
            view.setFirstColumnSpanned(row, QModelIndex(), isinstance(item, str))

    def toggle(self, row: int) -> None:
        item = self.rows[row] if 0 <= row < len(self.rows) else None
        if isinstance(item, Service):
            self.set_ticked(item.id, item.id not in self.checked)

    def set_ticked(self, service_id: int, ticked: bool) -> None:
        if ticked == (service_id in self.checked):
            return
        if ticked:
            self.checked.append(service_id)
        else:
            self.checked.remove(service_id)
        row = next(
            i for i, s in enumerate(self.rows) if isinstance(s, Service) and s.id == service_id
        )
        self.dataChanged.emit(self.index(row, 0), self.index(row, 2))
        self.changed.emit()

    def checked_ids(self) -> tuple[int, ...]:
        return tuple(self.checked)

    def checked_services(self) -> list[Service]:
        by_id = {s.id: s for s in self.rows if isinstance(s, Service)}
        return [by_id[i] for i in self.checked]


def confirm_skipping(
    parent: QWidget, problems: list[tuple[datetime, str]], total: int, book: Book
) -> bool:
    zone = book.zone()
    listing = "\n".join(
        f"• {short_day(start.astimezone(zone).date())} {start.astimezone(zone):%Y %H:%M}: {why}"
        for start, why in problems[:8]
    )
    more = f"\n… and {len(problems) - 8} more" if len(problems) > 8 else ""
    answer = QMessageBox.question(
        parent,
        "Skip some dates?",
        f"{len(problems)} of {total} dates can't be booked as they are:\n\n{listing}{more}\n\n"
        f"Book the other {total - len(problems)} and skip these?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
