"""File → Backup now, File → Restore…, and the automatic backups (on a timer, at close).

Backups run on a worker with plain data (``Book.backup_job``); a restore replaces the
book's content, so it runs in the GUI thread behind a wait cursor and the window then
rebuilds its pages from the restored book.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.gui.errors import show_error
from shopfront.gui.workers import run_in_background

if TYPE_CHECKING:
    from shopfront.book import Book
    from shopfront.gui.main_window import MainWindow
    from shopfront.storage.backups import Backup, RestoreResult

log = logging.getLogger(__name__)
BackupRole = Qt.ItemDataRole.UserRole + 1
REASONS = {
    "manual": "Backup now",
    "auto": "Automatic",
    "at-close": "When closing",
    "before-restore": "Before a restore",
    "before-merge": "Before a merge",
    "before-import": "Before an import",
    "before-erase": "Before an erase",
}


def reason_text(reason: str) -> str:
    if reason.startswith("before-v") and reason[8:].isdigit():
        return f"Before upgrade {reason[8:]}"
    return REASONS.get(reason, reason)


class BackupTableModel(QAbstractTableModel):
    """The backup list: when, why, how many customers and appointments, how big."""

    TAKEN, WHY, CUSTOMERS, APPOINTMENTS, SIZE = range(5)
    HEADERS = ("Taken", "Why", "Customers", "Appointments", "Size")

    def __init__(self, items: list[Backup], zone: Any, parent: QObject | None = None):
        super().__init__(parent)
        self.items, self.zone = items, zone

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == BackupRole:
            return item
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(item.path)
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() >= self.CUSTOMERS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        from shopfront.storage.backups import human_size

        column = index.column()
        if column == self.TAKEN:
            return f"{item.taken_at.astimezone(self.zone):%a %d %b %Y  %H:%M}"
        if column == self.WHY:
            return reason_text(item.reason)
        if column == self.CUSTOMERS:
            return "?" if item.customers is None else f"{item.customers:,}"
        if column == self.APPOINTMENTS:
            return "?" if item.appointments is None else f"{item.appointments:,}"
        return human_size(item.size)


class RestoreDialog(QDialog):
    """Use ``RestoreDialog.ask(parent, book)``: the restore's result, or None."""

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.result_: RestoreResult | None = None
        self.setWindowTitle("Restore a backup")
        self.resize(680, 420)
        self.model = BackupTableModel(book.backups(), book.zone(), self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(BackupTableModel.WHY, QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            "Pick the backup to go back to. The book as it is now is backed up first, "
            "so a restore can itself be undone."
            if self.model.items
            else "There are no backups of this book yet."
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton("&Restore", self)
        self.restore_button.setEnabled(False)
        self.file_button = QPushButton("From a &file…", self)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.file_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addWidget(self.buttons)
        self._connect_signals()
        if self.model.items:
            self.view.selectRow(0)

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.restore_button.clicked.connect(self._restore_selected)
        self.file_button.clicked.connect(self._restore_file)
        self.view.doubleClicked.connect(lambda _index: self._restore_selected())
        self.view.selectionModel().selectionChanged.connect(
            lambda *_: self.restore_button.setEnabled(self.selected() is not None)
        )

    def selected(self) -> Backup | None:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].data(BackupRole) if rows else None

    def _restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            when = f"{chosen.taken_at.astimezone(self.book.zone()):%a %d %b %Y %H:%M}"
            self.restore(chosen.path, f"the backup from {when}")

    def _restore_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Restore from a file", "", "shopfront backups (*.db);;All files (*)"
        )
        if name:
            self.restore(Path(name), Path(name).name)

    def restore(self, path: Path, label: str) -> None:
        answer = QMessageBox.question(
            self,
            "Restore a backup",
            f"Replace the book with {label}?\n\nEverything saved since then is replaced. "
            "The book as it is now is backed up first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.result_ = self.book.restore(path)
        except Exception as exc:
            QGuiApplication.restoreOverrideCursor()
            show_error(self, exc, "Restore")
            return
        QGuiApplication.restoreOverrideCursor()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book) -> RestoreResult | None:
        dialog = cls(book, parent)
        dialog.exec()
        return dialog.result_


