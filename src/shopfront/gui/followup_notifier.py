"""A tray message when a follow-up falls due while the app is open (skipped without a tray).

A timer asks the book for the follow-up counts off the GUI thread; when more are due now
(today or overdue) than at the last look, the tray says so once. The first look only sets
the baseline: what was due at start-up is already on the Today screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from shopfront.book import Book
from shopfront.gui.workers import run_in_background

CHECK_EVERY_MS = 5 * 60 * 1000


def due_now(counts: dict[str, int]) -> int:
    return counts.get("overdue", 0) + counts.get("due_today", 0)


class FollowupNotifier(QObject):
    clicked = Signal()  # the user clicked the message: show the follow-ups
    checked = Signal()  # one look is finished (tests wait on it)

    def __init__(
        self,
        book: Book,
        parent: QObject | None = None,
        *,
        staff_id: Callable[[], int | None] = lambda: None,
        tray_available: Callable[[], bool] = QSystemTrayIcon.isSystemTrayAvailable,
        interval_ms: int = CHECK_EVERY_MS,
    ):
        super().__init__(parent)
        self.book, self.staff_id, self.tray_available = book, staff_id, tray_available
        self.last: int | None = None
        self.messages: list[str] = []  # what the tray was asked to show
        self.tray: QSystemTrayIcon | None = None
        self.timer = QTimer(self, interval=interval_ms)
        self.timer.timeout.connect(self.check)

    def start(self) -> None:
        self.check()
        self.timer.start()

    def check(self) -> None:
        staff = self.staff_id()
        run_in_background(
            lambda: self.book.followup_counts(staff), self.consider, self._failed, owner=self
        )

    def _failed(self, _exc: BaseException) -> None:
        self.checked.emit()  # a busy or closed book: try again at the next tick

    def consider(self, counts: dict[str, int]) -> str:
        """Decide from fresh counts; returns the message shown ('' when none)."""
        now, before = due_now(counts), self.last
        self.last = now
        text = ""
        if before is not None and now > before:
            new = now - before
            text = (
                f"{new} follow-up{'s' * (new != 1)} just fell due "
                f"({counts.get('overdue', 0)} overdue, {counts.get('due_today', 0)} due today)."
            )
            self.show(text)
        self.checked.emit()
        return text

    def show(self, text: str) -> bool:
        if not self.tray_available():
            return False  # no tray on this desktop: the Today screen carries it
        if self.tray is None:
            self.tray = QSystemTrayIcon(QIcon(":/icons/shopfront.svg"), self)
            self.tray.setToolTip("shopfront")
            self.tray.messageClicked.connect(self.clicked)
            self.tray.show()
        self.messages.append(text)
        self.tray.showMessage("Follow-ups due", text, QSystemTrayIcon.MessageIcon.Information)
        return True

    def stop(self) -> None:
        self.timer.stop()
        if self.tray is not None:
            self.tray.hide()
