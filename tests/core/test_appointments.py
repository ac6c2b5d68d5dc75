"""Appointment status lifecycle, late cancellation and the same-day undo rule."""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest

from shopfront.core.appointments import (
    ACTIVE_STATUSES,
    AppointmentStatus,
    CancelledBy,
    StatusChange,
    TransitionError,
    allowed_transitions,
    check_transition,
    check_undo,
    is_late_cancel,
    undo_allowed,
)
from shopfront.errors import ShopfrontError

S = AppointmentStatus
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")

ALLOWED = {
    (S.BOOKED, S.CONFIRMED),
    (S.BOOKED, S.ARRIVED),
    (S.BOOKED, S.CANCELLED),
    (S.BOOKED, S.NO_SHOW),
    (S.CONFIRMED, S.ARRIVED),
    (S.CONFIRMED, S.CANCELLED),
    (S.CONFIRMED, S.NO_SHOW),
    (S.ARRIVED, S.COMPLETED),
}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("old", "new"), list(product(S, S)))
def test_transition_table(old: AppointmentStatus, new: AppointmentStatus) -> None:
    if (old, new) in ALLOWED:
        check_transition(old, new)
        assert new in allowed_transitions(old)
    else:
        with pytest.raises(TransitionError) as caught:
            check_transition(old, new)
        assert (caught.value.old, caught.value.new) == (old, new)
        assert new not in allowed_transitions(old)


def test_values_are_the_stored_strings() -> None:
    assert [s.value for s in S] == [
        "booked",
        "confirmed",
        "arrived",
        "completed",
        "cancelled",
        "no_show",
    ]
    assert S.NO_SHOW.label == "No-show"


def test_accepts_plain_strings_from_storage() -> None:
    check_transition("booked", "no_show")
    with pytest.raises(ValueError):
        check_transition("booked", "lost")


def test_active_statuses_occupy_time() -> None:
    assert set(ACTIVE_STATUSES) == {S.BOOKED, S.CONFIRMED, S.ARRIVED, S.COMPLETED}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            S.COMPLETED,
            S.NO_SHOW,
            "A completed appointment can't become a no-show; undo the last change first.",
        ),
        (
            S.BOOKED,
            S.COMPLETED,
            "A booked appointment can't be completed; check the customer in first.",
        ),
        (
            S.ARRIVED,
            S.NO_SHOW,
            "A checked-in appointment can't become a no-show; undo the check-in first.",
        ),
        (
            S.CANCELLED,
            S.CONFIRMED,
            "A cancelled appointment can't be confirmed; undo the cancellation the same day, "
            "or book a new appointment.",
        ),
        (
            S.CONFIRMED,
            S.BOOKED,
            "A confirmed appointment can't go back to booked; undo the last change first.",
        ),
        (S.ARRIVED, S.ARRIVED, "The appointment is already checked in."),
    ],
)
def test_messages_say_what_to_do(old: S, new: S, message: str) -> None:
    with pytest.raises(TransitionError) as caught:
        check_transition(old, new)
    assert str(caught.value) == message


def test_transition_error_is_shown_to_users_and_is_a_value_error() -> None:
    assert issubclass(TransitionError, ShopfrontError)
    assert issubclass(TransitionError, ValueError)


@pytest.mark.parametrize(
    ("cancelled_at", "late"),
    [
        (utc(2026, 5, 4, 9, 59), False),  # 24 h 1 min before
        (utc(2026, 5, 4, 10, 0), False),  # exactly at the window's edge: on time
        (utc(2026, 5, 4, 10, 1), True),
        (utc(2026, 5, 5, 9, 0), True),
        (utc(2026, 5, 5, 11, 0), True),  # after the start
    ],
)
def test_late_cancel_window(cancelled_at: datetime, late: bool) -> None:
    assert is_late_cancel(utc(2026, 5, 5, 10, 0), cancelled_at, 24) is late


def test_late_cancel_compares_instants_not_wall_clocks() -> None:
    starts = datetime(2026, 5, 5, 10, 0, tzinfo=BERLIN)  # 08:00 UTC
    assert is_late_cancel(starts, datetime(2026, 5, 4, 7, 30, tzinfo=UTC), 24) is False
    assert is_late_cancel(starts, datetime(2026, 5, 4, 4, 30, tzinfo=NEW_YORK), 24) is True


def test_late_cancel_counts_real_hours_across_dst() -> None:
    # Same tzinfo on both sides makes Python subtract wall clocks (23.5 h here); only
    # 22.5 real hours pass because the clocks went forward on 29 March.
    starts = datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN)
    cancelled = datetime(2026, 3, 28, 12, 30, tzinfo=BERLIN)
    assert is_late_cancel(starts, cancelled, 23) is True
    assert is_late_cancel(starts, cancelled, 22) is False


def test_late_cancel_refuses_naive_times_and_negative_windows() -> None:
    with pytest.raises(ValueError):
        is_late_cancel(datetime(2026, 5, 5, 10), utc(2026, 5, 4), 24)
    with pytest.raises(ValueError):
        is_late_cancel(utc(2026, 5, 5, 10), utc(2026, 5, 4), -1)


def test_cancelled_by_values() -> None:
    assert [c.value for c in CancelledBy] == ["customer", "shop"]


def test_status_change_normalises_and_validates() -> None:
    change = StatusChange(datetime(2026, 5, 5, 12, tzinfo=BERLIN), "booked", "confirmed", 3)
    assert change.at == utc(2026, 5, 5, 10) and change.at.tzinfo is UTC
    assert change.old is S.BOOKED and change.new is S.CONFIRMED and change.reason == ""
    with pytest.raises(ValueError):
        StatusChange(datetime(2026, 5, 5, 12), S.BOOKED, S.CONFIRMED, None, "")
    with pytest.raises(ValueError):
        StatusChange(utc(2026, 5, 5), S.BOOKED, S.BOOKED, None, "")
    with pytest.raises(AttributeError):
        change.reason = "edited"  # type: ignore[misc]


def test_undo_same_shop_local_day_only() -> None:
    # 23:30 in Berlin on 5 May is 21:30 UTC; 00:10 the next local day is still 5 May in UTC.
    change = StatusChange(utc(2026, 5, 5, 21, 30), S.CONFIRMED, S.NO_SHOW, 1, "")
    assert undo_allowed(change, utc(2026, 5, 5, 21, 50), BERLIN)
    assert not undo_allowed(change, utc(2026, 5, 5, 22, 10), BERLIN)
    assert check_undo(change, utc(2026, 5, 5, 21, 50), BERLIN) is S.CONFIRMED
    with pytest.raises(TransitionError, match="made on 5 May 2026"):
        check_undo(change, utc(2026, 5, 5, 22, 10), BERLIN)


def test_undo_day_is_local_not_utc() -> None:
    # 20:00 in New York is already the next day in UTC; the shop's day is what counts.
    change = StatusChange(utc(2026, 5, 6, 0, 0), S.ARRIVED, S.COMPLETED, 1, "")
    assert undo_allowed(change, utc(2026, 5, 6, 3, 59), NEW_YORK)
    assert not undo_allowed(change, utc(2026, 5, 6, 4, 0), NEW_YORK)


def test_the_booking_itself_is_not_undone() -> None:
    created = StatusChange(utc(2026, 5, 5, 9), None, S.BOOKED, 1, "phone")
    assert not undo_allowed(created, utc(2026, 5, 5, 9, 5), BERLIN)
    with pytest.raises(TransitionError, match="cancel"):
        check_undo(created, utc(2026, 5, 5, 9, 5), BERLIN)
