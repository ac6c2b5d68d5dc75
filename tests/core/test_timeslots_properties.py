"""Property tests: bookings through find_conflict never overlap; free slots are really free."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from shopfront.core.timeslots import (
    Absence,
    Interval,
    Slot,
    WorkingHours,
    day_bounds_utc,
    find_conflict,
    find_free_slots,
    working_intervals,
)

BASE = datetime(2026, 3, 27, tzinfo=UTC)
ZONES = [ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York"), ZoneInfo("UTC")]
# Days right before spring-forward and fall-back nights in both zones, and an ordinary one.
FIRST_DAYS = [
    date(2026, 3, 28),
    date(2026, 3, 7),
    date(2026, 10, 24),
    date(2026, 10, 31),
    date(2026, 6, 1),
]
GRIDS = [5, 10, 15, 20, 30, 45, 60, 90]

# -- property 1: book / move / resize / cancel through find_conflict --------------------------

staff_ids = st.integers(1, 2)
index = st.integers(0, 40)
start_5min = st.integers(0, 12 * 24)  # a 24-hour board in 5-minute steps
length_5min = st.integers(1, 36)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("book"), staff_ids, start_5min, length_5min),
        st.tuples(st.just("move"), index, start_5min, st.just(0)),
        st.tuples(st.just("resize"), index, length_5min, st.just(0)),
        st.tuples(st.just("cancel"), index, st.just(0), st.just(0)),
    ),
    max_size=80,
)


def at(steps: int) -> datetime:
    return BASE + timedelta(minutes=5 * steps)


class Board:
    """A minimal appointment book that only ever changes after find_conflict says yes."""

    def __init__(self) -> None:
        self.active: dict[int, tuple[int, Interval]] = {}
        self.next_id = 1

    def busy(self, staff: int) -> list[tuple[int, Interval]]:
        return [(key, iv) for key, (sid, iv) in self.active.items() if sid == staff]

    def attempt(self, key: int | None, staff: int, wanted: Interval) -> None:
        clash = find_conflict(wanted, self.busy(staff), exclude=key)
        really_free = all(not iv.overlaps(wanted) for other, iv in self.busy(staff) if other != key)
        assert (clash is None) == really_free
        if clash is not None:
            assert self.active[clash][0] == staff and self.active[clash][1].overlaps(wanted)
            return
        if key is None:
            key, self.next_id = self.next_id, self.next_id + 1
        self.active[key] = (staff, wanted)

    def pick(self, n: int) -> int | None:
        keys = sorted(self.active)
        return keys[n % len(keys)] if keys else None

    def apply(self, op: tuple[str, int, int, int]) -> None:
        kind, a, b, c = op
        if kind == "book":
            self.attempt(None, a, Interval(at(b), at(b + c)))
            return
        key = self.pick(a)
        if key is None:
            return
        staff, current = self.active[key]
        if kind == "cancel":
            del self.active[key]
        elif kind == "move":
            self.attempt(key, staff, Interval(at(b), at(b) + current.duration))
        else:
            self.attempt(
                key, staff, Interval(current.start, current.start + timedelta(minutes=5 * b))
            )


@given(operations)
def test_bookings_through_find_conflict_never_overlap(ops: list[tuple[str, int, int, int]]) -> None:
    board = Board()
    for op in ops:
        board.apply(op)
        for staff in (1, 2):
            intervals = sorted(iv for _, iv in board.busy(staff))
            for before, after in zip(intervals, intervals[1:], strict=False):
                assert before.end <= after.start


# -- property 2: every free slot is free, and none is missed ---------------------------------

quarter = st.integers(0, 96).map(lambda q: q * 15)


@st.composite
def weekly_hours(draw: st.DrawFn) -> WorkingHours:
    days = []
    for _ in range(7):
        edges = sorted(set(draw(st.lists(st.integers(0, 287), max_size=4))))
        edges = edges[: len(edges) // 2 * 2]
        days.append(
            [
                (f"{e // 12:02d}:{e % 12 * 5:02d}", f"{f // 12:02d}:{f % 12 * 5:02d}")
                for e, f in zip(edges[::2], edges[1::2], strict=True)
            ]
        )
    return WorkingHours.from_mapping(dict(enumerate(days)))


@st.composite
def blocks(draw: st.DrawFn, start: datetime, max_size: int) -> list[Interval]:
    result = []
    for offset, length in draw(
        st.lists(st.tuples(st.integers(0, 4 * 24 * 60), st.integers(5, 300)), max_size=max_size)
    ):
        begin = start + timedelta(minutes=offset)
        result.append(Interval(begin, begin + timedelta(minutes=length)))
    return result


@st.composite
def searches(draw: st.DrawFn) -> dict:
    tz = draw(st.sampled_from(ZONES))
    first_day = draw(st.sampled_from(FIRST_DAYS))
    day_start = day_bounds_utc(first_day, tz).start
    staff = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    hours = {sid: draw(weekly_hours()) for sid in set(staff) if sid != 4}  # 4 has no hours
    return {
        "duration": timedelta(minutes=draw(st.integers(1, 240))),
        "candidates": staff,
        "hours_by_staff": hours,
        "absences_by_staff": {
            sid: [Absence(sid, iv, "sick") for iv in draw(blocks(day_start, 2))] for sid in hours
        },
        "busy_by_staff": {sid: draw(blocks(day_start, 12)) for sid in hours},
        "start_from": day_start + timedelta(seconds=draw(st.integers(0, 2 * 24 * 3600))),
        "tz": tz,
        "grid_minutes": draw(st.sampled_from(GRIDS)),
        "count": draw(st.integers(1, 8)),
        "horizon_days": draw(st.integers(1, 3)),
    }


def on_grid(instant: datetime, tz: ZoneInfo, grid: int) -> bool:
    local = instant.astimezone(tz)
    return (
        local.second == 0
        and local.microsecond == 0
        and (local.hour * 60 + local.minute) % grid == 0
    )


def is_free(slot: Slot, search: dict) -> bool:
    tz, sid = search["tz"], slot.staff_id
    wanted = slot.interval
    day = slot.start.astimezone(tz).date()
    return (
        slot.start >= search["start_from"]
        and any(
            iv.contains(wanted) for iv in working_intervals(search["hours_by_staff"][sid], day, tz)
        )
        and not any(a.interval.overlaps(wanted) for a in search["absences_by_staff"][sid])
        and not any(iv.overlaps(wanted) for iv in search["busy_by_staff"][sid])
    )


def brute_force(search: dict) -> list[Slot]:
    """Try every 5 minutes of the horizon: slow, obviously right. (Every grid here is a
    multiple of 5 minutes and every zone's offset a whole hour, so no grid instant is missed.)"""
    tz = search["tz"]
    first = search["start_from"].astimezone(tz).date()
    moment = day_bounds_utc(first, tz).start
    end = day_bounds_utc(first + timedelta(days=search["horizon_days"] - 1), tz).end
    staff = [s for s in dict.fromkeys(search["candidates"]) if s in search["hours_by_staff"]]
    found: list[tuple[datetime, int, Slot]] = []
    while moment < end:
        if on_grid(moment, tz, search["grid_minutes"]):
            for rank, sid in enumerate(staff):
                slot = Slot(sid, moment, moment + search["duration"])
                if is_free(slot, search):
                    found.append((moment, rank, slot))
        moment += timedelta(minutes=5)
    return [slot for _, _, slot in sorted(found, key=lambda f: f[:2])][: search["count"]]


@settings(max_examples=150, deadline=None)
@given(searches())
def test_free_slots_are_free_on_grid_and_complete(search: dict) -> None:
    slots = find_free_slots(**search)
    assert len(slots) <= search["count"]
    for slot in slots:
        assert slot.end - slot.start == search["duration"]
        assert on_grid(slot.start, search["tz"], search["grid_minutes"])
        assert is_free(slot, search)
    assert [s.start for s in slots] == sorted(s.start for s in slots)
    assert slots == brute_force(search)
