"""Export use cases: customers (CSV, vCard 3.0/4.0), appointments (CSV, .ics), the book.

Every export returns bytes; the caller writes them where the user asked. An .ics export
is parsed back with ``icalendar`` before it is handed over, so a file we write is one we
can read.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from shopfront.core.booking import Appointment
from shopfront.core.customers import Customer
from shopfront.core.localtime import Interval
from shopfront.errors import ValidationError
from shopfront.io import calendars, spreadsheets, vcards
from shopfront.storage import appointments as store
from shopfront.storage import customers
from shopfront.storage import records as r

if TYPE_CHECKING:
    from shopfront.book import Book

CUSTOMER_FORMATS = ("csv", "vcard", "vcard4", "json")
APPOINTMENT_FORMATS = ("csv", "ics", "json")
ALL_TIME = (datetime(1900, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))


def all_customers(include_archived: bool = True) -> list[Customer]:
    C = r.CustomerRecord
    query = C.select(C.id).where(C.merged_into.is_null()).order_by(C.sort_name, C.id)
    if not include_archived:
        query = query.where(C.archived_at.is_null())
    ids = [row[0] for row in query.tuples()]
    out: list[Customer] = []
    for start in range(0, len(ids), 500):
        out.extend(customers.load_many(ids[start : start + 500]))
    return out


class ExportingUseCases:
    """Mixed into Book; ``self`` is the Book."""

    def export_customers(self: Book, fmt: str = "csv") -> bytes:
        if fmt not in CUSTOMER_FORMATS:
            raise ValidationError(
                f"Customers export as one of: {', '.join(CUSTOMER_FORMATS)}.", "format"
            )
        if fmt == "json":
            from shopfront.usecases.book_json import book_document, dump

            return dump(book_document(self, appointments=False))
        cards = all_customers()
        if fmt == "csv":
            owners = {s.id: s.name for s in self.staff()}
            return spreadsheets.customers_csv(cards, owners)
        text = vcards.write_vcards(cards, "4.0" if fmt == "vcard4" else "3.0")
        return text.encode("utf-8")

    def export_book(self: Book) -> bytes:
        """Settings, staff, services, customers and appointments: one JSON document."""
        from shopfront.usecases.book_json import book_document, dump

        return dump(book_document(self))

    def export_window(self: Book, first: date | None, last: date | None) -> Interval:
        if first and last and last < first:
            raise ValidationError("The end date is before the start date.", "to")
        start = calendars.date_window(first, first, self.zone())[0] if first else ALL_TIME[0]
        end = calendars.date_window(last, last, self.zone())[1] if last else ALL_TIME[1]
        return Interval(start, end)

    def export_appointments(
        self: Book,
        fmt: str = "ics",
        first: date | None = None,
        last: date | None = None,
        staff_id: int | None = None,
    ) -> bytes:
        if fmt not in APPOINTMENT_FORMATS:
            raise ValidationError(
                f"Appointments export as one of: {', '.join(APPOINTMENT_FORMATS)}.", "format"
            )
        if staff_id is not None:
            self.get_staff(staff_id)  # NotFoundError names the missing id
        window = self.export_window(first, last)
        found = store.in_window(window, [staff_id] if staff_id is not None else None)
        if fmt == "json":
            from shopfront.usecases.book_json import appointment_json, dump

            return dump({"appointments": [appointment_json(a) for a in found]})
        people = {c.id: c for c in customers.load_many([a.customer_id for a in found])}
        staff = {s.id: s.name for s in self.staff()}
        if fmt == "csv":
            return spreadsheets.appointments_csv(self._csv_row(a, people, staff) for a in found)
        entries = [self._entry(a, people, staff) for a in found]
        name = self.settings.shop_name + (f" – {staff[staff_id]}" if staff_id else "")
        data = calendars.write_ics(entries, self.zone(), name)
        calendars.check_ics(data)
        return data

    def _csv_row(
        self: Book, a: Appointment, people: dict[int, Customer], staff: dict[int, str]
    ) -> list[object]:
        tz = self.zone()
        who = people.get(a.customer_id)
        return [
            a.id,
            a.start.astimezone(tz).isoformat(),
            a.end.astimezone(tz).isoformat(),
            a.minutes,
            staff.get(a.staff_id, ""),
            who.name if who else "",
            a.customer_id,
            who.phones[0].typed if who and who.phones else "",
            a.service_names,
            a.status.value,
            _money(a.price_minor),
            "" if a.final_price_minor is None else _money(a.final_price_minor),
            a.source,
            a.notes,
        ]

    def _entry(
        self: Book, a: Appointment, people: dict[int, Customer], staff: dict[int, str]
    ) -> calendars.CalendarEntry:
        who = people.get(a.customer_id)
        name = who.name if who else f"customer #{a.customer_id}"
        services = tuple(s.name for s in a.services)
        summary = f"{name} – {a.service_names}" if services else name
        return calendars.CalendarEntry(
            uid=f"shopfront-appointment-{a.id}",
            start=a.start,
            end=a.end,
            summary=summary,
            status=a.status.value,
            customer_name=name,
            customer_phone=who.phones[0].typed if who and who.phones else "",
            customer_email=who.emails[0].address if who and who.emails else "",
            staff_name=staff.get(a.staff_id, ""),
            services=services,
            price_minor=a.price_minor,
            notes=a.notes,
        )


def _money(minor: int) -> str:
    """Minor units as 45.00 (integer arithmetic: money is never a float)."""
    sign = "-" if minor < 0 else ""
    return f"{sign}{abs(minor) // 100}.{abs(minor) % 100:02d}"
