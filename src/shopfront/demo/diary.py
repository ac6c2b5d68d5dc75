"""The demo's appointment diary: each staff member's days as bit masks of 15-minute cells.

A set bit is a taken quarter hour. Finding a free run of n quarters is a few shifts and
ANDs of one Python int, which keeps a five-year, 100,000-customer simulation in seconds.
Times inside the demo are naive UTC datetimes (as stored); days are shop-local dates,
counted from the first day of the diary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

QUARTER = 15
QUARTERS = 24 * 60 // QUARTER
FULL = (1 << QUARTERS) - 1


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def work_mask(spans: list[tuple[str, str]]) -> int:
    """The quarters inside the given working spans ('09:00', '13:00')."""
    mask = 0
    for start, end in spans:
        for q in range(_minute(start) // QUARTER, _minute(end) // QUARTER):
            mask |= 1 << q
    return mask


def runs_of(free: int, n: int) -> int:
    """Bits where a run of at least n free quarters starts."""
    runs, covered = free, 1
    while covered < n:
        step = min(covered, n - covered)
        runs &= runs >> step
        covered += step
    return runs


def nearest_bit(bits: int, wanted: int) -> int:
    """The set bit closest to position `wanted` (later wins a tie); `bits` must be non-zero."""
    above = bits >> wanted
    later = wanted + (above & -above).bit_length() - 1 if above else None
    below = bits & ((1 << wanted) - 1)
    earlier = below.bit_length() - 1 if below else None
    if later is None:
        return earlier  # type: ignore[return-value]
    if earlier is None or later - wanted <= wanted - earlier:
        return later
    return earlier


class Diary:
    """Working hours and taken time for every staff member over a range of local days."""

    def __init__(
        self,
        first_day: date,
        days: int,
        tz: ZoneInfo,
        hours: dict[int, dict[int, list[tuple[str, str]]]],
    ) -> None:
        self.first_day = first_day
        self.days = days
        self.tz = tz
        self.work = {
            sid: [work_mask(week.get(d, [])) for d in range(7)] for sid, week in hours.items()
        }
        self.busy = {sid: [0] * days for sid in hours}
        self._weekday0 = first_day.weekday()
        # The UTC offset at local noon: opening hours never fall in a DST changeover hour.
        self._midnight = [datetime.combine(first_day + timedelta(d), time()) for d in range(days)]
        self._offset = [self._noon_offset(m) for m in self._midnight]

    def _noon_offset(self, midnight: datetime) -> timedelta:
        return (midnight + timedelta(hours=12)).replace(tzinfo=self.tz).utcoffset()  # type: ignore[return-value]

    # days and instants -----------------------------------------------------------------------

    def weekday(self, day: int) -> int:
        return (self._weekday0 + day) % 7

    def instant(self, day: int, minute: int) -> datetime:
        """Naive UTC of a local minute-of-day on a diary day."""
        return self._midnight[day] + timedelta(minutes=minute) - self._offset[day]

    def day_of(self, moment: datetime) -> int:
        """The diary day of a naive UTC instant (may be outside the diary)."""
        guess = min(max((moment - self._midnight[0]).days, 0), self.days - 1)
        local = moment + self._offset[guess]
        return (local.date() - self.first_day).days

    def local_minute(self, moment: datetime, day: int) -> int:
        local = moment + self._offset[min(max(day, 0), self.days - 1)]
        return local.hour * 60 + local.minute

    def day_date(self, day: int) -> date:
        return self.first_day + timedelta(day)

    def bounds(self, first: int, last: int) -> tuple[datetime, datetime]:
        """Naive UTC of local midnight before `first` and after `last` (whole days)."""
        return self._aware_midnight(first), self._aware_midnight(last + 1)

    def _aware_midnight(self, day: int) -> datetime:
        local = datetime.combine(self.first_day + timedelta(day), time()).replace(tzinfo=self.tz)
        return local.astimezone(UTC).replace(tzinfo=None)

    # taking and freeing time ----------------------------------------------------------------

    def works(self, staff_id: int, day: int) -> bool:
        return bool(self.work[staff_id][self.weekday(day)])

    def free(self, staff_id: int, day: int, not_before: int = 0) -> int:
        if not 0 <= day < self.days:
            return 0
        free = self.work[staff_id][self.weekday(day)] & ~self.busy[staff_id][day]
        return free & ~((1 << not_before) - 1) if not_before else free

    def find(self, staff_id: int, day: int, n: int, wanted: int, not_before: int = 0) -> int:
        """The start quarter of a free run of n quarters nearest `wanted`, or -1."""
        free = self.free(staff_id, day, not_before)
        if not free:
            return -1
        runs = runs_of(free, n)
        return nearest_bit(runs, min(wanted, QUARTERS - 1)) if runs else -1

    def fits(self, staff_id: int, day: int, quarter: int, n: int) -> bool:
        mask = ((1 << n) - 1) << quarter
        return self.free(staff_id, day) & mask == mask

    def take(self, staff_id: int, day: int, quarter: int, n: int) -> None:
        self.busy[staff_id][day] |= ((1 << n) - 1) << quarter

    def release(self, staff_id: int, day: int, quarter: int, n: int) -> None:
        self.busy[staff_id][day] &= ~(((1 << n) - 1) << quarter)

    def block(self, staff_id: int, day: int) -> None:
        """The whole day is unavailable (an absence); existing bookings stay where they are."""
        if 0 <= day < self.days:
            self.busy[staff_id][day] = FULL
