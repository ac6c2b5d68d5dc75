"""Cases: every complaint and promise, open ones first; promises past their date stand out."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import CASE_STATUS_TEXT, Case
from shopfront.gui.absence_dialog import prepare_table
from shopfront.gui.case_dialog import SEVERITY_TEXT, CaseDialog
from shopfront.gui.checkout_dialog import short_day
from shopfront.gui.models import Column, ListTableModel

OVERDUE_COLOUR = QColor("#B00020")
OVERDUE_BACKGROUND = QColor("#FDECEE")
FILTERS = (("open", "Open cases"), ("overdue", "Promises overdue"), ("all", "All cases"))


class CaseTableModel(ListTableModel[Case]):
    """Cases with their promise; a promise past its date is red and bold."""

    def __init__(self, today: date, zone: ZoneInfo, staff_name: Any, parent: Any = None):
        super().__init__(
            [
                Column("Opened", lambda c: self._opened(c)),
                Column("Customer", lambda c: c.customer_name),
                Column("Severity", lambda c: SEVERITY_TEXT[c.severity]),
                Column("Status", lambda c: CASE_STATUS_TEXT[c.status]),
                Column("Promised fix", lambda c: c.fix or "—"),
                Column("Due", self._due),
                Column("Owner", lambda c: self.staff_name(c.owner_id) or "—"),
                Column("In their words", lambda c: c.words.replace("\n", " "), lambda c: c.words),
            ],
            parent,
        )
        self.today, self.zone, self.staff_name = today, zone, staff_name

    def _opened(self, case: Case) -> str:
        day = case.opened_at.astimezone(self.zone).date()
        return f"{short_day(day)} {day.year}"

    def _due(self, case: Case) -> str:
        if case.fix_due is None:
            return "—"
        text = f"{short_day(case.fix_due)} {case.fix_due.year}"
        if case.promise_overdue(self.today):
            days = (self.today - case.fix_due).days
            return f"{text} — {days} day{'s' * (days != 1)} overdue"
        return text

    def extra_data(self, item: Case, column: int, role: int) -> Any:
        overdue = item.promise_overdue(self.today)
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and overdue:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not item.open:
            return QColor("#5F6B7A")
        return None


def matches(case: Case, text: str) -> bool:
    needle = text.strip().casefold()
    return not needle or any(
        needle in part.casefold() for part in (case.customer_name, case.words, case.fix)
    )


class CasesPage(QWidget):
    status = Signal(str)
    open_customer = Signal(int)

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.model = CaseTableModel(book.today(), book.zone(), book.staff_name, self)
        self._build()
        self.reload()

    def _build(self) -> None:
        self.title = QLabel("Complaints and promises")
        self.title.setProperty("role", "heading")
        self.summary = QLabel()
        self.filter = QComboBox()
        for key, text in FILTERS:
            self.filter.addItem(text, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Filter by customer or words")
        self.search.setClearButtonEnabled(True)
        self.table = QTableView()
        self.table.setAccessibleName("Cases")
        prepare_table(self.table, self.model)
        self.open_button = QPushButton("&Open case…")
        self.card_button = QPushButton("Customer &card")
        self.refresh_button = QPushButton("&Refresh")
        top = QHBoxLayout()
        top.addWidget(self.filter)
        top.addWidget(self.search, 1)
        buttons = QHBoxLayout()
        for button in (self.open_button, self.card_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.filter.currentIndexChanged.connect(self.reload)
        self.search.textChanged.connect(self.reload)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.open_button.clicked.connect(self.edit_selected)
        self.card_button.clicked.connect(self._card)
        self.refresh_button.clicked.connect(self.reload)

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        self.reload()  # cases change from cards, appointments and other desks

    def reload(self) -> None:
        today = self.book.today()
        self.model.today = today
        which = self.filter.currentData()
        open_cases = self.book.cases(open_only=True)
        cases = self.book.cases() if which == "all" else open_cases
        if which == "overdue":
            cases = [c for c in cases if c.promise_overdue(today)]
        text = self.search.text()
        shown = sorted(
            (c for c in cases if matches(c, text)),
            key=lambda c: (not c.promise_overdue(today), not c.open, -c.opened_at.timestamp()),
        )
        self.model.set_items(shown)
        overdue = sum(1 for c in open_cases if c.promise_overdue(today))
        words = f"{len(open_cases)} open case{'s' * (len(open_cases) != 1)}"
        if overdue:
            words += f" · {overdue} promise{'s' * (overdue != 1)} overdue"
        self.summary.setText(words)
        self.summary.setStyleSheet(f"color: {OVERDUE_COLOUR.name()}" if overdue else "")
        has = bool(shown)
        self.open_button.setEnabled(has)
        self.card_button.setEnabled(has)

    def selected(self) -> Case | None:
        return self.model.item(self.table.currentIndex().row())

    def select_case(self, case_id: int) -> None:
        row = next((i for i, c in enumerate(self.model.items) if c.id == case_id), -1)
        if row >= 0:
            self.table.selectRow(row)

    def edit_selected(self) -> None:
        case = self.selected()
        if case is None:
            self.status.emit("Select a case first.")
            return
        saved = CaseDialog.ask(self, self.book, case_id=case.id)
        if saved is not None:
            self.reload()
            self.select_case(saved.id or 0)
            self.status.emit(f"Case #{saved.id}: {CASE_STATUS_TEXT[saved.status]}.")

    def _card(self) -> None:
        case = self.selected()
        if case is not None:
            self.open_customer.emit(case.customer_id)
