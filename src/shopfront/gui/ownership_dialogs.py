"""Ownership: one staff member's customers (last and next visit, open follow-ups and cases),
and the handover that moves them to a colleague with a note, in one step."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.errors import ShopfrontError
from shopfront.gui.absence_dialog import prepare_table
from shopfront.gui.case_dialog import caption, error_label, stacked
from shopfront.gui.checkout_dialog import short_day
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.models import Column, ListTableModel

Row = dict[str, Any]


def day_text(moment: datetime | None, zone: ZoneInfo) -> str:
    if moment is None:
        return "—"
    local = moment.astimezone(zone)
    return f"{short_day(local.date())} {local.year}"


def count_text(value: object) -> str:
    return str(value) if value else ""


class MyCustomersModel(ListTableModel[Row]):
    """Rows of ``book.my_customers``; open cases stand out."""

    def __init__(self, zone: ZoneInfo, parent: Any = None):
        super().__init__(
            [
                Column("Customer", lambda r: str(r["name"])),
                Column("As", lambda r: "owner" if r["role"] == "owner" else "backup"),
                Column("Last visit", lambda r: day_text(r["last_visit"], self.zone)),
                Column("Next visit", lambda r: day_text(r["next_visit"], self.zone)),
                Column("Open follow-ups", lambda r: count_text(r["open_followups"])),
                Column("Open cases", lambda r: count_text(r["open_cases"])),
            ],
            parent,
        )
        self.zone = zone

    def extra_data(self, item: Row, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and item["open_cases"]:
            return QColor("#B00020")
        return None


class MyCustomersDialog(QDialog):
    """``MyCustomersDialog(book, staff_id, parent, open_card=…)``; ``changed`` after a handover."""

    def __init__(
        self,
        book: Book,
        staff_id: int | None = None,
        parent: QWidget | None = None,
        open_card: Callable[[int], None] | None = None,
    ):
        super().__init__(parent)
        self.book, self.open_card = book, open_card
        self.changed = False
        self.setWindowTitle("My customers")
        self.resize(820, 560)
        self.model = MyCustomersModel(book.zone(), self)
        self._build(staff_id)
        self.reload()

    def _build(self, staff_id: int | None) -> None:
        self.who = QComboBox()
        for person in self.book.staff():  # those who left too: their customers need a home
            self.who.addItem(person.name if person.active else f"{person.name} (left)", person.id)
        self.who.setCurrentIndex(max(0, self.who.findData(staff_id)))
        self.summary = QLabel()
        self.table = QTableView()
        self.table.setAccessibleName("Customers looked after")
        prepare_table(self.table, self.model)
        self.table.setSelectionMode(QTableView.SelectionMode.ExtendedSelection)
        self.card_button = QPushButton("Open &card")
        self.handover_button = QPushButton("&Hand over…")
        for button in (self.card_button, self.handover_button):
            button.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(QLabel("Customers looked after by"))
        top.addWidget(self.who)
        top.addStretch()
        row = QHBoxLayout()
        row.addWidget(self.card_button)
        row.addStretch()
        row.addWidget(self.handover_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.who.currentIndexChanged.connect(self.reload)
        self.card_button.clicked.connect(self._card)
        self.table.doubleClicked.connect(lambda _i: self._card())
        self.handover_button.clicked.connect(self.hand_over)
        self.card_button.setVisible(self.open_card is not None)

    def staff_id(self) -> int | None:
        return self.who.currentData()

    def reload(self) -> None:
        staff_id = self.staff_id()
        rows = self.book.my_customers(staff_id) if staff_id is not None else []
        self.model.set_items(rows)
        owned = sum(1 for r in rows if r["role"] == "owner")
        followups = sum(int(r["open_followups"]) for r in rows)
        cases = sum(int(r["open_cases"]) for r in rows)
        self.summary.setText(
            f"{owned} as owner, {len(rows) - owned} as backup · "
            f"{followups} open follow-ups · {cases} open cases"
        )
        self.handover_button.setEnabled(owned > 0)

    def selected_rows(self) -> list[Row]:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        return [self.model.items[r] for r in sorted(rows)]

    def _card(self) -> None:
        rows = self.selected_rows()
        if rows and self.open_card is not None:
            self.accept()
            self.open_card(int(rows[0]["id"]))

    def hand_over(self) -> None:
        """The selected customers this person owns, or all of them when none are selected."""
        staff_id = self.staff_id()
        if staff_id is None:
            return
        chosen = [int(r["id"]) for r in self.selected_rows() if r["role"] == "owner"]
        if HandoverDialog.ask(self, self.book, staff_id, chosen or None):
            self.changed = True
            self.reload()


class HandoverDialog(QDialog):
    """Use ``HandoverDialog.ask(parent, book, from_staff, customer_ids=None)`` -> the counts
    from ``book.handover`` (customers, followups, introductions) or None."""

    def __init__(
        self,
        book: Book,
        from_staff: int | None = None,
        customer_ids: list[int] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.book, self.customer_ids = book, customer_ids
        self.result_counts: dict[str, int] | None = None
        self.setWindowTitle("Hand over customers")
        self.resize(520, 360)
        self._build(from_staff)
        self._describe()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        book: Book,
        from_staff: int | None = None,
        customer_ids: list[int] | None = None,
    ) -> dict[str, int] | None:
        dialog = cls(book, from_staff, customer_ids, parent)
        dialog.exec()
        return dialog.result_counts

    def _build(self, from_staff: int | None) -> None:
        self.source, self.target = QComboBox(), QComboBox()
        for person in self.book.staff():
            left = "" if person.active else " (left)"
            self.source.addItem(person.name + left, person.id)
            if person.active:
                self.target.addItem(person.name, person.id)
        self.source.setCurrentIndex(max(0, self.source.findData(from_staff)))
        self.source.setEnabled(self.customer_ids is None)
        other = next(
            (i for i in range(self.target.count()) if self.target.itemData(i) != from_staff), 0
        )
        self.target.setCurrentIndex(other)
        self.what = QLabel()
        self.what.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText(
            "For the new owner: why, what to know, who to call first (required)"
        )
        self.note.setTabChangesFocus(True)
        self.staff_error, self.note_error, self.error = error_label(), error_label(), error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Hand over")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&From", self.source)
        form.addRow(caption("&To", self.target), stacked(self.target, self.staff_error))
        form.addRow("", self.what)
        form.addRow(caption("&Note", self.note), stacked(self.note, self.note_error))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.source.currentIndexChanged.connect(self._describe)

    def _describe(self) -> None:
        staff_id = self.source.currentData()
        if self.customer_ids is not None:
            count = len(self.customer_ids)
            scope = f"the {count} selected customer{'s' * (count != 1)}"
        else:
            rows = self.book.my_customers(staff_id) if staff_id is not None else []
            count = sum(1 for r in rows if r["role"] == "owner")
            scope = f"all {count} customer{'s' * (count != 1)} they own"
        self.what.setText(
            f"Moves {scope}, with their open follow-ups, to the new owner, who gets an "
            "introduction follow-up for each."
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        set_field_error(self.staff_error, errors.get("staff", ""))
        set_field_error(self.note_error, errors.get("note", ""))
        rest = " ".join(v for k, v in errors.items() if k not in ("staff", "note"))
        set_field_error(self.error, ("Nothing was moved. " + rest).strip() if errors else "")

    def save(self) -> None:
        try:
            self.result_counts = self.book.handover(
                self.source.currentData(),
                self.target.currentData(),
                self.note.toPlainText(),
                self.customer_ids,
            )
        except ShopfrontError as exc:
            field = getattr(exc, "field", "")
            self.show_errors({field or "form": str(exc)})
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()
