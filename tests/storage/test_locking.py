"""BEGIN IMMEDIATE waits its turn: a busy write lock is tried again, then reported plainly."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.storage import locking
from tests.conftest import add

pytestmark = pytest.mark.sqlite_only("SQLite's write lock")


def hold_lock(path: Path, seconds: float, ready: threading.Event) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    ready.set()
    time.sleep(seconds)
    other.execute("ROLLBACK")
    other.close()


def test_a_save_waits_past_the_busy_timeout_for_the_lock(book: Book, db_path: Path) -> None:
    book.db.execute_sql("PRAGMA busy_timeout = 50")  # SQLite alone would give up at 50 ms
    ready = threading.Event()
    holder = threading.Thread(target=hold_lock, args=(db_path, 0.5, ready))
    holder.start()
    ready.wait()
    saved = add(book, "Ann Lee", "07400 123456")  # retried until the other desk lets go
    holder.join()
    assert book.customer(saved.id).name == "Ann Lee"


def test_a_lock_held_too_long_is_a_plain_message(
    book: Book, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locking, "WAIT_SECONDS", 0.2)
    book.db.execute_sql("PRAGMA busy_timeout = 20")
    ready = threading.Event()
    holder = threading.Thread(target=hold_lock, args=(db_path, 1.0, ready))
    holder.start()
    ready.wait()
    with pytest.raises(locking.BookBusyError, match="busy at another desk"):
        add(book, "Ann Lee", "07400 123456")
    holder.join()
    assert book.customer_count() == 0
