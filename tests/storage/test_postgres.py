"""PostgreSQL mode: opening server books, moving a SQLite book in, a lost connection.

Runs in the PostgreSQL pass of the suite (packaging/with_postgres.sh); everything else
about books (search, booking, care, imports) runs there through the ordinary fixtures.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
import pytest

from shopfront.book import Book
from shopfront.cli import main
from shopfront.core.booking import BookingRequest
from shopfront.errors import DatabaseOpenError, ServerUnreachableError, ShopfrontError
from shopfront.storage import migrations
from tests.conftest import Clock, add


def sql(url: str, statement: str) -> None:
    conn = psycopg2.connect(url)
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute(statement)
    finally:
        conn.close()


@pytest.fixture
def empty_url(server) -> str:
    url = server.empty_database()
    yield url
    server.drop(url)


@pytest.fixture
def sqlite_book(tmp_path: Path, clock: Clock) -> Path:
    """A small SQLite book with customers (one merged away), appointments and history."""
    from shopfront.demo import DemoOptions, generate

    path = tmp_path / "desk.db"
    book = Book.open(str(path), clock=clock)
    try:
        generate(book, DemoOptions(customers=80, years=1, seed=2))
        book.merge_customers(1, 2)
    finally:
        book.close()
    return path


def test_an_empty_database_becomes_a_book_and_reopens(empty_url: str) -> None:
    Book.open(empty_url).close()
    book = Book.open(empty_url)
    try:
        assert migrations.current_version(book.db) == migrations.LATEST
        assert add(book, "Élodie O'Brien", "07400 123456").id == 1
        assert [c.name for c in book.search("obrien")] == ["Élodie O'Brien"]
        assert [c.name for c in book.search("elo 123456")] == ["Élodie O'Brien"]
    finally:
        book.close()


def test_another_applications_database_is_refused_untouched(empty_url: str) -> None:
    sql(empty_url, "CREATE TABLE invoices (id serial primary key)")
    with pytest.raises(DatabaseOpenError, match="another application"):
        Book.open(empty_url)
    conn = psycopg2.connect(empty_url)
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        assert cur.fetchall() == [("invoices",)]
    conn.close()


def test_a_book_from_a_newer_version_is_refused(server, db_url: str) -> None:
    sql(
        db_url,
        f"UPDATE shopfront_meta SET value = '{migrations.LATEST + 1}' WHERE key = 'schema_version'",
    )
    with pytest.raises(DatabaseOpenError, match="newer shopfront"):
        Book.open(db_url)


def test_sharing_copies_every_table_and_the_server_book_works(
    sqlite_book: Path, empty_url: str, clock: Clock
) -> None:
    desk = Book.open(str(sqlite_book), clock=clock)
    try:
        before = {c.id: c.name for c in desk.search("", include_archived=True, limit=500)}
        hits = [c.id for c in desk.search("ma")]
        report = desk.share_to(empty_url)
        assert desk.customer_count() == len(before)  # the desk's own book is still open
    finally:
        desk.close()
    assert report.customers == 80 and report.appointments > 0
    server = Book.open(empty_url, clock=clock)
    try:
        after = {c.id: c.name for c in server.search("", include_archived=True, limit=500)}
        assert after == before  # same ids, same names, merged card still hidden
        assert [c.id for c in server.search("ma")] == hits  # same search, same order
        for record_name, rows in report.counts.items():
            there = server.db.execute_sql(f'SELECT count(*) FROM "{record_name}"').fetchone()
            assert there[0] == rows, record_name
        fresh = add(server, "New Desk Customer", "07400 999000")
        assert fresh.id == 81  # ids continue after the copied ones
        booked = server.book(
            BookingRequest(fresh.id, 1, (1,), datetime(2026, 12, 2, 9, tzinfo=UTC)),
            override=True,
        )
        assert booked.id == report.appointments + 1
    finally:
        server.close()


def test_sharing_refuses_a_database_that_holds_a_book(
    server, sqlite_book: Path, db_url: str
) -> None:
    server = Book.open(db_url)
    add(server, "Already Here", "07400 111111")
    server.close()
    desk = Book.open(str(sqlite_book))
    try:
        with pytest.raises(ShopfrontError, match="not empty"):
            desk.share_to(db_url)
        assert desk.customer_count() > 0
    finally:
        desk.close()
    server = Book.open(db_url)
    try:
        assert [c.name for c in server.search("")] == ["Already Here"]
    finally:
        server.close()


def test_share_command_json_contract(
    sqlite_book: Path, empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["share", "--db", str(sqlite_book), "--to", empty_url, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"to", "customers", "appointments", "tables", "verified", "seconds"} <= set(data)
    assert data["customers"] == 80 and data["verified"] is True
    assert main(["share", "--db", str(sqlite_book), "--to", empty_url]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and err.count("\n") == 1 and "Traceback" not in err
    assert main(["share", "--db", str(sqlite_book), "--to", str(sqlite_book)]) == 2
    assert "postgresql://" in capsys.readouterr().err


def test_a_lost_connection_is_a_plain_error_and_the_next_call_reconnects(
    db_url: str, server
) -> None:
    book = Book.open(db_url)
    try:
        add(book, "Ann Lee", "07400 123456")
        name = db_url.rsplit("/", 1)[1]
        sql(
            server.url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname = '{name}' AND pid <> pg_backend_pid()",
        )
        with pytest.raises(ServerUnreachableError, match="can't be reached"):
            add(book, "Bob Stone", "07400 654321")
        assert [c.name for c in book.search("")] == ["Ann Lee"]  # reconnected; nothing half-saved
        add(book, "Bob Stone", "07400 654321")
        assert book.customer_count() == 2
    finally:
        book.close()
