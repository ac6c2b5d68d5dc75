"""A staff member's weekly working hours and absences, turned into UTC intervals per local day."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from shopfront.core.localtime import (
    Interval,
    first_instant_at_or_after,
    format_time,
    weekday_name,
)
from shopfront.errors import ValidationError


class AbsenceReason(StrEnum):
    SICK = "sick"
    HOLIDAY = "holiday"
    TRAINING = "training"
    OTHER = "other"


@dataclass(frozen=True)
class Absence:
    """Time a staff member can't take bookings (a sick day, a holiday, a course)."""

    staff_id: int
    interval: Interval
    reason: AbsenceReason = AbsenceReason.OTHER
    id: int = 0
    note: str = ""

    def __post_init__(self) -> None:
        # Storage hands over plain strings; an unknown reason fails here, not in a report later.
        object.__setattr__(self, "reason", AbsenceReason(self.reason))


@dataclass(frozen=True)
class Span:
    """One stretch of work on a weekday, in shop-local wall-clock time, within one day."""

    start: time
    end: time

    def __post_init__(self) -> None:
        if self.start.tzinfo is not None or self.end.tzinfo is not None:
            raise ValueError("Working-hour times are shop-local wall-clock times (no zone).")
        if self.end <= self.start:
            raise ValidationError(
                f"Working hours must end after they start ({format_time(self.start)}–"
                f"{format_time(self.end)}).",
                "hours",
            )

    def __str__(self) -> str:
        return f"{format_time(self.start)}–{format_time(self.end)}"


def _as_time(value: time | str) -> time:
    return value if isinstance(value, time) else time.fromisoformat(value)


@dataclass(frozen=True)
class WorkingHours:
    """A staff member's weekly hours: for each weekday (0 = Monday) the spans worked.

    Breaks are the gaps between spans (09:00–13:00 and 14:00–18:00 is a lunch break); a
    weekday without spans is a day off. Spans are sorted and may touch but not overlap.
    """

    days: tuple[tuple[Span, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError(f"WorkingHours needs 7 weekdays, got {len(self.days)}")
        for weekday, spans in enumerate(self.days):
            for before, after in zip(spans, spans[1:], strict=False):
                if after.start < before.end:
                    raise ValidationError(
                        f"{weekday_name(weekday)}: {before} and {after} overlap or are out of "
                        "order.",
                        "hours",
                    )

    @classmethod
    def from_mapping(
        cls, spans: Mapping[int, Iterable[tuple[time | str, time | str]]]
    ) -> WorkingHours:
        """Build from {weekday: [(start, end), ...]}; times may be `time` or 'HH:MM' text."""
        days: list[tuple[Span, ...]] = [() for _ in range(7)]
        for weekday, pairs in spans.items():
            if not 0 <= weekday <= 6:
                raise ValueError(f"weekday must be 0 (Monday) … 6 (Sunday), got {weekday}")
            days[weekday] = tuple(Span(_as_time(start), _as_time(end)) for start, end in pairs)
        return cls(tuple(days))

    def as_mapping(self) -> dict[int, list[tuple[str, str]]]:
        """The inverse of from_mapping with 'HH:MM' text, for storing as JSON."""
        return {
            weekday: [
                (span.start.isoformat("minutes"), span.end.isoformat("minutes")) for span in spans
            ]
            for weekday, spans in enumerate(self.days)
            if spans
        }

    def spans_on(self, weekday: int) -> tuple[Span, ...]:
        return self.days[weekday]

    def describe(self, weekday: int) -> str:
        """'Tuesday 09:00–13:00, 14:00–18:00' or 'Tuesday is a day off'."""
        spans = self.days[weekday]
        if not spans:
            return f"{weekday_name(weekday)} is a day off"
        return f"{weekday_name(weekday)} " + ", ".join(str(span) for span in spans)


def merge_intervals(intervals: Iterable[Interval]) -> list[Interval]:
    """Sort and merge overlapping or touching intervals into disjoint ones."""
    merged: list[Interval] = []
    for interval in sorted(intervals):
        if merged and interval.start <= merged[-1].end:
            if interval.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, interval.end)
        else:
            merged.append(interval)
    return merged


def working_intervals(hours: WorkingHours, day: date, tz: ZoneInfo) -> list[Interval]:
    """The UTC intervals worked on one shop-local day, touching spans merged.

    Wall-clock hours stay the same across DST (09:00–17:00 is 09:00–17:00 local on the change
    day too); a span edge inside a spring-forward gap maps to the moment of the change.
    """
    result: list[Interval] = []
    for span in hours.spans_on(day.weekday()):
        start = first_instant_at_or_after(datetime.combine(day, span.start), tz)
        end = first_instant_at_or_after(datetime.combine(day, span.end), tz)
        if end > start:  # a span lying wholly inside a gap vanishes
            result.append(Interval(start, end))
    return merge_intervals(result)
