"""A banner over the window while the PostgreSQL server can't be reached; it retries.

Shown by ``gui.errors.show_error`` whenever a use case fails with ServerUnreachableError
(the dialog that failed stays open with what was typed). Every few seconds it asks the
server again in the background, and hides itself once the server answers.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.gui.workers import run_in_background

RETRY_MS = 5000
TEXT = (
    "<b>The server can't be reached.</b> Nothing you typed is lost: keep the window "
    "open and save again when it is back. Trying again every 5 seconds…"
)


class ServerBanner(QFrame):
    reconnected = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.setObjectName("serverBanner")
        self.setStyleSheet("#serverBanner { background: #FDEDEC; border: 1px solid #C0392B; }")
        self.label = QLabel(TEXT)
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Try &now")
        self.retry_button.clicked.connect(self.retry)
        row = QHBoxLayout(self)
        row.addWidget(self.label, 1)
        row.addWidget(self.retry_button)
        self.timer = QTimer(self)
        self.timer.setInterval(RETRY_MS)
        self.timer.timeout.connect(self.retry)
        self._asking = False
        self.hide()

    def lost(self) -> None:
        self.show()
        self.timer.start()

    def retry(self) -> None:
        if self._asking:
            return
        self._asking = True
        run_in_background(self.book.server_reachable, self._answered, owner=self)

    def _answered(self, reachable: bool) -> None:
        self._asking = False
        if reachable:
            self.timer.stop()
            self.hide()
            self.reconnected.emit()


def install(window: QMainWindow, book: Book) -> ServerBanner | None:
    """Put a (hidden) banner above the window's pages; server books only."""
    if book.on_sqlite:
        return None
    banner = ServerBanner(book)
    body = window.takeCentralWidget()
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 0, 0)
    column.addWidget(banner)
    column.addWidget(body, 1)
    window.setCentralWidget(holder)
    window.server_banner = banner  # type: ignore[attr-defined]
    return banner


def connection_lost() -> None:
    """Tell the main window's banner (if any) that the server was unreachable."""
    for widget in QApplication.topLevelWidgets():
        banner = getattr(widget, "server_banner", None)
        if isinstance(banner, ServerBanner):
            banner.lost()
