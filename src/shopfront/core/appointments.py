"""Appointment status lifecycle, late cancellations and the same-day undo rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from shopfront.core.localtime import format_date, require_aware
from shopfront.errors import ShopfrontError


class AppointmentStatus(StrEnum):
    BOOKED = "booked"
    CONFIRMED = "confirmed"
    ARRIVED = "arrived"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"

    @property
    def label(self) -> str:
        """'No-show', 'Arrived' …: the word shown in lists and reports."""
        return _LABELS[self]


_S = AppointmentStatus
_LABELS = {
    _S.BOOKED: "Booked",
    _S.CONFIRMED: "Confirmed",
    _S.ARRIVED: "Arrived",
    _S.COMPLETED: "Completed",
    _S.CANCELLED: "Cancelled",
    _S.NO_SHOW: "No-show",
}

#: Statuses that occupy the staff member's time (they block the slot for other bookings).
ACTIVE_STATUSES: frozenset[AppointmentStatus] = frozenset(
    {_S.BOOKED, _S.CONFIRMED, _S.ARRIVED, _S.COMPLETED}
)
#: Statuses nothing moves on from (except by undoing the change that led there).
FINAL_STATUSES: frozenset[AppointmentStatus] = frozenset({_S.COMPLETED, _S.CANCELLED, _S.NO_SHOW})

_NEXT: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    # booked → arrived directly: walk-ins and customers who never confirmed.
    _S.BOOKED: frozenset({_S.CONFIRMED, _S.ARRIVED, _S.CANCELLED, _S.NO_SHOW}),
    _S.CONFIRMED: frozenset({_S.ARRIVED, _S.CANCELLED, _S.NO_SHOW}),
    _S.ARRIVED: frozenset({_S.COMPLETED}),
    _S.COMPLETED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.NO_SHOW: frozenset(),
}

# "A <adjective> appointment can't <verb>" reads naturally for every pair.
_ADJECTIVE = {
    _S.BOOKED: "booked",
    _S.CONFIRMED: "confirmed",
    _S.ARRIVED: "checked-in",
    _S.COMPLETED: "completed",
    _S.CANCELLED: "cancelled",
    _S.NO_SHOW: "no-show",
}
_VERB = {
    _S.BOOKED: "go back to booked",
    _S.CONFIRMED: "be confirmed",
    _S.ARRIVED: "be checked in",
    _S.COMPLETED: "be completed",
    _S.CANCELLED: "be cancelled",
    _S.NO_SHOW: "become a no-show",
}
_ALREADY = {
    _S.BOOKED: "booked",
    _S.CONFIRMED: "confirmed",
    _S.ARRIVED: "checked in",
    _S.COMPLETED: "completed",
    _S.CANCELLED: "cancelled",
    _S.NO_SHOW: "marked as a no-show",
}


class TransitionError(ShopfrontError, ValueError):
    """A status change the lifecycle doesn't allow; the message says what to do instead."""

    def __init__(self, message: str, old: AppointmentStatus, new: AppointmentStatus) -> None:
        super().__init__(message)
        self.old = old
        self.new = new


def allowed_transitions(status: AppointmentStatus | str) -> frozenset[AppointmentStatus]:
    """The statuses `status` may move to next (for enabling buttons and menu entries)."""
    return _NEXT[AppointmentStatus(status)]


def _hint(old: AppointmentStatus, new: AppointmentStatus) -> str:
    if new is _S.COMPLETED and old in (_S.BOOKED, _S.CONFIRMED):
        return "check the customer in first"
    if old is _S.ARRIVED and new in (_S.CANCELLED, _S.NO_SHOW):
        return "undo the check-in first"
    if old is _S.CANCELLED:
        return "undo the cancellation the same day, or book a new appointment"
    return "undo the last change first"


def check_transition(old: AppointmentStatus | str, new: AppointmentStatus | str) -> None:
    """Raise TransitionError unless the lifecycle allows `old` → `new`.

    Staying in the same status is refused too ("already checked in"), so a second desk
    repeating a change doesn't write a meaningless history entry.
    """
    old, new = AppointmentStatus(old), AppointmentStatus(new)
    if old is new:
        raise TransitionError(f"The appointment is already {_ALREADY[old]}.", old, new)
    if new not in _NEXT[old]:
        message = f"A {_ADJECTIVE[old]} appointment can't {_VERB[new]}; {_hint(old, new)}."
        raise TransitionError(message, old, new)


