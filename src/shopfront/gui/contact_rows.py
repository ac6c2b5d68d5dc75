"""Editable rows of phones or emails (label + value + remove), each with its own error line."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from shopfront.gui.errors import set_field_error


class ContactRows(QWidget):
    """A growing list of (value, label) rows; ``values()`` returns what was typed."""

    changed = Signal()

    def __init__(self, labels: tuple[str, ...], placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.labels, self.placeholder = labels, placeholder
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.rows: list[tuple[QLineEdit, QComboBox, QToolButton, QLabel]] = []

    def add_row(self, value: str = "", label: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        edit.setPlaceholderText(self.placeholder)
        combo = QComboBox()
        combo.addItems(list(self.labels))
        combo.setCurrentText(label if label in self.labels else self.labels[0])
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip("Remove this line")
        error = QLabel()
        error.setWordWrap(True)
        set_field_error(error, "")
        row = len(self.rows) * 2
        self.grid.addWidget(edit, row, 0)
        self.grid.addWidget(combo, row, 1)
        self.grid.addWidget(remove, row, 2)
        self.grid.addWidget(error, row + 1, 0, 1, 3)
        entry = (edit, combo, remove, error)
        self.rows.append(entry)
        remove.clicked.connect(lambda: self._remove(entry))
        edit.textChanged.connect(self.changed)
        return edit

    def _remove(self, entry: tuple[QLineEdit, QComboBox, QToolButton, QLabel]) -> None:
        edit, combo, remove, error = entry
        for widget in entry:
            widget.hide()
        edit.setText("")  # hidden rows count as empty, so they are never saved
        self.rows.remove(entry)
        for widget in entry:
            widget.deleteLater()
        self.changed.emit()

    def values(self) -> list[tuple[str, str]]:
        return [(edit.text(), combo.currentText()) for edit, combo, _r, _e in self.rows]

    def show_errors(self, errors: dict[str, str], prefix: str) -> None:
        """Errors keyed ``phone:<n>`` where n counts the non-empty rows, as Book numbers them."""
        filled = [row for row in self.rows if row[0].text().strip()]
        for _edit, _combo, _remove, error in self.rows:
            set_field_error(error, "")
        for i, (_edit, _combo, _remove, error) in enumerate(filled):
            set_field_error(error, errors.get(f"{prefix}:{i}", ""))
