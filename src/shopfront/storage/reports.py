"""Report queries: the rows the monthly KPIs are counted from, in portable SQL.

Plain SQL with the driver's placeholder (SQLite and PostgreSQL alike); every big query is
bounded by ``start_at`` (its index) or by a customer list (the (customer_id, start_at)
index), so a month of a 1M-appointment book reads about a month of rows. Nothing here
uses a dialect's date functions: months are cut in Python in the shop's zone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime

from shopfront.core.care_kpis import CaseRow, FollowupRow
from shopfront.core.kpis import MonthCounts, Period, VisitRow
from shopfront.storage import records as r
from shopfront.storage.convert import from_db, to_db

A = r.AppointmentRecord
CHUNK = 500  # ids per IN (...) list: well under every driver's parameter limit
COMPLETED, CANCELLED = "completed", "cancelled"


def _p() -> str:
    return r.database.obj.param


def _sql(sql: str, params: list) -> Iterator[tuple]:
    return iter(r.database.obj.execute_sql(sql, params))


def _at(moment: datetime) -> object:
    """A bound for a datetime column, stored as the column stores it (naive UTC)."""
    return A.start_at.db_value(to_db(moment))


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


def _marks(n: int) -> str:
    return ", ".join([_p()] * n)


def _utc(value: datetime | str | None) -> datetime | None:
    """``convert.from_db`` for bulk rows: one C call for SQLite's text (a month of a big
    book converts a few hundred thousand of these)."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.fromisoformat(value + "+00:00")
    return value.replace(tzinfo=UTC)


def _date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value)[:10])


# the month's appointments ------------------------------------------------------------------


def month_visits(period: Period) -> list[VisitRow]:
    """Appointments starting in the period with their services; completed ones also with
    their checkout time and the earliest booking of a later appointment of the customer
    (correlated look-ups, evaluated only for completed rows)."""
    p = _p()
    bounds = [_at(period.start), _at(period.end)]
    rows = list(
        _sql(
            "SELECT a.id, a.customer_id, a.staff_id, a.start_at, a.end_at, a.booked_at,"
            " a.status, a.price_minor, a.final_price_minor, a.late_cancel, a.excused,"
            f" CASE WHEN a.status = {p} THEN (SELECT MAX(c.at) FROM status_change c"
            f"  WHERE c.appointment_id = a.id AND c.new = {p}) END,"
            f" CASE WHEN a.status = {p} THEN (SELECT MIN(b.booked_at) FROM appointment b"
            "  WHERE b.customer_id = a.customer_id AND b.start_at > a.start_at) END"
            f" FROM appointment a WHERE a.start_at >= {p} AND a.start_at < {p}"
            " ORDER BY a.start_at, a.id",
            [COMPLETED, COMPLETED, COMPLETED, *bounds],
        )
    )
    lines = _lines(bounds)
    return [
        VisitRow(
            id=row[0],
            customer_id=row[1],
            staff_id=row[2],
            start=_utc(row[3]),  # type: ignore[arg-type]
            end=_utc(row[4]),  # type: ignore[arg-type]
            booked_at=_utc(row[5]),  # type: ignore[arg-type]
            status=row[6],
            price_minor=row[7],
            final_price_minor=row[8],
            late_cancel=bool(row[9]),
            excused=bool(row[10]),
            services=tuple(lines.get(row[0], ())),
            checkout_at=_utc(row[11]),
            next_booked_at=_utc(row[12]),
        )
        for row in rows
    ]


def _lines(bounds: list) -> dict[int, list[tuple[int, int]]]:
    """Service lines of the period's appointments, by a join on the same start_at range."""
    p = _p()
    lines: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for aid, service, price in _sql(
        "SELECT l.appointment_id, l.service_id, l.price_minor FROM appointment_service l"
        " JOIN appointment a ON a.id = l.appointment_id"
        f" WHERE a.start_at >= {p} AND a.start_at < {p} ORDER BY l.appointment_id, l.position",
        bounds,
    ):
        lines[aid].append((service, price))
    return lines


# each customer's history, as much as the KPIs need -------------------------------------------


def _per_customer(sql: str, ids: Iterable[int], before: list, after: list) -> Iterator[tuple]:
    """Run ``sql`` (with an ``IN ({ids})`` slot) once per chunk of customer ids."""
    for chunk in _chunks(ids):
        yield from _sql(sql.format(ids=_marks(len(chunk))), [*before, *chunk, *after])


# Per-customer look-ups compare ``status || ''`` so SQLite walks (customer_id, start_at):
# with a plain ``status = ?`` it picks the (status, start_at, …) covering index of schema 4
# and reads every completed visit of the book for each customer (minutes on 1M rows).
_NOT_BY_STATUS = "a.status || ''"


