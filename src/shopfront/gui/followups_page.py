"""Follow-ups: overdue, due today and upcoming, mine or everyone's; done needs an outcome.

Keys on the list: Enter = done, Delete = skip, Ctrl+L = log a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import Followup
from shopfront.gui.absence_dialog import prepare_table
from shopfront.gui.contact_dialog import ContactDialog, add_log_call_shortcut
from shopfront.gui.errors import show_error
from shopfront.gui.followup_dialogs import (
    NewFollowupDialog,
    done_dialog,
    reassign_dialog,
    short_day,
    skip_dialog,
    snooze_dialog,
)
from shopfront.gui.models import Column, ListTableModel
from shopfront.gui.settings_store import WindowState
from shopfront.gui.workers import run_in_background

UPCOMING_DAYS = 14
OVERDUE_COLOUR = QColor("#B00020")
OVERDUE_BACKGROUND = QColor("#FDECEE")
SHOW = (("now", "Overdue and due today"), ("upcoming", "Upcoming (2 weeks)"), ("all", "All open"))


def when_due(item: Followup, today: date) -> str:
    if item.due < today:
        days = (today - item.due).days
        return f"{short_day(item.due)} — {days} day{'s' * (days != 1)} overdue"
    if item.due == today:
        return "Today"
    return short_day(item.due)


def counts_text(counts: dict[str, int]) -> str:
    parts = [
        f"{counts.get('overdue', 0)} overdue",
        f"{counts.get('due_today', 0)} due today",
        f"{counts.get('upcoming', 0)} upcoming",
    ]
    return " · ".join(parts)


class FollowupTableModel(ListTableModel[Followup]):
    """Open follow-ups; overdue ones red and bold."""

    DUE, CUSTOMER, REASON, OWNER, NOTE = range(5)

    def __init__(self, today: date, staff_name: Any, parent: Any = None):
        super().__init__(
            [
                Column("Due", lambda f: when_due(f, self.today)),
                Column("Customer", lambda f: f.customer_name),
                Column("Why", lambda f: f.title),
                Column("Owner", lambda f: self.staff_name(f.staff_id) or "—"),
                Column("Note", lambda f: f.note.replace("\n", " "), lambda f: f.note),
            ],
            parent,
        )
        self.today, self.staff_name = today, staff_name

    def extra_data(self, item: Followup, column: int, role: int) -> Any:
        overdue = item.overdue(self.today)
        if role == Qt.ItemDataRole.ForegroundRole and overdue:
            return OVERDUE_COLOUR
        if role == Qt.ItemDataRole.BackgroundRole and overdue:
            return OVERDUE_BACKGROUND
        if role == Qt.ItemDataRole.FontRole and overdue:
            font = QFont()
            font.setBold(True)
            return font
        return None


@dataclass(frozen=True)
class Loaded:
    today: date
    items: list[Followup]
    counts: dict[str, int]


class FollowupsPage(QWidget):
    status = Signal(str)
    open_customer = Signal(int)
    changed = Signal()
    loaded = Signal()  # the list on screen is fresh (tests wait on it)

    def __init__(self, book: Book, state: WindowState, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.state = book, state
        self.model = FollowupTableModel(book.today(), self._staff_name, self)
        self._names: dict[int, str] = {}
        self._generation = 0
        self._build()
        self._fill_staff()
        self._connect_signals()
        self._shortcuts()
        self.reload()

    def _staff_name(self, staff_id: int | None) -> str:
        return self._names.get(staff_id, "") if staff_id is not None else ""

    def _build(self) -> None:
        self.title = QLabel("Follow-ups")
        self.title.setProperty("role", "heading")
        self.summary = QLabel()
        self.show_combo = QComboBox()
        for key, text in SHOW:
            self.show_combo.addItem(text, key)
        self.staff_combo = QComboBox()
        self.staff_combo.setToolTip("Mine (pick yourself) or everyone's")
        self.table = QTableView()
        self.table.setAccessibleName("Follow-ups")
        prepare_table(self.table, self.model)
        self.done_button = QPushButton("&Done…")
        self.done_button.setToolTip("Done, with an outcome (Enter)")
        self.skip_button = QPushButton("S&kip…")
        self.skip_button.setToolTip("Skip, with a reason (Delete)")
        self.snooze_button = QPushButton("S&nooze…")
        self.reassign_button = QPushButton("Reass&ign…")
        self.call_button = QPushButton("&Log a call…")
        self.call_button.setToolTip("Log a call with this customer (Ctrl+L)")
        self.card_button = QPushButton("Customer &card")
        self.new_button = QPushButton("New &follow-up…")
        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(QLabel("Show"))
        top.addWidget(self.show_combo)
        top.addWidget(QLabel("for"))
        top.addWidget(self.staff_combo)
        top.addWidget(self.new_button)
        buttons = QHBoxLayout()
        for button in self.row_buttons():
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def row_buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.done_button,
            self.skip_button,
            self.snooze_button,
            self.reassign_button,
            self.call_button,
            self.card_button,
        )

    def _fill_staff(self) -> None:
        people = self.book.staff(include_inactive=True)
        self._names = {s.id: s.name for s in people if s.id is not None}
        self.staff_combo.blockSignals(True)
        self.staff_combo.clear()
        self.staff_combo.addItem("Everyone", 0)
        for person in people:
            if person.active:
                self.staff_combo.addItem(f"Mine: {person.name}", person.id)
        self.staff_combo.setCurrentIndex(
            max(0, self.staff_combo.findData(self.state.followups_staff))
        )
        self.staff_combo.blockSignals(False)

    def _connect_signals(self) -> None:
        self.show_combo.currentIndexChanged.connect(lambda _i: self.reload())
        self.staff_combo.currentIndexChanged.connect(self._staff_changed)
        self.done_button.clicked.connect(self.done)
        self.skip_button.clicked.connect(self.skip)
        self.snooze_button.clicked.connect(self.snooze)
        self.reassign_button.clicked.connect(self.reassign)
        self.call_button.clicked.connect(self.log_call)
        self.card_button.clicked.connect(self._open_card)
        self.new_button.clicked.connect(self.new_followup)
        self.table.doubleClicked.connect(lambda _index: self._open_card())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

    def _shortcuts(self) -> None:
        for key, slot in (
            (Qt.Key.Key_Return, self.done),
            (Qt.Key.Key_Enter, self.done),
            (Qt.Key.Key_Delete, self.skip),
        ):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        add_log_call_shortcut(self, self.log_call)

    # loading -----------------------------------------------------------------------------

    def mine(self) -> int | None:
        return self.staff_combo.currentData() or None

    def _staff_changed(self, _row: int) -> None:
        self.state.followups_staff = self.staff_combo.currentData() or 0
        self.reload()

    def reload(self) -> None:
        """Read the list off the GUI thread; an answer older than the newest is dropped."""
        self._generation += 1
        generation, show, staff = self._generation, self.show_combo.currentData(), self.mine()
        run_in_background(
            lambda: self._load(show, staff),
            lambda found: self._show(generation, found),
            lambda exc: show_error(self, exc),
            owner=self,
        )

    def _load(self, show: str, staff: int | None) -> Loaded:
        today = self.book.today()
        if show == "all":
            items = self.book.followups(staff_id=staff)
        elif show == "upcoming":
            items = self.book.followups(staff_id=staff, upcoming_days=UPCOMING_DAYS)
            items = [f for f in items if f.due > today]
        else:
            items = self.book.followups(staff_id=staff, due=today)
        items.sort(key=lambda f: (f.due, f.customer_name.casefold()))
        return Loaded(today, items, self.book.followup_counts(staff))

    def _show(self, generation: int, found: Loaded) -> None:
        if generation != self._generation:
            return
        keep = self.current()
        self.model.today = found.today
        self.model.set_items(found.items)
        self.summary.setText(counts_text(found.counts))
        row = next((i for i, f in enumerate(found.items) if keep and f.id == keep.id), 0)
        if found.items:
            self.select_row(min(row, len(found.items) - 1))
        self._enable()
        self.loaded.emit()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def current(self) -> Followup | None:
        return self.model.item(self.table.currentIndex().row())

    def _enable(self) -> None:
        for button in self.row_buttons():
            button.setEnabled(self.current() is not None)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    # actions -----------------------------------------------------------------------------

    def _act(self, make, message: str) -> None:  # type: ignore[no-untyped-def]
        item = self.current()
        if item is None:
            return
        if make(item).ask() is not None:
            self._after_change(message)

    def done(self) -> None:
        self._act(lambda f: done_dialog(self, self.book, f, self.mine()), "Follow-up done.")

    def skip(self) -> None:
        self._act(lambda f: skip_dialog(self, self.book, f, self.mine()), "Follow-up skipped.")

    def snooze(self) -> None:
        self._act(lambda f: snooze_dialog(self, self.book, f), "Follow-up moved.")

    def reassign(self) -> None:
        self._act(lambda f: reassign_dialog(self, self.book, f), "Follow-up reassigned.")

    def log_call(self) -> None:
        item = self.current()
        if item is None:
            return
        contact = ContactDialog.ask(
            self, self.book, item.customer_id, staff_id=self.mine() or item.staff_id
        )
        if contact is not None:
            self._after_change("Call logged. Press Enter to mark the follow-up done.")

    def new_followup(self) -> None:
        item = self.current()
        dialog = NewFollowupDialog(self.book, self, item.customer_id if item else None, self.mine())
        if dialog.ask() is not None:
            self._after_change("Follow-up added.")

    def _open_card(self) -> None:
        if (item := self.current()) is not None:
            self.open_customer.emit(item.customer_id)

    def _after_change(self, message: str) -> None:
        self.reload()
        self.changed.emit()
        self.status.emit(message)
