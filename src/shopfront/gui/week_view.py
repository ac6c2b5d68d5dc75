"""One staff member's week: seven day columns on the same canvas as the day view."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from shopfront.core.booking import DaySchedule
from shopfront.gui.day_view import ScheduleView, column_subtitle
from shopfront.gui.schedule_geometry import ColumnSpec, TimeAxis

if TYPE_CHECKING:
    from shopfront.book import Book

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_title(day: date) -> str:
    """'Mon 23 Nov'."""
    return f"{_DAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def week_columns(week: list[DaySchedule], today: date) -> list[ColumnSpec]:
    """A column per day; rows are local wall-clock times, so every day lines up (a 23- or
    25-hour day shows its skipped or repeated hour on the same 24 rows)."""
    specs = []
    for schedule in week:
        column = schedule.columns[0]
        axis = TimeAxis(schedule.day, schedule.zone, schedule.bounds, wall_clock=True)
        specs.append(
            ColumnSpec(
                day_title(schedule.day),
                column.staff.colour,
                column.staff.id,
                axis,
                column,
                column_subtitle(column),
                today=schedule.day == today,
            )
        )
    return specs


class WeekView(ScheduleView):
    """Monday to Sunday for one person; drag a block to another day to move it there."""

    empty_text = "Pick a staff member to see their week."

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(book, parent)
        self.staff_id: int | None = None
        self.monday: date | None = None

    def show_week(self, staff_id: int, day: date) -> None:
        fresh = (staff_id, monday_of(day)) != (self.staff_id, self.monday)
        self.staff_id, self.monday = staff_id, monday_of(day)
        self.reload()
        if fresh:
            self.scroll_to_opening()

    def reload(self) -> None:
        if self.staff_id is None or self.monday is None:
            self.set_columns([], self.book.settings.slot_minutes)
            return
        week = self.book.week(self.staff_id, self.monday)
        columns = week_columns(week, self.book.today())
        self.set_columns(columns, self.book.settings.slot_minutes)
