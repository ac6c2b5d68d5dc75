"""Pick an appointment's services again (length and price follow), for it or its series."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.booking import Appointment
from shopfront.core.money import format_minor
from shopfront.gui.booking_models import ServiceChecklistModel, fit_columns


@dataclass(frozen=True)
class ServicesChoice:
    service_ids: tuple[int, ...]
    later_too: bool


class ServicesDialog(QDialog):
    """Use ``ServicesDialog.ask(parent, book, appointment)`` -> ServicesChoice | None."""

    def __init__(self, book: Book, appointment: Appointment, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Change services")
        self.book = book
        current = {line.service_id for line in appointment.services}
        offered = [s for s in book.services() if s.active or s.id in current]
        self.services = ServiceChecklistModel(offered, self)
        for line in appointment.services:
            self.services.set_ticked(line.service_id, True)
        self.list = QTreeView()
        self.list.setRootIsDecorated(False)
        self.list.setModel(self.services)
        self.list.setAccessibleName("Services")
        self.services.span_headers(self.list)
        fit_columns(self.list)
        self.total = QLabel()
        self.total.setTextFormat(Qt.TextFormat.PlainText)
        self.later = QCheckBox("This and all &later appointments of the series")
        self.later.setVisible(appointment.series_id is not None)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        for widget in (self.list, self.total, self.later, self.buttons):
            layout.addWidget(widget)
        self.list.clicked.connect(lambda index: self.services.toggle(index.row()))
        self.services.changed.connect(self._show_total)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.resize(460, 420)
        self._show_total()

    @classmethod
    def ask(
        cls, parent: QWidget | None, book: Book, appointment: Appointment
    ) -> ServicesChoice | None:
        dialog = cls(book, appointment, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def choice(self) -> ServicesChoice:
        return ServicesChoice(self.services.checked_ids(), self.later.isChecked())

    def _show_total(self) -> None:
        picked = self.services.checked_services()
        minutes = sum(s.duration_min for s in picked)
        price = format_minor(sum(s.price_minor for s in picked))
        currency = self.book.settings.currency
        self.total.setText(
            f"{minutes} min · {price} {currency} (the price follows the services)"
            if picked
            else "Pick at least one service."
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(picked))
