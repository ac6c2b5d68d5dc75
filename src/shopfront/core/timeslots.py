"""Booking rules on the time axis: free-slot search, booking warnings and the overlap refusal."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from shopfront.core.localtime import (
    AmbiguousLocalTime,
    Interval,
    IntervalError,
    LocalTimeError,
    NonexistentLocalTime,
    day_bounds_utc,
    format_date,
    format_time,
    local_to_utc,
    require_aware,
    to_local,
    weekday_name,
)
from shopfront.core.workhours import (
    Absence,
    AbsenceReason,
    Span,
    WorkingHours,
    merge_intervals,
    working_intervals,
)

# Re-exported so callers can take every time rule from this one module.
__all__ = [
    "Absence",
    "AbsenceReason",
    "AmbiguousLocalTime",
    "BookingWarning",
    "Interval",
    "IntervalError",
    "LocalTimeError",
    "NonexistentLocalTime",
    "Slot",
    "Span",
    "WarningKind",
    "WorkingHours",
    "check_booking",
    "day_bounds_utc",
    "find_conflict",
    "find_free_slots",
    "local_to_utc",
    "merge_intervals",
    "working_intervals",
]

K = TypeVar("K", bound=Hashable)
MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Slot:
    """A free time a staff member could take a booking of the requested length."""

    staff_id: int
    start: datetime
    end: datetime

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)


class _Sweep:
    """One staff member's blocked time (bookings and absences), merged once and walked forward."""

    def __init__(self, blocked: Iterable[Interval]) -> None:
        self._blocked = merge_intervals(blocked)
        self._next = 0

    def free_parts(self, window: Interval) -> Iterator[tuple[datetime, datetime]]:
        """The unblocked parts of `window`; windows must come in increasing, disjoint order,
        which lets the cursor only move forward (sort + sweep instead of all pairs)."""
        blocked = self._blocked
        while self._next < len(blocked) and blocked[self._next].end <= window.start:
            self._next += 1
        cursor = window.start
        index = self._next
        while index < len(blocked) and blocked[index].start < window.end:
            if blocked[index].start > cursor:
                yield cursor, blocked[index].start
            cursor = max(cursor, blocked[index].end)
            index += 1
        if cursor < window.end:
            yield cursor, window.end


