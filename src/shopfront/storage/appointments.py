"""Appointment queries: the day's rows, busy time, hours, absences, status history.

The rules (overlaps, lifecycle, slots) live in core; this module only reads and writes
rows, always inside the caller's transaction.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from peewee import IntegrityError, SqliteDatabase

from shopfront.core.appointments import AppointmentStatus, StatusChange
from shopfront.core.booking import Appointment, ServiceLine
from shopfront.core.localtime import Interval, format_time
from shopfront.core.workhours import Absence, WorkingHours
from shopfront.errors import ConflictError, NotFoundError
from shopfront.storage import catalog, customers, postgres
from shopfront.storage import records as r
from shopfront.storage.convert import from_db, to_db

A = r.AppointmentRecord
# No appointment is longer than this; window queries rely on it (see _overlapping).
MAX_MINUTES = 24 * 60
INACTIVE = (AppointmentStatus.CANCELLED.value, AppointmentStatus.NO_SHOW.value)


def _marks(count: int) -> str:
    return ", ".join([r.database.obj.param] * count)


def _lines(ids: list[int]) -> dict[int, list[ServiceLine]]:
    lines: dict[int, list[ServiceLine]] = defaultdict(list)
    if not ids:
        return lines
    # Plain SQL: this runs on every day switch, where building peewee queries was the cost.
    query = r.database.obj.execute_sql(
        "SELECT l.appointment_id, l.service_id, s.name, l.duration_min, l.price_minor"
        " FROM appointment_service l JOIN service s ON s.id = l.service_id"
        f" WHERE l.appointment_id IN ({_marks(len(ids))}) ORDER BY l.appointment_id, l.position",
        ids,
    )
    for appointment_id, service_id, name, minutes, price in query:
        lines[appointment_id].append(ServiceLine(service_id, name, minutes, price))
    return lines


def _appointment(row: tuple, lines: list[ServiceLine]) -> Appointment:
    (
        aid,
        customer,
        staff,
        start,
        end,
        booked,
        status,
        price,
        final,
        source,
        notes,
        cancelled_by,
        late,
        excused,
        excuse,
        series,
        rebooked,
        version,
    ) = row
    return Appointment(
        id=aid,
        customer_id=customer,
        staff_id=staff,
        start=from_db(start),
        end=from_db(end),
        booked_at=from_db(booked),
        status=AppointmentStatus(status),
        price_minor=price,
        services=tuple(lines),
        source=source,
        notes=notes,
        final_price_minor=final,
        cancelled_by=cancelled_by,
        late_cancel=bool(late),
        excused=bool(excused),
        excuse_reason=excuse,
        series_id=series,
        rebooked=None if rebooked is None else bool(rebooked),
        version=version,
    )  # type: ignore[arg-type]


COLUMNS = (
    A.id,
    A.customer,
    A.staff,
    A.start_at,
    A.end_at,
    A.booked_at,
    A.status,
    A.price_minor,
    A.final_price_minor,
    A.source,
    A.notes,
    A.cancelled_by,
    A.late_cancel,
    A.excused,
    A.excuse_reason,
    A.series,
    A.rebooked,
    A.version,
)


def _load(query) -> list[Appointment]:
    rows = list(query.tuples())
    lines = _lines([row[0] for row in rows])
    return [_appointment(row, lines[row[0]]) for row in rows]


def load(appointment_id: int) -> Appointment:
    found = _load(A.select(*COLUMNS).where(A.id == appointment_id))
    if not found:
        raise NotFoundError(f"There is no appointment #{appointment_id}.")
    return found[0]


def _overlapping(window: Interval):  # noqa: ANN202 (a peewee expression)
    """Rows overlapping ``window``. The lower bound on start_at (no appointment is longer
    than MAX_MINUTES) lets the index stop early: without it a day of a 1M-row book read
    every earlier row (691 ms against 0.3 ms)."""
    earliest = window.start - timedelta(minutes=MAX_MINUTES)
    return (
        (A.start_at < to_db(window.end))
        & (A.start_at >= to_db(earliest))
        & (A.end_at > to_db(window.start))
    )


RAW_COLUMNS = ", ".join(column.column_name for column in COLUMNS)


def in_window(window: Interval, staff_ids: Iterable[int] | None = None) -> list[Appointment]:
    """Appointments overlapping ``window`` (any status), ordered by start.

    Plain SQL with the same bounds as ``_overlapping``: the day view calls this on every
    day switch, and peewee's query building cost 9 ms of its 11."""
    db, p = r.database.obj, r.database.obj.param
    earliest = window.start - timedelta(minutes=MAX_MINUTES)
    params: list = [A.start_at.db_value(to_db(x)) for x in (window.end, earliest, window.start)]
    where = f"start_at < {p} AND start_at >= {p} AND end_at > {p}"
    if staff_ids is not None:
        ids = list(staff_ids)
        if not ids:
            return []
        where += f" AND staff_id IN ({_marks(len(ids))})"
        params += ids
    rows = list(
        db.execute_sql(
            f"SELECT {RAW_COLUMNS} FROM appointment WHERE {where} ORDER BY start_at, id", params
        )
    )
    lines = _lines([row[0] for row in rows])
    return [_appointment(row, lines[row[0]]) for row in rows]


