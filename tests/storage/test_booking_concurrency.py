"""No double booking, ever: random operation sequences, and two desks racing for one slot."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.errors import ShopfrontError
from tests.conftest import Clock, add
from tests.storage.test_appointments import active_overlaps

BASE = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
operation = st.tuples(
    st.sampled_from(["book", "move", "resize", "cancel", "no_show"]),
    st.integers(0, 2),  # staff index
    st.integers(0, 40),  # quarter hours after 09:00
    st.integers(1, 8),  # length in quarter hours
    st.integers(0, 30),  # which existing appointment
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(operation, min_size=5, max_size=40))
def test_random_operations_never_leave_an_overlap(tmp_path_factory, ops) -> None:
    path = tmp_path_factory.mktemp("prop") / "book.db"
    book = Book.open(str(path), clock=Clock(datetime(2026, 11, 23, tzinfo=UTC)))
    try:
        from shopfront.core.customers import Service, Staff

        staff = [book.save_staff(Staff(f"S{i}")).id for i in range(3)]
        service = book.save_service(Service("Cut", 15, 1000)).id
        customer = add(book, "Ann Lee", "07400 123456").id
        ids: list[int] = []
        for kind, who, slot, length, pick in ops:
            start = BASE + timedelta(minutes=15 * slot)
            try:
                if kind == "book":
                    a = book.book(
                        BookingRequest(
                            customer, staff[who], (service,), start, minutes=15 * length
                        ),
                        override=True,
                    )
                    ids.append(a.id)
                elif ids and kind == "move":
                    book.move(ids[pick % len(ids)], start, staff_id=staff[who], override=True)
                elif ids and kind == "resize":
                    book.resize(ids[pick % len(ids)], 15 * length, override=True)
                elif ids:
                    book.set_status(
                        ids[pick % len(ids)], "cancelled" if kind == "cancel" else "no_show"
                    )
            except ShopfrontError:
                pass  # refusals are fine; an overlap is not
            assert active_overlaps(book) == 0
    finally:
        book.close()


def test_two_connections_racing_for_one_slot_one_wins(shop: Book) -> None:
    """Two desks (two connections, here two threads) book the same slot at the same moment."""
    customer = add(shop, "Ann Lee", "07400 123456").id
    start = datetime(2026, 12, 1, 10, tzinfo=UTC)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def desk() -> None:
        barrier.wait()
        try:
            shop.book(BookingRequest(customer, 1, (1,), start), override=True)
            outcomes.append("booked")
        except ShopfrontError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            shop.db.close()

    threads = [threading.Thread(target=desk) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ConflictError"] * 7 + ["booked"]
    assert active_overlaps(shop) == 0


DESK = textwrap.dedent("""
    import sys
    from datetime import datetime, timedelta, UTC
    from shopfront.book import Book
    from shopfront.core.booking import BookingRequest
    from shopfront.errors import ConflictError
    book = Book.open(sys.argv[1])
    booked = conflicts = 0
    for i in range(int(sys.argv[2])):
        start = datetime(2026, 12, 1, 9, tzinfo=UTC) + timedelta(minutes=15 * (i % 40))
        try:
            book.book(BookingRequest(1, 1, (1,), start, minutes=45), override=True)
            booked += 1
        except ConflictError:
            conflicts += 1
    print(booked, conflicts)
""")


def test_two_processes_booking_overlapping_slots_never_double_book(
    shop: Book, db_path: Path
) -> None:
    add(shop, "Ann Lee", "07400 123456")
    shop.close()
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", DESK, str(db_path), "120"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for proc in runs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(tuple(map(int, out.split())))
    assert sum(b + c for b, c in results) == 240  # every attempt answered: booked or refused
    book = Book.open(str(db_path))
    try:
        assert active_overlaps(book) == 0
        total = book.db.execute_sql("SELECT count(*) FROM appointment").fetchone()[0]
        assert total == sum(b for b, _ in results)
    finally:
        book.close()