def _nearest(customer_ids: Iterable[int], where: str, order: str, params: list) -> dict:
    """One start per customer: the first row of its (customer_id, start_at) index walk in
    ``order`` that meets ``where``. A correlated ``ORDER BY … LIMIT 1`` stops at the first
    match (a row or two per customer), where MIN/MAX with a status filter read every row."""
    sql = (
        f"SELECT c.id, (SELECT a.start_at FROM appointment a WHERE a.customer_id = c.id {where}"
        f" ORDER BY a.start_at {order} LIMIT 1) FROM customer c WHERE c.id IN ({{ids}})"
    )
    rows = _per_customer(sql, customer_ids, params, [])
    return {c: _utc(s) for c, s in rows if s is not None}


def previous_completed(customer_ids: Iterable[int], before: datetime) -> dict[int, datetime]:
    """Each customer's last completed visit before ``before`` (absent: none, a new customer)."""
    p = _p()
    where = f"AND a.start_at < {p} AND {_NOT_BY_STATUS} = {p}"
    return _nearest(customer_ids, where, "DESC", [_at(before), COMPLETED])


def first_completed(customer_ids: Iterable[int]) -> dict[int, datetime]:
    return _nearest(customer_ids, f"AND {_NOT_BY_STATUS} = {_p()}", "ASC", [COMPLETED])


def last_starts(customer_ids: Iterable[int]) -> dict[int, datetime]:
    """Each customer's latest appointment start, any status (an index-only walk)."""
    return _nearest(customer_ids, "", "DESC", [])


def completed_customers(start: datetime, end: datetime) -> set[int]:
    p = _p()
    rows = _sql(
        "SELECT DISTINCT customer_id FROM appointment"
        f" WHERE start_at >= {p} AND start_at < {p} AND status = {p}",
        [_at(start), _at(end), COMPLETED],
    )
    return {row[0] for row in rows}


def completed_starts(
    customer_ids: Iterable[int], after: datetime, until: datetime
) -> dict[int, list[datetime]]:
    """Completed visit starts in (after, until] per customer."""
    p = _p()
    sql = (
        "SELECT customer_id, start_at FROM appointment WHERE customer_id IN ({ids})"
        f" AND start_at > {p} AND start_at <= {p} AND status || '' = {p}"
    )
    found: dict[int, list[datetime]] = defaultdict(list)
    for c, s in _per_customer(sql, customer_ids, [], [_at(after), _at(until), COMPLETED]):
        found[c].append(from_db(s))  # type: ignore[arg-type]
    return found


def owned_counts() -> dict[int, int]:
    """Customers per owning staff member (live cards: not archived, not merged)."""
    rows = _sql(
        "SELECT owner_id, COUNT(*) FROM customer WHERE owner_id IS NOT NULL"
        " AND archived_at IS NULL AND merged_into IS NULL GROUP BY owner_id",
        [],
    )
    return dict(rows)  # type: ignore[arg-type]


# trend ---------------------------------------------------------------------------------------


def month_counts(period: Period) -> MonthCounts:
    """One month's counts for the trend charts: one GROUP BY over the month's index range."""
    p = _p()
    totals = defaultdict(int)
    for status, late, n, money in _sql(
        "SELECT status, late_cancel, COUNT(*), SUM(COALESCE(final_price_minor, price_minor))"
        f" FROM appointment WHERE start_at >= {p} AND start_at < {p}"
        " GROUP BY status, late_cancel",
        [_at(period.start), _at(period.end)],
    ):
        totals["appointments"] += n
        totals[status] += n
        if status == CANCELLED and late:
            totals["late"] += n
        if status == COMPLETED:
            totals["revenue"] += int(money or 0)
    return MonthCounts(
        period.label,
        totals["appointments"],
        totals[COMPLETED],
        totals["no_show"],
        totals["late"],
        totals["revenue"],
    )


# lapsed --------------------------------------------------------------------------------------


def completed_totals(since: datetime, until: datetime) -> list[tuple[int, int, datetime, int]]:
    """(customer, visits, last start, revenue) of completed visits in [since, until): one
    GROUP BY over the window's start_at range."""
    p = _p()
    rows = _sql(
        "SELECT customer_id, COUNT(*), MAX(start_at), SUM(COALESCE(final_price_minor, price_minor))"
        f" FROM appointment WHERE start_at >= {p} AND start_at < {p} AND status = {p}"
        " GROUP BY customer_id",
        [_at(since), _at(until), COMPLETED],
    )
    return [(c, n, last, int(money or 0)) for c, n, last, money in rows]


