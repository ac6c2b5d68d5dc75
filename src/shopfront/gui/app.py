"""Starting the window: the Qt application, styles, error handling, opening the book."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QFile, QMessageLogContext, QTextStream, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from shopfront.errors import ShopfrontError
from shopfront.gui.errors import install_excepthook, show_error
from shopfront.gui.forms import rc_shopfront  # noqa: F401  (registers :/icons and :/style.qss)

if TYPE_CHECKING:
    from shopfront.book import Book


def ensure_platform() -> None:
    """Without a display (a server, CI) render offscreen instead of aborting."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _quiet_platform_notes(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Drop the offscreen platform's harmless "does not support propagateSizeHints" notes."""
    if "propagateSizeHints" in message:
        return
    sys.stderr.write(message + "\n")


def application() -> QApplication:
    ensure_platform()
    qInstallMessageHandler(_quiet_platform_notes)
    app = QApplication.instance()
    if app is None:
        app = QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("shopfront")
    app.setOrganizationName("shopfront")
    app.setWindowIcon(QIcon(":/icons/shopfront.svg"))
    style = QFile(":/style.qss")
    if style.open(QFile.OpenModeFlag.ReadOnly | QFile.OpenModeFlag.Text):
        app.setStyleSheet(QTextStream(style).readAll())
    return app


def _warm_risk_model(window: QWidget, book: Book) -> None:
    """Build today's no-show model behind the window (seconds on a big book, once a shop
    day; later desks read it from the book) so the first day view doesn't wait for it."""
    from shopfront.gui.workers import run_in_background

    run_in_background(book.risk_model, lambda _model: None, lambda _exc: None, owner=window)


def run_gui(db: str | None) -> int:
    """Paint the window first, then open the book (peewee, phone rules) behind it."""
    app = application()
    install_excepthook()
    from shopfront.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    opened: list[Book] = []

    def open_book() -> None:
        from shopfront import logs

        logs.setup()
        try:
            from shopfront.book import Book  # after the first paint: it loads peewee

            opened.append(Book.open(db))
        except ShopfrontError as exc:
            from shopfront.gui.safety_dialogs import recover  # damaged: offer the backup

            restored = recover(window, exc, db)
            if restored is None:
                app.exit(2)
                return
            opened.append(restored)
        except Exception as exc:  # never leave the window stuck on "Opening the book…"
            show_error(window, exc)
            app.exit(1)
            return
        window.attach(opened[0])
        _warm_risk_model(window, opened[0])

    window.first_painted.connect(open_book)
    try:
        return app.exec()
    finally:
        for book in opened:
            book.close()
