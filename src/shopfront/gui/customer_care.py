"""The care part of the customer card: open follow-ups, a filter on the timeline, and
"Log a call" (Ctrl+L). Added to the Customers page in code, beside its Designer form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton

from shopfront.core.care import Followup
from shopfront.core.customers import Customer, TimelineEntry
from shopfront.gui.contact_dialog import ContactDialog, add_log_call_shortcut
from shopfront.gui.followup_dialogs import short_day

if TYPE_CHECKING:
    from shopfront.gui.customers_page import CustomersPage

TIMELINE_FILTERS: tuple[tuple[str, str, frozenset[str]], ...] = (
    ("all", "Everything", frozenset()),
    ("visits", "Visits", frozenset({"appointment", "status"})),
    ("contacts", "Contacts", frozenset({"contact"})),
    ("followups", "Follow-ups", frozenset({"followup"})),
    ("cases", "Cases", frozenset({"case"})),
)


def filter_timeline(entries: list[TimelineEntry], key: str) -> list[TimelineEntry]:
    kinds = next((k for name, _t, k in TIMELINE_FILTERS if name == key), frozenset())
    return [e for e in entries if e.kind in kinds] if kinds else list(entries)


def followup_line(item: Followup, staff_name: str, today_overdue: bool) -> str:
    owner = f" ({staff_name})" if staff_name else ""
    late = " — overdue" if today_overdue else ""
    return f"{short_day(item.due)}{late}: {item.title}{owner}"


class CustomerCare:
    """Owns the care widgets on the card; ``show(customer)`` fills them."""

    def __init__(self, page: CustomersPage):
        self.page = page
        self.entries: list[TimelineEntry] = []
        self.followups: list[Followup] = []
        self.filter = QComboBox()
        self.filter.setToolTip("Show only part of the timeline")
        for key, text, _kinds in TIMELINE_FILTERS:
            self.filter.addItem(text, key)
        self.followups_label = QLabel()
        self.followups_label.setTextFormat(Qt.TextFormat.PlainText)
        self.followups_label.setWordWrap(True)
        self.call_button = QPushButton("&Log a call…")
        self.call_button.setToolTip("Log a call, message or note for this customer (Ctrl+L)")
        self._place()
        self.filter.currentIndexChanged.connect(lambda _i: self._fill_timeline())
        self.call_button.clicked.connect(self.log_call)
        add_log_call_shortcut(page, self.log_call)

    def _place(self) -> None:
        ui = self.page.ui
        at = ui.cardLayout.indexOf(ui.timelineTitle)
        ui.cardLayout.removeWidget(ui.timelineTitle)
        row = QHBoxLayout()
        row.addWidget(ui.timelineTitle, 1)
        row.addWidget(self.filter)
        ui.cardLayout.insertLayout(at, row)
        ui.cardLayout.insertWidget(at, self.followups_label)
        ui.cardButtons.insertWidget(0, self.call_button)

    def show(self, customer: Customer | None) -> None:
        book = self.page.book
        self.call_button.setEnabled(customer is not None)
        self.entries = book.timeline(customer.id) if customer else []
        self.followups = book.followups(customer_id=customer.id) if customer else []
        self._fill_timeline()
        self._fill_followups()

    def _fill_timeline(self) -> None:
        shown = filter_timeline(self.entries, self.filter.currentData())
        self.page.timeline.set_entries(shown, self.page.book.zone() if self.entries else None)

    def _fill_followups(self) -> None:
        book, today = self.page.book, self.page.book.today()
        lines = [
            followup_line(f, book.staff_name(f.staff_id), f.overdue(today)) for f in self.followups
        ]
        self.followups_label.setText("Open follow-ups:\n" + "\n".join(lines) if lines else "")
        self.followups_label.setVisible(bool(lines))
        overdue = any(f.overdue(today) for f in self.followups)
        self.followups_label.setStyleSheet("color: #B00020; font-weight: bold;" if overdue else "")

    def log_call(self) -> None:
        customer = self.page.current
        if customer is None:
            return
        if ContactDialog.ask(self.page, self.page.book, customer.id) is not None:
            self.show(customer)
            self.page.status.emit("Contact logged.")
