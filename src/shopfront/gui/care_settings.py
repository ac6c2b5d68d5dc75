"""Settings tabs for care: message templates and the e-mail server, and the house policies
that create follow-ups. Each refusal shows next to the field it is about."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import (
    DEFAULT_TEMPLATES,
    PLACEHOLDERS,
    TEMPLATE_TITLES,
    CarePolicies,
    TemplateKey,
)
from shopfront.errors import ShopfrontError, ValidationError
from shopfront.gui.case_dialog import caption, error_label, stacked
from shopfront.gui.errors import set_field_error, show_error

PLACEHOLDER_HELP = {
    "first_name": "what they like to be called",
    "name": "full name",
    "date": "appointment day, e.g. Tuesday 24 November",
    "time": "appointment time",
    "staff": "who they are booked with (or their owner)",
    "services": "what is booked",
    "shop": "the shop's name",
}

# (field, caption, suffix for numbers, range)
POLICY_ROWS: tuple[tuple[str, str, str, tuple[int, int]], ...] = (
    ("after_visit", "After a visit: call when the service's follow-up interval is up", "", (0, 0)),
    ("first_visit", "After a first visit: thank them", "", (0, 0)),
    ("first_visit_days", "…this many days after the first visit", " days", (0, 60)),
    ("no_show", "After a no-show: call to rebook, the same day", "", (0, 0)),
    ("lapsed", "Lapsed customers: invite them back", "", (0, 0)),
    ("lapsed_default_days", "…one-visit customers count as lapsed after", " days", (14, 730)),
    ("lapsed_lookback_days", "…stop chasing customers gone longer than", " days", (60, 3660)),
    ("case_check_days", "After a fix: ask “did it work?” this many days later", " days", (1, 90)),
    ("absence", "Staff absence: customers not reached become front-desk tasks", "", (0, 0)),
    ("birthday", "Birthdays: a follow-up on the day", "", (0, 0)),
    ("confirm_high_risk", "High no-show risk: confirm by phone the day before", "", (0, 0)),
)


class TemplatesTab(QWidget):
    """Message templates on the left, the chosen one's subject and text on the right; the
    e-mail server below."""

    status = Signal(str)

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self._build()
        self.load()

    def _build(self) -> None:
        self.keys = QListWidget()
        self.keys.setMaximumWidth(240)
        for key in TemplateKey:
            item = QListWidgetItem(TEMPLATE_TITLES[key])
            item.setData(Qt.ItemDataRole.UserRole, key.value)
            self.keys.addItem(item)
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.subject_error, self.body_error = error_label(), error_label()
        names = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
        self.help = QLabel(
            f"Placeholders: {names}. "
            + "; ".join(f"{{{p}}} = {text}" for p, text in PLACEHOLDER_HELP.items())
            + ". Write {{ or }} for a brace."
        )
        self.help.setWordWrap(True)
        self.help.setTextFormat(Qt.TextFormat.PlainText)
        self.save_button = QPushButton("Sa&ve template")
        self.default_button = QPushButton("Back to the &default text")
        form = QFormLayout()
        form.addRow(caption("S&ubject", self.subject), stacked(self.subject, self.subject_error))
        form.addRow(caption("&Text", self.body), stacked(self.body, self.body_error))
        form.addRow("", self.help)
        buttons = QHBoxLayout()
        buttons.addWidget(self.default_button)
        buttons.addStretch()
        buttons.addWidget(self.save_button)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        top = QHBoxLayout()
        top.addWidget(self.keys)
        top.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        self.smtp_box = self._smtp_box()
        layout.addWidget(self.smtp_box)
        self.keys.currentRowChanged.connect(lambda _row: self.show_template())
        self.save_button.clicked.connect(self.save_template)
        self.default_button.clicked.connect(self.default_text)

    def _smtp_box(self) -> QGroupBox:
        box = QGroupBox("Sending e-mail (optional)")
        self.host, self.sender, self.user = QLineEdit(), QLineEdit(), QLineEdit()
        self.host.setPlaceholderText("e.g. smtp.example.com")
        self.sender.setPlaceholderText("the From address, e.g. hello@yourshop.com")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.tls = QComboBox()
        for mode, text in (("starttls", "STARTTLS"), ("ssl", "SSL/TLS"), ("none", "none")):
            self.tls.addItem(text, mode)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, never in the book")
        self.smtp_errors = {k: error_label() for k in ("host", "port", "tls", "sender", "form")}
        self.smtp_save = QPushButton("Save e-mail settings")
        form = QFormLayout(box)
        form.addRow("Server", stacked(self.host, self.smtp_errors["host"]))
        port = QHBoxLayout()
        port.addWidget(self.port)
        port.addWidget(QLabel("Security"))
        port.addWidget(self.tls)
        port.addStretch()
        form.addRow("Port", stacked(port, self.smtp_errors["port"], self.smtp_errors["tls"]))
        form.addRow("From address", stacked(self.sender, self.smtp_errors["sender"]))
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        row = QHBoxLayout()
        row.addWidget(self.smtp_errors["form"], 1)
        row.addStretch()
        row.addWidget(self.smtp_save)
        form.addRow(row)
        self.smtp_save.clicked.connect(self.save_smtp)
        box.setVisible(hasattr(self.book, "save_smtp"))
        return box

    # templates ---------------------------------------------------------------------------

    def load(self) -> None:
        self.templates = self.book.templates()
        if self.keys.currentRow() < 0:
            self.keys.setCurrentRow(0)
        self.show_template()
        self.load_smtp()

    def key(self) -> TemplateKey:
        item = self.keys.currentItem()
        return TemplateKey(
            item.data(Qt.ItemDataRole.UserRole) if item else TemplateKey.CONFIRMATION
        )

    def select(self, key: TemplateKey) -> None:
        self.keys.setCurrentRow(list(TemplateKey).index(key))

    def show_template(self) -> None:
        template = self.templates[self.key()]
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self.show_errors({})

    def default_text(self) -> None:
        subject, body = DEFAULT_TEMPLATES[self.key()]
        self.subject.setText(subject)
        self.body.setPlainText(body)

    def show_errors(self, errors: dict[str, str]) -> None:
        set_field_error(self.subject_error, errors.get("subject", ""))
        set_field_error(self.body_error, errors.get("body", "") or errors.get("template", ""))

    def save_template(self) -> bool:
        key = self.key()
        try:
            saved = self.book.save_template(key, self.subject.text(), self.body.toPlainText())
        except ValidationError as exc:
            self.show_errors(exc.errors or {"body": str(exc)})
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.templates[key] = saved
        self.show_errors({})
        self.status.emit(f"Template saved: {TEMPLATE_TITLES[key]}.")
        return True

    # e-mail server -----------------------------------------------------------------------

    def load_smtp(self) -> None:
        settings = getattr(self.book, "smtp_settings", None)
        if settings is None:
            return
        smtp = settings()
        self.host.setText(smtp.host)
        self.port.setValue(smtp.port)
        self.tls.setCurrentIndex(max(0, self.tls.findData(smtp.tls)))
        self.user.setText(smtp.user)
        self.sender.setText(smtp.sender)
        self.password.clear()
        for label in self.smtp_errors.values():
            set_field_error(label, "")

    def save_smtp(self) -> bool:
        current = self.book.smtp_settings()  # type: ignore[attr-defined]
        smtp = dataclasses.replace(
            current,
            host=self.host.text().strip(),
            port=self.port.value(),
            tls=self.tls.currentData(),
            user=self.user.text().strip(),
            sender=self.sender.text().strip(),
        )
        for label in self.smtp_errors.values():
            set_field_error(label, "")
        try:
            kept = self.book.save_smtp(smtp, self.password.text() or None)  # type: ignore[attr-defined]
        except ShopfrontError as exc:
            field = getattr(exc, "field", "") or "form"
            set_field_error(self.smtp_errors.get(field, self.smtp_errors["form"]), str(exc))
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        typed = bool(self.password.text())
        self.load_smtp()
        note = "" if not typed or kept else " No keyring here: the password is asked when sending."
        self.status.emit("E-mail settings saved." + note)
        return True


class PoliciesTab(QWidget):
    """Each house policy: a switch, and its number where it has one."""

    status = Signal(str)

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.fields: dict[str, QCheckBox | QSpinBox] = {}
        self.errors: dict[str, QLabel] = {}
        intro = QLabel(
            "House rules for follow-ups: set once, applied the same way for everyone. "
            "Each one can be switched off or tuned."
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        for name, text, suffix, (low, high) in POLICY_ROWS:
            widget: QCheckBox | QSpinBox
            if suffix:
                widget = QSpinBox()
                widget.setRange(low, high)
                widget.setSuffix(suffix)
                widget.setMaximumWidth(140)
                form.addRow(text, stacked(widget, self._error(name)))
            else:
                widget = QCheckBox(text)
                form.addRow(stacked(widget, self._error(name)))
            widget.setObjectName(name)
            self.fields[name] = widget
        self.save_button = QPushButton("Sa&ve policies")
        self.revert_button = QPushButton("&Revert")
        self.error = error_label()
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addStretch()
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addStretch()
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.load)
        self.load()

    def _error(self, name: str) -> QLabel:
        self.errors[name] = error_label()
        return self.errors[name]

    def load(self) -> None:
        policies = self.book.care_policies()
        for name, widget in self.fields.items():
            value = getattr(policies, name)
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            else:
                widget.setValue(int(value))
        self.show_errors({})

    def policies(self) -> CarePolicies:
        values: dict[str, Any] = {}
        for name, widget in self.fields.items():
            values[name] = widget.isChecked() if isinstance(widget, QCheckBox) else widget.value()
        return dataclasses.replace(self.book.care_policies(), **values)

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, label in self.errors.items():
            set_field_error(label, errors.get(name, ""))
        rest = " ".join(v for k, v in errors.items() if k not in self.errors)
        set_field_error(self.error, ("Not saved. " + rest).strip() if errors else "")

    def save(self) -> bool:
        try:
            self.book.save_care_policies(self.policies())
        except ValidationError as exc:
            self.show_errors(exc.errors or {"form": str(exc)})
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.load()
        self.status.emit("Care policies saved.")
        return True
