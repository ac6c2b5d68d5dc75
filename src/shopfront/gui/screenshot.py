"""Rendering a view of the running app to PNG (README images, visual checks)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer

from shopfront.book import Book
from shopfront.errors import ShopfrontError
from shopfront.gui.app import application

VIEWS = [
    "today",
    "appointments",
    "customers",
    "customer:ID",
    "followups",
    "cases",
    "reports",
    "settings",
    "settings:staff",
    "settings:services",
]


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def render_view(db: str | None, view: str, output: str, size: tuple[int, int]) -> Path:
    app = application()
    book = Book.open(db)
    try:
        from shopfront.gui.main_window import AREAS, MainWindow
        from shopfront.gui.settings_store import WindowState

        # A throwaway window state, so a screenshot never changes the user's layout.
        scratch = Path(tempfile.mkdtemp()) / "window.ini"
        window = MainWindow(book, WindowState(QSettings(str(scratch), QSettings.Format.IniFormat)))
        window.resize(*size)
        name, _, arg = view.partition(":")
        if name == "customer":
            if not arg.isdigit():
                raise ShopfrontError("use customer:ID, e.g. customer:12")
            window.show_area("customers")
            window.customers.open_customer(int(arg))
        elif name == "search":
            window.show_area("customers")
            window.customers.ui.searchEdit.setText(arg)
        elif name == "settings" and arg:
            tabs = {"shop": 0, "staff": 1, "services": 2}
            if arg not in tabs:
                raise ShopfrontError(f"unknown settings tab '{arg}' (shop, staff, services)")
            window.show_area("settings")
            window.settings.ui.tabs.setCurrentIndex(tabs[arg])
        elif name in {a.key for a in AREAS} and not arg:
            window.show_area(name)
        else:
            raise ShopfrontError(f"unknown view '{view}'; views: {', '.join(VIEWS)}")
        window.show()
        _wait(400)  # let background searches land and layouts settle
        app.processEvents()
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(target)):
            raise ShopfrontError(f"can't write {target}")
        window.close()
        return target
    finally:
        book.close()
