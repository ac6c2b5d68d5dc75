"""Shop-local wall-clock time versus UTC instants: conversions that never guess, and intervals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from shopfront.errors import ShopfrontError

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def format_date(day: date) -> str:
    """'29 March 2026': locale-independent, so messages read the same on every desk."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_time(moment: time | datetime) -> str:
    """'09:05' (24-hour clock)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def weekday_name(weekday: int) -> str:
    """'Monday' for 0 … 'Sunday' for 6."""
    return _WEEKDAYS[weekday]


def zone_name(tz: ZoneInfo) -> str:
    """The IANA key ('Europe/Berlin') for messages."""
    return getattr(tz, "key", None) or str(tz)


def require_aware(value: datetime, name: str) -> None:
    """Refuse naive datetimes where an instant is meant (a programming error, not user input)."""
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a time-zone aware datetime, got {value!r}")


def to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    """The naive shop-local wall-clock reading of an aware instant."""
    return instant.astimezone(tz).replace(tzinfo=None)


class IntervalError(ShopfrontError, ValueError):
    """An interval that ends at or before its start."""


@dataclass(frozen=True, order=True)
class Interval:
    """A half-open span of time [start, end); both ends are stored as aware UTC datetimes.

    Intervals sort by start, then end.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        require_aware(self.start, "start")
        require_aware(self.end, "end")
        # Normalising to UTC makes repr, equality and hashing independent of the zone passed in.
        object.__setattr__(self, "start", self.start.astimezone(UTC))
        object.__setattr__(self, "end", self.end.astimezone(UTC))
        if self.end <= self.start:
            raise IntervalError("The end must be after the start.")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        """True if the two share any time; touching ends (10:00–11:00, 11:00–12:00) don't."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        """True if `other` lies entirely within this interval."""
        return self.start <= other.start and other.end <= self.end


class LocalTimeError(ShopfrontError, ValueError):
    """A shop-local wall-clock time that doesn't name exactly one instant."""

    def __init__(self, message: str, local: datetime, tz: ZoneInfo) -> None:
        super().__init__(message)
        self.local = local
        self.tz = tz


class NonexistentLocalTime(LocalTimeError):
    """The wall-clock time is skipped when clocks go forward; `suggestion` is the same instant
    read on the new offset (02:30 → 03:30), offered to the user, never applied silently."""

    def __init__(self, local: datetime, tz: ZoneInfo, suggestion: datetime) -> None:
        message = (
            f"{format_time(local)} doesn't exist on {format_date(local.date())} in "
            f"{zone_name(tz)} (clocks go forward); choose {format_time(suggestion)}."
        )
        super().__init__(message, local, tz)
        self.suggestion = suggestion


class AmbiguousLocalTime(LocalTimeError):
    """The wall-clock time happens twice when clocks go back; `earlier` and `later` are the
    two UTC instants, one of which the user must pick (then pass `fold=0` or `fold=1`)."""

    def __init__(self, local: datetime, tz: ZoneInfo, earlier: datetime, later: datetime) -> None:
        first, second = earlier.astimezone(tz).tzname(), later.astimezone(tz).tzname()
        message = (
            f"{format_time(local)} happens twice on {format_date(local.date())} in "
            f"{zone_name(tz)} (clocks go back); choose {format_time(local)} {first} "
            f"(the first) or {format_time(local)} {second} (the second)."
        )
        super().__init__(message, local, tz)
        self.earlier = earlier
        self.later = later


def _require_naive(value: datetime, name: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is not None:
        raise ValueError(f"{name} must be a naive shop-local datetime, got {value!r}")


def local_to_utc(naive_local: datetime, tz: ZoneInfo, fold: int | None = None) -> datetime:
    """Convert a shop-local wall-clock time to an aware UTC instant.

    Raises NonexistentLocalTime in a spring-forward gap and AmbiguousLocalTime in a fall-back
    hour unless `fold` (0 = first occurrence, 1 = second) is given; `fold` is ignored for
    times that aren't ambiguous. Never shifts a time on its own.
    """
    _require_naive(naive_local, "naive_local")
    if fold not in (None, 0, 1):
        raise ValueError(f"fold must be None, 0 or 1, got {fold!r}")
    # PEP 495: fold=0 reads the time on the offset before a transition, fold=1 after it.
    earlier = naive_local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    later = naive_local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if to_local(earlier, tz) != naive_local:
        raise NonexistentLocalTime(naive_local, tz, suggestion=to_local(earlier, tz))
    if earlier == later:
        return earlier
    if fold is None:
        raise AmbiguousLocalTime(naive_local, tz, earlier, later)
    return later if fold else earlier


def first_instant_at_or_after(naive_local: datetime, tz: ZoneInfo) -> datetime:
    """The first UTC instant whose local reading is at or after `naive_local`.

    For recurring boundaries (midnight, working-hour starts and ends) that must map somewhere:
    an ambiguous time gives its first occurrence, a time in a gap gives the transition itself
    (02:30 on the spring-forward night → the moment the clock shows 03:00).
    """
    _require_naive(naive_local, "naive_local")
    earlier = naive_local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if to_local(earlier, tz) == naive_local:
        return earlier
    # In a gap the transition lies between the two readings; zone transitions fall on whole
    # seconds, so a bisection over seconds finds it exactly.
    low = int(naive_local.replace(tzinfo=tz, fold=1).timestamp())
    high = int(earlier.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if to_local(datetime.fromtimestamp(middle, UTC), tz) >= naive_local:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def day_bounds_utc(day: date, tz: ZoneInfo) -> Interval:
    """The UTC interval of one shop-local calendar day (23 or 25 hours across a DST change)."""
    start = first_instant_at_or_after(datetime.combine(day, time()), tz)
    end = first_instant_at_or_after(datetime.combine(day + timedelta(days=1), time()), tz)
    return Interval(start, end)
