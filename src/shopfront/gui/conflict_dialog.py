""" "Changed at another desk": what they changed, and Reload / Keep mine (confirmed)."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.core.conflicts import FieldChange

RELOAD, KEEP_MINE = "reload", "keep"


class ConflictDialog(QDialog):
    """Use ``ConflictDialog.ask(parent, who, changes)``: "reload", "keep" or None."""

    def __init__(self, who: str, changes: list[FieldChange], parent: QWidget | None = None):
        super().__init__(parent)
        self.changes, self.choice = changes, None
        self.setWindowTitle("Changed at another desk")
        self.resize(640, 320)
        what = (
            "Here is what they changed:"
            if changes
            else "They saved the card without changing what you see here."
        )
        intro = QLabel(f"{who}'s card was saved at another desk while you edited it. {what}")
        intro.setWordWrap(True)
        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(["Field", "Before", "Their change", "Yours"])
        for change in changes:
            row = [change.label, change.before, change.theirs, change.mine]
            items = [QStandardItem(text or "—") for text in row]
            if change.both_changed:
                for item in items:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                items[3].setToolTip("You changed this too: keeping yours undoes their change.")
            self.model.appendRow(items)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.reload_button = QPushButton("&Reload their version", self)
        self.keep_button = QPushButton("&Keep mine…", self)
        self.buttons.addButton(self.reload_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.keep_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.reload_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.reload_button.clicked.connect(lambda: self._choose(RELOAD))
        self.keep_button.clicked.connect(self._keep_mine)
        self.buttons.rejected.connect(self.reject)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()

    def _keep_mine(self) -> None:
        lost = [c.label for c in self.changes if c.mine != c.theirs]
        detail = (
            f"Their change to {', '.join(lost)} will be replaced by yours."
            if lost
            else "Your version is saved over theirs."
        )
        answer = QMessageBox.question(
            self,
            "Keep mine",
            f"Save your version anyway? {detail}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._choose(KEEP_MINE)

    @classmethod
    def ask(cls, parent: QWidget | None, who: str, changes: list[FieldChange]) -> str | None:
        dialog = cls(who, changes, parent)
        dialog.exec()
        return dialog.choice
