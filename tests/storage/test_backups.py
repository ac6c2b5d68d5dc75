"""Backups: online API copies that hold every committed save, verified, listed, thinned,
copied to a second folder, and restored after backing up the current book."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.storage import backups
from shopfront.storage.backups import BackupError, KeepPolicy
from tests.conftest import Clock, add

pytestmark = pytest.mark.sqlite_only("backups of a SQLite file")


def names(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT name FROM customer ORDER BY id")]
    finally:
        conn.close()


def test_backup_holds_saves_still_in_the_wal_and_is_a_single_checked_file(
    book: Book, db_path: Path
) -> None:
    add(book, "Ann Lee", email="ann@example.com")
    # Another desk commits too; nothing is checkpointed into the main file yet.
    other = sqlite3.connect(db_path)
    other.execute("PRAGMA wal_autocheckpoint=0")
    other.execute("UPDATE customer SET name = 'Ann Lee-Smith'")
    other.commit()
    made = book.backup_now()
    other.close()
    assert made is not None and made.reason == "manual"
    assert made.path.parent == db_path.parent / "backups"
    assert names(made.path) == ["Ann Lee-Smith"]
    assert not Path(f"{made.path}-wal").exists()
    conn = sqlite3.connect(made.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert (made.customers, made.appointments) == (1, 0)
    assert made.size == made.path.stat().st_size > 0
    assert made.path.stat().st_mode & 0o077 == 0  # personal data: owner only


def test_listing_is_newest_first_with_date_size_and_counts(book: Book, clock: Clock) -> None:
    add(book, "Ann Lee", email="ann@example.com")
    first = book.backup_now()
    clock.now += timedelta(hours=2)
    add(book, "Bob Ray", email="bob@example.com")
    second = book.backup_now("before-import")
    listed = book.backups()
    assert [b.path for b in listed] == [second.path, first.path]
    assert [b.customers for b in listed] == [2, 1]
    assert listed[0].taken_at == clock.now
    assert listed[0].reason == "before-import"


def test_half_made_backups_are_never_listed_and_are_cleared(book: Book, db_path: Path) -> None:
    folder = db_path.parent / "backups"
    folder.mkdir()
    stale = folder / "book-manual-20261123T101010Z.db.partial"
    stale.write_bytes(b"half")
    assert book.backups() == []
    book.backup_now()
    assert not stale.exists()
    assert len(book.backups()) == 1


def test_thinning_keeps_recent_daily_weekly_and_monthly(tmp_path: Path, clock: Clock) -> None:
    """Two years of backups every 6 hours thin to the policy's set, newest always kept."""
    db = tmp_path / "book.db"
    book = Book.open(str(db), clock=clock)
    add(book, "Ann Lee", email="ann@example.com")
    start = clock.now
    made = []
    for step in range(0, 4 * 730, 27):  # ~weekly over two years (keeps the test quick)
        clock.now = start + timedelta(hours=6 * step)
        made.append(book.backup_now())
    book.close()
    kept = backups.listing(db)
    assert kept[0].path == made[-1].path
    policy = KeepPolicy()
    assert len(kept) <= policy.recent + policy.daily + policy.weekly + policy.monthly
    months = {(b.taken_at.year, b.taken_at.month) for b in kept}
    assert len(months) >= policy.monthly  # a year of monthly copies survives
    assert kept[-1].taken_at < kept[0].taken_at - timedelta(days=300)


def test_grandfather_father_son_selection() -> None:
    from datetime import UTC, datetime

    base = datetime(2026, 1, 1, tzinfo=UTC)
    every_hour = [
        backups.Backup(Path(f"b{i}"), base + timedelta(hours=i), "auto", 0) for i in range(24 * 400)
    ]
    keep = backups.to_keep(every_hour, KeepPolicy(recent=3, daily=2, weekly=2, monthly=2))
    newest = every_hour[-1].taken_at
    kept = sorted((b for b in every_hour if b.path in keep), key=lambda b: b.taken_at)
    assert [b.taken_at for b in kept[-3:]] == [newest - timedelta(hours=h) for h in (2, 1, 0)]
    assert newest - timedelta(days=1) in [b.taken_at.replace(hour=newest.hour) for b in kept]
    assert len({(b.taken_at.year, b.taken_at.month) for b in kept}) == 2
    assert len(keep) <= 3 + 2 + 2 + 2


