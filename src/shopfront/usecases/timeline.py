"""The customer timeline's appointment entries: each visit and each change of its status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.customers import TimelineEntry
from shopfront.core.localtime import format_time
from shopfront.storage import appointments as store

if TYPE_CHECKING:
    from shopfront.book import Book


def appointment_entries(book: Book, customer_id: int) -> list[TimelineEntry]:
    tz = book.zone()
    staff = {s.id: s.name for s in book.staff()}
    visits = {a.id: a for a in store.for_customer(customer_id)}
    entries = []
    for a in visits.values():
        when = a.start.astimezone(tz)
        upcoming = a.status in (AppointmentStatus.BOOKED, AppointmentStatus.CONFIRMED)
        tense = "Upcoming" if upcoming and a.start > book.clock() else a.status.label
        summary = f"{tense}: {a.service_names} with {staff.get(a.staff_id, '?')}, {when:%d %b %Y} {format_time(when)}"
        if a.status == AppointmentStatus.NO_SHOW and a.excused:
            summary += f" (excused: {a.excuse_reason})"
        entries.append(TimelineEntry(a.start, "appointment", summary))
    for appointment_id, change in store.changes_for_customer(customer_id):
        if change.old is None:
            continue  # the booking itself is the appointment entry
        a = visits[appointment_id]
        reason = f" — {change.reason}" if change.reason else ""
        entries.append(
            TimelineEntry(
                change.at,
                "status",
                f"{a.start.astimezone(tz):%d %b} {a.service_names}: {change.old.label} → {change.new.label}{reason}",
            )
        )
    return entries
