"""Rows of the care tables: contacts, follow-ups, cases, templates; the scans' queries.

Everything runs inside the caller's transaction. Queries use the peewee query builder so
they read the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from peewee import JOIN, fn

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.care import (
    Case,
    CaseStatus,
    Channel,
    Contact,
    ContactOutcome,
    Direction,
    Followup,
    FollowupDraft,
    FollowupReason,
    FollowupStatus,
    Severity,
    Template,
    TemplateKey,
)
from shopfront.core.localtime import Interval
from shopfront.core.workhours import Absence
from shopfront.errors import ConflictError, NotFoundError
from shopfront.storage import records as r
from shopfront.storage.convert import from_db, to_db

F = r.FollowupRecord
C = r.CaseRecord
K = r.ContactRecord
A = r.AppointmentRecord
CU = r.CustomerRecord


# contacts ---------------------------------------------------------------------------------


def _contact(row: r.ContactRecord) -> Contact:
    return Contact(
        customer_id=row.customer_id,
        at=from_db(row.at),
        channel=Channel(row.channel),
        direction=Direction(row.direction),
        outcome=ContactOutcome(row.outcome),
        summary=row.summary,
        staff_id=row.staff_id,
        appointment_id=row.appointment_id,
        absence_id=row.absence_id,
        id=row.id,
    )


def insert_contact(contact: Contact) -> int:
    return K.insert(
        customer=contact.customer_id,
        at=to_db(contact.at),
        channel=contact.channel.value,
        direction=contact.direction.value,
        outcome=contact.outcome.value,
        summary=contact.summary,
        staff=contact.staff_id,
        appointment=contact.appointment_id,
        absence=contact.absence_id,
    ).execute()


def contacts(customer_id: int, limit: int = 500) -> list[Contact]:
    query = K.select().where(K.customer == customer_id).order_by(K.at.desc(), K.id.desc())
    return [_contact(row) for row in query.limit(limit)]


def contacts_for_absence(absence_id: int) -> dict[int, list[Contact]]:
    """Contacts logged from an absence's call list, by appointment."""
    found: dict[int, list[Contact]] = defaultdict(list)
    for row in K.select().where(K.absence == absence_id).order_by(K.at):
        if row.appointment_id is not None:
            found[row.appointment_id].append(_contact(row))
    return found


def absence_appointment_ids(absence_id: int) -> list[int]:
    """Appointments an absence made front-desk follow-ups for (moved or cancelled since)."""
    query = F.select(F.appointment).where((F.absence == absence_id) & F.appointment.is_null(False))
    return sorted({row.appointment_id for row in query})


def last_told(customer_ids: list[int]) -> dict[int, Contact]:
    """The newest contact that reached each customer (or a message sent to them)."""
    if not customer_ids:
        return {}
    best: dict[int, Contact] = {}
    query = (
        K.select()
        .where(K.customer.in_(customer_ids) & (K.channel != Channel.NOTE.value))
        .order_by(K.at)
    )
    for row in query:
        contact = _contact(row)
        if contact.reached:
            best[contact.customer_id] = contact
    return best


# follow-ups -------------------------------------------------------------------------------


def _followup(row: r.FollowupRecord, name: str = "") -> Followup:
    return Followup(
        customer_id=row.customer_id,
        reason=FollowupReason(row.reason),
        due=_date(row.due),
        staff_id=row.staff_id,
        status=FollowupStatus(row.status),
        note=row.note,
        outcome=row.outcome,
        created_at=from_db(row.created_at),
        done_at=from_db(row.done_at),
        done_by=row.done_by_id,
        appointment_id=row.appointment_id,
        case_id=row.case_id,
        absence_id=row.absence_id,
        source_key=row.source_key,
        id=row.id,
        version=row.version,
        customer_name=name,
    )


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def insert_draft(draft: FollowupDraft, now: datetime) -> int | None:
    """Store a policy's follow-up unless it exists already (then None): the same cause
    (its key), or an open one with the same reason for the same customer (per case for
    complaints, per appointment for absences), or the customer is archived."""
    if F.select().where(F.source_key == draft.source_key).exists():
        return None
    same = (
        (F.customer == draft.customer_id)
        & (F.reason == draft.reason.value)
        & (F.status == FollowupStatus.OPEN.value)
    )
    if draft.reason == FollowupReason.COMPLAINT:  # per case and person (escalations)
        same &= (F.case == draft.case_id) & (F.staff == draft.staff_id)
    elif draft.reason == FollowupReason.ABSENCE:
        same &= F.appointment == draft.appointment_id
    if F.select().where(same).exists() or is_archived(draft.customer_id):
        return None
    return insert_followup(draft, now)


