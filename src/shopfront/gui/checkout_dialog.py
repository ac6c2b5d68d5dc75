"""Checkout: the final price, then "book the next visit" with the same person, or "not now"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus
from shopfront.core.booking import Appointment, BookingRequest, NeedsOverride
from shopfront.core.localtime import format_time, weekday_name
from shopfront.core.money import format_minor, parse_minor
from shopfront.core.timeslots import Slot
from shopfront.errors import ConflictError, ShopfrontError, ValidationError
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.models import Column, ListTableModel

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
NEXT_VISIT_SOURCE = "in person"  # booked at the desk while paying


def short_day(day: date) -> str:
    """'Tue 24 Nov' (locale-independent, like the rest of the book's wording)."""
    return f"{weekday_name(day.weekday())[:3]} {day.day} {MONTHS[day.month - 1]}"


def when_text(start: datetime, end: datetime, zone: ZoneInfo, year: bool = False) -> str:
    """'Tue 24 Nov 10:00–11:00' in the shop's zone."""
    local, until = start.astimezone(zone), end.astimezone(zone)
    suffix = f" {local.year}" if year else ""
    return f"{short_day(local.date())}{suffix} {format_time(local)}–{format_time(until)}"


def local_text(moment: datetime, zone: ZoneInfo) -> str:
    """'Mon 23 Nov 2026 10:30' in the shop's zone."""
    local = moment.astimezone(zone)
    return f"{short_day(local.date())} {local.year} {format_time(local)}"


def interval_words(gap: timedelta) -> str:
    """'every 6 weeks', 'about every 5 weeks (33 days)', 'about every 3 months (91 days)'."""
    days = gap.days
    if days % 7 == 0 and days <= 12 * 7:
        weeks = days // 7
        return "every week" if weeks == 1 else f"every {weeks} weeks"
    if days < 14:
        return f"every {days} days"
    if days < 63:
        return f"about every {round(days / 7)} weeks ({days} days)"
    return f"about every {round(days / 30.4)} months ({days} days)"


def prepare_tree(view: QTreeView, model: Any) -> None:
    """A flat list with aligned columns (the views in these dialogs are read-only trees)."""
    view.setModel(model)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAlternatingRowColors(True)


class SlotTableModel(ListTableModel[Slot]):
    """Free slots: day, time, who."""

    def __init__(self, zone: ZoneInfo, staff_name: Callable[[int], str], parent: Any = None):
        super().__init__(
            [
                Column("Day", lambda s: short_day(s.start.astimezone(self.zone).date())),
                Column("Time", lambda s: self._time(s)),
                Column("With", lambda s: self.staff_name(s.staff_id)),
            ],
            parent,
        )
        self.zone, self.staff_name = zone, staff_name

    def _time(self, slot: Slot) -> str:
        start, end = slot.start.astimezone(self.zone), slot.end.astimezone(self.zone)
        return f"{format_time(start)}–{format_time(end)}"


class CheckoutDialog(QDialog):
    """Use ``CheckoutDialog.ask(parent, book, appointment_id)`` -> True once checked out."""

    def __init__(self, book: Book, appointment_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.appointment_id = book, appointment_id
        self.visit = book.appointment(appointment_id).visit
        self.appointment: Appointment = self.visit.appointment
        self.completed: Appointment | None = None
        self.next_visit: Appointment | None = None
        self.slots = SlotTableModel(book.zone(), book.staff_name, self)
        self._build()
        self._connect_signals()
        self.load_slots()

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, appointment_id: int) -> bool:
        dialog = cls(book, appointment_id, parent)
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _build(self) -> None:
        a, v = self.appointment, self.visit
        self.setWindowTitle(f"Check out — {v.customer_name}")
        self.resize(560, 460)
        heading = QLabel(f"Check out {v.customer_name}")
        heading.setProperty("role", "heading")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        summary = QLabel(
            f"{a.service_names} with {v.staff_name}, {when_text(a.start, a.end, self.book.zone())}"
        )
        summary.setTextFormat(Qt.TextFormat.PlainText)
        summary.setWordWrap(True)
        self.price = QLineEdit(format_minor(a.price_minor))
        self.price.setMaximumWidth(120)
        self.price_error = QLabel()
        price_row = QHBoxLayout()
        price_row.addWidget(self.price)
        price_row.addWidget(QLabel(self.book.settings.currency))
        price_row.addStretch()
        caption = QLabel("&Final price")
        caption.setBuddy(self.price)
        form = QFormLayout()
        form.addRow(caption, price_row)
        form.addRow("", self.price_error)
        layout = QVBoxLayout(self)
        for widget in (heading, summary):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self._next_visit_box())
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for label in (self.price_error, self.error):
            label.setTextFormat(Qt.TextFormat.PlainText)
            set_field_error(label, "")

    def _next_visit_box(self) -> QGroupBox:
        box = QGroupBox("Book the next visit")
        gap = self.book.rebook_interval(self.appointment)
        self.interval_label = QLabel(self._interval_text(gap))
        self.interval_label.setTextFormat(Qt.TextFormat.PlainText)
        self.interval_label.setWordWrap(True)
        self.slot_view = QTreeView()
        self.slot_view.setHeaderHidden(True)
        self.slot_view.setAccessibleName("Suggested times for the next visit")
        prepare_tree(self.slot_view, self.slots)
        self.not_now = QCheckBox("&Not now — the customer will book later")
        self.not_now.setChecked(True)
        self.later = QPushButton("&Later slots ›")
        self.later.setAutoDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.not_now)
        row.addStretch()
        row.addWidget(self.later)
        inner = QVBoxLayout(box)
        inner.addWidget(self.interval_label)
        inner.addWidget(self.slot_view)
        inner.addLayout(row)
        return box

    def _interval_text(self, gap: timedelta) -> str:
        name, staff = self.visit.customer_name, self.visit.staff_name
        visits = self.book.customer_appointments(self.appointment.customer_id)
        if sum(1 for a in visits if a.status == AppointmentStatus.COMPLETED) >= 2:
            rhythm = f"{name} usually comes back {interval_words(gap)}."
        else:
            rhythm = f"No visit rhythm for {name} yet; suggested: {interval_words(gap)}."
        return f"{rhythm} First free times with {staff} after that:"

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.complete)
        self.buttons.rejected.connect(self.reject)
        self.slot_view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.choose_slot(current.row())
        )
        self.not_now.toggled.connect(self._not_now_toggled)
        self.later.clicked.connect(self.later_slots)

    def load_slots(self) -> None:
        self.slots.set_items(self.book.next_visit_slots(self.appointment_id, count=6))
        self._after_slots()

    def later_slots(self) -> None:
        last = self.slots.item(self.slots.rowCount() - 1)
        start = last.start + timedelta(minutes=1) if last else None
        ids = tuple(x.service_id for x in self.appointment.services)
        found = self.book.free_slots(ids, self.appointment.staff_id, start, count=6)
        self.slots.set_items(found)
        self._after_slots()

    def _after_slots(self) -> None:
        for column in range(self.slots.columnCount()):
            self.slot_view.resizeColumnToContents(column)
        if not self.slots.rowCount():
            self.interval_label.setText(
                f"No free time with {self.visit.staff_name} in the weeks after the usual "
                "interval (are their working hours set?)."
            )
        self.not_now.setChecked(True)
        self._update_button()

    def choose_slot(self, row: int) -> None:
        if self.slots.item(row) is not None:
            self.not_now.setChecked(False)
        self._update_button()

    def _not_now_toggled(self, checked: bool) -> None:
        if checked:
            self.slot_view.selectionModel().clear()
        self._update_button()

    def chosen_slot(self) -> Slot | None:
        if self.not_now.isChecked():
            return None
        return self.slots.item(self.slot_view.currentIndex().row())

    def _update_button(self) -> None:
        slot = self.chosen_slot()
        text = (
            f"Complete and book {when_text(slot.start, slot.end, self.book.zone())}"
            if slot
            else "Complete without booking"
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(text)

    def next_request(self) -> BookingRequest | None:
        slot = self.chosen_slot()
        if slot is None:
            return None
        a = self.appointment
        ids = tuple(x.service_id for x in a.services)
        return BookingRequest(
            a.customer_id, slot.staff_id, ids, slot.start, source=NEXT_VISIT_SOURCE
        )

    def complete(self) -> None:
        set_field_error(self.error, "")
        try:
            price = parse_minor(self.price.text())
        except ValidationError as exc:
            set_field_error(self.price_error, str(exc))
            return
        set_field_error(self.price_error, "")
        self._checkout(price, self.next_request(), override=False)

    def _checkout(self, price: int, request: BookingRequest | None, override: bool) -> None:
        try:
            self.completed, self.next_visit = self.book.checkout(
                self.appointment_id, price, next_visit=request, override=override
            )
        except NeedsOverride as exc:
            if confirm_override(self, exc):
                self._checkout(price, request, override=True)
            return
        except ConflictError as exc:
            set_field_error(self.error, f"{exc} Pick another time.")
            self.load_slots()
            return
        except ShopfrontError as exc:
            set_field_error(self.error, f"Not checked out: {exc}")
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()


def confirm_override(parent: QWidget, exc: NeedsOverride) -> bool:
    listing = "\n".join(f"• {w.message}" for w in exc.warnings)
    answer = QMessageBox.question(
        parent,
        "Book anyway?",
        f"{listing}\n\nBook anyway?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
