"""Absences: record one and see at once whom to call; list upcoming absences and remove them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.booking import Visit
from shopfront.core.localtime import (
    LocalTimeError,
    day_bounds_utc,
    format_time,
    local_to_utc,
    to_local,
)
from shopfront.core.workhours import Absence, AbsenceReason
from shopfront.errors import ShopfrontError
from shopfront.gui.checkout_dialog import local_text, short_day
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.models import ENTITY_ROLE, Column, ListTableModel

UPCOMING_DAYS = 90
REASONS = {
    AbsenceReason.SICK: "Sick",
    AbsenceReason.HOLIDAY: "Holiday",
    AbsenceReason.TRAINING: "Training",
    AbsenceReason.OTHER: "Other",
}


def affected_sentence(count: int) -> str:
    if count == 0:
        return "No appointments are affected."
    if count == 1:
        return "1 appointment is affected — call this customer:"
    return f"{count} appointments are affected — call these customers:"


def absence_span(absence: Absence, zone: ZoneInfo) -> tuple[str, str]:
    """('Mon 23 Nov 2026', 'Tue 24 Nov 2026') for whole days, else with the times."""
    start, end = to_local(absence.interval.start, zone), to_local(absence.interval.end, zone)
    if start.time() == time() and end.time() == time():
        last = end.date() - timedelta(days=1)
        return f"{short_day(start.date())} {start.year}", f"{short_day(last)} {last.year} (all day)"
    return local_text(absence.interval.start, zone), local_text(absence.interval.end, zone)


def prepare_table(view: QTableView, model: Any) -> None:
    view.setModel(model)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)


class AffectedModel(ListTableModel[Visit]):
    """The call list: appointments an absence touches."""

    def __init__(self, zone: ZoneInfo, parent: Any = None):
        super().__init__(
            [
                Column("When", lambda v: self._when(v)),
                Column("Customer", lambda v: v.customer_name),
                Column("Phone", lambda v: v.customer_phone or "no phone"),
                Column("Services", lambda v: v.appointment.service_names),
            ],
            parent,
        )
        self.zone = zone

    def _when(self, visit: Visit) -> str:
        a = visit.appointment
        return f"{local_text(a.start, self.zone)}–{format_time(a.end.astimezone(self.zone))}"

    def call_list(self) -> str:
        return "\n".join("\t".join(c.text(v) for c in self.columns) for v in self.items)


class AbsenceTableModel(ListTableModel[Absence]):
    def __init__(self, zone: ZoneInfo, staff_name: Any, parent: Any = None):
        super().__init__(
            [
                Column("Who", lambda a: self.staff_name(a.staff_id)),
                Column("From", lambda a: absence_span(a, self.zone)[0]),
                Column("Until", lambda a: absence_span(a, self.zone)[1]),
                Column("Reason", lambda a: REASONS[a.reason]),
                Column("Note", lambda a: a.note),
            ],
            parent,
        )
        self.zone, self.staff_name = zone, staff_name


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(QDate(day.year, day.month, day.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


def _time_edit(hour: int) -> QTimeEdit:
    edit = QTimeEdit(QTime(hour, 0))
    edit.setDisplayFormat("HH:mm")
    return edit


def _error_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_field_error(label, "")
    return label


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch()
    return row


class AbsenceDialog(QDialog):
    """Use ``AbsenceDialog.ask(parent, book, staff_id)`` -> the saved Absence or None.

    After saving, the dialog stays open on the call list of the appointments it touches.
    """

    def __init__(self, book: Book, staff_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.absence: Absence | None = None
        self.affected: list[Visit] = []
        self.model = AffectedModel(book.zone(), self)
        self.setWindowTitle("Absence")
        self.resize(520, 320)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._form_page(staff_id))
        self.pages.addWidget(self._result_page())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.buttons)
        self.whole_day.toggled.connect(self._whole_day_toggled)
        self._whole_day_toggled(True)

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, staff_id: int | None = None) -> Absence | None:
        dialog = cls(book, staff_id, parent)
        dialog.exec()
        return dialog.absence  # saved even if the call list is closed with Escape

    def _form_page(self, staff_id: int | None) -> QWidget:
        today = self.book.today()
        self.staff = QComboBox()
        for person in self.book.staff(include_inactive=False):
            self.staff.addItem(person.name, person.id)
        self.staff.setCurrentIndex(max(0, self.staff.findData(staff_id)))
        self.whole_day = QCheckBox("W&hole days")
        self.whole_day.setChecked(True)
        self.from_date, self.from_time = _date_edit(today), _time_edit(9)
        self.to_date, self.to_time = _date_edit(today), _time_edit(18)
        self.reason = QComboBox()
        for value, label in REASONS.items():
            self.reason.addItem(label, value.value)
        self.note = QLineEdit()
        self.note.setPlaceholderText("e.g. back on Thursday; covering: Tom")
        self.from_error, self.to_error, self.error = _error_label(), _error_label(), _error_label()
        hint = QLabel(
            "Who is away, and when. Their appointments in that time stay booked: "
            "you see at once whom to call."
        )
        hint.setWordWrap(True)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(hint)
        form.addRow(_caption("&Who", self.staff), self.staff)
        form.addRow("", self.whole_day)
        form.addRow(_caption("&From", self.from_date), _row(self.from_date, self.from_time))
        form.addRow("", self.from_error)
        form.addRow(_caption("&Until", self.to_date), _row(self.to_date, self.to_time))
        form.addRow("", self.to_error)
        form.addRow(_caption("&Reason", self.reason), _row(self.reason))
        form.addRow(_caption("&Note", self.note), self.note)
        form.addRow(self.error)
        return page

    def _result_page(self) -> QWidget:
        self.sentence = QLabel()
        self.sentence.setProperty("role", "heading")
        self.sentence.setWordWrap(True)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.PlainText)
        self.table = QTableView()  # replaced by the call list's own table once saved
        self.copy = QPushButton("&Copy the call list")
        self.copy.setAutoDefault(False)
        self.copy.clicked.connect(
            lambda: QGuiApplication.clipboard().setText(self.model.call_list())
        )
        page = QWidget()
        self.result_layout = QVBoxLayout(page)
        for widget in (self.sentence, self.advice):
            self.result_layout.addWidget(widget)
        self.result_layout.addLayout(_row(self.copy))
        self.result_layout.addStretch()  # gives way to the call list once it is there
        return page

    def _whole_day_toggled(self, whole: bool) -> None:
        self.from_time.setVisible(not whole)
        self.to_time.setVisible(not whole)

    def interval(self) -> tuple[datetime, datetime]:
        """The absence as UTC instants; LocalTimeError names the field in ``args[1]``."""
        zone = self.book.zone()
        first, last = self.from_date.date().toPython(), self.to_date.date().toPython()
        if self.whole_day.isChecked():
            return day_bounds_utc(first, zone).start, day_bounds_utc(last, zone).end
        start_time, end_time = self.from_time.time().toPython(), self.to_time.time().toPython()
        try:
            start = local_to_utc(datetime.combine(first, start_time), zone)
        except LocalTimeError as exc:
            raise _FieldError("from", str(exc)) from None
        try:
            end = local_to_utc(datetime.combine(last, end_time), zone)
        except LocalTimeError as exc:
            raise _FieldError("to", str(exc)) from None
        return start, end

    def show_errors(self, errors: dict[str, str]) -> None:
        set_field_error(self.from_error, errors.get("from", ""))
        set_field_error(self.to_error, errors.get("to", ""))
        other = " ".join(v for k, v in errors.items() if k not in ("from", "to"))
        set_field_error(self.error, f"Not saved. {other}".strip() if errors else "")

    def save(self) -> None:
        try:
            start, end = self.interval()
            if end <= start:
                raise _FieldError("to", "The absence must end after it starts.")
            self.absence, self.affected = self.book.add_absence(
                self.staff.currentData(),
                start,
                end,
                self.reason.currentData(),
                self.note.text().strip(),
            )
        except _FieldError as exc:
            self.show_errors({exc.field: exc.message})
            return
        except ShopfrontError as exc:
            self.show_errors({"form": str(exc)})
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.show_affected()

    def show_affected(self) -> None:
        """The call list, at once: nothing about the absence is left for later discovery."""
        from shopfront.gui.call_list_dialog import CallListPanel  # it builds on this module

        assert self.absence is not None
        self.panel = CallListPanel(self.book, self.absence.id, self)
        self.model, self.table = self.panel.model, self.panel.table  # type: ignore[assignment]
        self.panel.heading.hide()  # the sentence above says it already
        self.result_layout.insertWidget(2, self.panel, 100)
        self.panel.setVisible(bool(self.affected))
        self.sentence.setText(affected_sentence(len(self.affected)))
        name = self.staff.currentText()
        self.advice.setText(
            f"They are still booked with {name}. Call each one: offer another time with "
            f"{name} or a colleague now, and record who was told. Those not reached become "
            "front-desk follow-ups."
            if self.affected
            else f"{name}'s absence is saved; no customer needs a call."
        )
        self.copy.setVisible(bool(self.affected))
        self.pages.setCurrentIndex(1)
        if self.affected:
            self.resize(max(self.width(), 960), max(self.height(), 600))
        self.buttons.setStandardButtons(QDialogButtonBox.StandardButton.Close)


class _FieldError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


class AbsencesDialog(QDialog):
    """Use ``AbsencesDialog.ask(parent, book, staff_id)`` -> True if anything changed."""

    def __init__(self, book: Book, staff_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.changed = book, False
        self.setWindowTitle("Absences")
        self.resize(760, 520)
        self.model = AbsenceTableModel(book.zone(), book.staff_name, self)
        self.affected = AffectedModel(book.zone(), self)
        self._build(staff_id)
        self.reload()

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, staff_id: int | None = None) -> bool:
        dialog = cls(book, staff_id, parent)
        dialog.exec()
        return dialog.changed

    def _build(self, staff_id: int | None) -> None:
        self.who = QComboBox()
        self.who.addItem("Everyone", None)
        for person in self.book.staff(include_inactive=False):
            self.who.addItem(person.name, person.id)
        self.who.setCurrentIndex(max(0, self.who.findData(staff_id)))
        self.table, self.affected_table = QTableView(), QTableView()
        prepare_table(self.table, self.model)
        prepare_table(self.affected_table, self.affected)
        self.affected_label = QLabel("Select an absence to see whom it affects.")
        self.affected_label.setWordWrap(True)
        self.add, self.remove = QPushButton("&Add absence…"), QPushButton("&Remove")
        self.calls = QPushButton("&Call list…")
        self.not_in = QPushButton("&Not in today…")
        for button in (self.add, self.remove, self.calls, self.not_in):
            button.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(_row(QLabel(f"Next {UPCOMING_DAYS} days for"), self.who))
        layout.addWidget(self.table, 3)
        layout.addLayout(_row(self.add, self.not_in, self.remove, self.calls))
        layout.addWidget(self.affected_label)
        layout.addWidget(self.affected_table, 2)
        layout.addWidget(buttons)
        self.who.currentIndexChanged.connect(self.reload)
        self.add.clicked.connect(self.add_absence)
        self.remove.clicked.connect(self.remove_selected)
        self.calls.clicked.connect(self.open_call_list)
        self.not_in.clicked.connect(self.mark_not_in_today)
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_affected(current.row())
        )

    def reload(self) -> None:
        today = self.book.today()
        last = today + timedelta(days=UPCOMING_DAYS)
        self.model.set_items(self.book.absences(today, last, self.who.currentData()))
        self.show_affected(-1)

    def selected(self) -> Absence | None:
        index = self.table.currentIndex()
        return self.model.data(index, ENTITY_ROLE) if index.isValid() else None

    def show_affected(self, row: int) -> None:
        absence = self.model.item(row)
        self.remove.setEnabled(absence is not None)
        self.calls.setEnabled(absence is not None)
        visits = self.book.affected_by(absence) if absence else []
        self.affected.set_items(visits)
        self.affected_label.setText(
            affected_sentence(len(visits))
            if absence
            else "Select an absence to see whom it affects."
        )

    def add_absence(self) -> None:
        if AbsenceDialog.ask(self, self.book, self.who.currentData()) is not None:
            self.changed = True
            self.reload()

    def open_call_list(self) -> None:
        from shopfront.gui.call_list_dialog import CallListDialog

        absence = self.selected()
        if absence is not None and CallListDialog.ask(self, self.book, absence.id):
            self.changed = True
            self.reload()

    def mark_not_in_today(self) -> None:
        from shopfront.gui.call_list_dialog import not_in_today

        if not_in_today(self, self.book, self.who.currentData()):
            self.changed = True
            self.reload()

    def remove_selected(self) -> bool:
        absence = self.selected()
        if absence is None:
            return False
        start, end = absence_span(absence, self.book.zone())
        answer = QMessageBox.question(
            self,
            "Remove absence",
            f"Remove {self.book.staff_name(absence.staff_id)}'s absence ({start} – {end})? "
            "Their working hours apply again for that time.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.book.remove_absence(absence.id)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.changed = True
        self.reload()
        return True
