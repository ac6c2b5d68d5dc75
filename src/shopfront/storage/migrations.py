"""Numbered schema migrations and the book's identity check.

Rules for whoever adds a migration: append a function to ``MIGRATIONS``; never edit an
old one. Each runs in one transaction after an automatic backup, and must be written
against the schema as the previous migration left it (check columns with
``db.get_columns`` before adding them), because the record classes always describe the
newest schema.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from peewee import Database, IntegerField, SqliteDatabase
from playhouse.migrate import SchemaMigrator, migrate

from shopfront.errors import DatabaseOpenError
from shopfront.storage import postgres
from shopfront.storage import records as r

if TYPE_CHECKING:
    from shopfront.storage.database import Location

APP_ID = "shopfront"
SQLITE_APPLICATION_ID = 0x53485046  # "SHPF": lets `file` and other tools recognise a book

FTS_SQL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS customer_fts USING fts5("
    "name, phone, email, tags, tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3 4')"
)


def migration_1(db: Database) -> None:
    """The foundation: settings, staff, services, customers, their phones/emails/events."""
    db.create_tables(r.SCHEMA_V1, safe=True)
    if isinstance(db, SqliteDatabase):
        db.execute_sql(FTS_SQL)
        db.execute_sql(f"PRAGMA application_id = {SQLITE_APPLICATION_ID}")
    else:
        postgres.create_search(db)  # PostgreSQL has no FTS5


def migration_2(db: Database) -> None:
    """The appointment book: working hours, absences, series, appointments, status history;
    merged cards become tombstones (``customer.merged_into``) instead of being deleted."""
    db.create_tables(r.SCHEMA_V2, safe=True)
    if "merged_into" not in {c.name for c in db.get_columns("customer")}:
        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.add_column("customer", "merged_into", IntegerField(null=True)))
    if postgres.is_postgres(db):
        postgres.create_booking_constraint(db)  # SQLite checks inside one IMMEDIATE write


def migration_3(db: Database) -> None:
    """Customer care: contacts, cases, follow-ups, message templates; import identities.

    Columns are added with plain ``ALTER TABLE … ADD COLUMN … DEFAULT``: on SQLite the
    migrator's NOT NULL step rebuilds the table, and a rebuild of ``customer`` with foreign
    keys on cascades into every phone, email and event row.
    """
    db.create_tables(r.SCHEMA_V3, safe=True)
    have = {c.name for c in db.get_columns("customer")}
    for name, ddl in (
        ("blocked", "BOOLEAN NOT NULL DEFAULT FALSE"),
        ("blocked_reason", "TEXT NOT NULL DEFAULT ''"),
        ("external_id", "VARCHAR(255)"),
    ):
        if name not in have:
            db.execute_sql(f"ALTER TABLE customer ADD COLUMN {name} {ddl}")
    if "external_uid" not in {c.name for c in db.get_columns("appointment")}:
        db.execute_sql("ALTER TABLE appointment ADD COLUMN external_uid VARCHAR(255)")
        db.execute_sql(
            "CREATE INDEX IF NOT EXISTS appointment_external_uid ON appointment (external_uid)"
        )


def migration_4(db: Database) -> None:
    """Follow-ups by absence (call lists). A covering (status, start_at, …) index was tried
    here for the monthly report and dropped: SQLite chose it for one customer's visits by
    status and read every completed visit in the book instead of that customer's."""
    db.execute_sql("DROP INDEX IF EXISTS appointment_status_start_covering")
    db.execute_sql("CREATE INDEX IF NOT EXISTS followup_absence ON followup (absence_id)")


MIGRATIONS: list[Callable[[Database], None]] = [migration_1, migration_2, migration_3, migration_4]
LATEST = len(MIGRATIONS)


def sqlite_identity(path: Path) -> int | None:
    """Schema version of a SQLite book opened read-only; None for a new, empty file.

    Raises DatabaseOpenError for another application's database or a damaged file, so
    that nothing (not even a journal-mode change) is written to it.
    """
    if path.stat().st_size == 0:
        return None
    try:
        # Quote the path (a folder may be called "Salon #2"), and open it immutable so that
        # not even a -shm file appears beside another application's database.
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro&immutable=1", uri=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if not tables:
                return None
            if "shopfront_meta" not in tables:
                raise DatabaseOpenError(
                    f"{path} belongs to another application, not shopfront; it was not changed."
                )
            rows = dict(conn.execute("SELECT key, value FROM shopfront_meta"))
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise DatabaseOpenError(f"{path} can't be read as a shopfront book ({exc}).") from None
    return _version_from(rows, str(path))


def _version_from(rows: dict[str, str], where: str) -> int:
    if rows.get("app") != APP_ID:
        raise DatabaseOpenError(f"{where} is not a shopfront book; it was not changed.")
    try:
        version = int(rows.get("schema_version", "0"))
    except ValueError:
        raise DatabaseOpenError(
            f"{where} has a damaged version record; it was not changed."
        ) from None
    if version > LATEST:
        raise DatabaseOpenError(
            f"{where} was written by a newer shopfront (schema {version}, this one knows "
            f"{LATEST}). Update shopfront to open it; the book was not changed."
        )
    return version


def check_identity(db: Database, location: Location) -> None:
    """Server databases: refuse one that holds other tables but is not a shopfront book."""
    if location.is_sqlite:
        return
    tables = set(db.get_tables())
    if not tables:
        return
    if "shopfront_meta" not in tables:
        raise DatabaseOpenError(f"{location} holds another application's tables; not changed.")
    rows = {row[0]: row[1] for row in db.execute_sql("SELECT key, value FROM shopfront_meta")}
    _version_from(rows, str(location))


def current_version(db: Database) -> int:
    if "shopfront_meta" not in db.get_tables():
        return 0
    row = r.MetaRecord.get_or_none(r.MetaRecord.key == "schema_version")
    return int(row.value) if row else 0


def upgrade(db: Database, backup: Callable[[int], object]) -> int:
    """Run every pending migration, each after a verified backup (``backup`` raises if it
    can't make one, and then nothing is migrated) and inside one transaction."""
    version = current_version(db)
    existed = version > 0  # a brand-new book has nothing to back up
    for number in range(version + 1, LATEST + 1):
        if existed:
            backup(number)
        run_migration(db, number)
        version = number
    return version


def run_migration(db: Database, number: int) -> None:
    """One migration inside peewee's ``migration_context``: one transaction, and on SQLite
    foreign keys off, so a table rebuild can't cascade-delete the rows pointing at it.
    Dangling references it would leave are refused before the commit."""
    migrator = SchemaMigrator.from_database(db)
    with migrator.migration_context():
        MIGRATIONS[number - 1](db)
        if isinstance(db, SqliteDatabase):
            dangling = db.execute_sql("PRAGMA foreign_key_check").fetchall()
            if dangling:
                table, rowid, parent, _ = dangling[0]
                raise DatabaseOpenError(
                    f"Upgrading the book to schema {number} would leave {table} row {rowid} "
                    f"pointing at a missing {parent} row; the book was not changed."
                )
        r.MetaRecord.replace(key="app", value=APP_ID).execute()
        r.MetaRecord.replace(key="schema_version", value=str(number)).execute()
