"""Working hours, free-slot search, booking warnings and overlap refusal (pinned dates only)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopfront.core.timeslots import (
    Absence,
    AbsenceReason,
    Interval,
    Slot,
    WarningKind,
    WorkingHours,
    check_booking,
    find_conflict,
    find_free_slots,
    merge_intervals,
    working_intervals,
)
from shopfront.errors import ValidationError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2026, 6, 1)  # Berlin is on CEST (UTC+2) all week
WEEKDAYS_WITH_LUNCH = WorkingHours.from_mapping(
    {d: [("09:00", "13:00"), ("14:00", "18:00")] for d in range(5)}
)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def local_starts(slots: list[Slot], tz: ZoneInfo = BERLIN) -> list[str]:
    return [f"{s.staff_id}@{s.start.astimezone(tz):%a %H:%M}" for s in slots]


def every_day(*spans: tuple[str, str]) -> WorkingHours:
    return WorkingHours.from_mapping({d: list(spans) for d in range(7)})


# -- WorkingHours ---------------------------------------------------------------------------


def test_working_hours_round_trip_and_describe() -> None:
    hours = WEEKDAYS_WITH_LUNCH
    assert WorkingHours.from_mapping(hours.as_mapping()) == hours
    assert hours.as_mapping()[0] == [("09:00", "13:00"), ("14:00", "18:00")]
    assert 6 not in hours.as_mapping()
    assert hours.describe(1) == "Tuesday 09:00–13:00, 14:00–18:00"
    assert hours.describe(6) == "Sunday is a day off"
    assert WorkingHours.from_mapping({0: [(time(9), time(17))]}).spans_on(0)[0].end == time(17)


@pytest.mark.parametrize(
    "spans",
    [
        {0: [("10:00", "09:00")]},
        {0: [("09:00", "09:00")]},
        {0: [("09:00", "13:00"), ("12:00", "18:00")]},
        {0: [("14:00", "18:00"), ("09:00", "13:00")]},
    ],
)
def test_bad_working_hours_are_refused(spans: dict[int, list[tuple[str, str]]]) -> None:
    with pytest.raises(ValidationError) as caught:
        WorkingHours.from_mapping(spans)
    assert caught.value.field == "hours"


def test_working_hours_shape_is_checked() -> None:
    with pytest.raises(ValueError):
        WorkingHours.from_mapping({7: [("09:00", "10:00")]})
    with pytest.raises(ValueError):
        WorkingHours(((),) * 6)


def test_working_intervals_ordinary_day_and_touching_spans() -> None:
    assert working_intervals(WEEKDAYS_WITH_LUNCH, MONDAY, BERLIN) == [
        Interval(utc(2026, 6, 1, 7), utc(2026, 6, 1, 11)),
        Interval(utc(2026, 6, 1, 12), utc(2026, 6, 1, 16)),
    ]
    touching = WorkingHours.from_mapping({0: [("09:00", "13:00"), ("13:00", "18:00")]})
    assert working_intervals(touching, MONDAY, BERLIN) == [
        Interval(utc(2026, 6, 1, 7), utc(2026, 6, 1, 16))
    ]
    assert working_intervals(WEEKDAYS_WITH_LUNCH, date(2026, 6, 7), BERLIN) == []


@pytest.mark.parametrize(
    ("tz", "day", "span", "expected"),
    [
        # Same wall clock on both sides of the change; the UTC time moves by an hour.
        (BERLIN, date(2026, 3, 28), ("09:00", "17:00"), (utc(2026, 3, 28, 8), 8)),
        (BERLIN, date(2026, 3, 29), ("09:00", "17:00"), (utc(2026, 3, 29, 7), 8)),
        (NEW_YORK, date(2026, 11, 1), ("09:00", "17:00"), (utc(2026, 11, 1, 14), 8)),
        # Night spans across the change really last 2 h and 4 h.
        (BERLIN, date(2026, 3, 29), ("01:00", "04:00"), (utc(2026, 3, 29, 0), 2)),
        (BERLIN, date(2026, 10, 25), ("01:00", "04:00"), (utc(2026, 10, 24, 23), 4)),
        (NEW_YORK, date(2026, 3, 8), ("01:00", "04:00"), (utc(2026, 3, 8, 6), 2)),
        # An edge inside the gap maps to the moment of the change (03:00 CEST).
        (BERLIN, date(2026, 3, 29), ("02:30", "05:00"), (utc(2026, 3, 29, 1), 2)),
    ],
)
def test_working_intervals_keep_wall_clock_across_dst(
    tz: ZoneInfo, day: date, span: tuple[str, str], expected: tuple[datetime, int]
) -> None:
    (interval,) = working_intervals(every_day(span), day, tz)
    assert (interval.start, interval.duration) == (expected[0], timedelta(hours=expected[1]))


def test_span_wholly_inside_the_gap_vanishes() -> None:
    assert working_intervals(every_day(("02:15", "02:45")), date(2026, 3, 29), BERLIN) == []


def test_merge_intervals() -> None:
    a = Interval(utc(2026, 6, 1, 9), utc(2026, 6, 1, 10))
    b = Interval(utc(2026, 6, 1, 10), utc(2026, 6, 1, 11))
    c = Interval(utc(2026, 6, 1, 9, 30), utc(2026, 6, 1, 9, 45))
    d = Interval(utc(2026, 6, 1, 12), utc(2026, 6, 1, 13))
    assert merge_intervals([d, c, b, a]) == [Interval(a.start, b.end), d]


def test_absence_reason_from_storage_text() -> None:
    interval = Interval(utc(2026, 6, 1), utc(2026, 6, 2))
    assert Absence(1, interval, "sick").reason is AbsenceReason.SICK  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Absence(1, interval, "hangover")  # type: ignore[arg-type]


# -- find_free_slots ------------------------------------------------------------------------


def search(start_from: datetime, **kwargs: object) -> list[Slot]:
    options: dict = {
        "duration": timedelta(hours=1),
        "candidates": [1],
        "hours_by_staff": {1: WEEKDAYS_WITH_LUNCH, 2: WEEKDAYS_WITH_LUNCH},
        "absences_by_staff": {},
        "busy_by_staff": {},
        "start_from": start_from,
        "tz": BERLIN,
    }
    options.update(kwargs)
    return find_free_slots(**options)


def test_first_slots_of_the_day_on_the_grid() -> None:
    slots = search(berlin(2026, 6, 1, 8, 0))
    assert local_starts(slots) == [
        f"1@Mon {t}" for t in ("09:00", "09:15", "09:30", "09:45", "10:00")
    ]
    assert all(s.end - s.start == timedelta(hours=1) for s in slots)


def test_start_from_off_grid_rounds_up() -> None:
    assert local_starts(search(berlin(2026, 6, 1, 10, 7), count=1)) == ["1@Mon 10:15"]
    assert local_starts(search(berlin(2026, 6, 1, 10, 15), count=1)) == ["1@Mon 10:15"]


def test_slots_never_cross_a_break() -> None:
    slots = search(berlin(2026, 6, 1, 11, 50), count=3)
    assert local_starts(slots) == ["1@Mon 12:00", "1@Mon 14:00", "1@Mon 14:15"]


def test_busy_and_absence_block_but_touching_is_fine() -> None:
    busy = {1: [Interval(berlin(2026, 6, 1, 9, 0), berlin(2026, 6, 1, 10, 30))]}
    absences = {1: [Absence(1, Interval(berlin(2026, 6, 1, 14), berlin(2026, 6, 3)), "sick")]}
    slots = search(berlin(2026, 6, 1, 8), busy_by_staff=busy, absences_by_staff=absences, count=8)
    morning = ["10:30", "10:45", "11:00", "11:15", "11:30", "11:45", "12:00"]
    assert local_starts(slots) == [f"1@Mon {t}" for t in morning] + ["1@Wed 09:00"]


def test_equal_starts_follow_candidate_order() -> None:
    slots = search(berlin(2026, 6, 1, 8), candidates=[2, 1, 2], count=4)
    assert local_starts(slots) == ["2@Mon 09:00", "1@Mon 09:00", "2@Mon 09:15", "1@Mon 09:15"]


def test_a_booked_up_staff_member_leaves_room_for_others() -> None:
    busy = {1: [Interval(berlin(2026, 6, 1, 9), berlin(2026, 6, 1, 18))]}
    slots = search(berlin(2026, 6, 1, 8), candidates=[1, 2], busy_by_staff=busy, count=2)
    assert local_starts(slots) == ["2@Mon 09:00", "2@Mon 09:15"]


def test_staff_without_hours_and_empty_horizon() -> None:
    assert search(berlin(2026, 6, 1, 8), candidates=[9]) == []
    saturday = berlin(2026, 6, 6, 8)
    assert search(saturday, horizon_days=2) == []
    assert local_starts(search(saturday, horizon_days=3, count=1)) == ["1@Mon 09:00"]


def test_coarse_grid_counts_from_local_midnight() -> None:
    slots = search(berlin(2026, 6, 1, 8), grid_minutes=45, duration=timedelta(minutes=30), count=3)
    assert local_starts(slots) == ["1@Mon 09:00", "1@Mon 09:45", "1@Mon 10:30"]


def test_grid_on_the_spring_forward_night() -> None:
    slots = search(
        berlin(2026, 3, 29, 1, 0),
        hours_by_staff={1: every_day(("00:00", "06:00"))},
        duration=timedelta(minutes=30),
        grid_minutes=30,
        count=4,
    )
    assert local_starts(slots) == ["1@Sun 01:00", "1@Sun 01:30", "1@Sun 03:00", "1@Sun 03:30"]


def test_grid_on_the_fall_back_night_offers_both_hours() -> None:
    slots = search(
        datetime(2026, 11, 1, 0, 30, tzinfo=NEW_YORK),
        hours_by_staff={1: every_day(("00:00", "06:00"))},
        tz=NEW_YORK,
        grid_minutes=60,
        count=4,
    )
    assert [s.start for s in slots] == [
        utc(2026, 11, 1, 5),  # 01:00 EDT
        utc(2026, 11, 1, 6),  # 01:00 EST
        utc(2026, 11, 1, 7),  # 02:00 EST
        utc(2026, 11, 1, 8),
    ]


@pytest.mark.parametrize(
    "bad",
    [
        {"duration": timedelta(0)},
        {"grid_minutes": 7},
        {"grid_minutes": 0},
        {"count": 0},
        {"horizon_days": 0},
        {"start_from": datetime(2026, 6, 1, 8)},
    ],
)
def test_search_validation(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        search(**{"start_from": berlin(2026, 6, 1, 8), **bad})  # type: ignore[arg-type]


def test_a_packed_horizon_has_no_slot_for_a_longer_service() -> None:
    # 1,000 half-hour bookings packed into 60 days leave only half-hour gaps, so a 45-minute
    # search walks the whole horizon and finds nothing (its speed is in the benchmark).
    hours = every_day(("09:00", "19:00"))
    busy: list[Interval] = []
    day = MONDAY
    while len(busy) < 1000:
        for n in range(10):
            start = datetime.combine(day, time(9 + n), tzinfo=BERLIN)
            busy.append(Interval(start, start + timedelta(minutes=30)))
        day += timedelta(days=1)
    slots = search(
        berlin(2026, 6, 1, 0),
        hours_by_staff={1: hours},
        busy_by_staff={1: busy},
        duration=timedelta(minutes=45),
        horizon_days=100,
    )
    assert slots == []


# -- check_booking and find_conflict -------------------------------------------------------


def test_clean_booking_has_no_warnings() -> None:
    interval = Interval(berlin(2026, 6, 1, 9), berlin(2026, 6, 1, 10))
    assert check_booking(interval, 1, WEEKDAYS_WITH_LUNCH, [], berlin(2026, 5, 30), BERLIN) == []


def test_every_warning_with_readable_messages() -> None:
    interval = Interval(berlin(2026, 6, 7, 12), berlin(2026, 6, 7, 13))  # a Sunday
    sick = Absence(1, Interval(berlin(2026, 6, 5, 9), berlin(2026, 6, 8, 18)), "sick")
    other = Absence(2, Interval(berlin(2026, 6, 5, 9), berlin(2026, 6, 8, 18)), "holiday")
    warnings = check_booking(
        interval, 1, WEEKDAYS_WITH_LUNCH, [other, sick], berlin(2026, 6, 8, 9), BERLIN
    )
    assert [w.kind for w in warnings] == [
        WarningKind.ABSENCE,
        WarningKind.OUTSIDE_HOURS,
        WarningKind.PAST,
    ]
    assert [str(w) for w in warnings] == [
        "During an absence (sick) from Friday 5 June 2026 09:00 to Monday 8 June 2026 18:00.",
        "Outside working hours (Sunday is a day off).",
        "Starts in the past (Sunday 7 June 2026 12:00).",
    ]
    assert warnings[0].absence == sick


def test_booking_across_the_lunch_break_is_outside_hours() -> None:
    interval = Interval(berlin(2026, 6, 1, 12, 30), berlin(2026, 6, 1, 13, 30))
    (warning,) = check_booking(interval, 1, WEEKDAYS_WITH_LUNCH, [], berlin(2026, 5, 1), BERLIN)
    assert warning.message == "Outside working hours (Monday 09:00–13:00, 14:00–18:00)."


def test_booking_ending_exactly_at_closing_and_without_hours() -> None:
    closing = Interval(berlin(2026, 6, 1, 17), berlin(2026, 6, 1, 18))
    assert check_booking(closing, 1, WEEKDAYS_WITH_LUNCH, [], berlin(2026, 5, 1), BERLIN) == []
    late = Interval(berlin(2026, 6, 1, 22), berlin(2026, 6, 2, 1))
    assert check_booking(late, 1, None, [], berlin(2026, 5, 1), BERLIN) == []
    (warning,) = check_booking(late, 1, WEEKDAYS_WITH_LUNCH, [], berlin(2026, 5, 1), BERLIN)
    assert "Monday 09:00–13:00" in warning.message and "Tuesday 09:00–13:00" in warning.message


def test_find_conflict_returns_the_earliest_clash() -> None:
    busy = [
        ("b", Interval(berlin(2026, 6, 1, 11), berlin(2026, 6, 1, 12))),
        ("a", Interval(berlin(2026, 6, 1, 10), berlin(2026, 6, 1, 11))),
        ("c", Interval(berlin(2026, 6, 1, 12), berlin(2026, 6, 1, 13))),
    ]
    assert (
        find_conflict(Interval(berlin(2026, 6, 1, 10, 30), berlin(2026, 6, 1, 11, 30)), busy) == "a"
    )
    assert find_conflict(Interval(berlin(2026, 6, 1, 9), berlin(2026, 6, 1, 10)), busy) is None
    moved = Interval(berlin(2026, 6, 1, 10, 15), berlin(2026, 6, 1, 10, 45))
    assert find_conflict(moved, busy, exclude="a") is None
    assert find_conflict(moved, busy, exclude="b") == "a"
