"""Every released schema's fixture book upgrades to the newest schema without losing data."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.storage import migrations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
V1_TABLES = [
    "setting",
    "staff",
    "service",
    "customer",
    "customer_phone",
    "customer_email",
    "customer_event",
    "customer_fts",
]


def counts(path: Path, tables: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
    finally:
        conn.close()


@pytest.mark.parametrize("fixture", ["book_v1.db"])
def test_fixture_book_upgrades_with_every_row_kept(tmp_path: Path, fixture: str) -> None:
    path = tmp_path / fixture
    shutil.copy(FIXTURES / fixture, path)
    before = counts(path, V1_TABLES)
    assert before["customer"] == 40
    book = Book.open(str(path))
    try:
        assert migrations.current_version(book.db) == migrations.LATEST
        assert book.db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        assert book.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert book.customer(3).archived
        assert len(book.search("")) == 39
    finally:
        book.close()
    assert counts(path, V1_TABLES) == before
    assert list((tmp_path / "backups").glob(f"{path.stem}-before-v2-*.db"))


V2_TABLES = [
    *V1_TABLES,
    "working_hours",
    "absence",
    "appointment_series",
    "appointment",
    "appointment_service",
    "status_change",
]


def test_schema_2_book_gains_the_care_tables_with_every_row_kept(tmp_path: Path) -> None:
    path = tmp_path / "book_v2.db"
    shutil.copy(FIXTURES / "book_v2.db", path)
    before = counts(path, V2_TABLES)
    assert before["appointment"] > 100 and before["customer_phone"] > 0
    book = Book.open(str(path))
    try:
        assert migrations.current_version(book.db) == migrations.LATEST
        assert book.db.execute_sql("PRAGMA foreign_key_check").fetchall() == []
        card = book.customer(1)
        assert card.phones  # the customer table gained columns without losing its children
    finally:
        book.close()
    assert counts(path, V2_TABLES) == before
    assert counts(path, ["contact", "care_case", "followup", "message_template"]) == {
        "contact": 0,
        "care_case": 0,
        "followup": 0,
        "message_template": 0,
    }
    assert list((tmp_path / "backups").glob(f"{path.stem}-before-v3-*.db"))
