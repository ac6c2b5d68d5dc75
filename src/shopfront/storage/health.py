"""Checks before a SQLite book is opened for writing: its place, and whether it is damaged.

Runs before anything can write to the file. A damaged book (truncated, bit-flipped,
emptied) is never written to: a copy of it is kept aside as ``<name>.corrupt-<time>``
and the error names the newest backup that still passes its check. Files that are not
books at all (text, another application's database, a newer schema) are left to the
identity checks in ``migrations``, which refuse them without a copy: they are not ours.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from datetime import UTC, datetime
from pathlib import Path

from shopfront.errors import DamagedBookError, DatabaseOpenError
from shopfront.storage import backups
from shopfront.storage.places import refuse_unsafe_place

log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"


def has_backups(book: Path) -> bool:
    folder = backups.folder_for(book)
    if not folder.is_dir():
        return False
    return any(backups.parse_name(p, book.stem) for p in folder.glob(f"{book.stem}-*.db"))


def check_book_file(path: Path, now: datetime | None = None) -> None:
    """Raise before opening if ``path`` must not be written to."""
    refuse_unsafe_place(path)
    if not path.is_file():
        return  # a new book, or a folder: the opening code explains those
    size = path.stat().st_size
    if size == 0:
        # An empty file nobody backed up is a placeholder (`touch`): it becomes a new book.
        # An empty file that had backups was a book, emptied by a disk or sync fault.
        if has_backups(path):
            raise _damaged(path, "the file is empty (0 bytes)", now, keep=False)
        return
    with path.open("rb") as handle:
        header = handle.read(16)
    if header != SQLITE_HEADER:
        if has_backups(path):  # it was a book: its first bytes are damaged
            raise _damaged(path, "its first bytes are not a database header", now)
        return  # not a database at all: refused as a foreign file, untouched
    ours = _is_ours(path, now)
    if ours:
        _quick_check(path, now)


def _is_ours(path: Path, now: datetime | None) -> bool:
    try:
        conn = backups.read_only(path, immutable=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        raise DatabaseOpenError(f"Can't read {path} ({exc}); it was not changed.") from None
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc), now) from None
    # No tables seen: a new book, or one whose schema still sits in its WAL (the
    # immutable view skips the WAL), so check it too.
    return "shopfront_meta" in tables or not tables


def _quick_check(path: Path, now: datetime | None) -> None:
    """``quick_check`` through a read-only connection (it sees the WAL, writes nothing)."""
    began = time.perf_counter()
    try:
        conn = backups.read_only(path)
        try:
            found = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        raise DatabaseOpenError(f"Can't read {path} ({exc}); it was not changed.") from None
    except sqlite3.DatabaseError as exc:
        raise _damaged(path, str(exc), now) from None
    log.debug("quick_check took %.1f ms", (time.perf_counter() - began) * 1000)
    if found != ["ok"]:
        raise _damaged(path, found[0], now)


def _existing_copy(path: Path) -> Path | None:
    """An earlier ``.corrupt-`` copy of this very file (same size and time), if any."""
    stat = path.stat()
    for copy in path.parent.glob(f"{path.name}.corrupt-*"):
        other = copy.stat()
        if other.st_size == stat.st_size and int(other.st_mtime) == int(stat.st_mtime):
            return copy
    return None


def _damaged(path: Path, detail: str, now: datetime | None, keep: bool = True) -> DamagedBookError:
    now = now or datetime.now(UTC)
    aside = None
    if keep:
        aside = _existing_copy(path) or backups.keep_aside(path, now)
    backup = backups.newest_verified(path)
    log.error("damaged book refused (%s)", detail)
    kept = f" A copy of it was kept as {aside.name}." if aside else ""
    if backup is None:
        offer = " No good backup of it was found."
    else:
        offer = (
            f" The newest good backup is {backup.summary()}; restore it with "
            f'`shopfront restore "{backup.path}" --db "{path}"` or from the window.'
        )
    message = f"{path} is damaged ({detail}), so it was not opened or changed.{kept}{offer}"
    return DamagedBookError(message, path, backup)


COUNTED = ("customer", "appointment", "staff", "service", "contact", "care_case", "followup")


def check_report(path: Path, full: bool = False) -> dict[str, object]:
    """`shopfront check`: integrity (quick or full), foreign keys and row counts, read-only.

    Keys: ``ok``, ``check`` ("quick"/"full"), ``problems`` (list of text), ``counts``
    (table -> rows), ``seconds`` (the integrity check's time).
    """
    began = time.perf_counter()
    try:
        conn = backups.read_only(path)
        try:
            found = backups.problems(conn, full=full)
            seconds = time.perf_counter() - began
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            counts = {
                t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                for t in COUNTED
                if t in tables
            }
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        found, seconds, counts = [str(exc)], time.perf_counter() - began, {}
    return {
        "ok": not found,
        "check": "full" if full else "quick",
        "problems": found,
        "counts": counts,
        "seconds": round(seconds, 4),
    }
