"""Log a contact (call, SMS, e-mail, in person, note): one keystroke from every care list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import CHANNEL_TEXT, OUTCOME_TEXT, Channel, Contact, ContactOutcome
from shopfront.errors import ValidationError
from shopfront.gui.customer_dialog import fill_staff_combo
from shopfront.gui.errors import set_field_error, show_error

LOG_CALL_KEY = QKeySequence("Ctrl+L")
DIRECTION_TEXT = (("out", "We contacted them"), ("in", "They contacted us"))
FIELDS = ("channel", "outcome", "summary", "staff")


def error_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_field_error(label, "")
    return label


def add_log_call_shortcut(widget: QWidget, slot) -> QShortcut:  # type: ignore[no-untyped-def]
    """Ctrl+L on ``widget`` (while it or a child has focus) logs a call."""
    shortcut = QShortcut(LOG_CALL_KEY, widget)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    shortcut.activated.connect(slot)
    return shortcut


class ContactDialog(QDialog):
    """Use ``ContactDialog.ask(parent, book, customer_id, …)``: the logged Contact or None."""

    def __init__(
        self,
        book: Book,
        customer_id: int,
        parent: QWidget | None = None,
        *,
        channel: Channel = Channel.CALL,
        appointment_id: int | None = None,
        staff_id: int | None = None,
    ):
        super().__init__(parent)
        self.book, self.customer_id, self.appointment_id = book, customer_id, appointment_id
        self.logged: Contact | None = None
        self._build(staff_id)
        self.channel.setCurrentIndex(max(0, self.channel.findData(channel.value)))
        self._channel_changed()
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

    @classmethod
    def ask(
        cls, parent: QWidget | None, book: Book, customer_id: int, **options: object
    ) -> Contact | None:
        dialog = cls(book, customer_id, parent, **options)  # type: ignore[arg-type]
        dialog.exec()
        return dialog.logged

    def _build(self, staff_id: int | None) -> None:
        name = self.book.customer(self.customer_id).name
        self.setWindowTitle(f"Log a contact — {name}")
        self.who = QLabel(name)
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setProperty("role", "heading")
        self.channel = QComboBox()
        for value, text in CHANNEL_TEXT.items():
            self.channel.addItem(text, value.value)
        self.direction = QComboBox()
        for value, text in DIRECTION_TEXT:
            self.direction.addItem(text, value)
        self.outcome = QComboBox()
        self.summary = QPlainTextEdit()
        self.summary.setPlaceholderText("What was said or agreed (what they were told)")
        self.summary.setTabChangesFocus(True)
        self.summary.setMaximumHeight(110)
        self.staff = QComboBox()
        fill_staff_combo(self.staff, self.book, staff_id, "— not recorded —")
        self.errors = {key: error_label() for key in FIELDS}
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(self.who)
        form.addRow("&Channel", self.channel)
        form.addRow(self.errors["channel"])
        form.addRow("&Direction", self.direction)
        form.addRow("&Outcome", self.outcome)
        form.addRow(self.errors["outcome"])
        form.addRow("&Summary", self.summary)
        form.addRow(self.errors["summary"])
        form.addRow("&By", self.staff)
        form.addRow(self.errors["staff"])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.resize(460, 360)

    def _channel_changed(self) -> None:
        """Calls need an outcome (chosen, never defaulted); other channels may have none."""
        call = self.channel.currentData() == Channel.CALL.value
        kept = self.outcome.currentData()
        self.outcome.clear()
        self.outcome.addItem("— choose —" if call else "—", "")
        for value, text in OUTCOME_TEXT.items():
            if value is not ContactOutcome.NONE:
                self.outcome.addItem(text.capitalize(), value.value)
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(kept)))
        self.outcome.setEnabled(self.channel.currentData() not in ("note", "in_person"))

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            set_field_error(label, errors.get(key, ""))

    def save(self) -> None:
        outcome = self.outcome.currentData() if self.outcome.isEnabled() else ""
        try:
            self.logged = self.book.log_contact(
                self.customer_id,
                self.channel.currentData(),
                outcome=outcome or "",
                summary=self.summary.toPlainText(),
                direction=self.direction.currentData(),
                staff_id=self.staff.currentData(),
                appointment_id=self.appointment_id,
            )
        except ValidationError as exc:
            field = exc.field if exc.field in self.errors else "summary"
            self.show_errors({field: str(exc)})
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()
