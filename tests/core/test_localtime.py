"""Local wall-clock ↔ UTC conversion around DST changes, day bounds and intervals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopfront.core.localtime import (
    AmbiguousLocalTime,
    Interval,
    IntervalError,
    NonexistentLocalTime,
    day_bounds_utc,
    first_instant_at_or_after,
    format_date,
    local_to_utc,
)
from shopfront.errors import ShopfrontError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SANTIAGO = ZoneInfo("America/Santiago")  # changes clocks at midnight


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# -- Interval -----------------------------------------------------------------------------


def test_interval_normalises_to_utc() -> None:
    interval = Interval(
        datetime(2026, 6, 1, 10, tzinfo=BERLIN), datetime(2026, 6, 1, 11, tzinfo=BERLIN)
    )
    assert interval.start == utc(2026, 6, 1, 8) and interval.start.tzinfo is UTC
    assert interval == Interval(utc(2026, 6, 1, 8), utc(2026, 6, 1, 9))
    assert interval.duration == timedelta(hours=1)


def test_interval_validation() -> None:
    with pytest.raises(IntervalError, match="end must be after the start"):
        Interval(utc(2026, 6, 1, 9), utc(2026, 6, 1, 9))
    with pytest.raises(IntervalError):
        Interval(utc(2026, 6, 1, 9), utc(2026, 6, 1, 8))
    with pytest.raises(ValueError, match="aware"):
        Interval(datetime(2026, 6, 1, 9), utc(2026, 6, 1, 10))
    assert issubclass(IntervalError, ShopfrontError)


def test_overlap_is_strict_and_touching_is_free() -> None:
    ten_to_eleven = Interval(utc(2026, 6, 1, 10), utc(2026, 6, 1, 11))
    eleven_to_noon = Interval(utc(2026, 6, 1, 11), utc(2026, 6, 1, 12))
    half_ten = Interval(utc(2026, 6, 1, 10, 30), utc(2026, 6, 1, 11, 30))
    assert not ten_to_eleven.overlaps(eleven_to_noon)
    assert not eleven_to_noon.overlaps(ten_to_eleven)
    assert ten_to_eleven.overlaps(half_ten) and half_ten.overlaps(eleven_to_noon)
    assert ten_to_eleven.overlaps(ten_to_eleven)
    assert Interval(utc(2026, 6, 1, 9), utc(2026, 6, 1, 12)).contains(half_ten)
    assert not ten_to_eleven.contains(half_ten)


# -- day bounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "hours"),
    [
        (BERLIN, date(2026, 3, 29), 23),
        (BERLIN, date(2026, 10, 25), 25),
        (BERLIN, date(2026, 6, 1), 24),
        (NEW_YORK, date(2026, 3, 8), 23),
        (NEW_YORK, date(2026, 11, 1), 25),
        (NEW_YORK, date(2026, 6, 1), 24),
    ],
)
def test_day_length_across_dst(tz: ZoneInfo, day: date, hours: int) -> None:
    bounds = day_bounds_utc(day, tz)
    assert bounds.duration == timedelta(hours=hours)
    assert bounds.start.astimezone(tz).replace(tzinfo=None) == datetime.combine(day, time())
    assert bounds.end == day_bounds_utc(day + timedelta(days=1), tz).start


def test_day_bounds_in_utc() -> None:
    assert day_bounds_utc(date(2026, 3, 29), BERLIN) == Interval(
        utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)
    )
    assert day_bounds_utc(date(2026, 11, 1), NEW_YORK) == Interval(
        utc(2026, 11, 1, 4), utc(2026, 11, 2, 5)
    )


def test_day_that_skips_midnight_starts_at_the_change() -> None:
    # Santiago jumps from 00:00 to 01:00 on 6 September 2026: the day starts at 01:00.
    bounds = day_bounds_utc(date(2026, 9, 6), SANTIAGO)
    assert bounds.start.astimezone(SANTIAGO).time() == time(1, 0)
    assert bounds.duration == timedelta(hours=23)


# -- local_to_utc -------------------------------------------------------------------------


def test_ordinary_times_convert() -> None:
    assert local_to_utc(datetime(2026, 6, 1, 10), BERLIN) == utc(2026, 6, 1, 8)
    assert local_to_utc(datetime(2026, 1, 5, 10), NEW_YORK) == utc(2026, 1, 5, 15)
    # The day of the change, away from the gap: the new offset applies.
    assert local_to_utc(datetime(2026, 3, 29, 10), BERLIN) == utc(2026, 3, 29, 8)
    assert local_to_utc(datetime(2026, 3, 29, 1, 59), BERLIN) == utc(2026, 3, 29, 0, 59)


@pytest.mark.parametrize(
    ("tz", "local", "message"),
    [
        (
            BERLIN,
            datetime(2026, 3, 29, 2, 30),
            "02:30 doesn't exist on 29 March 2026 in Europe/Berlin (clocks go forward); "
            "choose 03:30.",
        ),
        (
            NEW_YORK,
            datetime(2026, 3, 8, 2, 30),
            "02:30 doesn't exist on 8 March 2026 in America/New_York (clocks go forward); "
            "choose 03:30.",
        ),
    ],
)
def test_spring_forward_gap_is_refused(tz: ZoneInfo, local: datetime, message: str) -> None:
    with pytest.raises(NonexistentLocalTime) as caught:
        local_to_utc(local, tz)
    assert str(caught.value) == message
    assert caught.value.suggestion == local + timedelta(hours=1)
    assert isinstance(caught.value, ShopfrontError)
    # An explicit fold doesn't make a missing time exist.
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(local, tz, fold=1)


def test_gap_edges() -> None:
    assert local_to_utc(datetime(2026, 3, 29, 3, 0), BERLIN) == utc(2026, 3, 29, 1, 0)
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(datetime(2026, 3, 29, 2, 0), BERLIN)


@pytest.mark.parametrize(
    ("tz", "local", "earlier", "later", "names"),
    [
        (
            NEW_YORK,
            datetime(2026, 11, 1, 1, 30),
            utc(2026, 11, 1, 5, 30),
            utc(2026, 11, 1, 6, 30),
            ("EDT", "EST"),
        ),
        (
            BERLIN,
            datetime(2026, 10, 25, 2, 30),
            utc(2026, 10, 25, 0, 30),
            utc(2026, 10, 25, 1, 30),
            ("CEST", "CET"),
        ),
    ],
)
def test_fall_back_hour_is_ambiguous_unless_fold_given(
    tz: ZoneInfo, local: datetime, earlier: datetime, later: datetime, names: tuple[str, str]
) -> None:
    with pytest.raises(AmbiguousLocalTime) as caught:
        local_to_utc(local, tz)
    assert (caught.value.earlier, caught.value.later) == (earlier, later)
    message = str(caught.value)
    assert "happens twice" in message and "clocks go back" in message
    assert names[0] in message and names[1] in message
    assert local_to_utc(local, tz, fold=0) == earlier
    assert local_to_utc(local, tz, fold=1) == later


def test_fold_is_ignored_when_not_ambiguous() -> None:
    assert local_to_utc(datetime(2026, 6, 1, 10), BERLIN, fold=1) == utc(2026, 6, 1, 8)


def test_local_to_utc_refuses_aware_input_and_odd_fold() -> None:
    with pytest.raises(ValueError, match="naive"):
        local_to_utc(utc(2026, 6, 1, 10), BERLIN)
    with pytest.raises(ValueError, match="fold"):
        local_to_utc(datetime(2026, 6, 1, 10), BERLIN, fold=2)


def test_first_instant_at_or_after_maps_gap_times_to_the_change() -> None:
    change = utc(2026, 3, 29, 1, 0)  # 02:00 CET becomes 03:00 CEST
    assert first_instant_at_or_after(datetime(2026, 3, 29, 2, 30), BERLIN) == change
    assert first_instant_at_or_after(datetime(2026, 3, 29, 2, 0), BERLIN) == change
    assert first_instant_at_or_after(datetime(2026, 11, 1, 1, 30), NEW_YORK) == utc(
        2026, 11, 1, 5, 30
    )


def test_format_date_is_locale_free() -> None:
    assert format_date(date(2026, 3, 29)) == "29 March 2026"
