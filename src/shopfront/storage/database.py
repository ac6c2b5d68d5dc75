"""Opening the book: where it is, checks before touching it, pragmas, backups.

The database opens here and nowhere else. A file that is not a shopfront book (another
application's SQLite file, a text file, a book from a newer version) is refused before
anything is written to it.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from peewee import Database

from shopfront import paths
from shopfront.errors import DatabaseOpenError
from shopfront.storage import backups, health, migrations, postgres
from shopfront.storage.locking import PatientSqliteDatabase
from shopfront.storage.records import database as database_proxy

SQLITE_HEADER = b"SQLite format 3\x00"
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": 2,  # FULL: a save the user saw acknowledged survives power loss
}


@dataclass(frozen=True)
class Location:
    """Where a book lives: a SQLite file path or a server URL."""

    url: str
    path: Path | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    def __str__(self) -> str:
        return str(self.path) if self.path else _without_password(self.url)


def _without_password(url: str) -> str:
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, _, creds = head.partition("//")
    return f"{scheme}//{creds.split(':', 1)[0]}:***@{tail}"


def resolve(target: str | os.PathLike[str] | None) -> Location:
    """`--db` value, else SHOPFRONT_DB, else the default file under the user data folder."""
    text = str(target) if target else os.environ.get("SHOPFRONT_DB", "")
    if not text:
        path = paths.default_database()
        path.parent.mkdir(parents=True, exist_ok=True)
        return Location(f"sqlite:///{path}", path)
    if text.startswith("sqlite:///"):
        text = text[len("sqlite:///") :]
    elif "://" in text:
        if not text.startswith(("postgresql://", "postgres://")):
            raise DatabaseOpenError(f"Unknown database URL scheme in '{text.split('://')[0]}'.")
        return Location(text)
    path = Path(text).expanduser().absolute()
    return Location(f"sqlite:///{path}", path)


def check_sqlite_file(path: Path) -> None:
    """Refuse paths we must not create or must not write to, before SQLite touches them."""
    folder = path.parent
    if not folder.is_dir():
        raise DatabaseOpenError(f"The folder {folder} does not exist.")
    if path.is_dir():
        raise DatabaseOpenError(f"{path} is a folder, not a book file.")
    if not path.exists():
        if not os.access(folder, os.W_OK):
            raise DatabaseOpenError(f"Can't create a book in {folder}: the folder is not writable.")
        return
    if not os.access(path, os.R_OK | os.W_OK):
        raise DatabaseOpenError(f"Can't open {path}: no permission to read and write it.")
    if path.stat().st_size == 0:
        return
    with path.open("rb") as handle:
        if handle.read(16) != SQLITE_HEADER:
            raise DatabaseOpenError(f"{path} is not a shopfront book (not a database file).")


def _create_private(path: Path) -> None:
    """Create the file owner-only (0600) before SQLite opens it: it holds personal data."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


def connect(location: Location) -> Database:
    if location.is_sqlite:
        assert location.path is not None
        health.check_book_file(location.path)  # unsafe place, damage: refused, untouched
        check_sqlite_file(location.path)
        _create_private(location.path)
        migrations.sqlite_identity(location.path)
        db: Database = PatientSqliteDatabase(  # BEGIN IMMEDIATE waits its turn
            str(location.path), pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE"
        )
    else:
        db = postgres.connect(location.url)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # sqlite3/psycopg errors differ; the message is what matters
        raise DatabaseOpenError(f"Can't open {location}: {exc}") from None
    return db


def open_database(
    target: str | os.PathLike[str] | None = None, migrate: bool = True, create: bool = True
) -> Database:
    """Open (creating if new, unless ``create`` is False) and upgrade the book."""
    location = resolve(target)
    if not create and location.path is not None and not location.path.exists():
        raise DatabaseOpenError(f"There is no book at {location.path}.")
    db = connect(location)
    try:
        migrations.check_identity(db, location)
        database_proxy.initialize(db)
        if migrate:
            migrations.upgrade(db, lambda version: backup_before_migration(location, version))
    except BaseException:
        db.close()
        raise
    db.location = location  # type: ignore[attr-defined]
    return db


def backup_sqlite(db: Database, target: Path) -> Path:
    """Copy a live SQLite book with the online backup API (never a raw file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    dest = sqlite3.connect(target)
    try:
        db.connection().backup(dest)
        if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseOpenError(f"The backup {target} failed its integrity check.")
    finally:
        dest.close()
    return target


def backup_before_migration(location: Location, version: int) -> Path | None:
    if not location.is_sqlite:
        return None
    assert location.path is not None
    return backups.take(location.path, f"before-v{version}", datetime.now(UTC)).path
