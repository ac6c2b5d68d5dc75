"""Table models for the import wizard: the preview of contacts and the per-row plan."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from shopfront.io.contacts import ImportedContact
from shopfront.usecases.import_plan import CHOICES, OUTCOME_WORDS, ImportPlan, PlannedRow

Index = QModelIndex | QPersistentModelIndex
OUTCOME_COLOURS = {"new": "#1E8449", "duplicate": "#B9770E", "error": "#C0392B", "skip": "#7F8C8D"}


class ContactPreviewModel(QAbstractTableModel):
    """The first rows of a file as they will be imported (after the mapping)."""

    LINE, NAME, PHONES, EMAILS, BIRTHDAY, TAGS, NOTES = range(7)
    HEADERS = ("Line", "Name", "Phones", "Emails", "Birthday", "Tags", "Notes")

    def __init__(self, contacts: list[ImportedContact] | None = None) -> None:
        super().__init__()
        self.contacts = contacts or []

    def set_contacts(self, contacts: list[ImportedContact]) -> None:
        self.beginResetModel()
        self.contacts = contacts
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.contacts)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        c = self.contacts[index.row()]
        column = index.column()
        if column == self.LINE:
            return c.line
        if column == self.NAME:
            return c.name or (f"({c.skip or c.error})" if c.skip or c.error else "")
        if column == self.PHONES:
            return ", ".join(f"{t} ({label})" for t, label in c.phones)
        if column == self.EMAILS:
            return ", ".join(a for a, _ in c.emails)
        if column == self.BIRTHDAY:
            return c.birthday
        if column == self.TAGS:
            return ", ".join(c.tags)
        return c.notes.replace("\n", " ⏎ ")[:80]


class PlanModel(QAbstractTableModel):
    """Every row of the plan; the Choice column of a duplicate is editable."""

    LINE, NAME, OUTCOME, DETAIL, CHOICE = range(5)
    HEADERS = ("Line", "Name", "Outcome", "Why", "Duplicate: do what")

    def __init__(self, plan: ImportPlan | None = None) -> None:
        super().__init__()
        self.plan = plan

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.plan = plan
        self.endResetModel()

    @property
    def rows(self) -> list[PlannedRow]:
        return self.plan.rows if self.plan else []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        editable = index.isValid() and index.column() == self.CHOICE
        if editable and self.rows[index.row()].outcome == "duplicate":
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ForegroundRole and column == self.OUTCOME:
            return QColor(OUTCOME_COLOURS.get(row.outcome, "#000000"))
        if role == Qt.ItemDataRole.UserRole:
            return row
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return None
        if column == self.LINE:
            return row.line
        if column == self.NAME:
            return row.name
        if column == self.OUTCOME:
            return OUTCOME_WORDS.get(row.outcome, row.outcome)
        if column == self.DETAIL:
            if row.outcome == "duplicate":
                return f"Looks like {row.match_label}: {row.reason}"
            return row.reason
        return row.choice if row.outcome == "duplicate" else ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if index.column() != self.CHOICE or value not in CHOICES:
            return False
        row = self.rows[index.row()]
        if row.outcome != "duplicate":
            return False
        row.choice = value
        self.dataChanged.emit(index, index)
        return True

    def set_all_choices(self, choice: str) -> None:
        if self.plan is None:
            return
        self.plan.set_choice(choice)
        if self.rows:
            self.dataChanged.emit(
                self.index(0, self.CHOICE), self.index(len(self.rows) - 1, self.CHOICE)
            )
