"""Opening a damaged book never makes it worse: refused, untouched, copy kept, backup named."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.errors import DamagedBookError, DatabaseOpenError
from shopfront.storage import migrations
from tests.conftest import add

pytestmark = pytest.mark.sqlite_only("damaged SQLite files")


@pytest.fixture
def backed_up(db_path: Path) -> Path:
    """A closed book with three customers, one verified backup, and a later save."""
    book = Book.open(str(db_path))
    for i in range(3):
        add(book, f"Customer {i}", email=f"c{i}@example.com")
    book.backup_now()
    for i in range(200):  # enough rows for several pages, so damage lands inside the tree
        add(book, f"Later {i}", email=f"l{i}@example.com")
    book.close()
    return db_path


def damage(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "truncated":
        data = data[: len(data) // 2]
    elif how == "bit-flipped":
        for page in range(2, len(data) // 4096):  # every b-tree page header's type byte
            data[page * 4096] ^= 0x5A
    elif how == "header":
        data[0:16] = b"\x00" * 16
    elif how == "empty":
        data = bytearray()
    path.write_bytes(bytes(data))


def side_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "."))


@pytest.mark.parametrize("how", ["truncated", "bit-flipped", "header"])
def test_damaged_book_is_kept_aside_untouched_and_the_backup_is_named(
    backed_up: Path, how: str
) -> None:
    damage(backed_up, how)
    before = backed_up.read_bytes()
    with pytest.raises(DamagedBookError) as caught:
        Book.open(str(backed_up))
    assert backed_up.read_bytes() == before
    copies = [n for n in side_files(backed_up) if ".corrupt-" in n and not n.endswith("-wal")]
    assert len(copies) == 1
    assert (backed_up.parent / copies[0]).read_bytes() == before
    error = caught.value
    assert error.backup is not None and error.backup.customers == 3
    assert str(error.backup.path) in str(error) and "shopfront restore" in str(error)
    assert "damaged" in str(error)
    # Trying again does not pile up copies of the same damaged file.
    with pytest.raises(DamagedBookError):
        Book.open(str(backed_up))
    assert len([n for n in side_files(backed_up) if n.endswith(copies[0][-16:])]) == 1


def test_an_emptied_book_with_backups_is_refused_not_recreated(backed_up: Path) -> None:
    damage(backed_up, "empty")
    with pytest.raises(DamagedBookError, match="empty"):
        Book.open(str(backed_up))
    assert backed_up.stat().st_size == 0


def test_an_empty_file_without_backups_becomes_a_new_book(db_path: Path) -> None:
    db_path.touch()
    Book.open(str(db_path)).close()
    assert db_path.stat().st_size > 0


def test_damaged_book_can_be_restored_from_the_named_backup(backed_up: Path) -> None:
    from shopfront.usecases.safety import restore_file

    damage(backed_up, "truncated")
    with pytest.raises(DamagedBookError) as caught:
        Book.open(str(backed_up))
    book, result = restore_file(str(backed_up), caught.value.backup.path, Clock())
    try:
        assert book.customer_count() == 3
        assert result.safety is None  # a damaged book can't be backed up…
        assert result.kept_aside is not None  # …so it is kept aside as it was
        assert book.check(full=True)["ok"]
    finally:
        book.close()


class Clock:
    def __call__(self):
        from tests.conftest import NOW

        return NOW


def test_without_a_backup_the_message_says_so(db_path: Path) -> None:
    book = Book.open(str(db_path))
    for i in range(200):
        add(book, f"Customer {i}", email=f"c{i}@example.com")
    book.close()
    damage(db_path, "truncated")
    with pytest.raises(DamagedBookError, match="No good backup"):
        Book.open(str(db_path))


@pytest.mark.parametrize("kind", ["text", "foreign", "newer"])
def test_files_that_are_not_ours_get_no_corrupt_copy(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "thing.db"
    if kind == "text":
        path.write_text("eggs, milk\n" * 100)
    elif kind == "foreign":
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        conn.commit()
        conn.close()
    else:
        Book.open(str(path)).close()
        conn = sqlite3.connect(path)
        conn.execute("UPDATE shopfront_meta SET value = '99' WHERE key = 'schema_version'")
        conn.commit()
        conn.close()
    before = path.read_bytes()
    with pytest.raises(DatabaseOpenError) as caught:
        Book.open(str(path))
    assert not isinstance(caught.value, DamagedBookError)
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]


def test_a_healthy_book_passes_the_open_check(backed_up: Path) -> None:
    book = Book.open(str(backed_up))
    try:
        assert migrations.current_version(book.db) == migrations.LATEST
        assert book.customer_count() == 203
    finally:
        book.close()
