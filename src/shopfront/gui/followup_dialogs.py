"""Small questions about one follow-up: done (with an outcome), skip, snooze, reassign, add.

Each dialog calls the book itself and stays open with the book's message next to the field
when the answer is refused, so "done without an outcome" can't slip through.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import Followup
from shopfront.core.localtime import weekday_name
from shopfront.errors import ValidationError
from shopfront.gui.contact_dialog import error_label
from shopfront.gui.customer_dialog import fill_staff_combo
from shopfront.gui.errors import show_error

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_day(day: date) -> str:
    """'Tue 24 Nov', the same in every locale."""
    return f"{weekday_name(day.weekday())[:3]} {day.day} {MONTHS[day.month - 1]}"


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("ddd d MMM yyyy")
    return edit


class FollowupQuestion(QDialog):
    """A form with Save/Cancel; ``apply`` does the work and may raise ValidationError."""

    def __init__(self, title: str, heading: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_item: Followup | None = None
        self.apply: Callable[[], Followup] = lambda: None  # type: ignore[assignment,return-value]
        self.heading = QLabel(heading)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setWordWrap(True)
        self.form = QFormLayout()
        self.form.addRow(self.heading)
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(440, 220)

    def save(self) -> None:
        try:
            self.result_item = self.apply()
        except ValidationError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def ask(self) -> Followup | None:
        self.exec()
        return self.result_item


def _text_edit(placeholder: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(90)
    return edit


def _about(item: Followup) -> str:
    return f"{item.customer_name or 'Customer'} — {item.title}"


def done_dialog(
    parent: QWidget | None, book: Book, item: Followup, by: int | None = None
) -> FollowupQuestion:
    dialog = FollowupQuestion("Follow-up done", _about(item), parent)
    dialog.outcome = _text_edit("What happened? e.g. 'colour holding well, booked 4 Jan'")
    dialog.form.addRow("&Outcome", dialog.outcome)
    dialog.apply = lambda: book.complete_followup(
        item.id, dialog.outcome.toPlainText(), by_staff_id=by, version=item.version
    )
    return dialog


def skip_dialog(
    parent: QWidget | None, book: Book, item: Followup, by: int | None = None
) -> FollowupQuestion:
    dialog = FollowupQuestion("Skip follow-up", _about(item), parent)
    dialog.reason = _text_edit("Why is it skipped? e.g. 'moved away'")
    dialog.form.addRow("&Reason", dialog.reason)
    dialog.apply = lambda: book.skip_followup(
        item.id, dialog.reason.toPlainText(), by_staff_id=by, version=item.version
    )
    return dialog


def snooze_dialog(parent: QWidget | None, book: Book, item: Followup) -> FollowupQuestion:
    dialog = FollowupQuestion("Snooze follow-up", _about(item), parent)
    start = max(item.due, book.today()) + timedelta(days=1)
    dialog.due = date_edit(start)
    dialog.due.setMinimumDate(qdate(book.today() + timedelta(days=1)))
    dialog.reason = QLineEdit()
    dialog.reason.setPlaceholderText("e.g. away until Monday")
    dialog.form.addRow("&New date", dialog.due)
    dialog.form.addRow("&Reason", dialog.reason)
    dialog.apply = lambda: book.snooze_followup(
        item.id, dialog.due.date().toPython(), dialog.reason.text(), version=item.version
    )
    return dialog


def reassign_dialog(parent: QWidget | None, book: Book, item: Followup) -> FollowupQuestion:
    dialog = FollowupQuestion("Reassign follow-up", _about(item), parent)
    dialog.staff = QComboBox()
    fill_staff_combo(dialog.staff, book, item.staff_id, "— choose —")
    dialog.form.addRow("&Give to", dialog.staff)

    def apply() -> Followup:
        staff = dialog.staff.currentData()
        if staff is None:
            raise ValidationError("Choose who takes it over.", "staff")
        return book.reassign_followup(item.id, staff, version=item.version)

    dialog.apply = apply
    return dialog


class NewFollowupDialog(FollowupQuestion):
    """A manual follow-up: find the customer, pick a day, an owner and a note."""

    def __init__(
        self,
        book: Book,
        parent: QWidget | None = None,
        customer_id: int | None = None,
        staff_id: int | None = None,
    ):
        super().__init__("New follow-up", "A personal follow-up with a date and an owner.", parent)
        self.book = book
        self.search = QLineEdit()
        self.search.setPlaceholderText("Name or part of a phone number")
        self.results = QListWidget()
        self.results.setMaximumHeight(120)
        self.due = date_edit(book.today() + timedelta(days=1))
        self.staff = QComboBox()
        fill_staff_combo(self.staff, book, staff_id, "— the customer's owner —")
        self.note = _text_edit("What to follow up on")
        self.form.addRow("&Customer", self.search)
        self.form.addRow(self.results)
        self.form.addRow("&Due", self.due)
        self.form.addRow("&Owner", self.staff)
        self.form.addRow("&Note", self.note)
        self.search.textChanged.connect(self.find)
        self.apply = self._add
        self.resize(460, 420)
        if customer_id is not None:
            self.search.setText(book.customer(customer_id).name)
            self._select(customer_id)

    def find(self, text: str) -> None:
        self.results.clear()
        if not text.strip():
            return
        for found in self.book.search(text, False, 20):
            item = QListWidgetItem(" · ".join([found.name, *found.phones[:1]]))
            item.setData(Qt.ItemDataRole.UserRole, found.id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _select(self, customer_id: int) -> None:
        for row in range(self.results.count()):
            if self.results.item(row).data(Qt.ItemDataRole.UserRole) == customer_id:
                self.results.setCurrentRow(row)

    def customer_id(self) -> int | None:
        item = self.results.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _add(self) -> Followup:
        customer = self.customer_id()
        if customer is None:
            raise ValidationError("Find the customer first.", "customer")
        return self.book.add_followup(
            customer,
            self.due.date().toPython(),
            note=self.note.toPlainText(),
            staff_id=self.staff.currentData(),
        )
