"""What a user sees when something goes wrong: a short message, never a traceback."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from shopfront.errors import ServerUnreachableError, ShopfrontError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "shopfront") -> None:
    """A user-fixable error shows its own message; anything else an apology and the log."""
    if isinstance(exc, ShopfrontError):
        if isinstance(exc, ServerUnreachableError):
            from shopfront.gui.server_banner import connection_lost

            connection_lost()  # the window's banner retries until the server is back
        QMessageBox.warning(parent, title, str(exc))
        return
    from shopfront import logs

    log.error("unexpected error", exc_info=(type(exc), exc, exc.__traceback__))
    QMessageBox.critical(
        parent,
        title,
        f"Sorry, something went wrong ({type(exc).__name__}). Nothing you saved is lost.\n\n"
        f"Details were written to {logs.log_file()}",
    )


def install_excepthook() -> None:
    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        show_error(None, exc)

    sys.excepthook = hook


def set_field_error(label: QLabel, message: str) -> None:
    """Error text next to a field (empty hides it)."""
    label.setProperty("role", "error")
    label.setText(message)
    label.setVisible(bool(message))
    label.style().unpolish(label)
    label.style().polish(label)
