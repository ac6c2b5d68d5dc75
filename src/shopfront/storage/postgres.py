"""PostgreSQL mode: the connection class, its schema extras, and search without FTS5.

Everything that differs between the two engines lives here, so the rest of ``storage``
reads the same on both:

- **Transactions.** On SQLite every change runs in a ``BEGIN IMMEDIATE`` transaction: one
  writer at a time, so a read-then-write use case can't be overtaken between its read and
  its write. PostgreSQL gets the same guarantee from a transaction-scoped advisory lock
  taken at ``BEGIN`` (readers are never blocked, and a shop's writes take milliseconds).
- **Double booking.** An exclusion constraint on ``appointment`` makes an overlap between
  two active appointments of one staff member impossible whatever the client does; its
  violation is turned into the same readable message as the check on SQLite.
- **Search.** FTS5 does not exist here. ``customer_search`` holds the same four columns of
  folded tokens (one space before each), written in the same transaction as the card;
  a typed token ``ann`` matches as ``LIKE '% ann%'``, which a ``pg_trgm`` index serves.
- **Connection loss** becomes ``ServerUnreachableError`` (a ``ShopfrontError``), and the
  next use case reconnects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import Database, InterfaceError, OperationalError, PostgresqlDatabase

from shopfront.core.search import WORD_RE, IndexText, fold
from shopfront.errors import ServerUnreachableError

WRITE_LOCK = 0x53485046  # "SHPF": advisory lock every write transaction takes first
SEARCH_COLUMNS = ("name", "phone", "everything")
EXCLUSION_VIOLATION = "23P01"
ACTIVE_SQL = "status NOT IN ('cancelled', 'no_show')"  # see appointments.INACTIVE


class ShopfrontPostgresDatabase(PostgresqlDatabase):
    """PostgresqlDatabase with SQLite's transaction semantics and readable failures."""

    def begin(self, isolation_level: object = None) -> None:
        self._guarded(super().begin, isolation_level)
        self.execute_sql("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))

    def commit(self) -> None:
        self._guarded(super().commit)

    def rollback(self) -> None:
        if self._connection_lost():
            return  # the server rolled the transaction back when the connection died
        self._guarded(super().rollback)

    def cursor(self, named_cursor: object = None):  # noqa: ANN201 (a DB-API cursor)
        if self._connection_lost() and not self.in_transaction():
            self._state.reset()  # reconnect for the next use case
        return super().cursor(named_cursor)

    def _execute_cursor(self, sql: str, params: object, **options: object):  # noqa: ANN202
        return self._guarded(super()._execute_cursor, sql, params, **options)

    def conflict_update(self, oc, query):  # noqa: ANN001, ANN201 (peewee internals)
        """``Model.replace()`` (SQLite's INSERT OR REPLACE) as ON CONFLICT DO UPDATE."""
        if (oc._action or "").upper() == "REPLACE":
            meta = query.model._meta
            keys = meta.get_primary_keys()
            names = {f.name for f in keys}  # fields overload ==, so compare names
            oc = oc.__class__(
                action="update",
                conflict_target=keys,
                preserve=[f for f in meta.sorted_fields if f.name not in names],
            )
        return super().conflict_update(oc, query)

    def _connection_lost(self) -> bool:
        conn = self._state.conn
        return conn is not None and bool(getattr(conn, "closed", 0))

    def _guarded(self, call, *args, **kwargs):  # noqa: ANN001, ANN202
        try:
            return call(*args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if self._connection_lost() or _is_connection_error(exc):
                raise ServerUnreachableError(
                    "The PostgreSQL server can't be reached; nothing was saved. "
                    "Check the network and try again."
                ) from exc
            raise


def _is_connection_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("server closed", "connection", "could not connect"))


def is_postgres(db: Database) -> bool:
    return isinstance(db, PostgresqlDatabase)


def connect(url: str) -> ShopfrontPostgresDatabase:
    from playhouse.db_url import parse as parse_url  # servers only; it is slow to import

    params = parse_url(url)
    params.setdefault("connect_timeout", 5)
    return ShopfrontPostgresDatabase(params.pop("database"), **params)


# schema ----------------------------------------------------------------------------------


def create_search(db: Database) -> None:
    """Migration 1 on PostgreSQL: the search table in place of SQLite's FTS5 table."""
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    db.execute_sql(
        "CREATE TABLE IF NOT EXISTS customer_search ("
        " customer_id INTEGER PRIMARY KEY REFERENCES customer (id) ON DELETE CASCADE,"
        " name TEXT NOT NULL, phone TEXT NOT NULL, everything TEXT NOT NULL)"
    )
    for column in SEARCH_COLUMNS:
        db.execute_sql(
            f"CREATE INDEX IF NOT EXISTS customer_search_{column}"
            f" ON customer_search USING gin ({column} gin_trgm_ops)"
        )


def create_booking_constraint(db: Database) -> None:
    """Migration 2 on PostgreSQL: no two active appointments of one person overlap.

    Times are stored as naive UTC (``timestamp``), so the range is a ``tsrange``; a
    ``tstzrange`` over them would depend on the session's time zone and can't be indexed.
    """
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
    db.execute_sql(
        "ALTER TABLE appointment ADD CONSTRAINT appointment_no_overlap EXCLUDE USING gist"
        " (staff_id WITH =, tsrange(start_at, end_at) WITH &&)"
        f" WHERE ({ACTIVE_SQL})"
    )


def is_overlap(exc: BaseException) -> bool:
    """Was this the exclusion constraint (another active appointment at that time)?"""
    return getattr(driver_error(exc), "pgcode", None) == EXCLUSION_VIOLATION


def driver_error(exc: BaseException) -> BaseException:
    """psycopg2's own exception behind peewee's (which carries only its message)."""
    for candidate in (exc.args[0] if exc.args else None, exc.__cause__, exc.__context__):
        if hasattr(candidate, "pgcode"):
            return candidate  # type: ignore[return-value]
    return exc


@contextmanager
def savepoint(db: Database) -> Iterator[None]:
    """A savepoint, so that a refused statement leaves the transaction usable."""
    with db.atomic():
        yield


# search ----------------------------------------------------------------------------------


def _tokens(text: str) -> str:
    """' tok1 tok2 …' — folded tokens, one space before each (what LIKE '% tok%' finds)."""
    return "".join(f" {t}" for t in dict.fromkeys(WORD_RE.findall(fold(text)))) + " "


UPSERT_SEARCH = (
    "INSERT INTO customer_search (customer_id, name, phone, everything) VALUES {values}"
    " ON CONFLICT (customer_id) DO UPDATE SET"
    " name = EXCLUDED.name, phone = EXCLUDED.phone, everything = EXCLUDED.everything"
)


def _search_row(customer_id: int, text: IndexText) -> tuple[int, str, str, str]:
    everything = " ".join((text.name, text.phone, text.email, text.tags))
    return customer_id, _tokens(text.name), _tokens(text.phone), _tokens(everything)


def write_search_row(db: Database, customer_id: int, text: IndexText) -> None:
    sql = UPSERT_SEARCH.format(values="(%s, %s, %s, %s)")
    db.execute_sql(sql, _search_row(customer_id, text))


def write_search_rows(db: Database, rows: list[tuple[int, IndexText]]) -> None:
    """Many cards at once (moving a book in): one statement per page of rows."""
    from psycopg2.extras import execute_values

    values = [_search_row(customer_id, text) for customer_id, text in rows]
    execute_values(db.cursor(), UPSERT_SEARCH.format(values="%s"), values, page_size=1000)


def delete_search_row(db: Database, customer_id: int) -> None:
    db.execute_sql("DELETE FROM customer_search WHERE customer_id = %s", (customer_id,))


# The expressions come from core.search.match_expression (and the Book's phone OR): each
# token quoted and starred, optionally behind "column :", groups in parentheses.
_PART_RE = re.compile(r'^(?:(\w+) : )?\(?((?:"[^"]+"\*\s*)+)\)?$')
_TOKEN_RE = re.compile(r'"([^"]+)"\*')


def match_condition(expression: str) -> tuple[str, list[str]]:
    """An FTS5 MATCH expression as a WHERE condition on ``customer_search`` + its params."""
    alternatives, params = [], []
    for part in expression.split(" OR "):
        found = _PART_RE.match(part.strip())
        if not found:
            raise ValueError(f"unsupported search expression: {expression!r}")
        column = {"name": "name", "phone": "phone"}.get(found.group(1) or "", "everything")
        tokens = _TOKEN_RE.findall(found.group(2))
        alternatives.append(
            "(" + " AND ".join(f"{column} LIKE %s ESCAPE '\\'" for _ in tokens) + ")"
        )
        params += [f"% {_escape_like(fold(t))}%" for t in tokens]
    return "(" + " OR ".join(alternatives) + ")", params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