def day_visits(window: Interval, staff_ids: list[int]) -> list[tuple[Appointment, str, str, bool]]:
    """(appointment, customer name, first phone, first visit) for every appointment of these
    staff overlapping ``window``, ordered by start: one round trip for the day view.

    First visit: not cancelled, and no earlier appointment of the customer that wasn't
    cancelled (the same rule as ``first_visit_starts``). NOT EXISTS walks the customer's
    (customer_id, start_at) index and stops at the first earlier visit, where MIN(...)
    GROUP BY read every visit of every customer of the day (11 of 33 ms at 1M rows)."""
    if not staff_ids:
        return []
    db, p = r.database.obj, r.database.obj.param
    earliest = window.start - timedelta(minutes=MAX_MINUTES)
    bounds = [A.start_at.db_value(to_db(x)) for x in (window.end, earliest, window.start)]
    cancelled = AppointmentStatus.CANCELLED.value
    columns = ", ".join(f"a.{c.column_name}" for c in COLUMNS)
    sql = (
        f"SELECT {columns}, c.name,"
        " (SELECT ph.typed FROM customer_phone ph WHERE ph.customer_id = a.customer_id"
        "  ORDER BY ph.position, ph.id LIMIT 1),"
        f" CASE WHEN a.status = {p} THEN 0 WHEN EXISTS (SELECT 1 FROM appointment e"
        "  WHERE e.customer_id = a.customer_id AND e.start_at < a.start_at"
        f"  AND e.status <> {p}) THEN 0 ELSE 1 END,"
        " l.service_id, s.name, l.duration_min, l.price_minor"
        " FROM appointment a JOIN customer c ON c.id = a.customer_id"
        " LEFT JOIN appointment_service l ON l.appointment_id = a.id"
        " LEFT JOIN service s ON s.id = l.service_id"
        f" WHERE a.start_at < {p} AND a.start_at >= {p} AND a.end_at > {p}"
        f" AND a.staff_id IN ({_marks(len(staff_ids))})"
        " ORDER BY a.start_at, a.id, l.position"
    )
    width = len(COLUMNS)
    rows: dict[int, tuple] = {}
    lines: dict[int, list[ServiceLine]] = defaultdict(list)
    for row in db.execute_sql(sql, [cancelled, cancelled, *bounds, *staff_ids]):
        aid = row[0]
        if aid not in rows:
            rows[aid] = row
        if row[width + 3] is not None:
            lines[aid].append(ServiceLine(*row[width + 3 :]))
    return [
        (
            _appointment(row[:width], lines[aid]),
            row[width],
            row[width + 1] or "",
            bool(row[width + 2]),
        )
        for aid, row in rows.items()
    ]


def change_stamp() -> tuple[int, int] | None:
    """Something that changes whenever the book may have changed, as seen by this thread's
    connection: SQLite's data_version (commits by any other connection) with this
    connection's own change count. None where there is no such cheap signal (PostgreSQL)."""
    db = r.database.obj
    if not isinstance(db, SqliteDatabase):
        return None
    connection = db.connection()
    (version,) = connection.execute("PRAGMA data_version").fetchone()
    return version, connection.total_changes


def for_customer(customer_id: int) -> list[Appointment]:
    return _load(A.select(*COLUMNS).where(A.customer == customer_id).order_by(A.start_at.desc()))


def busy(staff_id: int, window: Interval) -> list[tuple[int, Interval]]:
    """(id, interval) of the staff member's active appointments overlapping ``window``."""
    query = (
        A.select(A.id, A.start_at, A.end_at)
        .where((A.staff == staff_id) & A.status.not_in(INACTIVE) & _overlapping(window))
        .tuples()
    )
    return [(i, Interval(from_db(s), from_db(e))) for i, s, e in query]  # type: ignore[arg-type]


