"""Sending a message by e-mail over SMTP (stdlib smtplib), with the password in the
system keyring when one is available.

The password is never stored in the book or in a settings file: ``keyring`` keeps it in the
desktop's secret store; without a keyring backend the user types it per session.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from shopfront.errors import ShopfrontError, ValidationError

log = logging.getLogger(__name__)
KEYRING_SERVICE = "shopfront-smtp"
TLS_MODES = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    tls: str = "starttls"
    user: str = ""
    sender: str = ""  # the From address
    timeout: float = 20.0

    @property
    def configured(self) -> bool:
        return bool(self.host and self.sender)

    def to_settings(self) -> dict[str, str]:
        return {
            "smtp.host": self.host,
            "smtp.port": str(self.port),
            "smtp.tls": self.tls,
            "smtp.user": self.user,
            "smtp.sender": self.sender,
        }

    @classmethod
    def from_settings(cls, stored: dict[str, str]) -> SmtpSettings:
        try:
            port = int(stored.get("smtp.port", "587"))
        except ValueError:
            port = 587
        return cls(
            host=stored.get("smtp.host", ""),
            port=port,
            tls=stored.get("smtp.tls", "starttls"),
            user=stored.get("smtp.user", ""),
            sender=stored.get("smtp.sender", ""),
        )

    def validate(self) -> SmtpSettings:
        if self.tls not in TLS_MODES:
            raise ValidationError(f"TLS must be one of {', '.join(TLS_MODES)}.", "tls")
        if not 1 <= self.port <= 65535:
            raise ValidationError("The port must be between 1 and 65535.", "port")
        if self.host and "@" not in self.sender:
            raise ValidationError("Give the address the e-mails are sent from.", "sender")
        return self


def stored_password(settings: SmtpSettings) -> str | None:
    """The password from the system keyring, or None when there is none (or no keyring)."""
    if not settings.user:
        return None
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, f"{settings.user}@{settings.host}")
    except Exception:  # no backend, locked store: the user is asked instead
        log.info("no keyring available for the SMTP password")
        return None


def store_password(settings: SmtpSettings, password: str) -> bool:
    """Keep the password in the system keyring; False when no keyring is available."""
    try:
        import keyring

        keyring.set_password(KEYRING_SERVICE, f"{settings.user}@{settings.host}", password)
        return True
    except Exception:
        log.info("no keyring available; the SMTP password is not stored")
        return False


def build_message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    if "@" not in to:
        raise ValidationError("This customer has no e-mail address.", "email")
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject.replace("\n", " ").strip()
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(body)
    return message


def send(settings: SmtpSettings, message: EmailMessage, password: str | None = None) -> None:
    """Send one message; any failure becomes a one-line ShopfrontError."""
    if not settings.configured:
        raise ShopfrontError("E-mail is not set up: add the SMTP server in Settings.")
    secret = password if password is not None else stored_password(settings)
    try:
        if settings.tls == "ssl":
            context = ssl.create_default_context()
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if settings.user:
                if secret is None:
                    raise ShopfrontError("The e-mail password is needed (none is stored).")
                client.login(settings.user, secret)
            client.send_message(message)
    except ShopfrontError:
        raise
    except smtplib.SMTPAuthenticationError:
        raise ShopfrontError("The mail server refused the user name or password.") from None
    except smtplib.SMTPRecipientsRefused:
        raise ShopfrontError("The mail server refused the customer's address.") from None
    except (smtplib.SMTPException, OSError) as exc:
        raise ShopfrontError(
            f"The e-mail could not be sent ({type(exc).__name__}: {exc}). Nothing was logged."
        ) from None
    log.info("e-mail sent")
