"""Opening books: where, with which pragmas, and what is refused without being touched."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.errors import DatabaseOpenError
from shopfront.storage import migrations
from shopfront.storage.database import open_database, resolve

pytestmark = pytest.mark.sqlite_only(reason="book files, pragmas and backups")


def test_new_book_is_private_wal_with_foreign_keys_and_a_schema_version(db_path: Path) -> None:
    db = open_database(str(db_path))
    try:
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
        assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert migrations.current_version(db) == migrations.LATEST
        assert (
            db.execute_sql("PRAGMA application_id").fetchone()[0]
            == migrations.SQLITE_APPLICATION_ID
        )
    finally:
        db.close()


def test_reopening_keeps_data_and_version(db_path: Path) -> None:
    from tests.conftest import add

    book = Book.open(str(db_path))
    add(book, "Ann Lee", email="ann@example.com")
    book.close()
    again = Book.open(str(db_path))
    try:
        assert [c.name for c in again.search("ann")] == ["Ann Lee"]
    finally:
        again.close()


def test_env_variable_and_url_forms_pick_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "env.db"
    monkeypatch.setenv("SHOPFRONT_DB", f"sqlite:///{target}")
    assert resolve(None).path == target
    assert resolve(f"sqlite:///{target}").path == target
    assert resolve("postgresql://u:secret@host/db").path is None
    assert "secret" not in str(resolve("postgresql://u:secret@host/db"))
    with pytest.raises(DatabaseOpenError, match="Unknown database URL"):
        resolve("mysql://x/y")


def test_default_book_lives_in_the_user_data_folder(private_home: Path) -> None:
    assert resolve(None).path == private_home / "shopfront.db"


def test_missing_folder_is_a_clear_message(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="does not exist"):
        open_database(str(tmp_path / "no" / "such" / "book.db"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_folder_is_a_clear_message(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir(mode=0o500)
    with pytest.raises(DatabaseOpenError, match="not writable"):
        open_database(str(folder / "book.db"))


def test_a_folder_is_not_a_book(tmp_path: Path) -> None:
    with pytest.raises(DatabaseOpenError, match="is a folder"):
        open_database(str(tmp_path))


def test_a_text_file_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"shopping list: eggs, milk\n" * 100)
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="not a shopfront book"):
        open_database(str(path))
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_another_applications_database_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total INTEGER)")
    conn.execute("INSERT INTO invoices (total) VALUES (42)")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError, match="another application"):
        open_database(str(path))
    assert path.read_bytes() == before  # not even switched to WAL


def test_a_book_from_a_newer_version_is_refused(db_path: Path) -> None:
    open_database(str(db_path)).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE shopfront_meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseOpenError, match="newer shopfront"):
        open_database(str(db_path))


def test_an_empty_file_becomes_a_new_book(db_path: Path) -> None:
    db_path.touch()
    open_database(str(db_path)).close()
    conn = sqlite3.connect(db_path)
    assert (
        conn.execute("SELECT value FROM shopfront_meta WHERE key='app'").fetchone()[0]
        == "shopfront"
    )
    conn.close()


def test_a_migration_runs_after_a_verified_backup_and_is_all_or_nothing(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.conftest import add

    book = Book.open(str(db_path))
    add(book, "Ann Lee", email="ann@example.com")
    book.close()

    def broken(db) -> None:
        db.execute_sql("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    monkeypatch.setattr(migrations, "LATEST", len(migrations.MIGRATIONS))
    with pytest.raises(RuntimeError):
        open_database(str(db_path))
    latest = migrations.LATEST - 1  # the real latest; LATEST now counts the broken one
    backups = list((db_path.parent / "backups").glob(f"book-before-v{latest + 1}-*.db"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    assert copy.execute("SELECT name FROM customer").fetchall() == [("Ann Lee",)]
    copy.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM shopfront_meta WHERE key='schema_version'").fetchone()[
        0
    ] == str(latest)
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name='half_done'").fetchone()[0] == 0
    )
    conn.close()

    def works(db) -> None:
        db.execute_sql("CREATE TABLE extra (x INTEGER)")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS[:-1], works])
    open_database(str(db_path)).close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT value FROM shopfront_meta WHERE key='schema_version'").fetchone()[
        0
    ] == str(latest + 1)
    assert conn.execute("SELECT count(*) FROM customer").fetchone()[0] == 1
    conn.close()


def test_unwritable_folder_message_even_as_root(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root can write anywhere, so CI (root) checks the message by denying access itself."""
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == tmp_path else real_access(p, mode)
    )
    with pytest.raises(DatabaseOpenError, match="not writable"):
        open_database(str(tmp_path / "book.db"))
    assert not (tmp_path / "book.db").exists()


@pytest.mark.parametrize("name", ["clients#2023.sqlite", "what?.db", "a%20b.db"])
def test_odd_characters_in_paths_are_handled(tmp_path: Path, name: str) -> None:
    """A folder like "Salon #2": the read-only identity check must open this very file."""
    foreign = tmp_path / f"foreign-{name}"
    conn = sqlite3.connect(foreign)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = foreign.read_bytes()
    with pytest.raises(DatabaseOpenError, match="another application"):
        open_database(str(foreign))
    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [foreign.name]  # no -shm, no stray files
    book_path = tmp_path / name
    open_database(str(book_path)).close()
    open_database(str(book_path)).close()  # reopens the same book


def test_damaged_version_record_is_refused(db_path: Path) -> None:
    open_database(str(db_path)).close()
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE shopfront_meta SET value = 'two' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseOpenError, match="damaged version"):
        open_database(str(db_path))


def test_a_new_book_makes_no_pointless_backups(db_path: Path) -> None:
    open_database(str(db_path)).close()
    assert not (db_path.parent / "backups").exists()
