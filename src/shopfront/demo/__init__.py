"""The demo book: a realistic, deterministic shop for trying shopfront and for scale tests.

Built in stages (shop, staff, services, customers, then hours, absences and the appointment
history; later issues add follow-ups and cases) from seeded random generators, so ``--seed``
and the book's clock reproduce the same book. Bulk rows go through ``executemany`` on
peewee's own connection inside one transaction (``Model.insert_many`` was measured 16x
slower for large books), so a failed run leaves the book empty.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from shopfront.book import Book
from shopfront.core.customers import Role, Service, ShopSettings, Staff
from shopfront.demo import customers as demo_customers
from shopfront.demo.appointments import add_appointments
from shopfront.demo.care import add_care
from shopfront.demo.names import SERVICES, STAFF
from shopfront.errors import ValidationError

Progress = Callable[[str, float], None]
CHUNK = 5000


@dataclass(frozen=True)
class DemoOptions:
    customers: int = 3000
    years: int = 2
    seed: int = 1


@dataclass(frozen=True)
class DemoResult:
    staff: int
    services: int
    customers: int
    appointments: int = 0


DEMO_SETTINGS = ShopSettings(
    shop_name="Studio Lumière", timezone="Europe/London", phone_region="GB", currency="GBP"
)


def generate(book: Book, options: DemoOptions, progress: Progress | None = None) -> DemoResult:
    """Fill an empty book with a demo shop. Refuses a book that already has customers."""
    if not 1 <= options.customers <= 1_000_000:
        raise ValidationError("--customers must be between 1 and 1,000,000.", "customers")
    if not 1 <= options.years <= 20:
        raise ValidationError("--years must be between 1 and 20.", "years")
    if book.customer_count(include_archived=True) or book.staff():
        raise ValidationError(
            "The demo only fills an empty book, and this one already has data. "
            "Pick a new file with --db.",
            "db",
        )
    report = progress or (lambda _stage, _fraction: None)
    if not book.on_sqlite:
        return _generate_on_server(book, options, report)
    rng = random.Random(options.seed)
    now = book.clock()
    with book.db.atomic():
        book.save_settings(DEMO_SETTINGS)
        staff_ids = _add_staff(book)
        _add_services(book)
        report("customers", 0.0)
        people = _add_customers(book, rng, options, staff_ids, now, report)
        report("appointments", 0.0)
        visits = add_appointments(book, people, staff_ids, options.seed, options.years, report)
    report("care", 0.0)
    add_care(book, options.seed)
    report("done", 1.0)
    return DemoResult(len(staff_ids), len(SERVICES), options.customers, visits)


def _generate_on_server(book: Book, options: DemoOptions, report: Progress) -> DemoResult:
    """PostgreSQL: build the same book in a temporary SQLite file (the bulk writes are
    SQLite SQL), then move it in the way "share this book" does."""
    with tempfile.TemporaryDirectory() as folder:
        scratch = Book.open(str(Path(folder) / "demo.db"), clock=book.clock)
        try:
            result = generate(scratch, options, report)
        finally:
            scratch.close()
        book.copy_in(Path(folder) / "demo.db")
    return result


def _add_staff(book: Book) -> list[int]:
    return [
        book.save_staff(Staff(name, role=Role(role), colour=colour)).id
        for name, role, colour in STAFF
    ]


def _add_services(book: Book) -> None:
    for category, name, minutes, price, followup in SERVICES:
        book.save_service(Service(name, minutes, price, category=category, followup_days=followup))


def _add_customers(
    book: Book,
    rng: random.Random,
    options: DemoOptions,
    staff_ids: list[int],
    now: datetime,
    report: Progress,
) -> list[demo_customers.DemoCustomer]:
    start = now - timedelta(days=365 * options.years)
    people = demo_customers.generate(
        rng, options.customers, DEMO_SETTINGS.phone_region, staff_ids, start, now
    )
    people.sort(key=lambda c: c.created_at)
    for new_id, person in enumerate(people, start=1):
        person.id = new_id  # ids follow creation order, as in a real book
    cursor = book.db.cursor()
    for first in range(0, len(people), CHUNK):
        _write_chunk(cursor, people[first : first + CHUNK])
        report("customers", min(1.0, (first + CHUNK) / len(people)))
    return people


def _write_chunk(cursor, people: list[demo_customers.DemoCustomer]) -> None:
    rows, phones, emails, search, events = [], [], [], [], []
    for person in people:
        row, p, e, s = demo_customers.customer_rows(person)
        rows.append(row)
        phones += p
        emails += e
        search.append(s)
        events.append((person.id, row[14], "created", "Card created (demo)"))
    cursor.executemany(
        "INSERT INTO customer (id, name, sort_name, call_name, birth_year, birth_month, birth_day, notes,"
        " preferences, tags, marketing_consent, owner_id, backup_id, source, created_at,"
        " updated_at, archived_at, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    cursor.executemany(
        "INSERT INTO customer_phone (customer_id, e164, typed, label, position) VALUES (?,?,?,?,?)",
        phones,
    )
    cursor.executemany(
        "INSERT INTO customer_email (customer_id, address, normalised, label, position)"
        " VALUES (?,?,?,?,?)",
        emails,
    )
    cursor.executemany(
        "INSERT INTO customer_fts (rowid, name, phone, email, tags) VALUES (?,?,?,?,?)", search
    )
    cursor.executemany(
        "INSERT INTO customer_event (customer_id, at, kind, summary) VALUES (?,?,?,?)", events
    )


def utc(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)
