"""Small dialogs for a staff member and a service (plain code: a handful of fields each)."""

from __future__ import annotations

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.customers import Role, Service, Staff
from shopfront.core.money import format_minor, parse_minor
from shopfront.errors import ValidationError
from shopfront.gui.errors import set_field_error, show_error


class _FormDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout(self)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_field_error(self.error, "")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    def finish_layout(self) -> None:
        self.form.addRow(self.error)
        self.form.addRow(self.buttons)

    def save(self) -> None:
        try:
            self.saved = self.store()
        except ValidationError as exc:
            set_field_error(self.error, "\n".join(exc.errors.values()) or str(exc))
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def store(self) -> object:
        raise NotImplementedError


class StaffDialog(_FormDialog):
    """Use ``StaffDialog.ask(parent, book, staff)`` -> saved Staff or None."""

    def __init__(self, book: Book, staff: Staff | None, parent: QWidget | None = None):
        super().__init__("Staff member" if staff else "New staff member", parent)
        self.book, self.staff = book, staff
        self.name = QLineEdit(staff.name if staff else "")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.value.capitalize(), role.value)
        self.role.setCurrentIndex(self.role.findData((staff.role if staff else Role.STAFF).value))
        self.colour = staff.colour if staff else "#5B8DEF"
        self.colour_button = QPushButton()
        self.colour_button.clicked.connect(self.pick_colour)
        self._show_colour()
        self.active = QCheckBox("Works here now (inactive staff keep their history)")
        self.active.setChecked(staff.active if staff else True)
        self.form.addRow("&Name", self.name)
        self.form.addRow("&Role", self.role)
        self.form.addRow("&Colour", self.colour_button)
        self.form.addRow("", self.active)
        self.finish_layout()

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, staff: Staff | None = None) -> Staff | None:
        dialog = cls(book, staff, parent)
        return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None  # type: ignore[return-value]

    def _show_colour(self) -> None:
        self.colour_button.setText(self.colour)
        self.colour_button.setStyleSheet(f"background: {self.colour}; color: white;")

    def pick_colour(self) -> None:
        chosen = QColorDialog.getColor(QColor(self.colour), self, "Staff colour")
        if chosen.isValid():
            self.colour = chosen.name().upper()
            self._show_colour()

    def store(self) -> Staff:
        staff = Staff(
            self.name.text(),
            self.staff.id if self.staff else 0,
            Role(self.role.currentData()),
            self.colour,
            self.active.isChecked(),
        )
        return self.book.save_staff(staff)


class ServiceDialog(_FormDialog):
    """Use ``ServiceDialog.ask(parent, book, service)`` -> saved Service or None."""

    def __init__(self, book: Book, service: Service | None, parent: QWidget | None = None):
        super().__init__("Service" if service else "New service", parent)
        self.book, self.service = book, service
        self.name = QLineEdit(service.name if service else "")
        self.category = QComboBox(editable=True)
        self.category.addItems(sorted({s.category for s in book.services() if s.category}))
        self.category.setCurrentText(service.category if service else "")
        self.minutes = QSpinBox(minimum=5, maximum=720, singleStep=5, suffix=" min")
        self.minutes.setValue(service.duration_min if service else 30)
        self.price = QLineEdit(format_minor(service.price_minor) if service else "")
        self.price.setPlaceholderText(f"e.g. 45.00 ({book.settings.currency})")
        self.followup = QSpinBox(
            minimum=0, maximum=730, suffix=" days", specialValueText="no follow-up"
        )
        self.followup.setValue(service.followup_days or 0 if service else 0)
        self.active = QCheckBox("Offered now")
        self.active.setChecked(service.active if service else True)
        for caption, widget in (
            ("&Name", self.name),
            ("&Category", self.category),
            ("&Duration", self.minutes),
            ("&Price", self.price),
            ("&Follow up after", self.followup),
        ):
            self.form.addRow(caption, widget)
        self.form.addRow("", self.active)
        self.finish_layout()

    @classmethod
    def ask(
        cls, parent: QWidget | None, book: Book, service: Service | None = None
    ) -> Service | None:
        dialog = cls(book, service, parent)
        return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None  # type: ignore[return-value]

    def store(self) -> Service:
        price = parse_minor(self.price.text())
        service = Service(
            self.name.text(),
            self.minutes.value(),
            price,
            self.service.id if self.service else 0,
            self.category.currentText(),
            self.followup.value() or None,
            self.active.isChecked(),
        )
        return self.book.save_service(service)
