"""Today, the start screen: what needs doing now, loudest first.

Overdue promises and overdue follow-ups are red and come first; then today's follow-ups,
absences with their call lists, today's appointments (with the risk and open-case markers)
and tomorrow's unconfirmed appointments. The data is read off the GUI thread.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.booking import Visit
from shopfront.core.care import CallState, Case, Followup
from shopfront.core.localtime import format_date, format_time, weekday_name
from shopfront.gui.absence_dialog import prepare_table
from shopfront.gui.contact_dialog import ContactDialog, add_log_call_shortcut
from shopfront.gui.errors import show_error
from shopfront.gui.followup_dialogs import short_day
from shopfront.gui.followups_page import OVERDUE_BACKGROUND, OVERDUE_COLOUR, FollowupTableModel
from shopfront.gui.models import ENTITY_ROLE, Column, ListTableModel
from shopfront.gui.workers import run_in_background
from shopfront.usecases.care import CallList, TodayData

MAX_ROWS_SHOWN = 8
RISK_COLOUR = {"high": QColor("#B00020"), "medium": QColor("#9A6700")}


def visit_flags(v: Visit) -> str:
    """The marker slot: risk level with its reasons, open case, first visit."""
    flags = []
    if v.risk_level and v.risk_level != "low":
        why = f" ({'; '.join(v.risk_reasons)})" if v.risk_reasons else ""
        flags.append(f"{v.risk_level} no-show risk{why}")
    if v.open_case:
        flags.append("open case")
    if v.first_visit:
        flags.append("first visit")
    return " · ".join(flags)


class VisitTableModel(ListTableModel[Visit]):
    """Appointments of one day with time, customer, services, staff and markers."""

    TIME, CUSTOMER, SERVICES, STAFF, STATUS, FLAGS = range(6)

    def __init__(self, zone: ZoneInfo, parent: Any = None):
        super().__init__(
            [
                Column("Time", self._time),
                Column("Customer", lambda v: v.customer_name),
                Column("Services", lambda v: v.appointment.service_names),
                Column("With", lambda v: v.staff_name),
                Column("Status", lambda v: v.appointment.status.label),
                Column("Attention", visit_flags),
            ],
            parent,
        )
        self.zone = zone

    def _time(self, v: Visit) -> str:
        return format_time(v.appointment.start.astimezone(self.zone))

    def extra_data(self, item: Visit, column: int, role: int) -> Any:
        if column != self.FLAGS:
            return None
        colour = RISK_COLOUR.get(item.risk_level) or (OVERDUE_COLOUR if item.open_case else None)
        if role == Qt.ItemDataRole.ForegroundRole and colour is not None:
            return colour
        if role == Qt.ItemDataRole.FontRole and colour is not None:
            font = QFont()
            font.setBold(True)
            return font
        return None


class PromiseTableModel(ListTableModel[Case]):
    """Promised fixes past their date: loud, with who owns them."""

    def __init__(self, today: date, staff_name: Any, parent: Any = None):
        super().__init__(
            [
                Column("Was due", lambda c: self._due(c)),
                Column("Customer", lambda c: c.customer_name),
                Column("Promised fix", lambda c: c.fix or "—"),
                Column("Owner", lambda c: self.staff_name(c.owner_id) or "nobody — assign one"),
                Column("In their words", lambda c: c.words.replace("\n", " "), lambda c: c.words),
            ],
            parent,
        )
        self.today, self.staff_name = today, staff_name

    def _due(self, c: Case) -> str:
        if c.fix_due is None:
            return "—"
        days = (self.today - c.fix_due).days
        return f"{short_day(c.fix_due)} — {days} day{'s' * (days != 1)} overdue"

    def extra_data(self, item: Case, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.BackgroundRole:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None


def call_list_text(calls: CallList, zone: ZoneInfo) -> str:
    start = calls.absence.interval.start.astimezone(zone)
    end = calls.absence.interval.end.astimezone(zone)
    when = f"{short_day(start.date())} {format_time(start)}–{format_time(end)}"
    if start.date() != end.date():
        when = f"{short_day(start.date())} – {short_day(end.date())}"
    counts = (
        f"{calls.count(CallState.TOLD)} told · {calls.count(CallState.NOT_REACHED)} not reached"
        f" · {calls.count(CallState.PENDING)} pending"
    )
    affected = len(calls.rows)
    return (
        f"{calls.staff_name} away ({calls.absence.reason.value}), {when}: {affected} "
        f"appointment{'s' * (affected != 1)} touched — {counts}"
    )


def call_list_dialog() -> Any:
    """The call list dialog, if this build has it (it arrives with the absence work)."""
    try:
        from shopfront.gui.call_list_dialog import CallListDialog
    except ImportError:
        return None
    return CallListDialog


class Section(QWidget):
    """A heading, a one-line note when empty, and a table that is as tall as its rows."""

    def __init__(self, title: str, model: ListTableModel, empty: str, loud: bool = False):
        super().__init__()
        self.model, self.empty_text, self.loud, self.title = model, empty, loud, title
        self.heading = QLabel(title)
        self.heading.setProperty("role", "heading")
        self.note = QLabel(empty)
        self.note.setProperty("role", "hint")
        self.table = QTableView()
        self.table.setAccessibleName(title)
        prepare_table(self.table, model)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.addWidget(self.heading)
        layout.addWidget(self.note)
        layout.addWidget(self.table)
        model.modelReset.connect(self._fit)
        self._fit()

    def _fit(self) -> None:
        rows = self.model.rowCount()
        self.table.setVisible(rows > 0)
        self.note.setVisible(rows == 0)
        loud = self.loud and rows > 0
        self.heading.setStyleSheet("color: #B00020;" if loud else "")
        self.heading.setText(f"{self.title} ({rows})" if rows else self.title)
        # As tall as its rows up to a screenful, so the sections below stay in sight.
        height = self.table.horizontalHeader().sizeHint().height()
        height += sum(self.table.rowHeight(r) for r in range(min(rows, MAX_ROWS_SHOWN))) + 4
        self.table.setFixedHeight(height)


class TodayPage(QWidget):
    status = Signal(str)
    open_customer = Signal(int)
    changed = Signal()
    loaded = Signal()  # fresh data is on screen (tests wait on it)

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.data: TodayData | None = None
        self._names: dict[int, str] = {}
        self._generation = 0
        zone, today = book.zone(), book.today()
        self.promises = PromiseTableModel(today, self._staff_name, self)
        self.overdue = FollowupTableModel(today, self._staff_name, self)
        self.due = FollowupTableModel(today, self._staff_name, self)
        self.visits = VisitTableModel(zone, self)
        self.tomorrow = VisitTableModel(zone, self)
        self._build()
        self.reload()

    def _staff_name(self, staff_id: int | None) -> str:
        return self._names.get(staff_id, "") if staff_id is not None else ""

    def _build(self) -> None:
        self.title = QLabel("Today")
        self.title.setProperty("role", "heading")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.refresh_button = QPushButton("&Refresh")
        self.call_button = QPushButton("&Log a call…")
        self.call_button.setToolTip("Log a call with the selected row's customer (Ctrl+L)")
        self.sections = {
            "promises": Section("Overdue promises", self.promises, "No promise is overdue.", True),
            "overdue": Section("Overdue follow-ups", self.overdue, "Nothing overdue.", True),
            "due": Section("Follow-ups due today", self.due, "No follow-ups due today."),
            "visits": Section("Appointments today", self.visits, "No appointments today."),
            "tomorrow": Section(
                "Not yet confirmed for tomorrow", self.tomorrow, "Everyone tomorrow is confirmed."
            ),
        }
        self.absence_box = QVBoxLayout()
        absences = QWidget()
        absences.setLayout(self.absence_box)
        self.absence_heading = QLabel("Absences today and tomorrow")
        self.absence_heading.setProperty("role", "heading")
        self.absence_box.setContentsMargins(0, 6, 0, 6)
        self.absence_rows: list[QWidget] = []
        body = QWidget()
        column = QVBoxLayout(body)
        for key in ("promises", "overdue"):
            column.addWidget(self.sections[key])
        column.addWidget(self.absence_heading)
        column.addWidget(absences)
        for key in ("due", "visits", "tomorrow"):
            column.addWidget(self.sections[key])
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(self.title)
        heading.addWidget(self.summary)
        top.addLayout(heading, 1)
        top.addWidget(self.call_button, 0, Qt.AlignmentFlag.AlignBottom)
        top.addWidget(self.refresh_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self.refresh_button.clicked.connect(self.reload)
        self.call_button.clicked.connect(self.log_call)
        add_log_call_shortcut(self, self.log_call)
        for section in self.sections.values():
            section.table.doubleClicked.connect(self._open_row)
            section.table.activated.connect(self._open_row)

    # loading -----------------------------------------------------------------------------

    def reload(self) -> None:
        self._generation += 1
        generation = self._generation
        run_in_background(
            self._load,
            lambda found: self._show(generation, found),
            lambda exc: show_error(self, exc),
            owner=self,
        )

    def _load(self) -> tuple[TodayData, dict[int, str]]:
        names = {s.id: s.name for s in self.book.staff(include_inactive=True) if s.id}
        return self.book.today_data(), names

    def _show(self, generation: int, found: tuple[TodayData, dict[int, str]]) -> None:
        if generation != self._generation:
            return
        data, self._names = found
        self.data = data
        for model in (self.promises, self.overdue, self.due):
            model.today = data.day
        self.promises.set_items(data.overdue_promises)
        self.overdue.set_items(data.overdue)
        self.due.set_items(data.due)
        self.visits.set_items(data.visits)
        self.tomorrow.set_items(data.unconfirmed_tomorrow)
        self._show_absences(data.absences)
        self.title.setText(f"Today — {weekday_name(data.day.weekday())} {format_date(data.day)}")
        self.summary.setText(summary_text(data))
        self.loaded.emit()

    def _show_absences(self, lists: tuple[CallList, ...]) -> None:
        for row in self.absence_rows:
            self.absence_box.removeWidget(row)
            row.deleteLater()
        self.absence_rows = []
        dialog = call_list_dialog()
        zone = self.book.zone()
        if not lists:
            self.absence_rows.append(QLabel("Nobody is away today or tomorrow."))
        for calls in lists:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            text = QLabel(call_list_text(calls, zone))
            text.setTextFormat(Qt.TextFormat.PlainText)
            text.setWordWrap(True)
            if calls.count(CallState.NOT_REACHED) or calls.count(CallState.PENDING):
                text.setStyleSheet("color: #B00020; font-weight: bold;")
            line.addWidget(text, 1)
            if dialog is not None:
                button = QPushButton("Call list…")
                button.clicked.connect(lambda _c=False, a=calls.absence.id: self.open_call_list(a))
                line.addWidget(button)
            self.absence_rows.append(row)
        for row in self.absence_rows:
            self.absence_box.addWidget(row)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    # actions -----------------------------------------------------------------------------

    def selected(self) -> Any:
        """The row under the keyboard focus (or the last clicked) in any section."""
        for section in self.sections.values():
            if section.table.hasFocus() and section.table.currentIndex().isValid():
                return section.table.currentIndex().data(ENTITY_ROLE)
        for section in self.sections.values():
            if section.table.currentIndex().isValid():
                return section.table.currentIndex().data(ENTITY_ROLE)
        return None

    def _open_row(self, index: QModelIndex) -> None:
        item = index.data(ENTITY_ROLE)
        if isinstance(item, Visit):
            self.open_appointment(item.appointment.id)
        elif isinstance(item, Followup | Case):
            self.open_customer.emit(item.customer_id)

    def open_appointment(self, appointment_id: int) -> None:
        from shopfront.gui.appointment_dialog import AppointmentDialog

        if AppointmentDialog.ask(self, self.book, appointment_id):
            self._after_change("Appointment saved.")

    def open_call_list(self, absence_id: int) -> None:
        dialog = call_list_dialog()
        if dialog is not None and dialog.ask(self, self.book, absence_id):
            self._after_change("Call list updated.")

    def log_call(self) -> None:
        item = self.selected()
        if isinstance(item, Visit):
            customer, appointment = item.appointment.customer_id, item.appointment.id
        elif isinstance(item, Followup | Case):
            customer, appointment = item.customer_id, None
        else:
            self.status.emit("Select a row first: the call is logged on its customer.")
            return
        if ContactDialog.ask(self, self.book, customer, appointment_id=appointment):
            self._after_change("Call logged.")

    def _after_change(self, message: str) -> None:
        self.reload()
        self.changed.emit()
        self.status.emit(message)


def summary_text(data: TodayData) -> str:
    active = len(data.visits)
    parts = [f"{active} appointment{'s' * (active != 1)}"]
    if data.overdue_promises:
        parts.append(f"{len(data.overdue_promises)} overdue promise(s)")
    if data.overdue:
        parts.append(f"{len(data.overdue)} overdue follow-up(s)")
    parts.append(f"{len(data.due)} follow-up(s) due today")
    if data.unconfirmed_tomorrow:
        parts.append(f"{len(data.unconfirmed_tomorrow)} unconfirmed tomorrow")
    return " · ".join(parts)
