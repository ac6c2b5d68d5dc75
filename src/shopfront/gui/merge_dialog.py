"""Merging two customer cards: pick the duplicate, see both, confirm; one transaction."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.customers import Customer
from shopfront.gui.errors import show_error


class MergeDialog(QDialog):
    """Use ``MergeDialog.ask(parent, book, keep)`` -> the merged card, or None."""

    def __init__(self, book: Book, keep: Customer, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.keep, self.merged = book, keep, None
        self.setWindowTitle(f"Merge into {keep.name}")
        self.resize(520, 420)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Find the other card for {keep.name}. Its phones, emails, notes, tags and all "
            "its history move to this card; the other card disappears."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.search = QLineEdit(placeholderText="Search the other card…")
        self.results = QListWidget()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = self.buttons.addButton("&Merge", QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(False)
        for widget in (intro, self.search, self.results, self.buttons):
            layout.addWidget(widget)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._connect_signals()
        self.search.setText(keep.name)

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, keep: Customer) -> Customer | None:
        dialog = cls(book, keep, parent)
        return dialog.merged if dialog.exec() == QDialog.DialogCode.Accepted else None

    def _connect_signals(self) -> None:
        self.search.textChanged.connect(self._timer.start)
        self._timer.timeout.connect(self.refresh)
        self.results.currentItemChanged.connect(
            lambda item, _old: self.merge_button.setEnabled(item is not None)
        )
        self.buttons.accepted.connect(self.merge)
        self.buttons.rejected.connect(self.reject)

    def refresh(self) -> None:
        self.results.clear()
        for row in self.book.search(self.search.text(), include_archived=True, limit=50):
            if row.id == self.keep.id:
                continue
            contact = ", ".join(row.phones + row.emails)
            item = QListWidgetItem(f"#{row.id} {row.name}  {contact}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)

    def merge(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        other_id = int(item.data(Qt.ItemDataRole.UserRole))
        answer = QMessageBox.question(
            self,
            "Merge cards",
            f"Move everything from card #{other_id} into {self.keep.name} (#{self.keep.id}) "
            "and remove card #" + str(other_id) + "? This can't be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.merged = self.book.merge_customers(self.keep.id, other_id)
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()