def insert_followup(item: Followup | FollowupDraft, now: datetime) -> int:
    return F.insert(
        customer=item.customer_id,
        reason=item.reason.value,
        due=item.due,
        staff=item.staff_id,
        note=item.note,
        created_at=to_db(now),
        appointment=item.appointment_id,
        case=item.case_id,
        absence=item.absence_id,
        source_key=item.source_key,
    ).execute()


def open_reason_exists(customer_id: int, reason: FollowupReason) -> bool:
    return (
        F.select()
        .where(
            (F.customer == customer_id)
            & (F.reason == reason.value)
            & (F.status == FollowupStatus.OPEN.value)
        )
        .exists()
    )


def load_followup(followup_id: int) -> Followup:
    row = F.get_or_none(F.id == followup_id)
    if row is None:
        raise NotFoundError(f"There is no follow-up #{followup_id}.")
    return _followup(row, CU.get_by_id(row.customer_id).name)


def update_followup(followup_id: int, version: int | None, **values: object) -> None:
    query = F.update(version=F.version + 1, **values).where(F.id == followup_id)
    if version is not None:
        query = query.where(F.version == version)
    if query.execute() != 1:
        raise ConflictError(
            "This follow-up was changed at another desk meanwhile; it has been reloaded."
        )


def list_followups(
    *,
    status: FollowupStatus | None = FollowupStatus.OPEN,
    due_until: date | None = None,
    due_from: date | None = None,
    staff_id: int | None = None,
    customer_id: int | None = None,
    limit: int = 2000,
) -> list[Followup]:
    """Follow-ups of customers who are not archived or merged, by due date."""
    query = (
        F.select(F, CU.id, CU.name)
        .join(CU, on=(CU.id == F.customer))
        .where(CU.archived_at.is_null() & CU.merged_into.is_null())
    )
    if status is not None:
        query = query.where(F.status == status.value)
    if due_until is not None:
        query = query.where(F.due <= due_until)
    if due_from is not None:
        query = query.where(F.due >= due_from)
    if staff_id is not None:
        query = query.where(F.staff == staff_id)
    if customer_id is not None:
        query = query.where(F.customer == customer_id)
    query = query.order_by(F.due, F.id).limit(limit)
    return [_followup(row, row.customer.name) for row in query]


def followups_of(customer_id: int) -> list[Followup]:
    query = F.select().where(F.customer == customer_id).order_by(F.due.desc(), F.id.desc())
    return [_followup(row) for row in query]


def followup_counts(staff_id: int | None, today: date) -> dict[str, int]:
    base = (
        F.select(fn.COUNT(F.id))
        .join(CU, on=(CU.id == F.customer))
        .where(
            (F.status == FollowupStatus.OPEN.value)
            & CU.archived_at.is_null()
            & CU.merged_into.is_null()
        )
    )
    if staff_id is not None:
        base = base.where(F.staff == staff_id)
    return {
        "overdue": base.where(F.due < today).scalar() or 0,
        "due_today": base.where(F.due == today).scalar() or 0,
        "upcoming": base.where(F.due > today).scalar() or 0,
    }


def close_open_for_appointment(appointment_id: int, reason: FollowupReason, note: str) -> int:
    """E.g. an absence follow-up becomes moot when the appointment was moved or cancelled."""
    return (
        F.update(status=FollowupStatus.SKIPPED.value, outcome=note, version=F.version + 1)
        .where(
            (F.appointment == appointment_id)
            & (F.reason == reason.value)
            & (F.status == FollowupStatus.OPEN.value)
        )
        .execute()
    )


