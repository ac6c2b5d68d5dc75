"""Repeating appointments keep their local wall-clock time across DST changes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopfront.core.recurrence import Occurrence, SeriesError, expand_series
from shopfront.errors import ValidationError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_weekly_series_keeps_ten_oclock_across_spring_forward() -> None:
    visits = expand_series(datetime(2026, 3, 21, 10, 0), 1, BERLIN, count=3)
    assert [v.start for v in visits] == [
        utc(2026, 3, 21, 9),  # CET
        utc(2026, 3, 28, 9),
        utc(2026, 4, 4, 8),  # CEST: same 10:00 on the wall
    ]
    assert [v.index for v in visits] == [0, 1, 2]
    assert all(v.ok and v.problem == "" for v in visits)


def test_four_weekly_series_across_fall_back_in_new_york() -> None:
    visits = expand_series(datetime(2026, 10, 16, 17, 30), 4, NEW_YORK, until=date(2026, 12, 11))
    assert [v.local_start.date() for v in visits] == [
        date(2026, 10, 16),
        date(2026, 11, 13),
        date(2026, 12, 11),  # until is inclusive
    ]
    assert [v.start for v in visits] == [
        utc(2026, 10, 16, 21, 30),
        utc(2026, 11, 13, 22, 30),
        utc(2026, 12, 11, 22, 30),
    ]


def test_occurrence_in_the_gap_is_reported_not_shifted() -> None:
    visits = expand_series(datetime(2026, 3, 22, 2, 30), 1, BERLIN, count=3)
    gap = visits[1]
    assert gap == Occurrence(
        1,
        datetime(2026, 3, 29, 2, 30),
        None,
        "02:30 doesn't exist on 29 March 2026 in Europe/Berlin (clocks go forward); choose 03:30.",
    )
    assert not gap.ok
    assert visits[0].ok and visits[2].ok


def test_occurrence_in_the_repeated_hour_is_reported() -> None:
    visits = expand_series(datetime(2026, 10, 25, 1, 30), 1, NEW_YORK, count=2)
    assert visits[0].ok
    assert visits[1].start is None and "happens twice" in visits[1].problem


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"every_weeks": 0, "count": 3}, "every_weeks", "Repeat every 1 week or more."),
        ({"every_weeks": 1}, "until", "Give an end date or a number of visits."),
        (
            {"every_weeks": 1, "count": 3, "until": date(2026, 6, 1)},
            "until",
            "Give an end date or a number of visits, not both.",
        ),
        ({"every_weeks": 1, "count": 0}, "count", "between 1 and 200"),
        ({"every_weeks": 1, "count": 201}, "count", "between 1 and 200"),
        ({"every_weeks": 2, "count": 11, "limit": 10}, "count", "between 1 and 10"),
        (
            {"every_weeks": 1, "until": date(2026, 4, 30)},
            "until",
            "The end date is before the first visit (1 May 2026).",
        ),
        (
            {"every_weeks": 1, "until": date(2030, 5, 1)},
            "until",
            "Until 1 May 2030 that would be 209 visits; the most is 200.",
        ),
    ],
)
def test_rule_validation(kwargs: dict, field: str, message: str) -> None:
    with pytest.raises(SeriesError, match=re.escape(message)) as caught:
        expand_series(datetime(2026, 5, 1, 10), tz=BERLIN, **kwargs)
    assert caught.value.field == field
    assert isinstance(caught.value, ValidationError) and isinstance(caught.value, ValueError)


def test_limits_are_inclusive() -> None:
    assert len(expand_series(datetime(2026, 5, 1, 10), 1, BERLIN, count=200)) == 200
    visits = expand_series(datetime(2026, 5, 1, 10), 1, BERLIN, until=date(2026, 5, 1))
    assert len(visits) == 1


def test_first_start_must_be_naive_local_time() -> None:
    with pytest.raises(ValueError, match="naive"):
        expand_series(utc(2026, 5, 1, 10), 1, BERLIN, count=2)


@given(
    tz=st.sampled_from([BERLIN, NEW_YORK]),
    first=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2027, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    every_weeks=st.integers(1, 8),
    count=st.integers(1, 40),
)
def test_every_occurrence_keeps_the_local_time(
    tz: ZoneInfo, first: datetime, every_weeks: int, count: int
) -> None:
    visits = expand_series(first, every_weeks, tz, count=count)
    assert len(visits) == count
    for n, visit in enumerate(visits):
        assert visit.local_start == first + timedelta(weeks=every_weeks * n)
        assert visit.local_start.time() == first.time()
        assert visit.local_start.weekday() == first.weekday()
        if visit.ok:
            assert visit.start is not None
            assert visit.start.astimezone(tz).replace(tzinfo=None) == visit.local_start
        else:
            # Only the night hours of a DST change can be a problem.
            assert visit.problem and time(0) <= visit.local_start.time() < time(3)