def completed_visits(
    customer_id: int, since: datetime, until: datetime
) -> list[tuple[datetime, int]]:
    """(start, revenue) of one customer's completed visits in [since, until)."""
    p = _p()
    rows = _sql(
        "SELECT start_at, COALESCE(final_price_minor, price_minor) FROM appointment"
        f" WHERE customer_id = {p} AND start_at >= {p} AND start_at < {p} AND status || '' = {p}",
        [customer_id, _at(since), _at(until), COMPLETED],
    )
    return [(from_db(start), money) for start, money in rows]  # type: ignore[misc]


def live_customers(customer_ids: Iterable[int]) -> set[int]:
    """The ids whose cards are neither archived nor merged away."""
    sql = (
        "SELECT id FROM customer WHERE id IN ({ids})"
        " AND archived_at IS NULL AND merged_into IS NULL"
    )
    return {row[0] for row in _per_customer(sql, customer_ids, [], [])}


def customer_cards(customer_ids: Iterable[int]) -> dict[int, tuple[str, int | None]]:
    """(name, owner id) per customer, for the names printed beside the numbers."""
    sql = "SELECT id, name, owner_id FROM customer WHERE id IN ({ids})"
    return {c: (name, owner) for c, name, owner in _per_customer(sql, customer_ids, [], [])}


# care ----------------------------------------------------------------------------------------


def followups_due(first: date, last: date) -> list[FollowupRow]:
    F = r.FollowupRecord
    query = F.select(F.id, F.staff, F.due, F.status, F.done_at).where(
        (F.due >= first) & (F.due <= last)
    )
    return [
        FollowupRow(i, staff, _date(due), status, from_db(done))  # type: ignore[arg-type]
        for i, staff, due, status, done in query.tuples()
    ]


def cases_for(period: Period, first: date, last: date) -> list[CaseRow]:
    """Cases that touch the month (opened before its end and not closed before its start,
    or with a promise in it) plus every case still open."""
    C = r.CaseRecord
    start, end = to_db(period.start), to_db(period.end)
    touches = (C.opened_at < end) & (C.closed_at.is_null() | (C.closed_at >= start))
    promised = (C.fix_due >= first) & (C.fix_due <= last)
    query = C.select(
        C.id,
        C.customer,
        C.owner,
        C.opened_at,
        C.status,
        C.fix_due,
        C.fixed_at,
        C.closed_at,
        C.severity,
    ).where(touches | promised | (C.status != "closed"))
    return [
        CaseRow(i, cust, owner, from_db(o), st, _date(due), from_db(fx), from_db(cl), sev)  # type: ignore[arg-type]
        for i, cust, owner, o, st, due, fx, cl, sev in query.tuples()
    ]


def care_tables_present() -> bool:
    """False on a book whose schema predates the care tables (the report leaves them out)."""
    tables = set(r.database.obj.get_tables())
    return {"followup", "care_case"} <= tables


def open_case_customers(customer_ids: Iterable[int]) -> set[int]:
    if not care_tables_present():
        return set()
    sql = f"SELECT DISTINCT customer_id FROM care_case WHERE customer_id IN ({{ids}}) AND status <> {_p()}"
    return {row[0] for row in _per_customer(sql, customer_ids, [], ["closed"])}


def customer_contacts(customer_id: int) -> list[tuple[datetime, str, str, str, str, int | None]]:
    """(at, channel, direction, outcome, summary, staff id) of one customer, newest first."""
    if "contact" not in set(r.database.obj.get_tables()):
        return []
    K = r.ContactRecord
    query = (
        K.select(K.at, K.channel, K.direction, K.outcome, K.summary, K.staff)
        .where(K.customer == customer_id)
        .order_by(K.at.desc(), K.id.desc())
    )
    return [(from_db(at), *rest) for at, *rest in query.tuples()]  # type: ignore[misc]


def customer_cases(customer_id: int) -> list[tuple[CaseRow, str, str, str]]:
    """One customer's cases with (words, promised fix, resolution), newest first."""
    if not care_tables_present():
        return []
    C = r.CaseRecord
    query = C.select().where(C.customer == customer_id).order_by(C.opened_at.desc(), C.id.desc())
    return [
        (
            CaseRow(
                c.id,
                c.customer_id,
                c.owner_id,
                from_db(c.opened_at),  # type: ignore[arg-type]
                c.status,
                _date(c.fix_due),
                from_db(c.fixed_at),
                from_db(c.closed_at),
                c.severity,
            ),
            c.words,
            c.fix,
            c.resolution,
        )
        for c in query
    ]