def note_open_for_appointment(appointment_id: int, reason: FollowupReason, line: str) -> int:
    changed = 0
    for row in F.select().where(
        (F.appointment == appointment_id)
        & (F.reason == reason.value)
        & (F.status == FollowupStatus.OPEN.value)
    ):
        changed += (
            F.update(note=f"{row.note}\n{line}".strip(), version=F.version + 1)
            .where(F.id == row.id)
            .execute()
        )
    return changed


# cases ------------------------------------------------------------------------------------


def _case(row: r.CaseRecord, name: str = "") -> Case:
    return Case(
        customer_id=row.customer_id,
        opened_at=from_db(row.opened_at),
        words=row.words,
        severity=Severity(row.severity),
        apology=bool(row.apology),
        apology_by=row.apology_by_id,
        fix=row.fix,
        fix_due=_date(row.fix_due) if row.fix_due else None,
        owner_id=row.owner_id,
        status=CaseStatus(row.status),
        opened_by=row.opened_by_id,
        appointment_id=row.appointment_id,
        fixed_at=from_db(row.fixed_at),
        closed_at=from_db(row.closed_at),
        resolution=row.resolution,
        outcome=row.outcome,
        id=row.id,
        version=row.version,
        customer_name=name,
    )


def _case_values(case: Case) -> dict[str, object]:
    return {
        "customer": case.customer_id,
        "opened_at": to_db(case.opened_at),
        "opened_by": case.opened_by,
        "appointment": case.appointment_id,
        "words": case.words,
        "severity": case.severity.value,
        "apology": case.apology,
        "apology_by": case.apology_by,
        "fix": case.fix,
        "fix_due": case.fix_due,
        "owner": case.owner_id,
        "status": case.status.value,
        "fixed_at": to_db(case.fixed_at),
        "closed_at": to_db(case.closed_at),
        "resolution": case.resolution,
        "outcome": case.outcome,
    }


def insert_case(case: Case) -> int:
    return C.insert(**_case_values(case)).execute()


def update_case(case: Case) -> None:
    assert case.id is not None
    values = _case_values(case)
    changed = (
        C.update(version=C.version + 1, **values)
        .where((C.id == case.id) & (C.version == case.version))
        .execute()
    )
    if changed != 1:
        raise ConflictError("This case was changed at another desk meanwhile; reload it first.")


def load_case(case_id: int) -> Case:
    row = C.get_or_none(C.id == case_id)
    if row is None:
        raise NotFoundError(f"There is no case #{case_id}.")
    return _case(row, CU.get_by_id(row.customer_id).name)


def list_cases(
    *, open_only: bool = False, customer_id: int | None = None, limit: int = 2000
) -> list[Case]:
    query = C.select(C, CU.id, CU.name).join(CU, on=(CU.id == C.customer))
    if open_only:
        query = query.where(C.status != CaseStatus.CLOSED.value)
    if customer_id is not None:
        query = query.where(C.customer == customer_id)
    query = query.order_by(C.opened_at.desc(), C.id.desc()).limit(limit)
    return [_case(row, row.customer.name) for row in query]


def customers_with_open_cases(customer_ids: list[int]) -> set[int]:
    if not customer_ids:
        return set()
    query = C.select(C.customer).where(
        C.customer.in_(customer_ids) & (C.status != CaseStatus.CLOSED.value)
    )
    return {row.customer_id for row in query}


# templates --------------------------------------------------------------------------------


def load_templates() -> dict[TemplateKey, Template]:
    found = {}
    for row in r.TemplateRecord.select():
        try:
            key = TemplateKey(row.key)
        except ValueError:
            continue
        found[key] = Template(key, row.subject, row.body)
    return found


def save_template(template: Template) -> None:
    r.TemplateRecord.replace(
        key=template.key.value, subject=template.subject, body=template.body
    ).execute()


# scans ------------------------------------------------------------------------------------


