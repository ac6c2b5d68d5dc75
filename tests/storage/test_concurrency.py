"""Two desks (two processes) at once: no lost update, no double booking, no lock errors.

``db_target`` yields the book each test uses (here a SQLite file); the PostgreSQL suite
extends it with a server URL, and every test below runs unchanged against both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.customers import Service, Staff
from tests.conftest import add

EDITS = int(os.environ.get("SHOPFRONT_CONCURRENT_EDITS", "300"))
BOOKINGS = int(os.environ.get("SHOPFRONT_CONCURRENT_BOOKINGS", "500"))
START = datetime(2026, 12, 1, 9, tzinfo=UTC)


@pytest.fixture
def db_target(db_url: str) -> Iterator[str]:
    """The book both desks open: a SQLite file path, or on PostgreSQL runs a fresh server
    database (``db_url`` in tests/conftest.py)."""
    yield db_url


def prepared(target: str) -> tuple[int, int, int]:
    """A shop with one staff member, one service, one customer: (staff, service, customer)."""
    book = Book.open(target)
    try:
        staff = book.save_staff(Staff("Maya Okafor")).id
        service = book.save_service(Service("Cut", 45, 4000)).id
        customer = add(book, "Ann Lee", "07400 123456").id
        return staff, service, customer
    finally:
        book.close()


def run_desks(script: str, *args: object) -> list[dict[str, int]]:
    """Start two desks at once; each prints its JSON tally."""
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    tallies = []
    for desk in desks:
        out, err = desk.communicate(timeout=600)
        assert desk.returncode == 0, err[-2000:]
        tally = json.loads(out.strip().splitlines()[-1])
        tally["errors"] = err.strip()[-2000:]  # what any "other error" was
        tallies.append(tally)
    return tallies


EDIT_DESK = """
    import json, sys
    from shopfront.book import Book
    from shopfront.errors import ConflictError
    book = Book.open(sys.argv[1])
    appointment_id, rounds = int(sys.argv[2]), int(sys.argv[3])
    tally = {"applied": 0, "conflicts": 0, "other_errors": 0}
    for i in range(rounds):
        seen = book.appointment(appointment_id).visit.appointment  # read ...
        try:  # ... then write, based on what was read
            book.resize(appointment_id, 30 + (i % 4) * 15, version=seen.version, override=True)
            tally["applied"] += 1
        except ConflictError:
            tally["conflicts"] += 1
        except Exception as exc:
            tally["other_errors"] += 1
            print(type(exc).__name__, exc, file=sys.stderr)
    book.close()
    print(json.dumps(tally))
"""


def test_two_desks_editing_one_appointment_lose_nothing_silently(db_target: str) -> None:
    staff, service, customer = prepared(db_target)
    book = Book.open(db_target)
    appointment = book.book(BookingRequest(customer, staff, (service,), START), override=True)
    book.close()
    tallies = run_desks(EDIT_DESK, db_target, appointment.id, EDITS)
    applied = sum(t["applied"] for t in tallies)
    assert sum(t["other_errors"] for t in tallies) == 0, [t["errors"] for t in tallies]
    assert applied + sum(t["conflicts"] for t in tallies) == 2 * EDITS
    assert all(t["applied"] > 0 for t in tallies)
    book = Book.open(db_target)
    try:
        final = book.appointment(appointment.id).visit.appointment
    finally:
        book.close()
    # Each applied edit moved the version on by exactly one: an edit that overwrote
    # another desk's without seeing it would show as applied without its own step.
    assert final.version - appointment.version == applied
    print(f"\nedits: {applied} applied, {2 * EDITS - applied} conflicts, 0 lost, 0 lock errors")


BOOKING_DESK = """
    import json, sys
    from datetime import datetime, timedelta, UTC
    from shopfront.book import Book
    from shopfront.core.booking import BookingRequest
    from shopfront.errors import ConflictError
    book = Book.open(sys.argv[1])
    staff, service, customer, rounds = map(int, sys.argv[2:6])
    tally = {"booked": 0, "conflicts": 0, "other_errors": 0}
    for i in range(rounds):
        start = datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(minutes=5 * (i % 120))
        try:
            book.book(BookingRequest(customer, staff, (service,), start), override=True)
            tally["booked"] += 1
        except ConflictError:
            tally["conflicts"] += 1
        except Exception as exc:
            tally["other_errors"] += 1
            print(type(exc).__name__, exc, file=sys.stderr)
    book.close()
    print(json.dumps(tally))
"""


def overlapping_pairs(book: Book) -> int:
    rows = book.db.execute_sql(
        "SELECT count(*) FROM appointment a JOIN appointment b ON a.id < b.id "
        "AND a.staff_id = b.staff_id AND a.start_at < b.end_at AND b.start_at < a.end_at "
        "WHERE a.status NOT IN ('cancelled', 'no_show') "
        "AND b.status NOT IN ('cancelled', 'no_show')"
    ).fetchone()
    return rows[0]


def test_two_desks_booking_overlapping_slots_never_double_book(db_target: str) -> None:
    staff, service, customer = prepared(db_target)
    tallies = run_desks(BOOKING_DESK, db_target, staff, service, customer, BOOKINGS)
    booked = sum(t["booked"] for t in tallies)
    assert sum(t["other_errors"] for t in tallies) == 0, [t["errors"] for t in tallies]
    assert booked + sum(t["conflicts"] for t in tallies) == 2 * BOOKINGS
    book = Book.open(db_target)
    try:
        assert overlapping_pairs(book) == 0
        total = book.db.execute_sql("SELECT count(*) FROM appointment").fetchone()[0]
        assert total == booked > 0
    finally:
        book.close()
    print(f"\nbookings: {booked} booked, {2 * BOOKINGS - booked} refused, 0 overlapping")
