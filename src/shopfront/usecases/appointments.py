"""Appointment use cases: book, move, resize, statuses, checkout, slots, series, absences.

Every change runs in one IMMEDIATE transaction: the overlap check and the write happen
with no other desk able to write in between, so two desks can't double-book a person.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from shopfront.core.appointments import (
    AppointmentStatus,
    StatusChange,
)
from shopfront.core.booking import (
    SOURCES,
    Appointment,
    AppointmentDetail,
    BookingRequest,
    DaySchedule,
    NeedsOverride,
    ServiceLine,
    StaffColumn,
    Visit,
)
from shopfront.core.localtime import Interval, day_bounds_utc
from shopfront.core.timeslots import BookingWarning, check_booking, find_conflict
from shopfront.core.workhours import Absence, AbsenceReason, WorkingHours, working_intervals
from shopfront.errors import ConflictError, NotFoundError, ValidationError
from shopfront.storage import appointments as store
from shopfront.storage import catalog, customers

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
S = AppointmentStatus
DEFAULT_REBOOK_DAYS = 42


@functools.lru_cache(maxsize=4096)
def _working(hours: WorkingHours, day: date, tz: ZoneInfo) -> tuple[Interval, ...]:
    """A day's worked intervals (pure, so kept: the same 30 people's days come back often)."""
    return tuple(working_intervals(hours, day, tz))


class AppointmentUseCases:
    """Mixed into Book; ``self`` is the Book (db, clock, settings, zone)."""

    # hours and absences -------------------------------------------------------------------

    def working_hours(self: Book, staff_id: int) -> WorkingHours | None:
        return store.hours([staff_id]).get(staff_id)

    def set_working_hours(self: Book, staff_id: int, hours: WorkingHours) -> None:
        with self.db.atomic():
            catalog.get_staff(staff_id)
            store.set_hours(staff_id, hours)

    def absences(self: Book, first: date, last: date, staff_id: int | None = None) -> list[Absence]:
        window = Interval(
            day_bounds_utc(first, self.zone()).start, day_bounds_utc(last, self.zone()).end
        )
        return store.absences(window, None if staff_id is None else [staff_id])

    def add_absence(
        self: Book,
        staff_id: int,
        start: datetime,
        end: datetime,
        reason: str = "other",
        note: str = "",
    ) -> tuple[Absence, list[Visit]]:
        """Record an absence; returns it with the active appointments it touches (the call list)."""
        try:
            reason_value = AbsenceReason(reason)
        except ValueError:
            raise ValidationError(
                f"Reason must be one of {', '.join(r.value for r in AbsenceReason)}.", "reason"
            ) from None
        with self.db.atomic():
            catalog.get_staff(staff_id)
            absence = Absence(staff_id, Interval(start, end), reason_value, note=note)
            absence = dataclasses.replace(absence, id=store.insert_absence(absence, self.clock()))
        log.info("absence %s for staff %s", absence.id, staff_id)
        return absence, self.affected_by(absence)

    def affected_by(self: Book, absence: Absence) -> list[Visit]:
        found = [a for a in store.in_window(absence.interval, [absence.staff_id]) if a.active]
        return self._visits(found)

    def remove_absence(self: Book, absence_id: int) -> None:
        with self.db.atomic():
            store.delete_absence(absence_id)

    # reading ------------------------------------------------------------------------------

    def day(self: Book, day: date, staff_id: int | None = None) -> DaySchedule:
        """One day: a column per staff member who works that day or has appointments on it.

        Four plain queries (staff, hours, absences, and the appointments with their customers,
        first-visit flags and services in one round trip): the day view runs this on every
        day switch."""
        tz = self.zone()
        bounds = day_bounds_utc(day, tz)
        people = [catalog.get_staff(staff_id)] if staff_id else self.staff(include_inactive=False)
        ids = [s.id for s in people]
        hours = store.hours(ids)
        names = {s.id: s.name for s in people}
        mine: dict[int, list[Visit]] = {i: [] for i in ids}
        for a, name, phone, first in store.day_visits(bounds, ids):
            mine[a.staff_id].append(Visit(a, name, phone, names.get(a.staff_id, ""), first))
        mine = self._risk_by_staff(mine)
        gone: dict[int, list[Absence]] = {i: [] for i in ids}
        for absence in store.absences(bounds, ids):
            gone[absence.staff_id].append(absence)
        columns = []
        for person in people:
            working = _working(hours[person.id], day, tz) if person.id in hours else (bounds,)
            if working or mine[person.id] or staff_id:
                columns.append(
                    StaffColumn(person, working, tuple(gone[person.id]), tuple(mine[person.id]))
                )
        return DaySchedule(day, tz, bounds, tuple(columns))

    def _risk_by_staff(self: Book, mine: dict[int, list[Visit]]) -> dict[int, list[Visit]]:
        """The same columns with no-show risk on their open appointments (usecases.risk)."""
        scored = self.with_risk([v for visits in mine.values() for v in visits])
        out: dict[int, list[Visit]] = {staff: [] for staff in mine}
        for v in scored:
            out[v.appointment.staff_id].append(v)
        return out

    def change_stamp(self: Book) -> object | None:
        """Equal stamps mean nothing was written to the book in between (None: can't tell).
        The day view keeps prefetched days only while the stamp stays the same."""
        return store.change_stamp()

    def week(self: Book, staff_id: int, day: date) -> list[DaySchedule]:
        monday = day - timedelta(days=day.weekday())
        return [self.day(monday + timedelta(days=i), staff_id) for i in range(7)]

    def _visits(
        self: Book, found: list[Appointment], staff: dict[int, str] | None = None
    ) -> list[Visit]:
        customer_ids = sorted({a.customer_id for a in found})
        rows = {c.id: c for c in customers.summaries(customer_ids)}
        firsts = store.first_visit_starts(customer_ids)
        if staff is None:
            staff = {s.id: s.name for s in self.staff()}
        out = []
        for a in found:
            c = rows.get(a.customer_id)
            out.append(
                Visit(
                    a,
                    c.name if c else f"#{a.customer_id}",
                    c.phones[0] if c and c.phones else "",
                    staff.get(a.staff_id, ""),
                    firsts.get(a.customer_id) == a.start,
                )
            )
        return self.with_risk(out)

    def appointment(self: Book, appointment_id: int) -> AppointmentDetail:
        visit = self._visits([store.load(appointment_id)])[0]
        return AppointmentDetail(visit, tuple(store.history(appointment_id)))

    def customer_appointments(self: Book, customer_id: int) -> list[Appointment]:
        return store.for_customer(customer_id)

    # booking ------------------------------------------------------------------------------

    def _lines(self: Book, service_ids: tuple[int, ...]) -> list[ServiceLine]:
        if not service_ids:
            raise ValidationError("Pick at least one service.", "services")
        lines = []
        for service_id in service_ids:
            try:
                service = catalog.get_service(service_id)
            except NotFoundError as exc:
                raise ValidationError(str(exc), "services") from None
            lines.append(
                ServiceLine(service.id, service.name, service.duration_min, service.price_minor)
            )
        return lines

    def _draft(self: Book, req: BookingRequest) -> Appointment:
        """Check the request's ids and numbers; the result is not yet checked for time clashes."""
        if req.start.tzinfo is None:
            raise ValidationError("The start time needs a time zone.", "start")
        if req.source not in SOURCES:
            raise ValidationError(f"Source must be one of: {', '.join(SOURCES)}.", "source")
        try:
            customer = customers.load(req.customer_id)
        except NotFoundError as exc:
            raise ValidationError(str(exc), "customer") from None
        if customer.archived:
            raise ValidationError(
                f"{customer.name} is archived; restore the card first.", "customer"
            )
        try:
            staff = catalog.get_staff(req.staff_id)
        except NotFoundError as exc:
            raise ValidationError(str(exc), "staff") from None
        if not staff.active:
            raise ValidationError(f"{staff.name} no longer works here.", "staff")
        lines = self._lines(req.service_ids)
        minutes = req.minutes if req.minutes is not None else sum(x.duration_min for x in lines)
        if not 0 < minutes <= store.MAX_MINUTES:
            raise ValidationError("An appointment lasts from one minute to 24 hours.", "minutes")
        price = (
            req.price_minor if req.price_minor is not None else sum(x.price_minor for x in lines)
        )
        if price < 0:
            raise ValidationError("The price can't be negative.", "price")
        start = req.start.astimezone(self.zone()).astimezone(req.start.tzinfo)
        return Appointment(
            0,
            customer.id,
            staff.id,
            start,
            start + timedelta(minutes=minutes),
            self.clock(),
            S.BOOKED,
            price,
            tuple(lines),
            req.source,
            req.notes,
        )

    def _check_time(
        self: Book,
        a: Appointment,
        override: bool,
        exclude: int | None = None,
        flags: list[BookingWarning] | None = None,
    ) -> None:
        """Refuse an overlap (always); ask for an override for soft problems (and for
        ``flags``, such as the customer's deposit flag)."""
        clash = find_conflict(a.interval, store.busy(a.staff_id, a.interval), exclude=exclude)
        if clash is not None:
            raise ConflictError(self._clash_message(store.load(clash)))
        if override:
            return
        hours = store.hours([a.staff_id]).get(a.staff_id)
        absences = store.absences(a.interval, [a.staff_id])
        warnings = check_booking(a.interval, a.staff_id, hours, absences, self.clock(), self.zone())
        warnings = [*(flags or []), *warnings]
        if warnings:
            raise NeedsOverride(warnings)

    def _clash_message(self: Book, other: Appointment) -> str:
        # In storage: PostgreSQL's exclusion constraint words its refusals the same way.
        return store.clash_message(other, self.zone())

    def book(
        self: Book, req: BookingRequest, override: bool = False, series_id: int | None = None
    ) -> Appointment:
        with self.db.atomic():
            draft = dataclasses.replace(self._draft(req), series_id=series_id)
            flags = [] if override else self._booking_flags(draft)
            self._check_time(draft, override, flags=flags)
            new_id = store.insert(draft)
            store.add_change(new_id, StatusChange(self.clock(), None, S.BOOKED, reason=req.source))
        log.info("appointment %s booked", new_id)
        return store.load(new_id)

    def _editable(self: Book, appointment_id: int, version: int | None) -> Appointment:
        current = store.load(appointment_id)
        if version is not None and current.version != version:
            raise ConflictError(
                "This appointment was changed at another desk; it has been reloaded."
            )
        if not current.active or current.status == S.COMPLETED:
            raise ValidationError(
                f"A {current.status.label.lower()} appointment can't be moved.", "status"
            )
        return current

    def move(
        self: Book,
        appointment_id: int,
        start: datetime,
        staff_id: int | None = None,
        version: int | None = None,
        override: bool = False,
    ) -> Appointment:
        with self.db.atomic():
            current = self._editable(appointment_id, version)
            staff = staff_id or current.staff_id
            if staff != current.staff_id and not catalog.get_staff(staff).active:
                raise ValidationError("That staff member no longer works here.", "staff")
            moved = dataclasses.replace(
                current, staff_id=staff, start=start, end=start + (current.end - current.start)
            )
            self._check_time(moved, override, exclude=appointment_id)
            store.update(appointment_id, start_at=moved.start, end_at=moved.end, staff=staff)
        return store.load(appointment_id)

    def resize(
        self: Book,
        appointment_id: int,
        minutes: int,
        version: int | None = None,
        override: bool = False,
    ) -> Appointment:
        if not 0 < minutes <= store.MAX_MINUTES:
            raise ValidationError("An appointment lasts from one minute to 24 hours.", "minutes")
        with self.db.atomic():
            current = self._editable(appointment_id, version)
            resized = dataclasses.replace(current, end=current.start + timedelta(minutes=minutes))
            self._check_time(resized, override, exclude=appointment_id)
            store.update(appointment_id, end_at=resized.end)
        return store.load(appointment_id)