def completed_without_followup(since: datetime) -> list[tuple[int, int, int, datetime]]:
    """Completed visits since a moment: (appointment, customer, staff, start)."""
    query = (
        A.select(A.id, A.customer, A.staff, A.start_at)
        .join(CU, on=(CU.id == A.customer))
        .where(
            (A.status == AppointmentStatus.COMPLETED.value)
            & (A.start_at >= to_db(since))
            & CU.archived_at.is_null()
            & CU.merged_into.is_null()
        )
        .order_by(A.start_at)
        .tuples()
    )
    return [(aid, cid, sid, from_db(start)) for aid, cid, sid, start in query]


def no_shows_since(since: datetime) -> list[tuple[int, int, int, datetime]]:
    query = (
        A.select(A.id, A.customer, A.staff, A.start_at)
        .join(CU, on=(CU.id == A.customer))
        .where(
            (A.status == AppointmentStatus.NO_SHOW.value)
            & (A.excused == False)  # noqa: E712 (peewee expression)
            & (A.start_at >= to_db(since))
            & CU.archived_at.is_null()
            & CU.merged_into.is_null()
        )
        .tuples()
    )
    return [(aid, cid, sid, from_db(start)) for aid, cid, sid, start in query]


def visit_starts() -> dict[int, list[datetime]]:
    """Completed visit starts per active customer (the lapsed scan's input)."""
    found: dict[int, list[datetime]] = defaultdict(list)
    query = (
        A.select(A.customer, A.start_at)
        .join(CU, on=(CU.id == A.customer))
        .where(
            (A.status == AppointmentStatus.COMPLETED.value)
            & CU.archived_at.is_null()
            & CU.merged_into.is_null()
        )
        .tuples()
    )
    for customer_id, start in query:
        found[customer_id].append(from_db(start))
    return found


def customers_with_future_booking(now: datetime) -> set[int]:
    query = A.select(A.customer).where(
        (A.start_at >= to_db(now))
        & A.status.in_([AppointmentStatus.BOOKED.value, AppointmentStatus.CONFIRMED.value])
    )
    return {row.customer_id for row in query}


def owners(customer_ids: list[int] | None = None) -> dict[int, tuple[int | None, int | None]]:
    """(owner, backup) per customer."""
    query = CU.select(CU.id, CU.owner, CU.backup)
    if customer_ids is not None:
        if not customer_ids:
            return {}
        query = query.where(CU.id.in_(customer_ids))
    return {cid: (owner, backup) for cid, owner, backup in query.tuples()}


def birthdays_on(month: int, day: int) -> list[tuple[int, int | None]]:
    query = CU.select(CU.id, CU.owner).where(
        (CU.birth_month == month)
        & (CU.birth_day == day)
        & CU.archived_at.is_null()
        & CU.merged_into.is_null()
    )
    return list(query.tuples())


def is_archived(customer_id: int) -> bool:
    row = CU.get_or_none(CU.id == customer_id)
    return row is None or row.archived_at is not None or row.merged_into is not None


def first_completed_before(customer_id: int, appointment_id: int, start: datetime) -> bool:
    """Whether the customer had a completed visit before this one."""
    return (
        A.select()
        .where(
            (A.customer == customer_id)
            & (A.id != appointment_id)
            & (A.status == AppointmentStatus.COMPLETED.value)
            & (A.start_at < to_db(start))
        )
        .exists()
    )


def load_absence(absence_id: int) -> Absence:
    row = r.AbsenceRecord.get_or_none(r.AbsenceRecord.id == absence_id)
    if row is None:
        raise NotFoundError(f"There is no absence #{absence_id}.")
    return Absence(
        row.staff_id,
        Interval(from_db(row.start_at), from_db(row.end_at)),
        row.reason,  # type: ignore[arg-type]
        row.id,
        row.note,
    )


# ownership --------------------------------------------------------------------------------