def too_early(
    new: AppointmentStatus | str, start: datetime, now: datetime, tz: ZoneInfo
) -> str | None:
    """Why ``new`` looks like a mistake at ``now`` for an appointment starting at ``start``
    (None when it doesn't); the desk may still confirm it (an override).

    Checking in, or completing, before the appointment's own shop-local day is almost always
    the wrong appointment (early arrivals on the day are normal). A no-show before the start
    time can't have happened yet.
    """
    require_aware(start, "start")
    require_aware(now, "now")
    new = AppointmentStatus(new)
    local = start.astimezone(tz)
    when = f"{format_date(local.date())} at {local.hour:02d}:{local.minute:02d}"
    if new in (_S.ARRIVED, _S.COMPLETED) and now.astimezone(tz).date() < local.date():
        verb = "checked in" if new is _S.ARRIVED else "completed"
        return f"This appointment is on {when}, not today; it is usually {verb} on the day."
    if new is _S.NO_SHOW and now < start:
        return f"This appointment starts on {when}; it can't have been missed yet."
    return None


class CancelledBy(StrEnum):
    CUSTOMER = "customer"
    SHOP = "shop"


def is_late_cancel(starts_at: datetime, cancelled_at: datetime, window_hours: float) -> bool:
    """True if the cancellation came less than `window_hours` before the start (or after it).

    Cancelling exactly at the window's edge is on time. Only customer cancellations should
    count against the customer; the caller decides by CancelledBy.
    """
    require_aware(starts_at, "starts_at")
    require_aware(cancelled_at, "cancelled_at")
    if window_hours < 0:
        raise ValueError(f"window_hours can't be negative, got {window_hours}")
    # Subtracting in UTC counts real hours: two datetimes sharing a ZoneInfo would be
    # subtracted as wall-clock readings, an hour off across a DST change.
    notice = starts_at.astimezone(UTC) - cancelled_at.astimezone(UTC)
    return notice < timedelta(hours=window_hours)


@dataclass(frozen=True)
class StatusChange:
    """One entry of an appointment's status history.

    `old` is None for the entry that records the booking itself; `by_staff_id` is None when
    the change wasn't made by a person (an import, for instance).
    """

    at: datetime
    old: AppointmentStatus | None
    new: AppointmentStatus
    by_staff_id: int | None = None
    reason: str = ""

    def __post_init__(self) -> None:
        require_aware(self.at, "at")
        object.__setattr__(self, "at", self.at.astimezone(UTC))
        # Storage hands over plain strings; normalise so comparisons with the enum work.
        if self.old is not None:
            object.__setattr__(self, "old", AppointmentStatus(self.old))
        object.__setattr__(self, "new", AppointmentStatus(self.new))
        if self.old is self.new:
            raise ValueError(f"A status change needs two different statuses, got {self.new}")


def undo_allowed(change: StatusChange, now: datetime, tz: ZoneInfo) -> bool:
    """True if `change` (the appointment's last one) may be undone at `now`.

    Only on the shop-local day it was made, so yesterday's books stay as they were closed;
    the booking entry itself (old is None) is never undone — cancel instead.
    """
    require_aware(now, "now")
    if change.old is None:
        return False
    return change.at.astimezone(tz).date() == now.astimezone(tz).date()


def check_undo(change: StatusChange, now: datetime, tz: ZoneInfo) -> AppointmentStatus:
    """The status to restore when undoing `change`, or TransitionError saying why not."""
    if change.old is None:
        raise TransitionError(
            "A booking can't be undone; cancel the appointment instead.", change.new, change.new
        )
    if not undo_allowed(change, now, tz):
        made = format_date(change.at.astimezone(tz).date())
        raise TransitionError(
            f"Only today's changes can be undone; this one was made on {made}.",
            change.new,
            change.old,
        )
    return change.old
