"""The status time guard: checking in before the day, a no-show before the start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopfront.core.appointments import AppointmentStatus as S
from shopfront.core.appointments import too_early

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("status", "now", "asked"),
    [
        (S.ARRIVED, START - timedelta(days=1), "not today"),
        (S.ARRIVED, START - timedelta(hours=2), None),  # early on the day: normal
        (S.ARRIVED, START + timedelta(days=3), None),  # recorded late: fine
        (S.COMPLETED, START - timedelta(hours=11), "not today"),  # 23:00 the evening before
        (S.COMPLETED, START - timedelta(minutes=30), None),
        (S.NO_SHOW, START - timedelta(minutes=1), "can't have been missed yet"),
        (S.NO_SHOW, START, None),
        (S.CONFIRMED, START - timedelta(days=30), None),
        (S.CANCELLED, START - timedelta(days=30), None),
    ],
)
def test_too_early(status: S, now: datetime, asked: str | None) -> None:
    found = too_early(status, START, now, LONDON)
    assert (found is None) if asked is None else (asked in found)


def test_the_day_is_the_shops_day_not_utcs() -> None:
    tokyo = ZoneInfo("Asia/Tokyo")
    start = datetime(2026, 11, 24, 1, 0, tzinfo=tokyo)  # 23 Nov 16:00 UTC
    assert too_early(S.ARRIVED, start, datetime(2026, 11, 23, 14, 0, tzinfo=UTC), tokyo)
    assert too_early(S.ARRIVED, start, datetime(2026, 11, 23, 15, 30, tzinfo=UTC), tokyo) is None
    assert "24 November 2026 at 01:00" in too_early(
        S.NO_SHOW, start, datetime(2026, 11, 23, 15, 30, tzinfo=UTC), tokyo
    )