def first_visit_starts(customer_ids: list[int]) -> dict[int, datetime]:
    """Each customer's first appointment that was not cancelled (their first real visit)."""
    if not customer_ids:
        return {}
    p = r.database.obj.param
    query = r.database.obj.execute_sql(
        "SELECT customer_id, MIN(start_at) FROM appointment"
        f" WHERE customer_id IN ({_marks(len(customer_ids))}) AND status <> {p}"
        " GROUP BY customer_id",
        [*customer_ids, AppointmentStatus.CANCELLED.value],
    )
    return {customer: from_db(start) for customer, start in query}  # type: ignore[misc]


# "Key (staff_id, tsrange(start_at, end_at))=(3, ["2026-12-01 10:00:00","…")) conflicts…"
REFUSED_KEY_RE = re.compile(r'=\((\d+), \["([^"]+)","([^"]+)"\)')


def clash_message(other: Appointment, tz: ZoneInfo) -> str:
    """Why a time was refused: the appointment already there, in the shop's words."""
    who = customers.summaries([other.customer_id])
    name = who[0].name if who else f"customer #{other.customer_id}"
    staff = catalog.get_staff(other.staff_id).name
    when = f"{format_time(other.start.astimezone(tz))}–{format_time(other.end.astimezone(tz))}"
    return (
        f"{staff} is already booked {when} on {other.start.astimezone(tz):%d %b} "
        f"with {name} ({other.service_names}, #{other.id})."
    )


@contextmanager
def _no_overlap() -> Iterator[None]:
    """PostgreSQL: turn the exclusion constraint's refusal into the readable clash message
    (SQLite never gets here: its check and write share one IMMEDIATE transaction)."""
    db = r.database.obj
    if not postgres.is_postgres(db):
        yield
        return
    try:
        with postgres.savepoint(db):
            yield
    except IntegrityError as exc:
        if not postgres.is_overlap(exc):
            raise
        raise ConflictError(_clash_after_refusal(exc)) from None


def _clash_after_refusal(exc: IntegrityError) -> str:
    """The constraint's detail names the refused row's staff and range; find who holds it."""
    found = REFUSED_KEY_RE.search(str(postgres.driver_error(exc)))  # the first key: ours
    if not found:
        return "Another appointment already takes that time."
    staff_id = int(found.group(1))
    start, end = (datetime.fromisoformat(found.group(i)).replace(tzinfo=UTC) for i in (2, 3))
    clashes = busy(staff_id, Interval(start, end))
    if not clashes:
        return "Another appointment already takes that time."
    tz = ZoneInfo(catalog.load_settings().timezone)
    return clash_message(load(clashes[0][0]), tz)


def insert(a: Appointment) -> int:
    with _no_overlap():
        return _insert(a)


def _insert(a: Appointment) -> int:
    new_id = A.insert(
        customer=a.customer_id,
        staff=a.staff_id,
        start_at=to_db(a.start),
        end_at=to_db(a.end),
        booked_at=to_db(a.booked_at),
        status=a.status.value,
        price_minor=a.price_minor,
        source=a.source,
        notes=a.notes,
        series=a.series_id,
    ).execute()
    for position, line in enumerate(a.services):
        r.AppointmentServiceRecord.insert(
            appointment=new_id,
            service=line.service_id,
            position=position,
            duration_min=line.duration_min,
            price_minor=line.price_minor,
        ).execute()
    return new_id


def update(appointment_id: int, **values: object) -> None:
    """Change columns and bump the version (callers checked the version first)."""
    for key in ("start_at", "end_at"):
        if key in values:
            values[key] = to_db(values[key])  # type: ignore[arg-type]
    with _no_overlap():
        A.update(version=A.version + 1, **values).where(A.id == appointment_id).execute()


def replace_lines(appointment_id: int, lines: Iterable[ServiceLine]) -> None:
    """The appointment's services become ``lines`` (the caller updates end and price)."""
    L = r.AppointmentServiceRecord
    L.delete().where(L.appointment == appointment_id).execute()
    for position, line in enumerate(lines):
        L.insert(
            appointment=appointment_id,
            service=line.service_id,
            position=position,
            duration_min=line.duration_min,
            price_minor=line.price_minor,
        ).execute()


def add_change(appointment_id: int, change: StatusChange) -> None:
    r.StatusChangeRecord.insert(
        appointment=appointment_id,
        at=to_db(change.at),
        old=change.old.value if change.old else None,
        new=change.new.value,
        by_staff=change.by_staff_id,
        reason=change.reason,
    ).execute()


def history(appointment_id: int) -> list[StatusChange]:
    C = r.StatusChangeRecord
    query = C.select().where(C.appointment == appointment_id).order_by(C.at, C.id)
    return [StatusChange(from_db(c.at), c.old, c.new, c.by_staff_id, c.reason) for c in query]  # type: ignore[arg-type]


