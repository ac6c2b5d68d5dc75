"""The demo's appointment book: deterministic, never double-booked, with believable habits."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.demo import DemoOptions, generate
from tests.conftest import NOW, Clock

ACTIVE = "status NOT IN ('cancelled', 'no_show')"
TABLES = (
    "appointment",
    "appointment_service",
    "status_change",
    "absence",
    "appointment_series",
    "working_hours",
)


def _make(path: Path, seed: int, customers: int = 150, years: int = 1) -> Book:
    book = Book.open(str(path), clock=Clock())
    generate(book, DemoOptions(customers=customers, years=years, seed=seed))
    return book


def _dump(book: Book) -> dict[str, list[tuple]]:
    return {t: book.db.execute_sql(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def _one(book: Book, sql: str) -> int:
    return book.db.execute_sql(sql).fetchone()[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Book]:
    """One small demo book shared by the read-only checks below (clock pinned to NOW)."""
    book = _make(tmp_path_factory.mktemp("demo") / "demo.db", seed=5, customers=500)
    yield book
    book.close()


def test_same_seed_same_appointments_other_seed_other_ones(tmp_path: Path) -> None:
    books = [_make(tmp_path / f"{name}.db", seed) for name, seed in (("a", 3), ("b", 3), ("c", 4))]
    try:
        a, b, c = map(_dump, books)
        assert len(a["appointment"]) > 100
        assert a == b
        assert a["appointment"] != c["appointment"]
    finally:
        for book in books:
            book.close()


def test_no_staff_member_has_overlapping_active_appointments(demo: Book) -> None:
    clashes = _one(
        demo,
        f"SELECT count(*) FROM (SELECT * FROM appointment WHERE {ACTIVE}) a"
        f" JOIN (SELECT * FROM appointment WHERE {ACTIVE}) b"
        " ON a.staff_id = b.staff_id AND a.id < b.id"
        " AND a.start_at < b.end_at AND b.start_at < a.end_at",
    )
    assert clashes == 0
    assert _one(demo, f"SELECT count(*) FROM appointment WHERE {ACTIVE}") > 1000


def test_no_show_late_cancel_and_rebooking_rates_are_believable(demo: Book) -> None:
    completed = _one(demo, "SELECT count(*) FROM appointment WHERE status = 'completed'")
    no_shows = _one(demo, "SELECT count(*) FROM appointment WHERE status = 'no_show'")
    assert 0.03 <= no_shows / (completed + no_shows) <= 0.12
    rebooked = _one(demo, "SELECT count(*) FROM appointment WHERE status='completed' AND rebooked")
    assert 0.35 <= rebooked / completed <= 0.65
    late = _one(demo, "SELECT count(*) FROM appointment WHERE late_cancel")
    by_shop = _one(demo, "SELECT count(*) FROM appointment WHERE cancelled_by = 'shop'")
    assert 0.01 <= late / completed <= 0.08 and by_shop > 0
    assert (
        _one(demo, "SELECT count(*) FROM appointment WHERE late_cancel AND cancelled_by='shop'")
        == 0
    )


def test_misses_rise_with_lead_time(demo: Book) -> None:
    def rate(condition: str) -> float:
        row = demo.db.execute_sql(
            "SELECT sum(status = 'no_show') * 1.0 / sum(status IN ('no_show', 'completed'))"
            f" FROM appointment WHERE {condition}"
        ).fetchone()
        return row[0]

    lead = "julianday(start_at) - julianday(booked_at)"
    assert rate(f"{lead} < 3") < rate(f"{lead} >= 14")


def test_every_appointment_has_its_history(demo: Book) -> None:
    missing = _one(
        demo,
        "SELECT count(*) FROM appointment a WHERE NOT EXISTS (SELECT 1 FROM status_change s"
        " WHERE s.appointment_id = a.id AND s.old IS NULL AND s.new = 'booked'"
        " AND s.at = a.booked_at)",
    )
    assert missing == 0
    wrong_last = _one(
        demo,
        "SELECT count(*) FROM appointment a WHERE a.status != (SELECT s.new FROM status_change s"
        " WHERE s.appointment_id = a.id ORDER BY s.at DESC, s.id DESC LIMIT 1)",
    )
    assert wrong_last == 0
    detail = demo.appointment(
        _one(demo, "SELECT min(id) FROM appointment WHERE status='completed'")
    )
    assert [c.new.value for c in detail.history][-2:] == ["arrived", "completed"]


def test_past_and_future_look_like_a_real_book(demo: Book) -> None:
    now = NOW.replace(tzinfo=None).isoformat(" ")
    future = demo.db.execute_sql(
        "SELECT DISTINCT status FROM appointment WHERE start_at > ?", (now,)
    ).fetchall()
    assert {s for (s,) in future} <= {"booked", "confirmed", "cancelled"}
    assert _one(demo, f"SELECT count(*) FROM status_change WHERE at > '{now}'") == 0
    assert _one(demo, f"SELECT count(*) FROM appointment WHERE booked_at > '{now}'") == 0
    last = _one(demo, "SELECT max(start_at) FROM appointment")
    assert last <= (NOW + timedelta(weeks=9)).replace(tzinfo=None).isoformat(" ")
    longest = "SELECT max(julianday(start_at) - julianday(booked_at)) FROM appointment"
    assert _one(demo, longest) <= 8 * 7 + 11  # eight weeks, give or take the nearest free day
    assert _one(demo, "SELECT count(*) FROM appointment WHERE series_id IS NOT NULL") > 0


def test_rebooking_at_checkout_books_the_next_visit_within_minutes(demo: Book) -> None:
    gaps = demo.db.execute_sql(
        "SELECT (SELECT min(julianday(n.booked_at)) FROM appointment n"
        "        WHERE n.customer_id = a.customer_id AND n.booked_at >= s.at) - julianday(s.at)"
        " FROM appointment a JOIN status_change s ON s.appointment_id = a.id"
        " AND s.new = 'completed' WHERE a.rebooked AND a.series_id IS NULL"
    ).fetchall()
    assert gaps and all(gap is not None and gap * 24 * 60 <= 15 for (gap,) in gaps)


def test_owners_do_most_visits(demo: Book) -> None:
    share = _one(
        demo,
        "SELECT sum(a.staff_id = c.owner_id) * 1000 / count(*) FROM appointment a"
        " JOIN customer c ON c.id = a.customer_id",
    )
    assert 700 <= share <= 900


def test_hours_and_a_sick_day_tomorrow_with_a_call_list(demo: Book) -> None:
    hours = [demo.working_hours(s.id) for s in demo.staff()]
    assert all(h is not None for h in hours)
    saturday_workers = sum(bool(h.spans_on(5)) for h in hours)
    sunday_workers = sum(bool(h.spans_on(6)) for h in hours)
    assert saturday_workers == 8 and sunday_workers == 0
    assert any(len(h.spans_on(1)) == 2 for h in hours)  # a lunch break
    tomorrow = demo.today() + timedelta(days=1)
    sick = [a for a in demo.absences(tomorrow, tomorrow) if a.reason == "sick"]
    assert len(sick) == 1
    affected = demo.affected_by(sick[0])
    assert affected and all(v.appointment.status.value in ("booked", "confirmed") for v in affected)
    reasons = {r for (r,) in demo.db.execute_sql("SELECT DISTINCT reason FROM absence")}
    assert reasons == {"sick", "holiday", "training"}


def test_past_sick_days_were_cancelled_by_the_shop(demo: Book) -> None:
    now = NOW.replace(tzinfo=None).isoformat(" ")
    active_on_absences = _one(
        demo,
        f"SELECT count(*) FROM appointment a JOIN absence b ON a.staff_id = b.staff_id"
        f" AND a.start_at < b.end_at AND b.start_at < a.end_at"
        f" WHERE a.{ACTIVE} AND a.start_at < '{now}'",
    )
    assert active_on_absences == 0


def test_the_demo_has_care_work_in_every_state(demo: Book) -> None:
    from shopfront.core.care import CallState, CaseStatus

    done = demo.followups(status="done")
    assert len(done) > 50 and all(f.outcome for f in done)
    assert demo.contacts(done[0].customer_id)  # the calls behind them are logged
    states = {c.status for c in demo.cases()}
    assert {CaseStatus.OPEN, CaseStatus.FIX_PROMISED, CaseStatus.CLOSED} <= states
    tomorrow = demo.today() + timedelta(days=1)
    [sick] = [a for a in demo.absences(tomorrow, tomorrow) if a.reason == "sick"]
    rows = demo.call_list(sick.id).rows
    assert CallState.TOLD in {r.state for r in rows}
    assert len(rows) <= 2 or {r.state for r in rows} != {CallState.TOLD}  # some still to call
    assert demo.care_scan().total == 0  # the demo already ran today's scan
