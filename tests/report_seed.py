"""A small shop with a hand-checked October 2026, shared by the report tests.

Every number the tests expect is worked out in the comments of ``EXPECTED``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
NASTY = ("Ana <b>", "R&D", '<img src="/etc/hostname"/>', "Zoë Łukasz Дмитрий", "Old Timer")

# October 2026 in London: six appointments (5, 6, 7, 8, 9, 26 Oct), four booked in October
# (the 6th, 7th, 9th and 26th), three completed (4800 + 13700 + 8500), one excused no-show,
# one late and one on-time cancellation. Ana came on 2 Aug (her first visit: the retention
# cohort, back on 5 Oct within 90 days), rebooked at checkout on 5 Oct for the 26th; R&D's
# next visit (10 Nov) was booked two days after checkout: rebooked "any", not "24 h".
EXPECTED = {
    "appointments": 6,
    "bookings_made": 4,
    "completed": 3,
    "cancelled": 2,
    "cancelled_late": 1,
    "no_shows": 1,
    "no_shows_excused": 1,
    "no_show_rate": 25.0,  # 1 / (3 + 1)
    "late_cancel_rate": 16.7,  # 1 / 6
    "revenue_minor": 27000,
    "customers": 2,
    "new_customers": 1,
    "returning_customers": 1,
    "first_visit_retention_90d": 100.0,
    "rebooking_rate_24h": 33.3,
    "rebooking_rate_any": 66.7,
    "avg_days_between_visits": 42.5,  # 64 days (2 Aug -> 5 Oct) and 21 (5 -> 26 Oct)
}


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def seed_october(book: Book, clock) -> dict[str, int]:
    """Customers with awkward names and the October above; returns their ids by name."""
    ids = {name: add(book, name, f"07400 10000{i}").id for i, name in enumerate(NASTY)}
    ana, rd, img, zoe, old = (ids[n] for n in NASTY)
    maya, tom = (s.id for s in book.staff())
    cut, colour = (s.id for s in sorted(book.services(), key=lambda s: s.price_minor))

    def book_at(when: datetime, customer: int, staff: int, services: tuple[int, ...], made):
        clock.now = made.astimezone(UTC)
        return book.book(BookingRequest(customer, staff, services, when), override=True).id

    def complete(aid: int, when: datetime, price: int | None = None, nxt=None) -> None:
        clock.now = when.astimezone(UTC)
        book.set_status(aid, "arrived")
        book.checkout(aid, price, nxt, override=True)

    first = book_at(at(5, 1, 10), old, maya, (cut,), at(4, 20, 9))
    complete(first, at(5, 1, 11))
    aug = book_at(at(8, 2, 10), ana, maya, (cut,), at(7, 20, 9))
    complete(aug, at(8, 2, 11), 5200)
    oct5 = book_at(at(10, 5, 10), ana, maya, (cut,), at(9, 1, 9))
    complete(oct5, at(10, 5, 11), 4800, BookingRequest(ana, tom, (colour,), at(10, 26, 10)))
    oct6 = book_at(at(10, 6, 10), rd, maya, (colour, cut), at(10, 1, 9))
    complete(oct6, at(10, 6, 12, 30))
    book_at(at(11, 10, 10), rd, maya, (cut,), at(10, 8, 12))
    oct7 = book_at(at(10, 7, 10), img, tom, (cut,), at(10, 2, 9))
    clock.now = at(10, 7, 11).astimezone(UTC)
    book.set_status(oct7, "no_show")
    book.excuse_no_show(oct7, "Hospital appointment")
    oct8 = book_at(at(10, 8, 14), zoe, tom, (cut,), at(9, 1, 9))
    clock.now = at(10, 8, 9).astimezone(UTC)
    book.set_status(oct8, "cancelled", cancelled_by="customer")
    oct9 = book_at(at(10, 9, 14), zoe, maya, (cut,), at(10, 3, 9))
    clock.now = at(10, 3, 12).astimezone(UTC)
    book.set_status(oct9, "cancelled", cancelled_by="customer")
    oct26 = book.day(date(2026, 10, 26)).visits[0].appointment.id
    complete(oct26, at(10, 26, 12), 8500)
    clock.now = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
    return ids


def seed_care(book: Book, ids: dict[str, int]) -> None:
    """One follow-up done on time, one overdue; one promise past its date (an open case)."""
    from shopfront.storage import records as r

    maya, tom = (s.id for s in book.staff())
    made = datetime(2026, 10, 1, 9, 0)
    with book.db.atomic():
        # The care policies may have created follow-ups of their own: start from a known set.
        r.FollowupRecord.delete().execute()
        r.CaseRecord.delete().execute()
        r.FollowupRecord.insert(
            customer=ids["Ana <b>"],
            reason="after_visit",
            due=date(2026, 10, 10),
            staff=maya,
            status="done",
            created_at=made,
            done_at=datetime(2026, 10, 10, 15, 0),
            outcome="Happy with the colour",
        ).execute()
        r.FollowupRecord.insert(
            customer=ids["R&D"],
            reason="first_visit",
            due=date(2026, 10, 12),
            staff=tom,
            status="open",
            created_at=made,
        ).execute()
        r.CaseRecord.insert(
            customer=ids["R&D"],
            opened_at=datetime(2026, 10, 6, 13, 0),
            words="Colour <too> dark & patchy",
            fix="Free toner",
            fix_due=date(2026, 10, 15),
            owner=maya,
            status="fix_promised",
        ).execute()
