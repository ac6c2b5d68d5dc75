"""Care data for the demo book: weeks of follow-ups worked with realistic outcomes, calls
logged, cases in every state, and one absence tomorrow with its call list, so a new user
sees every care screen alive. Deterministic for a seed."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from shopfront.core.care import (
    Case,
    CaseStatus,
    Channel,
    Contact,
    ContactOutcome,
    FollowupStatus,
    Severity,
)
from shopfront.core.localtime import day_bounds_utc
from shopfront.storage import care as store

if TYPE_CHECKING:
    from shopfront.book import Book

WEEKS_WORKED = 8
OUTCOMES = [
    ("Reached: happy, booked the next visit", ContactOutcome.REACHED),
    ("Reached: all good, will book herself", ContactOutcome.REACHED),
    ("Reached: wants a call in the spring", ContactOutcome.REACHED),
    ("Left a voicemail", ContactOutcome.VOICEMAIL),
    ("No answer; sent an SMS instead", ContactOutcome.NO_ANSWER),
    ("Reached: moved away, closed", ContactOutcome.REACHED),
]
COMPLAINTS = [
    ("The colour came out much warmer than the photo I showed.", Severity.HIGH, "Free toner"),
    ("I waited 35 minutes past my time and nobody said why.", Severity.MEDIUM, ""),
    ("The fringe is shorter than I asked for.", Severity.MEDIUM, "Free fringe trim"),
    ("I was charged for a treatment I didn't have.", Severity.HIGH, "Refund the difference"),
    ("Nobody called back about my voucher.", Severity.LOW, "Call back with the voucher code"),
    ("The nail polish chipped after two days.", Severity.LOW, "Redo the polish"),
    ("Booked online for Saturday and the booking wasn't there.", Severity.MEDIUM, ""),
]
STATES = [
    CaseStatus.OPEN,
    CaseStatus.FIX_PROMISED,
    CaseStatus.FIX_PROMISED,
    CaseStatus.FIXED,
    CaseStatus.FOLLOWED_UP,
    CaseStatus.CLOSED,
    CaseStatus.CLOSED,
]


def add_care(book: Book, seed: int) -> dict[str, int]:
    """Run the care scan week by week over the recent past, working most follow-ups; then
    cases and an absence tomorrow. Returns counts."""
    rng = random.Random(seed * 7919 + 3)
    today = book.today()
    tz = book.zone()
    worked = 0
    with book.db.atomic():
        for weeks_back in range(WEEKS_WORKED, -1, -1):
            day = today - timedelta(days=1 + 7 * weeks_back)
            book.care_scan(day)
            for item in store.list_followups(due_until=day):
                if rng.random() < 0.04:
                    continue  # some slip: the Today screen shows them overdue
                text, outcome = rng.choice(OUTCOMES)
                done_day = item.due + timedelta(days=rng.choice((0, 0, 0, 1, 2, 4)))
                done_day = min(done_day, today - timedelta(days=1))
                at = datetime.combine(done_day, time(10 + rng.randrange(7), rng.randrange(60)), tz)
                store.update_followup(
                    item.id,  # type: ignore[arg-type]
                    None,
                    status=FollowupStatus.DONE.value,
                    outcome=text,
                    done_at=at.astimezone(tz).replace(tzinfo=None) - _offset(at),
                    done_by=item.staff_id,
                )
                store.insert_contact(
                    Contact(
                        item.customer_id,
                        at,
                        Channel.CALL,
                        outcome=outcome,
                        summary=text,
                        staff_id=item.staff_id,
                    )
                )
                worked += 1
        book.care_scan(today)
        cases = _add_cases(book, rng, today)
    absent = _absence_tomorrow(book, rng, today)
    return {"followups_worked": worked, "cases": cases, "absence_affected": absent}


def _offset(moment: datetime) -> timedelta:
    return moment.utcoffset() or timedelta(0)


def _add_cases(book: Book, rng: random.Random, today: date) -> int:
    customers = [
        row[0]
        for row in book.db.execute_sql(
            "SELECT id FROM customer WHERE archived_at IS NULL AND merged_into IS NULL"
            " AND owner_id IS NOT NULL ORDER BY id"
        ).fetchall()
    ]
    if not customers:
        return 0
    staff = [s.id for s in book.staff(include_inactive=False)]
    chosen = rng.sample(customers, min(len(COMPLAINTS), len(customers)))
    policies = book.care_policies()
    from shopfront.core.care import case_drafts

    for (words, severity, fix), status, customer_id in zip(
        COMPLAINTS, STATES, chosen, strict=False
    ):
        opened_days = rng.randrange(3, 40)
        opened = datetime.combine(today - timedelta(days=opened_days), time(11), book.zone())
        owner = store.owners([customer_id])[customer_id][0] or rng.choice(staff)
        promised = status != CaseStatus.OPEN and fix
        due = today + timedelta(days=rng.choice((-3, 2, 5))) if promised else None
        if status == CaseStatus.FIX_PROMISED and not fix:
            status = CaseStatus.OPEN
        case = Case(
            customer_id,
            opened,
            words,
            severity,
            apology=True,
            apology_by=owner,
            fix=fix if promised else "",
            fix_due=due,
            owner_id=owner,
            status=status,
            opened_by=owner,
            fixed_at=opened + timedelta(days=2)
            if status in (CaseStatus.FIXED, CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED)
            else None,
            closed_at=opened + timedelta(days=9) if status == CaseStatus.CLOSED else None,
            resolution="Fixed; customer happy and rebooked" if status == CaseStatus.CLOSED else "",
            outcome="satisfied" if status == CaseStatus.CLOSED else "",
        )
        case_id = store.insert_case(case)
        for draft in case_drafts(Case(**{**case.__dict__, "id": case_id}), policies, today):
            store.insert_draft(draft, book.clock())
    return len(chosen)


def _absence_tomorrow(book: Book, rng: random.Random, today: date) -> int:
    """The salon story: a stylist calls in sick for tomorrow; their day becomes a call list."""
    tomorrow = today + timedelta(days=1)
    existing = [a for a in book.absences(tomorrow, tomorrow) if a.reason == "sick"]
    if existing:  # the demo diary already has someone off sick: give it its desk follow-ups
        absence = existing[0]
        affected = book.affected_by(absence)
        with book.db.atomic():
            book._store_drafts(book._absence_drafts(absence, affected), None)
    else:
        schedule = book.day(tomorrow)
        busiest = max(schedule.columns, key=lambda c: len(c.visits), default=None)
        if busiest is None or not busiest.visits:
            return 0
        bounds = day_bounds_utc(tomorrow, book.zone())
        absence, affected = book.add_absence(
            busiest.staff.id, bounds.start, bounds.end, "sick", "Called in sick (demo)"
        )
    rows = book.call_list(absence.id).rows
    for row in rows[:2]:
        book.record_call(
            absence.id,
            row.visit.appointment.id,
            "reached",
            summary="Moved to next week with the same stylist",
        )
    if len(rows) > 2:
        book.record_call(absence.id, rows[2].visit.appointment.id, "no_answer")
    return len(affected)
