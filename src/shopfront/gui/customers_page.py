"""Customers: search as you type, the customer card, quick add, edit, merge, archive."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHeaderView, QLabel, QMessageBox, QPlainTextEdit, QWidget

from shopfront.book import PAGE, Book, hit_cap
from shopfront.core.customers import Customer, CustomerSummary
from shopfront.core.search import is_phone_query
from shopfront.errors import NotFoundError
from shopfront.gui.customer_care import CustomerCare
from shopfront.gui.errors import show_error
from shopfront.gui.forms.ui_customers_page import Ui_CustomersPage
from shopfront.gui.models import ENTITY_ROLE, CustomerTableModel, TimelineModel
from shopfront.gui.settings_store import WindowState
from shopfront.gui.workers import run_in_background

SEARCH_DELAY_MS = 40


@dataclass(frozen=True)
class SearchResult:
    rows: list[CustomerSummary]
    total: int  # how many match (up to one past the cap)
    archived_only: int  # matches hidden because they are archived (when nothing else matched)


def result_text(text: str, found: SearchResult, cap: int) -> str:
    """The line under the list: how many, and what to do when it isn't who you wanted."""
    typed = text.strip()
    if not found.rows and not typed:
        return "No customers yet. Press Ctrl+N to add the first one."
    if not found.rows and found.archived_only:
        return (
            f"Only archived cards match “{typed}” ({found.archived_only}). "
            "Tick “Show archived” to see them before adding anyone new."
        )
    if not found.rows:
        return f"Nobody matches “{typed}”. Press Ctrl+N to add them."
    if not typed:
        return f"{found.total:,} customers, A–Z. Type to search."
    if found.total > cap:
        return f"More than {cap:,} match; the first {cap:,} are listed. Keep typing to narrow."
    return f"{found.total:,} customer{'s' * (found.total != 1)}"  # long enough to skip keystrokes typed in a burst, short enough to feel live


def prefill(search_text: str) -> dict[str, str]:
    """What was searched for goes into the quick-add field it belongs to."""
    text = search_text.strip()
    if "@" in text:
        return {"email": text}
    if is_phone_query(text):
        return {"phone": text}
    return {"name": text}


