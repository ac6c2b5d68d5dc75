"""Several desks on one PostgreSQL book: no lost update, no double booking (issue 8, item 8).

Runs in the PostgreSQL pass of the suite (``SHOPFRONT_TEST_DB``, see
packaging/with_postgres.sh); the same races on SQLite are in test_booking_concurrency.
Each desk is a separate process with its own connection, as at a real second desk.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.errors import ConflictError
from tests.conftest import add
from tests.storage.test_appointments import active_overlaps

START = datetime(2026, 12, 1, 10, tzinfo=UTC)

EDITOR = textwrap.dedent("""
    import json, sys
    from shopfront.book import Book
    from shopfront.errors import ConflictError
    book = Book.open(sys.argv[1])
    applied, conflicts = [], 0
    for i in range(int(sys.argv[2])):
        seen = book.appointment(1).visit.appointment.version  # read ...
        try:  # ... then write, based on what was read
            book.resize(1, 30 + 15 * (i % 4), version=seen, override=True)
            applied.append(seen)
        except ConflictError:
            conflicts += 1
    print(json.dumps({"applied_from": applied, "conflicts": conflicts}))
""")

BOOKER = textwrap.dedent("""
    import sys
    from datetime import UTC, datetime, timedelta
    from shopfront.book import Book
    from shopfront.core.booking import BookingRequest
    from shopfront.errors import ConflictError
    book = Book.open(sys.argv[1])
    booked = refused = 0
    for i in range(int(sys.argv[2])):
        start = datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(minutes=5 * (i % 120))
        try:
            book.book(BookingRequest(1, 1, (1,), start, minutes=45), override=True)
            booked += 1
        except ConflictError:
            refused += 1
    print(booked, refused)
""")


@pytest.fixture
def pg_shop(server: object, shop: Book) -> Book:
    """The ``shop`` fixture, on the PostgreSQL test server only."""
    add(shop, "Ann Lee", "07400 123456")
    return shop


def desks(script: str, url: str, rounds: int, count: int = 2) -> list[str]:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, url, str(rounds)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]
    outputs = []
    for proc in runs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err  # no unhandled lock or server error
        outputs.append(out)
    return outputs


def test_two_desks_editing_one_appointment_lose_nothing(pg_shop: Book) -> None:
    first = pg_shop.book(BookingRequest(1, 1, (1,), START, minutes=60), override=True)
    assert first.id == 1 and first.version == 1
    results = [json.loads(out) for out in desks(EDITOR, pg_shop.location, 300)]
    applied = [v for r in results for v in r["applied_from"]]
    conflicts = sum(r["conflicts"] for r in results)
    assert len(applied) + conflicts == 600  # every edit applied or reported
    # A lost update is two saves built on the same version; every applied save must
    # have started from a different one, and together they account for the version.
    assert len(set(applied)) == len(applied)
    assert pg_shop.appointment(1).visit.appointment.version == 1 + len(applied)
    assert applied and conflicts  # the desks really raced


def test_two_desks_booking_overlapping_slots_never_double_book(pg_shop: Book) -> None:
    outputs = desks(BOOKER, pg_shop.location, 500)
    counts = [tuple(map(int, out.split())) for out in outputs]
    assert sum(b + r for b, r in counts) == 1000
    assert active_overlaps(pg_shop) == 0
    total = pg_shop.db.execute_sql("SELECT count(*) FROM appointment").fetchone()[0]
    assert total == sum(b for b, _ in counts) > 0


def test_the_exclusion_constraint_refuses_with_the_readable_message(
    pg_shop: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even a write that skipped the check (another client, a bug) can't double-book, and
    the refusal reads exactly like the check's."""
    from shopfront.usecases import appointments as booking

    held = pg_shop.book(BookingRequest(1, 1, (1,), START, minutes=60), override=True)
    with pytest.raises(ConflictError) as checked:
        pg_shop.book(BookingRequest(1, 1, (1,), START, minutes=30), override=True)
    monkeypatch.setattr(booking, "find_conflict", lambda *_a, **_k: None)  # check skipped
    with pytest.raises(ConflictError) as refused:
        pg_shop.book(BookingRequest(1, 1, (1,), START, minutes=30), override=True)
    assert str(refused.value) == str(checked.value)
    assert f"#{held.id}" in str(refused.value)
    monkeypatch.undo()
    assert active_overlaps(pg_shop) == 0
    assert pg_shop.db.execute_sql("SELECT count(*) FROM appointment").fetchone()[0] == 1
