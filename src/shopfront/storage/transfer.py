"""Moving a SQLite book into an empty PostgreSQL database ("share this book between desks").

The source is read inside one SQLite read transaction (a consistent snapshot even while
the app keeps writing), every table is copied with its ids, the sequences are moved past
the copied ids, the search table is rebuilt, and the result is verified table by table
before anything is committed: a copy that doesn't add up is rolled back, not kept.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from peewee import AutoField, BooleanField, Database
from psycopg2.extras import execute_values

from shopfront.errors import ShopfrontError
from shopfront.storage import customers, migrations, postgres
from shopfront.storage import records as r
from shopfront.storage.database import Location, open_database, resolve

COPIED = [record for record in r.ALL_RECORDS if record is not r.MetaRecord]
PAGE = 1000


class TransferError(ShopfrontError):
    """The book could not be moved; the target was left as it was."""


@dataclass(frozen=True)
class TransferReport:
    """What was copied: rows per table (equal on both sides, or the copy was undone)."""

    target: str
    counts: dict[str, int]
    seconds: float

    @property
    def customers(self) -> int:
        return self.counts.get(r.CustomerRecord._meta.table_name, 0)

    @property
    def appointments(self) -> int:
        return self.counts.get(r.AppointmentRecord._meta.table_name, 0)


def copy_book(source: Path, target_url: str) -> TransferReport:
    """Copy the SQLite book at ``source`` into the empty PostgreSQL database at ``target_url``.

    Binds the storage layer to the target while it runs; a caller with a book of its own
    open re-binds it afterwards (``Book.share_to`` does).
    """
    started = time.perf_counter()
    location = resolve(target_url)
    if location.is_sqlite:
        raise TransferError("Give a postgresql://… address to share the book on a server.")
    _upgrade_source(source)
    target = open_database(target_url)
    try:
        _refuse_non_empty(target, location)
        reader = _read_only(source)
        try:
            with target.atomic():
                counts = {rec._meta.table_name: _copy_table(reader, target, rec) for rec in COPIED}
                _move_sequences(target)
                _rebuild_search()
                _verify(target, counts)
        finally:
            reader.close()
        target.execute_sql("ANALYZE")  # planner statistics for the freshly filled tables
    finally:
        target.close()
    return TransferReport(str(location), counts, time.perf_counter() - started)


def _upgrade_source(source: Path) -> None:
    """An older book is brought to this version first (with its usual backup). Read with
    a plain read-only connection: a live book's latest saves may still be in its WAL."""
    if not source.is_file():
        raise TransferError(f"There is no book at {source}.")
    reader = _read_only(source)
    try:
        rows = dict(reader.execute("SELECT key, value FROM shopfront_meta"))
    except sqlite3.DatabaseError:
        raise TransferError(f"{source} is not a shopfront book; nothing to share.") from None
    finally:
        reader.close()
    if int(rows.get("schema_version", "0")) < migrations.LATEST:
        open_database(str(source)).close()


def _read_only(source: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
    conn.execute("BEGIN")  # one snapshot for every table
    return conn


def _refuse_non_empty(target: Database, location: Location) -> None:
    held = {rec._meta.table_name: rec.select().count() for rec in COPIED}
    busy = {name: n for name, n in held.items() if n}
    if busy:
        name, rows = next(iter(busy.items()))
        raise TransferError(
            f"{location} is not empty ({rows} rows in {name}); a book is only moved into an "
            "empty database, so nothing there is overwritten."
        )


def _copy_table(reader: sqlite3.Connection, target: Database, record: type[r.BaseRecord]) -> int:
    fields = record._meta.sorted_fields
    columns = [f.column_name for f in fields]
    flags = [isinstance(f, BooleanField) for f in fields]
    table = record._meta.table_name
    rows = reader.execute(f'SELECT {", ".join(columns)} FROM "{table}"')
    cursor = target.cursor()
    total = 0
    while batch := rows.fetchmany(PAGE):
        values = [
            tuple(
                bool(v) if flag and v is not None else v for v, flag in zip(row, flags, strict=True)
            )
            for row in batch
        ]
        execute_values(
            cursor, f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES %s', values, None, PAGE
        )
        total += len(values)
    return total


def _move_sequences(target: Database) -> None:
    """Ids were copied as they are; new rows must be numbered after them."""
    for record in COPIED:
        if isinstance(record._meta.primary_key, AutoField):
            table = record._meta.table_name
            target.execute_sql(
                f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                f' COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table}"'
            )


def _rebuild_search() -> None:
    C = r.CustomerRecord
    ids = [row[0] for row in C.select(C.id).where(C.merged_into.is_null()).tuples()]
    for first in range(0, len(ids), PAGE):
        cards = customers.load_many(ids[first : first + PAGE])
        postgres.write_search_rows(
            r.database.obj, [(c.id, customers.search_text(c)) for c in cards]
        )


def _verify(target: Database, counts: dict[str, int]) -> None:
    for record in COPIED:
        there = record.select().count()
        if there != counts[record._meta.table_name]:
            raise TransferError(
                f"The copy of {record._meta.table_name} has {there} rows instead of "
                f"{counts[record._meta.table_name]}; nothing was kept."
            )
    C = r.CustomerRecord
    live = C.select().where(C.merged_into.is_null()).count()
    indexed = target.execute_sql("SELECT count(*) FROM customer_search").fetchone()[0]
    if indexed != live:
        raise TransferError(f"Search rows {indexed} != cards {live}; nothing was kept.")
