"""A message to one customer from a house template: filled in, editable, then copied, handed to
the mail/SMS/phone app, or sent by e-mail; whatever goes out is logged on their timeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import (
    CHANNEL_TEXT,
    TEMPLATE_TITLES,
    Channel,
    Followup,
    FollowupReason,
    TemplateKey,
)
from shopfront.errors import ShopfrontError
from shopfront.gui.case_dialog import error_label
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.workers import run_in_background
from shopfront.usecases.care import Message

# the template a follow-up's reason calls for (anything else: the plain follow-up text)
FOLLOWUP_TEMPLATES = {
    FollowupReason.NO_SHOW: TemplateKey.NO_SHOW_REBOOK,
    FollowupReason.LAPSED: TemplateKey.LAPSED,
    FollowupReason.ABSENCE: TemplateKey.ABSENCE_NOTICE,
    FollowupReason.CONFIRM: TemplateKey.REMINDER,
}
# what "Copy" was for: the channel it is logged as
COPY_CHANNELS = (Channel.SMS, Channel.EMAIL, Channel.IN_PERSON)
Log = Callable[[Message, Channel], object]


def mailto_url(message: Message) -> QUrl:
    subject, body = quote(message.subject, safe=""), quote(message.body, safe="")
    return QUrl(f"mailto:{quote(message.email, safe='@')}?subject={subject}&body={body}")


def sms_url(message: Message) -> QUrl:
    return QUrl(f"sms:{quote(message.phone, safe='+')}?body={quote(message.body, safe='')}")


def tel_url(message: Message) -> QUrl:
    return QUrl(f"tel:{quote(message.phone, safe='+')}")


class MessageDialog(QDialog):
    """``MessageDialog(book, parent, customer_id=…, appointment_id=…, key=…, log=…)``.

    ``log(message, channel)`` records what went out; by default ``book.message_sent``.
    ``sent`` lists the channels used while the dialog was open.
    """

    def __init__(
        self,
        book: Book,
        parent: QWidget | None = None,
        *,
        customer_id: int | None = None,
        appointment_id: int | None = None,
        key: TemplateKey | None = None,
        log: Log | None = None,
    ):
        super().__init__(parent)
        self.book = book
        self.customer_id, self.appointment_id = customer_id, appointment_id
        self.log: Log = log or (lambda message, channel: book.message_sent(message, channel))
        self.sent: list[Channel] = []
        self.base: Message | None = None
        self.setWindowTitle("Message")
        self.resize(560, 460)
        self._build()
        self.template.setCurrentIndex(
            max(0, self.template.findData((key or self._default_key()).value))
        )
        self.fill()

    @classmethod
    def for_followup(cls, book: Book, followup: Followup, parent: QWidget | None = None):
        """The message a follow-up calls for (its appointment's details when it has one)."""
        key = FOLLOWUP_TEMPLATES.get(followup.reason, TemplateKey.FOLLOWUP)
        return cls(
            book,
            parent,
            customer_id=followup.customer_id,
            appointment_id=followup.appointment_id,
            key=key,
        )

    def _default_key(self) -> TemplateKey:
        return TemplateKey.REMINDER if self.appointment_id is not None else TemplateKey.FOLLOWUP

    def _build(self) -> None:
        self.to = QLabel()
        self.to.setTextFormat(Qt.TextFormat.PlainText)
        self.to.setWordWrap(True)
        self.template = QComboBox()
        for key in TemplateKey:
            self.template.addItem(TEMPLATE_TITLES[key], key.value)
        self.subject = QLineEdit()
        self.body = QPlainTextEdit()
        self.copy_as = QComboBox()
        for channel in COPY_CHANNELS:
            self.copy_as.addItem(f"for {CHANNEL_TEXT[channel]}", channel.value)
        self.copy_button = QPushButton("&Copy")
        self.email_button = QPushButton("Open in &e-mail")
        self.sms_button = QPushButton("Open as &SMS")
        self.call_button = QPushButton("C&all")
        self.send_button = QPushButton("Se&nd e-mail")
        self.error = error_label()
        self.report = QLabel()  # never "done": that name is QDialog.done()
        self.report.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow("To", self.to)
        form.addRow("&Template", self.template)
        form.addRow("S&ubject", self.subject)
        form.addRow("&Text", self.body)
        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.copy_as)
        copy_row.addStretch()
        send_row = QHBoxLayout()
        for button in (self.email_button, self.sms_button, self.call_button, self.send_button):
            send_row.addWidget(button)
        send_row.addStretch()
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(copy_row)
        layout.addLayout(send_row)
        layout.addWidget(self.error)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.template.currentIndexChanged.connect(self.fill)
        self.copy_button.clicked.connect(self.copy)
        self.email_button.clicked.connect(self.open_email)
        self.sms_button.clicked.connect(self.open_sms)
        self.call_button.clicked.connect(self.call)
        self.send_button.clicked.connect(self.send_email)

    def smtp_ready(self) -> bool:
        configured = getattr(self.book, "smtp_configured", None)
        return bool(configured and hasattr(self.book, "send_email") and configured())

    def fill(self) -> None:
        """The chosen template, filled in for this customer (and appointment)."""
        key = TemplateKey(self.template.currentData())
        try:
            self.base = self.book.message(
                key, customer_id=self.customer_id, appointment_id=self.appointment_id
            )
        except ShopfrontError as exc:
            set_field_error(self.error, str(exc))
            return
        m = self.base
        name = self.book.customer(m.customer_id).name
        ways = [w for w in (m.phone, m.email) if w]
        self.to.setText(f"{name} — {', '.join(ways) if ways else 'no phone or e-mail on the card'}")
        self.subject.setText(m.subject)
        self.body.setPlainText(m.body)
        self.email_button.setEnabled(bool(m.email))
        self.sms_button.setEnabled(bool(m.phone))
        self.call_button.setEnabled(bool(m.phone))
        self.send_button.setVisible(self.smtp_ready())
        self.send_button.setEnabled(bool(m.email))
        set_field_error(self.error, "")

    def message(self) -> Message:
        """The message as edited on screen."""
        assert self.base is not None
        return dataclasses.replace(
            self.base, subject=self.subject.text().strip(), body=self.body.toPlainText().strip()
        )

    def _logged(self, channel: Channel, what: str) -> bool:
        try:
            self.log(self.message(), channel)
        except ShopfrontError as exc:
            set_field_error(self.error, str(exc))
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.sent.append(channel)
        self.report.setText(f"{what} — logged on the customer's timeline.")
        set_field_error(self.error, "")
        return True

    def copy(self) -> bool:
        m = self.message()
        text = (
            m.body
            if self.copy_as.currentData() != Channel.EMAIL.value
            else f"{m.subject}\n\n{m.body}"
        )
        QGuiApplication.clipboard().setText(text)
        return self._logged(Channel(self.copy_as.currentData()), "Copied")

    def open_email(self) -> bool:
        if not QDesktopServices.openUrl(mailto_url(self.message())):
            set_field_error(self.error, "No e-mail program opened; use Copy instead.")
            return False
        return self._logged(Channel.EMAIL, "Handed to the e-mail program")

    def open_sms(self) -> bool:
        if not QDesktopServices.openUrl(sms_url(self.message())):
            set_field_error(self.error, "No SMS program opened; use Copy instead.")
            return False
        return self._logged(Channel.SMS, "Handed to the SMS program")

    def call(self) -> None:
        """Dialling is not telling: the call is logged with its outcome by whoever calls."""
        if not QDesktopServices.openUrl(tel_url(self.message())):
            set_field_error(self.error, "No phone program opened; dial the number shown.")

    def send_email(self) -> None:
        message, password = self.message(), self._password()
        if password is False:
            return
        self.send_button.setEnabled(False)
        self.report.setText("Sending…")
        run_in_background(
            lambda: self._send(message, password),  # type: ignore[arg-type]
            lambda _contact: self._sent(),
            self._send_failed,
            owner=self,
        )

    def _send(self, message: Message, password: str | None) -> Any:
        return self.book.send_email(message, password=password)  # type: ignore[attr-defined]

    def _sent(self) -> None:
        self.sent.append(Channel.EMAIL)
        self.send_button.setEnabled(True)
        self.report.setText("E-mail sent — logged on the customer's timeline.")

    def _send_failed(self, exc: BaseException) -> None:
        self.send_button.setEnabled(True)
        self.report.setText("")
        if isinstance(exc, ShopfrontError):
            set_field_error(self.error, str(exc))
        else:
            show_error(self, exc)

    def _password(self) -> str | None | bool:
        """The SMTP password when the keyring has none: asked once per send; False = cancel."""
        settings = getattr(self.book, "smtp_settings", lambda: None)()
        if settings is None or not getattr(settings, "user", ""):
            return None
        from shopfront.mail import stored_password

        if stored_password(settings) is not None:
            return None
        text, ok = QInputDialog.getText(
            self, "E-mail password", f"Password for {settings.user}:", QLineEdit.EchoMode.Password
        )
        return text if ok else False