def delete_last_change(appointment_id: int) -> None:
    C = r.StatusChangeRecord
    last = (
        C.select(C.id)
        .where(C.appointment == appointment_id)
        .order_by(C.at.desc(), C.id.desc())
        .first()
    )
    if last is not None:
        C.delete().where(C.id == last.id).execute()


def changes_for_customer(customer_id: int) -> list[tuple[int, StatusChange]]:
    C = r.StatusChangeRecord
    query = (
        C.select(C, A.id)
        .join(A, on=(C.appointment == A.id))
        .where(A.customer == customer_id)
        .order_by(C.at.desc(), C.id.desc())
    )
    return [
        (c.appointment_id, StatusChange(from_db(c.at), c.old, c.new, c.by_staff_id, c.reason))  # type: ignore[arg-type]
        for c in query
    ]


# working hours and absences ------------------------------------------------------------------


def _clock(minute: int) -> time:
    return time(minute // 60, minute % 60)


_HOURS_CACHE: dict[tuple, WorkingHours] = {}


def hours(staff_ids: Iterable[int] | None = None) -> dict[int, WorkingHours]:
    """Working hours per staff member; staff with no rows at all are left out.

    Plain SQL, and the parsed hours are kept per set of rows: the day view asks for 30
    people's hours on every day switch and they hardly ever change (9 ms -> 0.4 ms)."""
    db = r.database.obj
    sql = "SELECT staff_id, weekday, start_min, end_min FROM working_hours"
    params: list[int] = []
    if staff_ids is not None:
        params = list(staff_ids)
        if not params:
            return {}
        sql += f" WHERE staff_id IN ({_marks(len(params))})"
    spans: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for staff, weekday, start, end in db.execute_sql(
        sql + " ORDER BY staff_id, weekday, start_min", params
    ):
        spans[staff].append((weekday, start, end))
    return {staff: _working_hours(tuple(rows)) for staff, rows in spans.items()}


def _working_hours(rows: tuple[tuple[int, int, int], ...]) -> WorkingHours:
    found = _HOURS_CACHE.get(rows)
    if found is None:
        days: dict[int, list[tuple[time, time]]] = defaultdict(list)
        for weekday, start, end in rows:
            days[weekday].append((_clock(start), _clock(end)))
        if len(_HOURS_CACHE) > 1000:
            _HOURS_CACHE.clear()
        found = _HOURS_CACHE[rows] = WorkingHours.from_mapping(days)
    return found


def set_hours(staff_id: int, working: WorkingHours) -> None:
    W = r.WorkingHoursRecord
    W.delete().where(W.staff == staff_id).execute()
    for weekday, spans in enumerate(working.days):
        for span in spans:
            W.insert(
                staff=staff_id,
                weekday=weekday,
                start_min=span.start.hour * 60 + span.start.minute,
                end_min=span.end.hour * 60 + span.end.minute,
            ).execute()


def absences(window: Interval, staff_ids: Iterable[int] | None = None) -> list[Absence]:
    """Absences overlapping ``window`` (plain SQL: the day view asks on every day switch)."""
    db, p = r.database.obj, r.database.obj.param
    B = r.AbsenceRecord
    params: list = [B.start_at.db_value(to_db(x)) for x in (window.end, window.start)]
    sql = (
        "SELECT staff_id, start_at, end_at, reason, id, note FROM absence"
        f" WHERE start_at < {p} AND end_at > {p}"
    )
    if staff_ids is not None:
        ids = list(staff_ids)
        if not ids:
            return []
        sql += f" AND staff_id IN ({_marks(len(ids))})"
        params += ids
    return [
        Absence(staff, Interval(from_db(start), from_db(end)), reason, aid, note)  # type: ignore[arg-type]
        for staff, start, end, reason, aid, note in db.execute_sql(
            sql + " ORDER BY start_at, id", params
        )
    ]


def insert_absence(absence: Absence, now: datetime) -> int:
    return r.AbsenceRecord.insert(
        staff=absence.staff_id,
        start_at=to_db(absence.interval.start),
        end_at=to_db(absence.interval.end),
        reason=absence.reason.value,
        note=absence.note,
        created_at=to_db(now),
    ).execute()


def delete_absence(absence_id: int) -> None:
    r.AbsenceRecord.delete().where(r.AbsenceRecord.id == absence_id).execute()


def insert_series(every_weeks: int, now: datetime) -> int:
    return r.SeriesRecord.insert(every_weeks=every_weeks, created_at=to_db(now)).execute()


def series_members(series_id: int, from_start: datetime) -> list[Appointment]:
    return _load(
        A.select(*COLUMNS)
        .where((A.series == series_id) & (A.start_at >= to_db(from_start)))
        .order_by(A.start_at)
    )