def my_customers(staff_id: int, now: datetime) -> list[dict[str, object]]:
    """A staff member's customers with last visit, next visit, open follow-ups and cases."""
    last = (
        A.select(A.customer, fn.MAX(A.start_at).alias("last"))
        .where(A.status == AppointmentStatus.COMPLETED.value)
        .group_by(A.customer)
        .alias("last_visit")
    )
    nxt = (
        A.select(A.customer, fn.MIN(A.start_at).alias("next"))
        .where(
            (A.start_at >= to_db(now))
            & A.status.in_([AppointmentStatus.BOOKED.value, AppointmentStatus.CONFIRMED.value])
        )
        .group_by(A.customer)
        .alias("next_visit")
    )
    query = (
        CU.select(CU.id, CU.name, CU.owner, CU.backup, last.c.last, nxt.c.next)
        .join(last, JOIN.LEFT_OUTER, on=(last.c.customer_id == CU.id))
        .switch(CU)
        .join(nxt, JOIN.LEFT_OUTER, on=(nxt.c.customer_id == CU.id))
        .where(
            ((CU.owner == staff_id) | (CU.backup == staff_id))
            & CU.archived_at.is_null()
            & CU.merged_into.is_null()
        )
        .order_by(CU.sort_name)
        .tuples()
    )
    rows = list(query)
    ids = [row[0] for row in rows]
    open_followups: dict[int, int] = defaultdict(int)
    open_cases: dict[int, int] = defaultdict(int)
    for chunk in _chunks(ids):
        for cid, count in (
            F.select(F.customer, fn.COUNT(F.id))
            .where(F.customer.in_(chunk) & (F.status == FollowupStatus.OPEN.value))
            .group_by(F.customer)
            .tuples()
        ):
            open_followups[cid] = count
        for cid, count in (
            C.select(C.customer, fn.COUNT(C.id))
            .where(C.customer.in_(chunk) & (C.status != CaseStatus.CLOSED.value))
            .group_by(C.customer)
            .tuples()
        ):
            open_cases[cid] = count
    return [
        {
            "id": cid,
            "name": name,
            "role": "owner" if owner == staff_id else "backup",
            "last_visit": _moment(last_at),
            "next_visit": _moment(next_at),
            "open_followups": open_followups[cid],
            "open_cases": open_cases[cid],
        }
        for cid, name, owner, _backup, last_at, next_at in rows
    ]


def _moment(value: object) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return from_db(value)  # type: ignore[arg-type]


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def set_owner(customer_ids: list[int], new_owner: int, now: datetime) -> int:
    changed = 0
    for chunk in _chunks(customer_ids):
        changed += (
            CU.update(owner=new_owner, updated_at=to_db(now), version=CU.version + 1)
            .where(CU.id.in_(chunk))
            .execute()
        )
    return changed


def customers_owned_by(staff_id: int) -> list[int]:
    query = CU.select(CU.id).where(
        (CU.owner == staff_id) & CU.archived_at.is_null() & CU.merged_into.is_null()
    )
    return [row.id for row in query]


def reassign_open_followups(customer_ids: list[int], old: int, new: int) -> int:
    changed = 0
    for chunk in _chunks(customer_ids):
        changed += (
            F.update(staff=new, version=F.version + 1)
            .where(
                F.customer.in_(chunk) & (F.staff == old) & (F.status == FollowupStatus.OPEN.value)
            )
            .execute()
        )
    return changed


def move_care_rows(from_customer: int, to_customer: int) -> None:
    """A merge carries follow-ups, cases and contacts over to the kept card."""
    for model in (F, C, K):
        model.update(customer=to_customer).where(model.customer == from_customer).execute()
    # Two open follow-ups of the same reason are one piece of work after a merge.
    seen: set[str] = set()
    for row in (
        F.select()
        .where((F.customer == to_customer) & (F.status == FollowupStatus.OPEN.value))
        .order_by(F.due, F.id)
    ):
        key = f"{row.reason}:{row.case_id or ''}:{row.appointment_id or ''}"
        if row.reason in (FollowupReason.MANUAL.value, FollowupReason.ABSENCE.value):
            key = f"{row.reason}:{row.id}"
        elif row.reason != FollowupReason.COMPLAINT.value:
            key = row.reason
        if key in seen:
            F.update(
                status=FollowupStatus.SKIPPED.value,
                outcome="Merged with the same follow-up of the other card",
                version=F.version + 1,
            ).where(F.id == row.id).execute()
        seen.add(key)


def counts() -> dict[str, int]:
    return {
        "contacts": K.select().count(),
        "followups": F.select().count(),
        "cases": C.select().count(),
    }
