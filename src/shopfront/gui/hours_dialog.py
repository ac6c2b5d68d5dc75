"""Weekly working hours for one staff member: up to two spans a day (a break between), or off."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.localtime import weekday_name
from shopfront.core.workhours import WorkingHours
from shopfront.errors import ValidationError
from shopfront.gui.errors import set_field_error, show_error

Spans = list[tuple[time, time]]
SUGGESTED = {day: [(time(9), time(17))] for day in range(6)}  # Monday–Saturday, Sunday off


def _time_edit(value: time) -> QTimeEdit:
    edit = QTimeEdit(QTime(value.hour, value.minute))
    edit.setDisplayFormat("HH:mm")
    return edit


class DayRow:
    """One weekday's widgets: works?, first span, "break, then" second span, its error."""

    def __init__(self, weekday: int, spans: Spans):
        self.weekday = weekday
        first = spans[0] if spans else (time(9), time(17))
        second = spans[1] if len(spans) > 1 else (time(14), time(18))
        self.works = QCheckBox(weekday_name(weekday))
        self.works.setChecked(bool(spans))
        self.start1, self.end1 = _time_edit(first[0]), _time_edit(first[1])
        self.split = QCheckBox("break, then")
        self.split.setChecked(len(spans) > 1)
        self.start2, self.end2 = _time_edit(second[0]), _time_edit(second[1])
        self.dash1, self.dash2 = QLabel("–"), QLabel("–")
        self.off = QLabel("day off")
        self.off.setEnabled(False)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        set_field_error(self.error, "")
        self.works.toggled.connect(self.update)
        self.split.toggled.connect(self.update)

    def place(self, grid: QGridLayout, row: int) -> None:
        grid.addWidget(self.works, row, 0)
        grid.addWidget(self.off, row, 1, 1, 2)
        for column, widget in enumerate(
            (self.start1, self.dash1, self.end1, self.split, self.start2, self.dash2, self.end2),
            start=1,
        ):
            grid.addWidget(widget, row, column)
        grid.addWidget(self.error, row + 1, 1, 1, 7)
        self.update()

    def update(self) -> None:
        works, split = self.works.isChecked(), self.split.isChecked()
        self.off.setVisible(not works)
        for widget in (self.start1, self.dash1, self.end1, self.split):
            widget.setVisible(works)
        for widget in (self.start2, self.dash2, self.end2):
            widget.setVisible(works and split)

    def spans(self) -> Spans:
        if not self.works.isChecked():
            return []
        spans = [(self.start1.time().toPython(), self.end1.time().toPython())]
        if self.split.isChecked():
            spans.append((self.start2.time().toPython(), self.end2.time().toPython()))
        return spans

    def set_spans(self, spans: Spans) -> None:
        self.works.setChecked(bool(spans))
        self.split.setChecked(len(spans) > 1)
        for (start, end), (a, b) in zip(
            spans, ((self.start1, self.end1), (self.start2, self.end2)), strict=False
        ):
            a.setTime(QTime(start.hour, start.minute))
            b.setTime(QTime(end.hour, end.minute))


class HoursDialog(QDialog):
    """Use ``HoursDialog.ask(parent, book, staff_id)`` -> True when the hours were saved."""

    def __init__(self, book: Book, staff_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.staff_id = book, staff_id
        name = book.get_staff(staff_id).name
        self.setWindowTitle(f"Working hours — {name}")
        current = book.working_hours(staff_id)
        spans = current_spans(current) if current else SUGGESTED
        self.rows = [DayRow(day, spans.get(day, [])) for day in range(7)]
        self._build(name, current is None)

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, staff_id: int) -> bool:
        return cls(book, staff_id, parent).exec() == QDialog.DialogCode.Accepted

    def _build(self, name: str, suggested: bool) -> None:
        self.hint = hint = QLabel(
            f"When {name} works each week. A gap between two spans is a break (lunch). "
            "Bookings outside these hours are only made after a warning."
            + (
                "\n\nNo hours are set yet: these are suggestions until you save."
                if suggested
                else ""
            )
        )
        hint.setWordWrap(True)
        hint.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        grid = QGridLayout()
        layout.addLayout(grid)  # first, so the rows' widgets have a parent before showing
        grid.setColumnStretch(8, 1)
        for row in self.rows:
            row.place(grid, row.weekday * 2)
        copy = QPushButton("&Copy Monday to Tuesday–Friday")
        copy.setAutoDefault(False)
        copy.clicked.connect(self.copy_monday)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_field_error(self.error, "")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        copy_row = QHBoxLayout()
        copy_row.addWidget(copy)
        copy_row.addStretch()
        layout.addLayout(copy_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def copy_monday(self) -> None:
        monday = self.rows[0].spans()
        for row in self.rows[1:5]:
            row.set_spans(monday)

    def hours(self) -> WorkingHours:
        """The hours as shown; ValidationError with each bad weekday's message keyed by day."""
        errors: dict[str, str] = {}
        for row in self.rows:
            try:
                WorkingHours.from_mapping({row.weekday: row.spans()})
            except ValidationError as exc:
                errors[str(row.weekday)] = str(exc)
        if errors:
            raise ValidationError.from_errors(errors)
        return WorkingHours.from_mapping({row.weekday: row.spans() for row in self.rows})

    def save(self) -> None:
        try:
            hours = self.hours()
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return
        self.show_errors({})
        try:
            self.book.set_working_hours(self.staff_id, hours)
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def show_errors(self, errors: dict[str, str]) -> None:
        for row in self.rows:
            set_field_error(row.error, errors.get(str(row.weekday), ""))
        count = len(errors)
        set_field_error(
            self.error,
            f"Nothing was saved: {count} day{'s' * (count > 1)} need attention." if errors else "",
        )


def current_spans(hours: WorkingHours) -> dict[int, Spans]:
    return {day: [(s.start, s.end) for s in hours.spans_on(day)] for day in range(7)}