class _DayGrid:
    """The instants of one local day whose wall-clock reading is a multiple of `grid_minutes`
    after midnight, ascending (a repeated fall-back time counts twice). Built on first use,
    since fully booked days never need it."""

    def __init__(self, day: date, tz: ZoneInfo, grid_minutes: int) -> None:
        self._day, self._tz, self._minutes = day, tz, grid_minutes
        self._instants: list[datetime] | None = None

    @property
    def instants(self) -> list[datetime]:
        if self._instants is None:
            self._instants = self._build()
        return self._instants

    def _build(self) -> list[datetime]:
        bounds = day_bounds_utc(self._day, self._tz)
        offset = bounds.start.astimezone(self._tz).utcoffset()
        if (
            bounds.duration == timedelta(days=1)
            and offset == bounds.end.astimezone(self._tz).utcoffset()
        ):
            # The usual day: one offset all day, so the grid is plain arithmetic from midnight.
            step = timedelta(minutes=self._minutes)
            return [bounds.start + n * step for n in range(MINUTES_PER_DAY // self._minutes)]
        instants: set[datetime] = set()
        for minute in range(0, MINUTES_PER_DAY, self._minutes):
            wall = datetime.combine(self._day, time(minute // 60, minute % 60))
            for fold in (0, 1):
                instant = wall.replace(tzinfo=self._tz, fold=fold).astimezone(UTC)
                if to_local(instant, self._tz) == wall:  # drops wall times skipped by a gap
                    instants.add(instant)
        return sorted(instants)


def _check_search(
    duration: timedelta, start_from: datetime, grid_minutes: int, count: int, horizon_days: int
) -> None:
    require_aware(start_from, "start_from")
    if duration <= timedelta(0):
        raise ValueError(f"duration must be positive, got {duration}")
    if not 1 <= grid_minutes <= MINUTES_PER_DAY or MINUTES_PER_DAY % grid_minutes:
        # A divisor of a day keeps every day's grid starting at midnight.
        raise ValueError(f"grid_minutes must divide 1440 (5, 10, 15, 30 …), got {grid_minutes}")
    if count < 1 or horizon_days < 1:
        raise ValueError(f"count and horizon_days must be at least 1, got {count}, {horizon_days}")


def _slots_on_day(
    staff_id: int,
    windows: list[Interval],
    sweep: _Sweep,
    grid: _DayGrid,
    duration: timedelta,
    not_before: datetime,
    limit: int,
) -> list[Slot]:
    slots: list[Slot] = []
    for window in windows:
        for free_start, free_end in sweep.free_parts(window):
            earliest = max(free_start, not_before)
            if free_end - earliest < duration:
                continue
            instants = grid.instants
            index = bisect_left(instants, earliest)
            while index < len(instants) and instants[index] + duration <= free_end:
                slots.append(Slot(staff_id, instants[index], instants[index] + duration))
                if len(slots) >= limit:
                    return slots
                index += 1
    return slots


def find_free_slots(
    duration: timedelta,
    candidates: Sequence[int],
    hours_by_staff: Mapping[int, WorkingHours],
    absences_by_staff: Mapping[int, Sequence[Absence]],
    busy_by_staff: Mapping[int, Sequence[Interval]],
    start_from: datetime,
    tz: ZoneInfo,
    grid_minutes: int = 15,
    count: int = 5,
    horizon_days: int = 60,
) -> list[Slot]:
    """The next `count` free slots of `duration` among `candidates`, soonest first.

    A slot lies wholly inside working hours (never across a break), outside absences and
    `busy` (the staff member's *active* appointments), starts on the shop-local grid
    (minutes after local midnight divisible by `grid_minutes`) and not before `start_from`.
    Days searched: the local date of `start_from` and the `horizon_days - 1` after it.
    Equal starts are ordered by position in `candidates`, so list the preferred person (the
    customer's owner) first. Staff without an entry in `hours_by_staff` get no slots.
    """
    _check_search(duration, start_from, grid_minutes, count, horizon_days)
    start_from = start_from.astimezone(UTC)  # compare instants, never wall-clock readings
    staff = [sid for sid in dict.fromkeys(candidates) if sid in hours_by_staff]
    sweeps = {
        sid: _Sweep(
            [*busy_by_staff.get(sid, ()), *(a.interval for a in absences_by_staff.get(sid, ()))]
        )
        for sid in staff
    }
    found: list[tuple[datetime, int, Slot]] = []
    taken = dict.fromkeys(staff, 0)
    first_day = start_from.astimezone(tz).date()
    for offset in range(horizon_days):
        day = first_day + timedelta(days=offset)
        grid = _DayGrid(day, tz, grid_minutes)
        for rank, sid in enumerate(staff):
            # Once someone has `count` slots, their later ones can never make the cut.
            if taken[sid] >= count:
                continue
            windows = working_intervals(hours_by_staff[sid], day, tz)
            day_slots = _slots_on_day(
                sid, windows, sweeps[sid], grid, duration, start_from, count - taken[sid]
            )
            taken[sid] += len(day_slots)
            found.extend((slot.start, rank, slot) for slot in day_slots)
        # Later days only hold later starts, so a full day's harvest ends the search.
        if len(found) >= count:
            break
    found.sort(key=lambda item: (item[0], item[1]))
    return [slot for _, _, slot in found[:count]]


def _local_days(interval: Interval, tz: ZoneInfo) -> list[date]:
    """Every shop-local date the interval touches."""
    first = interval.start.astimezone(tz).date()
    # The end is exclusive, so an interval ending at midnight doesn't touch the next day.
    last = (interval.end - timedelta(microseconds=1)).astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


class WarningKind(StrEnum):
    ABSENCE = "absence"
    OUTSIDE_HOURS = "outside_hours"
    PAST = "past"
    TOO_EARLY = "too_early"  # a status (arrived, no-show) set before its time
    DEPOSIT = "deposit"  # the customer is flagged "deposit required" (no-show policy)


@dataclass(frozen=True)
class BookingWarning:
    """Something wrong with a booking that staff may still accept with an explicit override."""

    kind: WarningKind
    message: str
    absence: Absence | None = None

    def __str__(self) -> str:
        return self.message


def _describe_instant(instant: datetime, tz: ZoneInfo) -> str:
    local = instant.astimezone(tz)
    return f"{weekday_name(local.weekday())} {format_date(local.date())} {format_time(local)}"


def _absence_warnings(
    interval: Interval, staff_id: int, absences: Iterable[Absence], tz: ZoneInfo
) -> list[BookingWarning]:
    hits = [a for a in absences if a.staff_id == staff_id and a.interval.overlaps(interval)]
    return [
        BookingWarning(
            WarningKind.ABSENCE,
            f"During an absence ({absence.reason}) from "
            f"{_describe_instant(absence.interval.start, tz)} to "
            f"{_describe_instant(absence.interval.end, tz)}.",
            absence,
        )
        for absence in sorted(hits, key=lambda a: a.interval.start)
    ]


def _hours_warning(interval: Interval, hours: WorkingHours, tz: ZoneInfo) -> BookingWarning | None:
    days = _local_days(interval, tz)
    worked = merge_intervals(iv for day in days for iv in working_intervals(hours, day, tz))
    if any(block.contains(interval) for block in worked):
        return None
    described = "; ".join(hours.describe(day.weekday()) for day in days)
    return BookingWarning(WarningKind.OUTSIDE_HOURS, f"Outside working hours ({described}).")


def check_booking(
    interval: Interval,
    staff_id: int,
    hours: WorkingHours | None,
    absences: Iterable[Absence],
    now: datetime,
    tz: ZoneInfo,
) -> list[BookingWarning]:
    """Soft problems with booking `staff_id` for `interval`, most serious first.

    Each needs an explicit override by the caller; an empty list means book away. `hours=None`
    means the staff member has no hours set up, so nothing is checked against them. Overlaps
    with other appointments are not warnings: use find_conflict, which refuses.
    """
    require_aware(now, "now")
    warnings = _absence_warnings(interval, staff_id, absences, tz)
    if hours is not None and (outside := _hours_warning(interval, hours, tz)) is not None:
        warnings.append(outside)
    if interval.start < now:
        warnings.append(
            BookingWarning(
                WarningKind.PAST, f"Starts in the past ({_describe_instant(interval.start, tz)})."
            )
        )
    return warnings


def find_conflict(
    interval: Interval, busy_with_ids: Iterable[tuple[K, Interval]], exclude: K | None = None
) -> K | None:
    """The id of the earliest busy interval overlapping `interval`, or None if it's free.

    `busy_with_ids` holds (appointment id, interval) of the staff member's *active*
    appointments; pass the appointment being moved or resized as `exclude`.
    """
    best: tuple[datetime, K] | None = None
    for key, busy in busy_with_ids:
        if exclude is not None and key == exclude:
            continue
        if busy.overlaps(interval) and (best is None or busy.start < best[0]):
            best = (busy.start, key)
    return None if best is None else best[1]
