"""Appointment book types: what is booked, what a day looks like, what a booking asks for."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopfront.core.appointments import AppointmentStatus, StatusChange
from shopfront.core.customers import Staff
from shopfront.core.localtime import Interval
from shopfront.core.timeslots import BookingWarning
from shopfront.core.workhours import Absence
from shopfront.errors import ShopfrontError

SOURCES = ("phone", "walk-in", "in person", "online", "imported")


@dataclass(frozen=True)
class ServiceLine:
    """A service inside an appointment, with its duration and price as booked."""

    service_id: int
    name: str
    duration_min: int
    price_minor: int


@dataclass(frozen=True)
class Appointment:
    id: int
    customer_id: int
    staff_id: int
    start: datetime  # aware, UTC
    end: datetime
    booked_at: datetime
    status: AppointmentStatus
    price_minor: int
    services: tuple[ServiceLine, ...] = ()
    source: str = "phone"
    notes: str = ""
    final_price_minor: int | None = None
    cancelled_by: str | None = None
    late_cancel: bool = False
    excused: bool = False
    excuse_reason: str = ""
    series_id: int | None = None
    rebooked: bool | None = None
    version: int = 1

    @property
    def interval(self) -> Interval:
        return Interval(self.start, self.end)

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    @property
    def service_names(self) -> str:
        return " + ".join(s.name for s in self.services)

    @property
    def active(self) -> bool:
        """Occupies the staff member's time (cancelled and no-show appointments don't)."""
        return self.status not in (AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW)


@dataclass(frozen=True)
class Visit:
    """An appointment as the front desk sees it: with the customer and the markers."""

    appointment: Appointment
    customer_name: str
    customer_phone: str = ""
    staff_name: str = ""
    first_visit: bool = False
    open_case: bool = False
    risk: float | None = None  # filled in by the no-show risk score
    risk_level: str = ""
    risk_reasons: tuple[str, ...] = ()
    last_told: str = ""  # what the customer was last told (contact log)


@dataclass(frozen=True)
class StaffColumn:
    staff: Staff
    working: tuple[Interval, ...]
    absences: tuple[Absence, ...]
    visits: tuple[Visit, ...]


@dataclass(frozen=True)
class DaySchedule:
    day: date
    zone: ZoneInfo
    bounds: Interval
    columns: tuple[StaffColumn, ...]

    @property
    def visits(self) -> list[Visit]:
        return sorted(
            (v for c in self.columns for v in c.visits), key=lambda v: v.appointment.start
        )


@dataclass(frozen=True)
class BookingRequest:
    customer_id: int
    staff_id: int
    service_ids: tuple[int, ...]
    start: datetime  # aware
    price_minor: int | None = None  # None: the sum of the services' prices
    minutes: int | None = None  # None: the sum of the services' durations
    notes: str = ""
    source: str = "phone"


@dataclass(frozen=True)
class AppointmentDetail:
    """One appointment with everything its dialog shows."""

    visit: Visit
    history: tuple[StatusChange, ...] = field(default_factory=tuple)


class NeedsOverride(ShopfrontError):
    """Soft problems (outside hours, during an absence, in the past): ask, then override."""

    def __init__(self, warnings: list[BookingWarning], ask: str = "Confirm to book anyway."):
        self.warnings = warnings
        text = " ".join(w.message for w in warnings)
        super().__init__(f"{text} {ask}")


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
