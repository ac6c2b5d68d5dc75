"""Rendering a view of the running app to PNG (README images, visual checks)."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QWidget

from shopfront.book import Book
from shopfront.errors import NotFoundError, ShopfrontError
from shopfront.gui.app import application

if TYPE_CHECKING:
    from shopfront.gui.main_window import MainWindow

VIEWS = [
    "today",
    "appointments",
    "day:YYYY-MM-DD",
    "week:STAFF_ID:YYYY-MM-DD",
    "myday:STAFF_ID:YYYY-MM-DD",
    "customers",
    "customer:ID",
    "followups",
    "cases",
    "calllist:ABSENCE_ID",
    "reports",
    "settings",
    "settings:staff",
    "settings:services",
    "settings:messages",
    "settings:care",
]


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait_loaded(window: MainWindow, timeout_ms: int = 10_000) -> None:
    """Pages that load in the background (Today, Follow-ups) say when their data is shown."""
    page = window.ui.pages.currentWidget()
    signal = getattr(page, "loaded", None)
    if signal is None:
        return
    loop = QEventLoop()
    signal.connect(loop.quit)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def _parse_date(text: str, usage: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ShopfrontError(f"'{text}' is not a date; use {usage}") from None


def _parse_staff(book: Book, text: str, usage: str) -> int:
    if not text.isdigit():
        raise ShopfrontError(f"'{text}' is not a staff id; use {usage}")
    if int(text) not in {s.id for s in book.staff()}:
        raise ShopfrontError(f"there is no staff member #{text} (see: shopfront staff list)")
    return int(text)


def _show_appointments(window: MainWindow, book: Book, name: str, arg: str) -> None:
    """appointments (today), day:DATE, week:STAFF:DATE, myday:STAFF:DATE."""
    usage = {
        "appointments": "appointments",
        "day": "day:YYYY-MM-DD, e.g. day:2026-11-23",
        "week": "week:STAFF_ID:YYYY-MM-DD, e.g. week:1:2026-11-23",
        "myday": "myday:STAFF_ID:YYYY-MM-DD, e.g. myday:1:2026-11-23",
    }[name]
    if name == "appointments" and arg:
        raise ShopfrontError(f"unknown view 'appointments:{arg}'; use {usage}")
    staff_text, _, date_text = arg.partition(":") if name != "day" else ("", "", arg)
    if name in ("week", "myday") and not date_text:
        raise ShopfrontError(f"use {usage}")
    day = _parse_date(date_text, usage) if name != "appointments" else book.today()
    staff = _parse_staff(book, staff_text, usage) if name in ("week", "myday") else 0
    window.show_area("appointments")
    page = window.appointments
    if staff:
        page.set_staff(staff)
    page.set_mode("day" if name == "appointments" else name)
    page.set_date(day)


def _call_list(book: Book, arg: str, size: tuple[int, int]) -> QWidget:
    """calllist:ABSENCE_ID — the call list dialog of one absence."""
    from shopfront.gui.call_list_dialog import CallListDialog

    if not arg.isdigit():
        raise ShopfrontError("use calllist:ABSENCE_ID, e.g. calllist:3")
    try:
        book.absence(int(arg))
    except NotFoundError:
        raise ShopfrontError(f"there is no absence #{arg}") from None
    dialog = CallListDialog(book, int(arg))
    dialog.resize(min(size[0], 1100), min(size[1], 640))
    dialog.show()
    return dialog


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
            tabs = {"shop": 0, "staff": 1, "services": 2, "messages": 3, "care": 4}
            if arg not in tabs:
                raise ShopfrontError(f"unknown settings tab '{arg}' ({', '.join(tabs)})")
            window.show_area("settings")
            window.settings.ui.tabs.setCurrentIndex(tabs[arg])
        elif name == "calllist":
            pass  # a dialog of its own, shown over the window below
        elif name in ("appointments", "day", "week", "myday"):
            _show_appointments(window, book, name, arg)
        elif name in {a.key for a in AREAS} and not arg:
            window.show_area(name)
        else:
            raise ShopfrontError(f"unknown view '{view}'; views: {', '.join(VIEWS)}")
        window.show()
        _wait_loaded(window)
        shown = _call_list(book, arg, size) if name == "calllist" else window
        _wait(400)  # let background searches land and layouts settle
        app.processEvents()
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not shown.grab().save(str(target)):
            raise ShopfrontError(f"can't write {target}")
        if shown is not window:
            shown.close()
        window.close()
        return target
    finally:
        book.close()