def plain_label(text: str) -> QLabel:
    """A label that shows customer text exactly as typed (never as HTML)."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def long_text(text: str) -> QPlainTextEdit:
    view = QPlainTextEdit(text)
    view.setReadOnly(True)
    view.setMaximumHeight(90)
    return view


class CustomersPage(QWidget):
    status = Signal(str)
    searched = Signal()  # results of the latest search are on screen (tests wait on it)

    def __init__(self, book: Book, state: WindowState, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.state = book, state
        self.current: Customer | None = None
        self._generation = 0
        self.ui = Ui_CustomersPage()
        self.ui.setupUi(self)
        self.model = CustomerTableModel(self)
        self.timeline = TimelineModel(self)
        self.ui.customerTable.setModel(self.model)
        self.ui.timelineView.setModel(self.timeline)
        header = self.ui.customerTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 140, 200, 110)):
            self.ui.customerTable.setColumnWidth(column, width)
        self.ui.customerTable.verticalHeader().hide()
        self.ui.archivedCheck.setChecked(state.show_archived)
        if state.customers_splitter:
            self.ui.splitter.restoreState(state.customers_splitter)
        else:
            self.ui.splitter.setSizes([760, 420])
        self._timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._connect_signals()
        self.care = CustomerCare(self)  # open follow-ups, timeline filter, Log a call
        self.show_customer(None)
        self.run_search()

    def _connect_signals(self) -> None:
        self.ui.searchEdit.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.run_search)
        self.ui.searchEdit.returnPressed.connect(self._focus_results)
        self.ui.archivedCheck.toggled.connect(self._archived_toggled)
        self.ui.addButton.clicked.connect(self.quick_add)
        self.ui.editButton.clicked.connect(self.edit_current)
        self.ui.archiveButton.clicked.connect(self.toggle_archived)
        self.ui.mergeButton.clicked.connect(self.merge_current)
        self.ui.customerTable.doubleClicked.connect(lambda _index: self.edit_current())
        self.ui.customerTable.activated.connect(lambda _index: self.edit_current())
        self.ui.customerTable.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._row_selected(current.row())
        )
        self.ui.splitter.splitterMoved.connect(
            lambda *_: setattr(self.state, "customers_splitter", self.ui.splitter.saveState())
        )
        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        QShortcut(QKeySequence.StandardKey.New, self, self.quick_add)

    # searching ---------------------------------------------------------------------------

    def focus_search(self) -> None:
        self.ui.searchEdit.setFocus()
        self.ui.searchEdit.selectAll()

    def _focus_results(self) -> None:
        if self.model.rowCount():
            self.ui.customerTable.setFocus()
            self.select_row(0)

    def _archived_toggled(self, checked: bool) -> None:
        self.state.show_archived = checked
        self.run_search()

    def run_search(self, select_id: int | None = None) -> None:
        """Search off the GUI thread; a result that arrives after a newer search is dropped."""
        self._generation += 1
        generation, text = self._generation, self.ui.searchEdit.text()
        archived = self.ui.archivedCheck.isChecked()
        run_in_background(
            lambda: self._search(text, archived),
            lambda found: self._show_results(generation, text, archived, found, select_id),
            lambda exc: show_error(self, exc),
            owner=self,
        )

    def _search(self, text: str, archived: bool) -> SearchResult:
        """Runs on a worker thread: the first page, how many match, and hidden archived ones."""
        rows = self.book.search(text, archived, PAGE)
        total = self.book.match_count(text, archived) if len(rows) >= PAGE else len(rows)
        hidden = 0 if archived or rows or not text.strip() else self.book.match_count(text, True)
        return SearchResult(rows, total, hidden)

    def _show_results(
        self,
        generation: int,
        text: str,
        archived: bool,
        found: SearchResult,
        select_id: int | None,
    ) -> None:
        if generation != self._generation:
            return
        rows = found.rows
        keep = select_id or (self.current.id if self.current else None)
        self.model.set_results(
            rows, PAGE, lambda offset: self.book.search(text, archived, PAGE, offset)
        )
        self.ui.resultLabel.setText(result_text(text, found, hit_cap(text)))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.select_row(row)
        elif rows and text.strip():
            self.select_row(0)
        else:
            self.show_customer(None)
        self.searched.emit()

    def select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.ui.customerTable.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.ui.customerTable.scrollTo(index)

    def _row_selected(self, row: int) -> None:
        summary = self.model.data(self.model.index(row, 0), ENTITY_ROLE) if row >= 0 else None
        try:
            self.show_customer(self.book.customer(summary.id) if summary else None)
        except NotFoundError:  # merged or erased at another desk since the list was loaded
            self.show_customer(None)
            self.status.emit(
                "That card no longer exists (merged at another desk?); list refreshed."
            )
            self.run_search()

    # the card ----------------------------------------------------------------------------

    def show_customer(self, customer: Customer | None) -> None:
        self.current = customer
        form = self.ui.detailsForm
        while form.rowCount():
            form.removeRow(0)
        for button in (self.ui.editButton, self.ui.archiveButton, self.ui.mergeButton):
            button.setEnabled(customer is not None)
        if customer is None:
            self.ui.nameLabel.setText("Search above, or press Ctrl+N for a new customer.")
            self.ui.badgeLabel.setText("")
            self.care.show(None)
            return
        self.ui.nameLabel.setText(customer.name)
        self.ui.badgeLabel.setText("Archived — hidden from searches" if customer.archived else "")
        self.ui.archiveButton.setText("Rest&ore" if customer.archived else "A&rchive")
        self._fill_details(customer)
        self.care.show(customer)

    def _fill_details(self, c: Customer) -> None:
        form = self.ui.detailsForm
        rows: list[tuple[str, str]] = [
            ("Call them", c.first_name),
            ("Phones", "\n".join(f"{p.typed}  ({p.label})" for p in c.phones) or "—"),
            ("Emails", "\n".join(f"{e.address}  ({e.label})" for e in c.emails) or "—"),
            ("Birthday", c.birthday.describe(self.book.today()) if c.birthday else "—"),
            ("Looked after by", self.book.staff_name(c.owner_id) or "nobody yet"),
            ("Backup", self.book.staff_name(c.backup_id) or "—"),
            ("Tags", ", ".join(c.tags) or "—"),
            ("Marketing", "agreed" if c.marketing_consent else "no consent"),
        ]
        for caption, text in rows:
            form.addRow(caption, plain_label(text))
        for caption, text in (("Notes", c.notes), ("Preferences", c.preferences)):
            if text.strip():
                form.addRow(caption, long_text(text))

    def open_customer(self, customer_id: int) -> None:
        """Show one customer's card (clears the search so the card is in the list)."""
        customer = self.book.customer(customer_id)
        self.ui.searchEdit.blockSignals(True)
        self.ui.searchEdit.setText(customer.name)
        self.ui.searchEdit.blockSignals(False)
        if customer.archived:
            self.ui.archivedCheck.blockSignals(True)
            self.ui.archivedCheck.setChecked(True)
            self.ui.archivedCheck.blockSignals(False)
        self.show_customer(customer)
        self.run_search(select_id=customer_id)

    # actions -----------------------------------------------------------------------------

    def quick_add(self) -> None:
        from shopfront.gui.quick_add import (  # dialogs load on first use
            QuickAddDialog,
            QuickAddResult,
        )

        answer = QuickAddDialog.ask(self, self.book, **prefill(self.ui.searchEdit.text()))
        if answer is None:
            return
        outcome, customer_id = answer
        self.open_customer(customer_id)
        if outcome is QuickAddResult.ADDED:
            self.status.emit("Customer added.")

    def edit_current(self) -> None:
        if self.current is None:
            return
        from shopfront.gui.customer_dialog import CustomerDialog

        saved = CustomerDialog.ask(self, self.book, self.current)
        if saved is not None:
            self.show_customer(saved)
            self.run_search(select_id=saved.id)
            self.status.emit("Card saved.")

    def toggle_archived(self) -> None:
        c = self.current
        if c is None:
            return
        try:
            if c.archived:
                self.book.restore_customer(c.id)
                self.status.emit(f"{c.name} is back in the book.")
            else:
                answer = QMessageBox.question(
                    self,
                    "Archive customer",
                    f"Archive {c.name}? They disappear from searches, their history is kept, "
                    "and “Show archived” brings them back.",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
                self.book.archive_customer(c.id)
                self.status.emit(f"{c.name} archived. Tick “Show archived” to restore.")
        except Exception as exc:
            show_error(self, exc)
            return
        self.show_customer(self.book.customer(c.id))
        self.run_search()

    def merge_current(self) -> None:
        if self.current is None:
            return
        from shopfront.gui.merge_dialog import MergeDialog

        merged = MergeDialog.ask(self, self.book, self.current)
        if merged is not None:
            self.show_customer(merged)
            self.run_search(select_id=merged.id)
            self.status.emit("Cards merged.")
