"""Repeating appointments ("every 4 weeks at 10:00") expanded at a constant local wall-clock time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopfront.core.localtime import LocalTimeError, format_date, local_to_utc
from shopfront.errors import ValidationError

DEFAULT_LIMIT = 200


class SeriesError(ValidationError, ValueError):
    """A repeat rule that can't be expanded; `field` names the offending parameter."""


@dataclass(frozen=True)
class Occurrence:
    """One visit of a series: its local wall-clock start, and its UTC start when it has one.

    `start` is None and `problem` says why when the local time doesn't name exactly one
    instant (skipped when clocks go forward, or repeated when they go back); such an
    occurrence is reported for the user to decide, never moved.
    """

    index: int
    local_start: datetime
    start: datetime | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.start is not None


def _check_rule(
    first_start_local: datetime, every_weeks: int, until: date | None, count: int | None
) -> None:
    if not isinstance(first_start_local, datetime) or first_start_local.tzinfo is not None:
        raise ValueError(f"first_start_local must be a naive local datetime: {first_start_local!r}")
    if isinstance(every_weeks, bool) or not isinstance(every_weeks, int) or every_weeks < 1:
        raise SeriesError("Repeat every 1 week or more.", "every_weeks")
    if until is not None and count is not None:
        raise SeriesError("Give an end date or a number of visits, not both.", "until")


def _total(first: date, step: timedelta, until: date | None, count: int | None, limit: int) -> int:
    """How many visits the rule asks for, refusing more than `limit`."""
    if count is not None:
        if not 1 <= count <= limit:
            raise SeriesError(f"The number of visits must be between 1 and {limit}.", "count")
        return count
    if until is None:
        raise SeriesError("Give an end date or a number of visits.", "until")
    if until < first:
        raise SeriesError(
            f"The end date is before the first visit ({format_date(first)}).", "until"
        )
    total = (until - first).days // step.days + 1
    if total > limit:
        raise SeriesError(
            f"Until {format_date(until)} that would be {total} visits; the most is {limit}.",
            "until",
        )
    return total


def _occurrence(index: int, local_start: datetime, tz: ZoneInfo) -> Occurrence:
    try:
        return Occurrence(index, local_start, local_to_utc(local_start, tz))
    except LocalTimeError as error:
        return Occurrence(index, local_start, None, str(error))


def expand_series(
    first_start_local: datetime,
    every_weeks: int,
    tz: ZoneInfo,
    until: date | None = None,
    count: int | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[Occurrence]:
    """Every visit of a series starting at `first_start_local` (naive, shop-local).

    Give exactly one of `until` (last local date, inclusive) or `count`; more than `limit`
    visits is refused rather than cut short. The wall-clock time stays the same across DST
    changes (10:00 stays 10:00, so the UTC time moves); occurrences whose local time falls in
    a gap or the repeated hour carry a `problem` instead of a `start`.
    """
    _check_rule(first_start_local, every_weeks, until, count)
    step = timedelta(weeks=every_weeks)
    total = _total(first_start_local.date(), step, until, count, limit)
    # Naive arithmetic adds calendar days and keeps the wall-clock time, which is the point.
    return [_occurrence(n, first_start_local + n * step, tz) for n in range(total)]
