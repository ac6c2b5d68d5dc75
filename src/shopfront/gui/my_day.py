"""My day: one staff member's appointments for a date as a list, printable for the station."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.booking import DaySchedule, Visit
from shopfront.core.localtime import format_date, format_time, weekday_name
from shopfront.gui.errors import show_error
from shopfront.gui.models import ENTITY_ROLE, Column, ListTableModel
from shopfront.gui.workers import run_in_background

if TYPE_CHECKING:
    from shopfront.book import Book


def _markers(v: Visit) -> str:
    marks = ["first visit"] if v.first_visit else []
    if v.open_case:
        marks.append("open case")
    if v.risk_level:
        marks.append(f"{v.risk_level} no-show risk")
    return ", ".join(marks)


def _risk_text(v: Visit) -> str:
    """'high · missed 2 of last 5': the level and, unless low, the strongest reason (all
    reasons are in the tip)."""
    if v.risk is None:
        return ""
    if v.risk_level == "low":
        return "low"
    return " · ".join(x for x in (v.risk_level, *v.risk_reasons[:1]) if x)


def _risk_tip(v: Visit) -> str:
    if v.risk is None:
        return ""
    return f"No-show risk {v.risk:.0%} ({v.risk_level}): " + "; ".join(v.risk_reasons)


class MyDayModel(ListTableModel[Visit]):
    """A staff member's visits of one day, in time order; times in the shop's zone."""

    TIME, CUSTOMER, SERVICES, STATUS, RISK, NOTES, LAST_TOLD = range(7)

    def __init__(self, parent: Any = None):
        super().__init__(
            [
                Column("Time", self._time),
                Column("Customer", lambda v: v.customer_name, self._customer_tip),
                Column("Services", lambda v: v.appointment.service_names),
                Column("Status", lambda v: v.appointment.status.label),
                Column("No-show risk", _risk_text, _risk_tip),
                Column("Notes", lambda v: v.appointment.notes.replace("\n", " ")),
                Column("Last told", lambda v: v.last_told.replace("\n", " ")),
            ],
            parent,
        )
        self.zone = ZoneInfo("UTC")

    def set_visits(self, visits: list[Visit], zone: ZoneInfo) -> None:
        self.zone = zone
        self.set_items(sorted(visits, key=lambda v: v.appointment.start))

    def _time(self, v: Visit) -> str:
        a = v.appointment
        return f"{format_time(a.start.astimezone(self.zone))}–{format_time(a.end.astimezone(self.zone))}"

    def _customer_tip(self, v: Visit) -> str:
        extra = _markers(v)
        return " · ".join(x for x in (v.customer_name, v.customer_phone, extra) if x)

    def extra_data(self, item: Visit, column: int, role: int) -> Any:
        active = item.appointment.active
        if role == Qt.ItemDataRole.ForegroundRole and not active:
            return QColor("#8A939E")
        if (
            role == Qt.ItemDataRole.FontRole
            and item.appointment.status is AppointmentStatus.CANCELLED
        ):
            font = QFont()
            font.setStrikeOut(column == self.CUSTOMER)
            return font
        return None

    def to_html(self, title: str, subtitle: str) -> str:
        """The table as an HTML document for printing; every cell escaped (shown as typed)."""
        # The risk column stays on screen: printed, it squeezed names and notes onto two
        # lines (the owner's day sheet in Reports prints the level).
        printed = [c for k, c in enumerate(self.columns) if k != self.RISK]
        head = "".join(f"<th align='left'>{html.escape(c.header)}</th>" for c in printed)
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c.text(v))}</td>" for c in printed) + "</tr>"
            for v in self.items
        )
        if not self.items:
            rows = f"<tr><td colspan='{len(printed)}'>No appointments.</td></tr>"
        return (
            f"<h2>{html.escape(title)}</h2><p>{html.escape(subtitle)}</p>"
            "<table width='100%' border='1' cellspacing='0' cellpadding='4' "
            f"style='border-collapse: collapse'><thead><tr>{head}</tr></thead>{rows}</table>"
        )


class MyDayView(QWidget):
    """The list and a Print… button; double-click a row to open the appointment."""

    open_requested = Signal(int)
    loaded = Signal()  # the list on screen is fresh (tests wait on it)

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self._generation = 0
        self.staff_id: int | None = None
        self.day: date | None = None
        self.when = ""
        self.model = MyDayModel(self)
        self.title = QLabel()
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setProperty("role", "heading")
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.print_button = QPushButton("&Print…")
        self.table = QTableView()
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((100, 190, 220, 90, 200, 220)):
            self.table.setColumnWidth(column, width)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top.addLayout(heading, 1)
        top.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def _connect_signals(self) -> None:
        self.print_button.clicked.connect(self.print_dialog)
        self.table.doubleClicked.connect(self._open_row)
        self.table.activated.connect(self._open_row)

    def show_day(self, staff_id: int, day: date) -> None:
        self.staff_id, self.day = staff_id, day
        self.reload()

    def reload(self) -> None:
        """Read the day off the GUI thread, with what each customer was last told."""
        self._generation += 1
        if self.staff_id is None or self.day is None:
            self.model.set_visits([], self.book.zone())
            return
        generation, staff_id, day = self._generation, self.staff_id, self.day
        run_in_background(
            lambda: self._load(staff_id, day),
            lambda found: self._show(generation, day, *found),
            lambda exc: show_error(self, exc),
            owner=self,
        )

    def _load(self, staff_id: int, day: date) -> tuple[DaySchedule, list[Visit]]:
        schedule = self.book.day(day, staff_id)
        visits = [v for c in schedule.columns for v in c.visits]
        return schedule, self.book.with_last_told(visits)

    def _show(self, generation: int, day: date, schedule: DaySchedule, visits: list[Visit]) -> None:
        if generation != self._generation:
            return  # a newer day or person was asked for meanwhile
        self.model.set_visits(visits, schedule.zone)
        name = schedule.columns[0].staff.name if schedule.columns else ""
        self.title.setText(name)
        self.when = f"{weekday_name(day.weekday())} {format_date(day)}"
        booked = sum(1 for v in visits if v.appointment.active)
        self.summary.setText(
            f"{booked} appointment{'s' * (booked != 1)}" if visits else "No appointments."
        )
        self.loaded.emit()

    def _open_row(self, index: QModelIndex) -> None:
        visit = self.model.data(index, ENTITY_ROLE)
        if visit is not None:
            self.open_requested.emit(visit.appointment.id)

    # printing ------------------------------------------------------------------------------

    def document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        font = QFont(doc.defaultFont())
        for tag in ("liga", "clig"):  # 'fi' stays two letters, so the PDF is searchable
            font.setFeature(QFont.Tag(tag), 0)
        doc.setDefaultFont(font)
        shop = self.book.settings.shop_name
        title = f"{self.title.text()} — {self.when}"
        doc.setHtml(self.model.to_html(title, f"{shop} · {self.summary.text()}"))
        return doc

    def print_to(self, printer: QPrinter) -> None:
        """Print the list (a PDF printer in tests and 'Save as PDF')."""
        self.document().print_(printer)

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle("Print my day")
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(printer)
