"""Appointment use cases after booking: statuses and undo, checkout, slots, series.

Every change runs in one IMMEDIATE transaction (see usecases/appointments.py).
"""

from __future__ import annotations

import dataclasses
import logging
import statistics
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from shopfront.core.appointments import (
    AppointmentStatus,
    CancelledBy,
    StatusChange,
    check_transition,
    check_undo,
    is_late_cancel,
    too_early,
)
from shopfront.core.booking import Appointment, BookingRequest, NeedsOverride
from shopfront.core.localtime import Interval, LocalTimeError, local_to_utc
from shopfront.core.timeslots import (
    BookingWarning,
    Slot,
    WarningKind,
    find_conflict,
    find_free_slots,
)
from shopfront.core.workhours import Absence
from shopfront.errors import ConflictError, ValidationError
from shopfront.storage import appointments as store
from shopfront.storage import catalog

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
S = AppointmentStatus
DEFAULT_REBOOK_DAYS = 42


class VisitUseCases:
    """Mixed into Book; ``self`` is the Book."""

    # statuses -----------------------------------------------------------------------------

    def set_status(
        self: Book,
        appointment_id: int,
        status: AppointmentStatus | str,
        *,
        reason: str = "",
        cancelled_by: str | None = None,
        final_price_minor: int | None = None,
        by_staff_id: int | None = None,
        override: bool = False,
    ) -> Appointment:
        """Move along the lifecycle. Checking in before the appointment's day, or a no-show
        before its start, is asked about first (NeedsOverride) unless ``override``."""
        new = AppointmentStatus(status)
        now = self.clock()
        with self.db.atomic():
            current = store.load(appointment_id)
            check_transition(current.status, new)
            early = too_early(new, current.start, now, self.zone())
            if early and not override:
                warning = BookingWarning(WarningKind.TOO_EARLY, early)
                raise NeedsOverride([warning], f"Mark it {new.label.lower()} anyway?")
            values: dict[str, object] = {"status": new.value}
            if new == S.CANCELLED:
                who = CancelledBy(cancelled_by or CancelledBy.CUSTOMER)
                late = who == CancelledBy.CUSTOMER and is_late_cancel(
                    current.start, now, self.settings.late_cancel_hours
                )
                values.update(cancelled_by=who.value, late_cancel=late)
            if new == S.COMPLETED:
                price = current.price_minor if final_price_minor is None else final_price_minor
                if price < 0:
                    raise ValidationError("The price can't be negative.", "price")
                values["final_price_minor"] = price
            store.update(appointment_id, **values)
            store.add_change(
                appointment_id, StatusChange(now, current.status, new, by_staff_id, reason)
            )
        log.info("appointment %s %s -> %s", appointment_id, current.status.value, new.value)
        return store.load(appointment_id)

    def undo_status(self: Book, appointment_id: int, by_staff_id: int | None = None) -> Appointment:
        """Put back the status before the last change (today's changes only)."""
        now = self.clock()
        with self.db.atomic():
            current = store.load(appointment_id)
            changes = store.history(appointment_id)
            if not changes:
                raise ValidationError("This appointment has no history to undo.", "status")
            previous = check_undo(changes[-1], now, self.zone())
            restored = dataclasses.replace(current, status=previous)
            if restored.active and not current.active:
                clash = find_conflict(
                    restored.interval,
                    store.busy(current.staff_id, current.interval),
                    exclude=appointment_id,
                )
                if clash is not None:
                    raise ConflictError(
                        "Can't undo: the time was given away. "
                        + self._clash_message(store.load(clash))
                    )
            store.update(
                appointment_id,
                status=previous.value,
                cancelled_by=None,
                late_cancel=False,
                final_price_minor=None
                if current.status == S.COMPLETED
                else current.final_price_minor,
                excused=False,
                excuse_reason="",
            )
            store.add_change(
                appointment_id, StatusChange(now, current.status, previous, by_staff_id, "undo")
            )
        return store.load(appointment_id)

    def excuse_no_show(self: Book, appointment_id: int, reason: str) -> Appointment:
        if not reason.strip():
            raise ValidationError("Say why the no-show is excused.", "reason")
        with self.db.atomic():
            current = store.load(appointment_id)
            if current.status != S.NO_SHOW:
                raise ValidationError("Only a no-show can be excused.", "status")
            store.update(appointment_id, excused=True, excuse_reason=reason.strip())
        return store.load(appointment_id)

    # slots, checkout, series ---------------------------------------------------------------

    def free_slots(
        self: Book,
        service_ids: tuple[int, ...],
        staff_id: int | None = None,
        start_from: datetime | None = None,
        count: int = 5,
        minutes: int | None = None,
    ) -> list[Slot]:
        """The next free slots for these services with this person, or anyone who does them."""
        lines = self._lines(service_ids)
        duration = timedelta(minutes=minutes or sum(x.duration_min for x in lines))
        start = max(start_from or self.clock(), self.clock())
        people = [staff_id] if staff_id else [s.id for s in self.staff(include_inactive=False)]
        horizon = 60
        window = Interval(start, start + timedelta(days=horizon + 1))
        hours = store.hours(people)
        busy = {sid: [i for _, i in store.busy(sid, window)] for sid in people}
        absent: dict[int, list[Absence]] = {sid: [] for sid in people}
        for a in store.absences(window, people):
            absent[a.staff_id].append(a)
        return find_free_slots(
            duration,
            people,
            hours,
            absent,
            busy,
            start,
            self.zone(),
            self.settings.slot_minutes,
            count,
            horizon,
        )

    def rebook_interval(self: Book, appointment: Appointment) -> timedelta:
        """The customer's own rhythm (median days between visits), else the service's."""
        done = sorted(
            a.start for a in store.for_customer(appointment.customer_id) if a.status == S.COMPLETED
        )
        gaps = [(b - a).days for a, b in zip(done, done[1:], strict=False) if (b - a).days > 0]
        if len(gaps) >= 1:
            return timedelta(days=statistics.median(gaps))
        days = [
            s.followup_days
            for s in map(catalog.get_service, (x.service_id for x in appointment.services))
            if s.followup_days
        ]
        return timedelta(days=max(days) if days else DEFAULT_REBOOK_DAYS)

    def next_visit_slots(self: Book, appointment_id: int, count: int = 5) -> list[Slot]:
        a = store.load(appointment_id)
        start = a.start + self.rebook_interval(a)
        ids = tuple(x.service_id for x in a.services)
        return self.free_slots(ids, a.staff_id, start, count)

    def checkout(
        self: Book,
        appointment_id: int,
        final_price_minor: int | None = None,
        next_visit: BookingRequest | None = None,
        override: bool = False,
    ) -> tuple[Appointment, Appointment | None]:
        """Complete the visit and, in the same transaction, book the next one (or record that
        the customer did not rebook)."""
        with self.db.atomic():
            self.set_status(
                appointment_id, S.COMPLETED, final_price_minor=final_price_minor, override=override
            )
            following = self.book(next_visit, override) if next_visit else None
            store.update(appointment_id, rebooked=following is not None)
        return store.load(appointment_id), following

    def plan_series(
        self: Book,
        req: BookingRequest,
        every_weeks: int,
        until: date | None = None,
        count: int | None = None,
    ) -> list[tuple[datetime, str]]:
        """Each occurrence's start with its problem ('' when it can be booked)."""
        from shopfront.core.recurrence import expand_series

        tz = self.zone()
        local = req.start.astimezone(tz).replace(tzinfo=None)
        plan = []
        for occurrence in expand_series(local, every_weeks, tz, until=until, count=count):
            if occurrence.start is None:
                plan.append((occurrence.local_start.replace(tzinfo=tz), occurrence.problem))
                continue
            try:
                self._check_time(
                    self._draft(dataclasses.replace(req, start=occurrence.start)), override=False
                )
                plan.append((occurrence.start, ""))
            except ConflictError as exc:
                plan.append((occurrence.start, str(exc)))
            except NeedsOverride as exc:  # listed as problems; the question comes later
                plan.append((occurrence.start, " ".join(w.message for w in exc.warnings)))
        return plan

    def book_series(
        self: Book,
        req: BookingRequest,
        every_weeks: int,
        until: date | None = None,
        count: int | None = None,
        skip_problems: bool = False,
        override: bool = False,
    ) -> list[Appointment]:
        """Book every occurrence in one transaction; refuses if any has a problem, unless told
        to skip those. A customer flag (deposit required) asks once for the whole series
        (NeedsOverride) unless ``override``."""
        with self.db.atomic():
            plan = self.plan_series(req, every_weeks, until, count)
            problems = [(start, why) for start, why in plan if why]
            if problems and not skip_problems:
                first = problems[0]
                raise ConflictError(
                    f"{len(problems)} of {len(plan)} dates have a problem, e.g. "
                    f"{first[0].astimezone(self.zone()):%d %b %H:%M}: {first[1]}"
                )
            series_id = store.insert_series(every_weeks, self.clock())
            booked = [
                self.book(
                    dataclasses.replace(req, start=start), override=override, series_id=series_id
                )
                for start, why in plan
                if not why
            ]
        return booked

    def cancel_series(
        self: Book, appointment_id: int, cancelled_by: str = "customer"
    ) -> list[Appointment]:
        """Cancel this appointment and every later one of its series that is still booked."""
        with self.db.atomic():
            a = store.load(appointment_id)
            if a.series_id is None:
                return [self.set_status(appointment_id, S.CANCELLED, cancelled_by=cancelled_by)]
            members = [
                m
                for m in store.series_members(a.series_id, a.start)
                if m.status in (S.BOOKED, S.CONFIRMED)
            ]
            return [
                self.set_status(m.id, S.CANCELLED, cancelled_by=cancelled_by, reason="series")
                for m in members
            ]

    def move_series(
        self: Book,
        appointment_id: int,
        start: datetime,
        staff_id: int | None = None,
        override: bool = False,
    ) -> list[Appointment]:
        """Move this appointment and every later open one of its series by the same change
        of shop-local clock time (and to ``staff_id``), all or nothing."""
        tz = self.zone()
        with self.db.atomic():
            a = store.load(appointment_id)
            if a.series_id is None:
                return [self.move(appointment_id, start, staff_id, override=override)]
            shift = start.astimezone(tz).replace(tzinfo=None) - a.start.astimezone(tz).replace(
                tzinfo=None
            )
            members = [
                m
                for m in store.series_members(a.series_id, a.start)
                if m.status in (S.BOOKED, S.CONFIRMED)
            ]
            # Later ones first when moving later (earlier ones first when moving earlier):
            # a weekly visit moved a week on takes the slot its next one is leaving.
            order = sorted(members, key=lambda m: m.start, reverse=shift > timedelta(0))
            moved, warnings = [], []
            clashes: list[tuple[datetime, str]] = []
            for m in order:
                local = m.start.astimezone(tz).replace(tzinfo=None) + shift
                try:
                    when = local_to_utc(local, tz)
                    moved.append(self.move(m.id, when, staff_id, override=override))
                except LocalTimeError as exc:
                    raise ValidationError(f"{local:%d %b %Y}: {exc}", "start") from None
                except ConflictError as exc:
                    clashes.append((local, f"{local:%a %d %b %Y}: {exc}"))
                except NeedsOverride as exc:
                    warnings += [
                        dataclasses.replace(w, message=f"{local:%a %d %b %Y}: {w.message}")
                        for w in exc.warnings
                    ]
            if clashes:  # nothing is kept: the transaction rolls back
                raise ConflictError(
                    f"{len(clashes)} of {len(members)} appointments would clash, so none was "
                    "moved. " + " ".join(text for _, text in sorted(clashes))
                )
            if warnings:
                raise NeedsOverride(warnings)
        return sorted(moved, key=lambda m: m.start)

    def change_services(
        self: Book,
        appointment_id: int,
        service_ids: tuple[int, ...],
        *,
        later_too: bool = False,
        price_minor: int | None = None,
        version: int | None = None,
        override: bool = False,
    ) -> list[Appointment]:
        """Give this appointment, and with ``later_too`` every later open one of its series,
        these services: the start stays, the length and price follow the services (or
        ``price_minor``). All or nothing: if any of them would clash, nothing changes and
        every clashing date is named; soft problems (past closing time, an absence) are
        listed together and need ``override``."""
        lines = tuple(self._lines(tuple(service_ids)))
        minutes = sum(x.duration_min for x in lines)
        price = sum(x.price_minor for x in lines) if price_minor is None else price_minor
        if price < 0:
            raise ValidationError("The price can't be negative.", "price")
        with self.db.atomic():
            current = self._editable(appointment_id, version)
            members = [current]
            if later_too and current.series_id is not None:
                members += [
                    m
                    for m in store.series_members(current.series_id, current.start)
                    if m.id != current.id and m.status in (S.BOOKED, S.CONFIRMED)
                ]
            changed = [
                dataclasses.replace(
                    m, services=lines, end=m.start + timedelta(minutes=minutes), price_minor=price
                )
                for m in members
            ]
            self._check_all(changed, override)
            for m in changed:
                store.replace_lines(m.id, m.services)
                store.update(m.id, end_at=m.end, price_minor=m.price_minor)
        log.info("appointment %s: services changed on %s", appointment_id, len(changed))
        return [store.load(m.id) for m in changed]

    def _check_all(self: Book, changed: list[Appointment], override: bool) -> None:
        """Check every changed appointment before writing any: all clashes in one refusal."""
        if len(changed) == 1:
            self._check_time(changed[0], override, exclude=changed[0].id)
            return
        tz, clashes, warnings = self.zone(), [], []
        for a in changed:
            try:
                self._check_time(a, override, exclude=a.id)
            except ConflictError as exc:
                clashes.append(f"{_on_day(a, tz)}: {exc}")
            except NeedsOverride as exc:
                warnings += [
                    dataclasses.replace(w, message=f"{_on_day(a, tz)}: {w.message}")
                    for w in exc.warnings
                ]
        if clashes:
            raise ConflictError(
                f"{len(clashes)} of {len(changed)} appointments would clash, so none was "
                "changed. " + " ".join(clashes)
            )
        if warnings:
            raise NeedsOverride(warnings)


def _on_day(a: Appointment, tz: ZoneInfo) -> str:
    return f"{a.start.astimezone(tz):%a %d %b %Y}"
