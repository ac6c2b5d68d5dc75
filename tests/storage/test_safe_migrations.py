"""Safe migrations: every released schema upgrades with every row kept, after a verified
backup; a failure part-way leaves the book exactly as it was; a table rebuild can't
cascade-delete the rows that point at the rebuilt table."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from playhouse.migrate import SchemaMigrator, migrate

from shopfront.book import Book
from shopfront.storage import backups, migrations

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RELEASED = {"book_v1.db": 1, "book_v2.db": 2}

pytestmark = pytest.mark.sqlite_only("SQLite fixture books")


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'customer_fts_%'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture(params=sorted(RELEASED))
def released(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, int]:
    path = tmp_path / request.param
    shutil.copy(FIXTURES / request.param, path)
    return path, RELEASED[request.param]


def test_every_released_schema_upgrades_keeping_every_row(released: tuple[Path, int]) -> None:
    path, version = released
    before = table_counts(path)
    Book.open(str(path)).close()
    after = table_counts(path)
    assert {t: after[t] for t in before} == before  # per table, not one row lost
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    made = backups.listing(path)
    assert sorted(b.reason for b in made) == sorted(
        f"before-v{n}" for n in range(version + 1, migrations.LATEST + 1)
    )
    oldest = min(made, key=lambda b: b.reason)
    assert table_counts(oldest.path) == before  # the first backup is the book as it was


def test_a_failure_part_way_leaves_the_book_at_its_old_version_unchanged(
    released: tuple[Path, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, version = released
    real = migrations.MIGRATIONS[version]  # the first migration this book needs

    def fails_half_way(db) -> None:
        real(db)  # its tables and columns are made ...
        db.execute_sql("DELETE FROM customer_phone")  # ... data is touched ...
        raise RuntimeError("power cut")  # ... and then it stops

    patched = list(migrations.MIGRATIONS)
    patched[version] = fails_half_way
    monkeypatch.setattr(migrations, "MIGRATIONS", patched)
    before = dump(path)
    with pytest.raises(RuntimeError, match="power cut"):
        Book.open(str(path))
    assert dump(path) == before
    conn = sqlite3.connect(path)
    try:
        stored = conn.execute("SELECT value FROM shopfront_meta WHERE key='schema_version'")
        assert stored.fetchone()[0] == str(version)
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 0  # a plain connection
    finally:
        conn.close()
    monkeypatch.undo()
    book = Book.open(str(path))  # the real migrations then run normally
    try:
        assert migrations.current_version(book.db) == migrations.LATEST
    finally:
        book.close()


def test_a_table_rebuild_does_not_cascade_into_child_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.db"
    shutil.copy(FIXTURES / "book_v2.db", path)
    Book.open(str(path)).close()
    before = table_counts(path)
    assert before["customer_phone"] > 0 and before["appointment"] > 0

    def rebuild_customer(db) -> None:
        """SQLite can't change a column's constraint in place: peewee copies the table into
        a new one and drops the old, which with foreign keys on deletes (ON DELETE
        CASCADE) or orphans every phone, event and appointment row."""
        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.add_not_null("customer", "notes"))

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, rebuild_customer])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    book = Book.open(str(path))
    try:
        assert migrations.current_version(book.db) == migrations.LATEST
        assert book.db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1  # back on
        assert book.customer(1).phones
    finally:
        book.close()
    assert table_counts(path) == before
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_a_migration_leaving_dangling_references_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book.db"
    shutil.copy(FIXTURES / "book_v2.db", path)
    Book.open(str(path)).close()
    before = dump(path)

    def orphans_phones(db) -> None:
        db.execute_sql("DELETE FROM customer WHERE id = 1")  # foreign keys are off here

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, orphans_phones])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    from shopfront.errors import DatabaseOpenError

    with pytest.raises(DatabaseOpenError, match="missing customer row"):
        Book.open(str(path))
    assert dump(path) == before


def test_no_migration_without_a_verified_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "book_v2.db"
    shutil.copy(FIXTURES / "book_v2.db", path)
    before = dump(path)

    def broken_backup(*args, **kwargs):
        raise backups.BackupError("The copy failed its integrity check (test).")

    monkeypatch.setattr(backups, "take", broken_backup)
    with pytest.raises(backups.BackupError):
        Book.open(str(path))
    assert dump(path) == before
