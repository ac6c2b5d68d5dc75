"""The appointment book page: day, week and my-day views with a date bar and the keyboard."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QCursor, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shopfront.core.booking import Visit
from shopfront.core.localtime import format_date, weekday_name
from shopfront.gui.day_view import DayView
from shopfront.gui.models import StaffTableModel
from shopfront.gui.my_day import MyDayView
from shopfront.gui.settings_store import WindowState
from shopfront.gui.week_view import WeekView, monday_of

if TYPE_CHECKING:
    from shopfront.book import Book

MODES = ("day", "week", "myday")
MODE_LABELS = {"day": "&Day", "week": "&Week", "myday": "&My day"}


class AppointmentsPage(QWidget):
    find_customer = Signal()  # Ctrl+F: the main window switches to Customers
    status = Signal(str)
    changed = Signal()  # something in the book changed from this page

    def __init__(self, book: Book, state: WindowState, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.state = book, state
        self.mode = state.appointments_view
        self.staff_model = StaffTableModel(self)
        self.day_view = DayView(book)
        self.week_view = WeekView(book)
        self.my_day = MyDayView(book)
        self._build()
        self._fill_staff()
        self._connect_signals()
        self._shortcuts()
        self.set_mode(self.mode)

    # building ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.prev_button, self.next_button = QToolButton(), QToolButton()
        self.prev_button.setArrowType(Qt.ArrowType.LeftArrow)
        self.next_button.setArrowType(Qt.ArrowType.RightArrow)
        self.today_button = QPushButton("&Today")
        self.date_edit = QDateEdit(_qdate(self.book.today()))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setProperty("role", "heading")
        self.mode_group = QButtonGroup(self)
        self.staff_combo = QComboBox()
        self.staff_combo.setModel(self.staff_model)
        self.staff_combo.setMinimumContentsLength(16)
        self.new_button = QPushButton("&New appointment…")
        self.new_button.setToolTip("New appointment (Ctrl+N)")
        bar = QHBoxLayout()
        for widget in (self.prev_button, self.next_button, self.today_button, self.date_edit):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.heading, 1)
        for index, mode in enumerate(MODES):
            button = QToolButton(text=MODE_LABELS[mode], checkable=True, autoRaise=False)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.mode_group.addButton(button, index)
            bar.addWidget(button)
        bar.addWidget(self.staff_combo)
        bar.addSpacing(12)
        bar.addWidget(self.new_button)
        self.stack = QStackedWidget()
        for view in (self.day_view, self.week_view, self.my_day):
            self.stack.addWidget(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)

    def _fill_staff(self) -> None:
        people = self.book.staff(include_inactive=False)
        self.staff_combo.blockSignals(True)
        self.staff_model.set_items(people)
        ids = [s.id for s in people]
        wanted = self.state.appointments_staff
        self.staff_combo.setCurrentIndex(ids.index(wanted) if wanted in ids else 0 if ids else -1)
        self.staff_combo.blockSignals(False)

    def _connect_signals(self) -> None:
        self.prev_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        self.today_button.clicked.connect(self.today)
        self.date_edit.dateChanged.connect(lambda _d: self.reload())
        self.mode_group.idClicked.connect(lambda index: self.set_mode(MODES[index]))
        self.staff_combo.currentIndexChanged.connect(self._staff_changed)
        self.new_button.clicked.connect(lambda: self.new_appointment())
        for view in (self.day_view, self.week_view):
            view.slot_clicked.connect(self.new_appointment)
            view.open_requested.connect(self.open_appointment)
            view.checkout_requested.connect(self.checkout)
            view.changed.connect(self.changed)
            view.status.connect(self.status)
        self.my_day.open_requested.connect(self.open_appointment)

    def _shortcuts(self) -> None:
        keys = [
            (Qt.Key.Key_Left, self.previous),
            (Qt.Key.Key_PageUp, self.previous),
            (Qt.Key.Key_Right, self.next),
            (Qt.Key.Key_PageDown, self.next),
            (Qt.Key.Key_T, self.today),
            (QKeySequence.StandardKey.New, self.new_appointment),
            (QKeySequence.StandardKey.Find, self.find_customer.emit),
            (QKeySequence("Ctrl+L"), self.log_call),
        ]
        for key, slot in keys:
            shortcut = QShortcut(QKeySequence(key), self)
            # Only while the page (or a child) has focus: Customers owns Ctrl+N/Ctrl+F there.
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda slot=slot: slot())

    def sizeHint(self) -> QSize:
        # Wide on purpose: the navigation keeps its narrowest width whichever view is shown.
        return QSize(1200, 720)

    # state ---------------------------------------------------------------------------------

    @property
    def current_date(self) -> date:
        return self.date_edit.date().toPython()

    def staff_id(self) -> int | None:
        person = self.staff_model.item(self.staff_combo.currentIndex())
        return person.id if person else None

    def set_date(self, day: date) -> None:
        self.date_edit.setDate(_qdate(day))  # reloads through dateChanged

    def set_mode(self, mode: str) -> None:
        self.mode = mode if mode in MODES else "day"
        self.state.appointments_view = self.mode
        self.mode_group.button(MODES.index(self.mode)).setChecked(True)
        self.stack.setCurrentIndex(MODES.index(self.mode))
        self.staff_combo.setVisible(self.mode != "day")
        step = "week" if self.mode == "week" else "day"
        self.prev_button.setToolTip(f"Previous {step} (Left, Page Up)")
        self.next_button.setToolTip(f"Next {step} (Right, Page Down)")
        self.reload()

    def set_staff(self, staff_id: int) -> None:
        row = next((i for i, s in enumerate(self.staff_model.items) if s.id == staff_id), -1)
        self.staff_combo.setCurrentIndex(row)

    def _staff_changed(self, _row: int) -> None:
        if (staff := self.staff_id()) is not None:
            self.state.appointments_staff = staff
        self.reload()

    def focus_view(self) -> None:
        self.stack.currentWidget().setFocus()

    # navigation ----------------------------------------------------------------------------

    def _step(self) -> timedelta:
        return timedelta(days=7 if self.mode == "week" else 1)

    def previous(self) -> None:
        self.set_date(self.current_date - self._step())

    def next(self) -> None:
        self.set_date(self.current_date + self._step())

    def today(self) -> None:
        self.set_date(self.book.today())

    def reload(self) -> None:
        """Read the shown day (or week) again from the book."""
        day, staff = self.current_date, self.staff_id()
        if self.mode == "day":
            self.day_view.show_day(day)
            self.heading.setText(f"{weekday_name(day.weekday())} {format_date(day)}")
        elif self.mode == "week":
            if staff is None:
                self.week_view.set_columns([], self.book.settings.slot_minutes)
            else:
                self.week_view.show_week(staff, day)
            self.heading.setText(_week_text(monday_of(day)))
        else:
            if staff is not None:
                self.my_day.show_day(staff, day)
            self.heading.setText(f"{weekday_name(day.weekday())} {format_date(day)}")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fill_staff()  # staff may have been added or retired in Settings
        self.reload()

    # actions (the dialogs load on first use) -----------------------------------------------

    def new_appointment(self, staff_id: int | None = None, start: datetime | None = None) -> None:
        from shopfront.gui.booking_dialog import BookingDialog

        if staff_id is None and self.mode != "day":
            staff_id = self.staff_id()
        booked = BookingDialog.ask(self, self.book, staff_id=staff_id, start=start)
        if booked is None:
            return
        self._after_change(f"Booked {booked.service_names}.")
        local_day = booked.start.astimezone(self.book.zone()).date()
        if local_day != self.current_date and self.mode != "week":
            self.set_date(local_day)

    def open_appointment(self, appointment_id: int) -> None:
        from shopfront.gui.appointment_dialog import AppointmentDialog

        if AppointmentDialog.ask(self, self.book, appointment_id):
            self._after_change("Appointment saved.")

    def pointed_visit(self) -> Visit | None:
        """The appointment Ctrl+L is about: My day's selected row, else the one under the
        mouse in the day or week view."""
        if self.mode == "myday":
            return self.my_day.model.item(self.my_day.table.currentIndex().row())
        view = self.day_view if self.mode == "day" else self.week_view
        pos = QPointF(view.viewport().mapFromGlobal(QCursor.pos()))
        block = (
            view.block_at(view.to_body(pos))
            if view.viewport().rect().contains(pos.toPoint())
            else None
        )
        return block.visit if block is not None else None

    def log_call(self) -> None:
        from shopfront.gui.schedule_actions import log_call

        visit = self.pointed_visit()
        if visit is None:
            self.status.emit("Point at an appointment (in My day: select a row), then Ctrl+L.")
        elif log_call(self, visit):
            self._after_change("Call logged.")

    def checkout(self, appointment_id: int) -> None:
        from shopfront.gui.checkout_dialog import CheckoutDialog

        if CheckoutDialog.ask(self, self.book, appointment_id):
            self._after_change("Checked out.")

    def _after_change(self, message: str) -> None:
        self.reload()
        self.changed.emit()
        self.status.emit(message)


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _week_text(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    if monday.month == sunday.month:
        return f"{monday.day}–{format_date(sunday)}"
    if monday.year == sunday.year:
        return f"{format_date(monday).rsplit(' ', 1)[0]} – {format_date(sunday)}"
    return f"{format_date(monday)} – {format_date(sunday)}"