def test_second_folder_gets_a_copy(book: Book, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    book.set_backup_options(second_folder=str(usb))
    made = book.backup_now()
    assert made.copies == (usb / made.path.name,)
    assert (usb / made.path.name).read_bytes() == made.path.read_bytes()


def test_missing_second_folder_is_refused_when_set(book: Book, tmp_path: Path) -> None:
    from shopfront.errors import ValidationError

    with pytest.raises(ValidationError, match="does not exist"):
        book.set_backup_options(second_folder=str(tmp_path / "no-usb"))


def test_restore_backs_up_the_current_book_then_replaces_it(
    book: Book, db_path: Path, clock: Clock
) -> None:
    add(book, "Ann Lee", email="ann@example.com")
    good = book.backup_now()
    clock.now += timedelta(minutes=5)
    add(book, "Mistake Entry", email="oops@example.com")
    watcher = sqlite3.connect(db_path)  # a second desk with the book open
    result = book.restore(good.path)
    assert result.safety is not None and result.safety.customers == 2
    assert names(result.safety.path) == ["Ann Lee", "Mistake Entry"]
    assert [c.name for c in book.search("")] == ["Ann Lee"]
    assert watcher.execute("SELECT count(*) FROM customer").fetchone()[0] == 1
    watcher.close()
    add(book, "After Restore", email="after@example.com")  # the book works on
    assert book.check(full=True)["ok"]


def test_restore_of_an_older_schema_backup_is_upgraded(tmp_path: Path, clock: Clock) -> None:
    import shutil

    fixture = Path(__file__).resolve().parent.parent / "fixtures" / "book_v2.db"
    old = tmp_path / "old.db"
    shutil.copy(fixture, old)
    book = Book.open(str(tmp_path / "book.db"), clock=clock)
    try:
        book.restore(old)
        from shopfront.storage import migrations

        assert migrations.current_version(book.db) == migrations.LATEST
        assert book.customer_count() > 0
    finally:
        book.close()


@pytest.mark.parametrize("kind", ["text", "foreign", "damaged", "missing"])
def test_restore_refuses_what_is_not_a_sound_backup(book: Book, tmp_path: Path, kind: str) -> None:
    add(book, "Ann Lee", email="ann@example.com")
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("not a book\n" * 50)
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        conn.commit()
        conn.close()
    elif kind == "damaged":
        made = book.backup_now()
        data = bytearray(made.path.read_bytes())
        data[4096 * 3 : 4096 * 3 + 8] = b"\xff" * 8
        bad.write_bytes(bytes(data[: len(data) - 4096]))
    before = Path(book.location).read_bytes() if kind != "missing" else None
    with pytest.raises(BackupError):
        book.restore(bad)
    assert [c.name for c in book.search("")] == ["Ann Lee"]
    assert before is None or book.customer_count() == 1


def test_merge_takes_a_backup_first(book: Book) -> None:
    keep = add(book, "Ann Lee", email="ann@example.com")
    other = add(book, "Ann Lee", phone="07400 123456")
    book.merge_customers(keep.id, other.id)
    before = [b for b in book.backups() if b.reason == "before-merge"]
    assert len(before) == 1 and before[0].customers == 2


def test_automatic_backup_only_when_something_changed(book: Book) -> None:
    add(book, "Ann Lee", email="ann@example.com")
    assert book.backup_if_changed() is not None
    assert book.backup_if_changed() is None
    import os
    import time

    time.sleep(0.01)
    add(book, "Bob Ray", email="bob@example.com")
    wal = Path(f"{book.location}-wal")
    newest = book.backups()[0].path.stat().st_mtime
    os.utime(wal, (newest + 1, newest + 1))  # coarse file clocks: make the order explicit
    assert book.backup_if_changed() is not None
