"""GUI fixtures: a main window over a real book, message boxes answered by the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from shopfront.book import Book
from shopfront.gui.forms import rc_shopfront  # noqa: F401
from shopfront.gui.settings_store import WindowState


@pytest.fixture
def state(tmp_path: Path) -> WindowState:
    return WindowState(QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every QMessageBox question is answered Yes; warnings are recorded instead of shown."""
    shown: list[str] = []

    def question(_parent, _title, text, *_args, **_kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Yes

    def record(_parent, _title, text, *_args, **_kwargs):
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", record)
    monkeypatch.setattr(QMessageBox, "critical", record)
    return shown


@pytest.fixture
def window(qtbot, shop: Book, state: WindowState, answers: list[str]) -> Iterator:
    from shopfront.gui.main_window import MainWindow

    win = MainWindow(shop, state)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    settle_background_work()


def settle_background_work() -> None:
    """Let background searches finish and deliver before the next test opens another book."""
    from PySide6.QtCore import QCoreApplication, QThreadPool

    QThreadPool.globalInstance().waitForDone(5000)
    QCoreApplication.processEvents()


@pytest.fixture(autouse=True)
def _settle_after_each_test(qapp) -> Iterator[None]:
    yield
    settle_background_work()