class BackupScheduler(QObject):
    """Automatic backups: every N hours while changes happen, and when the window closes."""

    status = Signal(str)

    def __init__(self, book: Book, parent: QObject | None = None):
        super().__init__(parent)
        self.book = book
        self.timer = QTimer(self)
        self.timer.setInterval(book.backup_every_hours() * 3600 * 1000)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        """Back up in the background if anything was saved since the newest backup."""
        run_in_background(
            self.book.backup_job("auto", only_if_changed=True),
            lambda made: made and self.status.emit("Automatic backup made."),
            lambda exc: log.error("automatic backup failed: %s", exc),
            owner=self,
        )

    def at_close(self) -> None:
        try:
            self.book.backup_job("at-close", only_if_changed=True)()
        except Exception as exc:  # closing must not be blocked by a full disk
            log.error("backup at close failed: %s", exc)


def backup_now(window: MainWindow) -> None:
    book = window.book
    if book is None:
        return
    if book.book_path() is None:
        QMessageBox.information(
            window, "Backup", "This book is on a PostgreSQL server: back it up there."
        )
        return
    window.statusBar().showMessage("Backing up…")

    def done(made: Backup | None) -> None:
        if made is not None:
            where = "".join(f" and {c.parent}" for c in made.copies)
            window.statusBar().showMessage(
                f"Backup made and checked: {made.path.name} in {made.path.parent}{where}", 10000
            )

    run_in_background(
        book.backup_job("manual"), done, lambda exc: show_error(window, exc, "Backup"), owner=window
    )


def restore(window: MainWindow) -> None:
    if window.book is None:
        return
    result = RestoreDialog.ask(window, window.book)
    if result is None:
        return
    window.reload_pages()
    saved = f" The book as it was is saved as {result.safety.path.name}." if result.safety else ""
    window.statusBar().showMessage(f"Restored {result.restored.path.name}.{saved}", 15000)


def install(window: MainWindow) -> None:
    """Add Backup now / Restore… to the File menu, above Quit."""
    menu = window.ui.menuFile
    quit_action = window.ui.actionQuit
    backup_action = QAction("&Backup now", window)
    backup_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
    backup_action.setObjectName("actionBackupNow")
    backup_action.triggered.connect(lambda: backup_now(window))
    restore_action = QAction("&Restore…", window)
    restore_action.setObjectName("actionRestore")
    restore_action.triggered.connect(lambda: restore(window))
    before = next((a for a in menu.actions() if a.isSeparator()), quit_action)
    menu.insertAction(before, backup_action)
    menu.insertAction(before, restore_action)
    window.actionBackupNow, window.actionRestore = backup_action, restore_action


def recover(parent: QWidget | None, exc: Exception, target: str | None) -> Book | None:
    """The book could not be opened: explain; if it is damaged and a good backup exists,
    offer to restore it (the damaged file was already kept aside). The restored book, or
    None."""
    from shopfront.errors import DamagedBookError

    backup = getattr(exc, "backup", None) if isinstance(exc, DamagedBookError) else None
    if backup is None:
        QMessageBox.critical(parent, "shopfront can't open the book", str(exc))
        return None
    box = QMessageBox(QMessageBox.Icon.Critical, "The book is damaged", str(exc), parent=parent)
    restore_button = box.addButton("Restore this backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore_button)
    box.exec()
    if box.clickedButton() is not restore_button:
        return None
    from shopfront.book import utc_now
    from shopfront.usecases.safety import restore_file

    try:
        book, _result = restore_file(target, backup.path, utc_now)
    except Exception as error:
        show_error(parent, error, "Restore")
        return None
    return book
