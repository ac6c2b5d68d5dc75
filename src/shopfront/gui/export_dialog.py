"""File → Export…: customers (CSV, vCard), appointments (calendar, CSV) or the whole book.

A one-call question (``ExportDialog.ask``); the file is written off the GUI thread.
Also home of ``add_transfer_actions``, which puts Import… and Export… in the File menu.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QMainWindow,
    QMessageBox,
    QWidget,
)

from shopfront.errors import ShopfrontError
from shopfront.gui.workers import run_in_background

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
CHOICES = (
    ("Customers — CSV for Excel", "customers", "csv", "customers.csv"),
    ("Customers — vCard 3.0 (phones, Google, Outlook)", "customers", "vcard", "customers.vcf"),
    ("Customers — vCard 4.0", "customers", "vcard4", "customers.vcf"),
    ("Appointments — calendar (.ics)", "appointments", "ics", "appointments.ics"),
    ("Appointments — CSV for Excel", "appointments", "csv", "appointments.csv"),
    ("Whole book — JSON (move to another computer)", "book", "json", "shopfront-book.json"),
)


@dataclass(frozen=True)
class ExportRequest:
    what: str
    fmt: str
    first: date | None = None
    last: date | None = None
    staff_id: int | None = None
    suggested: str = "export"


def export_bytes(book: Book, request: ExportRequest) -> bytes:
    if request.what == "book":
        return book.export_book()
    if request.what == "customers":
        return book.export_customers(request.fmt)
    return book.export_appointments(request.fmt, request.first, request.last, request.staff_id)


class ExportDialog(QDialog):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.kind = QComboBox()
        for label, *_ in CHOICES:
            self.kind.addItem(label)
        today = book.today()
        self.limit = QCheckBox("Only appointments from … to …")
        self.first = QDateEdit(QDate(today.year, today.month, 1))
        self.last = QDateEdit(QDate(today.year, today.month, 1).addMonths(3))
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
        self.staff = QComboBox()
        self.staff.addItem("Everyone", None)
        for s in book.staff():
            self.staff.addItem(s.name, s.id)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Export", self.kind)
        form.addRow(self.limit)
        form.addRow("From", self.first)
        form.addRow("To", self.last)
        form.addRow("Staff member", self.staff)
        form.addRow(buttons)
        self.kind.currentIndexChanged.connect(self._enable)
        self.limit.toggled.connect(self._enable)
        self._enable()

    def _enable(self) -> None:
        appointments = CHOICES[self.kind.currentIndex()][1] == "appointments"
        self.limit.setEnabled(appointments)
        self.staff.setEnabled(appointments)
        for edit in (self.first, self.last):
            edit.setEnabled(appointments and self.limit.isChecked())

    def request(self) -> ExportRequest:
        _, what, fmt, suggested = CHOICES[self.kind.currentIndex()]
        limited = what == "appointments" and self.limit.isChecked()
        return ExportRequest(
            what,
            fmt,
            self.first.date().toPython() if limited else None,  # type: ignore[arg-type]
            self.last.date().toPython() if limited else None,  # type: ignore[arg-type]
            self.staff.currentData() if what == "appointments" else None,
            suggested,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book) -> ExportRequest | None:
        dialog = cls(book, parent)
        return dialog.request() if dialog.exec() == QDialog.DialogCode.Accepted else None


def export_to_file(parent: QMainWindow, book: Book) -> None:
    request = ExportDialog.ask(parent, book)
    if request is None:
        return
    name, _ = QFileDialog.getSaveFileName(parent, "Export to", request.suggested)
    if not name:
        return

    def work() -> int:
        data = export_bytes(book, request)
        Path(name).write_bytes(data)
        return len(data)

    def done(size: int) -> None:
        parent.statusBar().showMessage(f"Exported to {name} ({size:,} bytes).", 8000)

    def failed(exc: BaseException) -> None:
        text = str(exc) if isinstance(exc, ShopfrontError | OSError) else "The export failed."
        if not isinstance(exc, ShopfrontError | OSError):
            log.error("export failed: %s", type(exc).__name__)
        QMessageBox.warning(parent, "Export", text)

    run_in_background(work, done, failed, owner=parent)


def add_transfer_actions(window: QMainWindow, menu, before: QAction) -> None:  # noqa: ANN001
    """File → Import… (Ctrl+I) and File → Export… (Ctrl+E), above ``before``."""

    def book() -> Book | None:
        return getattr(window, "book", None)

    def import_file() -> None:
        from shopfront.gui.import_wizard import ImportWizard

        if (current := book()) is not None and ImportWizard.ask(window, current) is not None:
            window.statusBar().showMessage("Import finished.", 8000)

    def export_file() -> None:
        if (current := book()) is not None:
            export_to_file(window, current)

    for text, keys, slot in (
        ("Import…", "Ctrl+I", import_file),
        ("Export…", "Ctrl+E", export_file),
    ):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(keys))
        action.setObjectName("action" + text.rstrip("…"))
        action.triggered.connect(slot)
        menu.insertAction(before, action)
    menu.insertSeparator(before)
