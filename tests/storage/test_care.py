"""Care use cases against a real book: follow-ups caused in the same transaction, idempotent
scans, cases to closed, absence call lists, merges, handover, templates and e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus as S
from shopfront.core.booking import BookingRequest
from shopfront.core.care import (
    CallState,
    CasePatch,
    CaseStatus,
    FollowupReason,
    FollowupStatus,
)
from shopfront.core.workhours import WorkingHours
from shopfront.errors import ConflictError, ShopfrontError, ValidationError
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.from_mapping({d: [("09:00", "13:00"), ("14:00", "18:00")] for d in range(6)})
TODAY = date(2026, 11, 23)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def salon(shop: Book, clock) -> Book:
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday morning
    for staff in shop.staff():
        shop.set_working_hours(staff.id, HOURS)
    add(shop, "Ann Lee", "07400 123456", "ann@example.com", owner_id=2)
    add(shop, "Bob Marsh", "07400 654321")
    return shop


def book_at(book: Book, start: datetime, customer: int = 1, staff: int = 2, services=(1,)):
    return book.book(BookingRequest(customer, staff, tuple(services), start), override=True)


def reasons(book: Book, customer: int | None = None, status=FollowupStatus.OPEN) -> list[str]:
    return sorted(f.reason.value for f in book.followups(customer_id=customer, status=status))


def test_a_no_show_creates_its_call_to_rebook_in_the_same_change(salon: Book, clock) -> None:
    a = book_at(salon, at(23, 9))
    clock.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    salon.set_status(a.id, S.NO_SHOW)
    [item] = salon.followups(customer_id=1)
    assert item.reason == FollowupReason.NO_SHOW
    assert item.due == TODAY and item.staff_id == 2  # the customer's owner
    assert item.appointment_id == a.id


def test_the_follow_up_rolls_back_with_the_status_change(salon: Book, clock, monkeypatch) -> None:
    a = book_at(salon, at(23, 9))
    clock.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    from shopfront.storage import care as store

    def broken(*_args, **_kw):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "insert_draft", broken)
    with pytest.raises(RuntimeError):
        salon.set_status(a.id, S.NO_SHOW)
    assert salon.appointment(a.id).visit.appointment.status == S.BOOKED
    assert salon.followups(customer_id=1) == []


def test_completed_first_visit_plans_the_thank_you_and_the_colour_check(salon: Book, clock) -> None:
    a = book_at(salon, at(23, 9), services=(1, 2))
    clock.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    salon.set_status(a.id, S.ARRIVED)
    salon.checkout(a.id)
    items = {f.reason: f for f in salon.followups(customer_id=1)}
    assert items[FollowupReason.FIRST_VISIT].due == TODAY + timedelta(days=1)
    assert items[FollowupReason.AFTER_VISIT].due == TODAY + timedelta(days=28)
    # a second visit is not a first visit again
    b = book_at(salon, at(24, 9))
    clock.now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    salon.set_status(b.id, S.ARRIVED)
    salon.checkout(b.id)
    assert reasons(salon, 1).count("first_visit") == 1


def test_the_care_scan_is_idempotent_and_skips_archived_customers(salon: Book, clock) -> None:
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    for customer, days in ((1, (200, 170, 140, 110)), (2, (300,))):
        for back in days:
            start = datetime.combine(TODAY - timedelta(days=back), datetime.min.time(), LONDON)
            a = book_at(salon, start.replace(hour=10), customer=customer)
            salon.set_status(a.id, S.ARRIVED)
            salon.set_status(a.id, S.COMPLETED)
    first = salon.care_scan(TODAY)
    assert first.created["lapsed"] == 2
    assert salon.care_scan(TODAY).total == 0
    assert salon.care_scan(TODAY + timedelta(days=1)).total == 0  # one per lapse, not per day
    salon.archive_customer(2)
    assert {f.customer_id for f in salon.followups()} == {1}  # archived: hidden
    for item in salon.followups():
        salon.complete_followup(item.id, "Left a message; she'll call back")
    assert salon.care_scan(TODAY + timedelta(days=2)).total == 0


def test_a_year_of_history_every_no_show_and_first_visit_gets_its_follow_up(db_path, clock) -> None:
    from shopfront.demo import DemoOptions, generate

    clock.now = datetime(2026, 11, 23, 18, 0, tzinfo=UTC)
    book = Book.open(str(db_path), clock=clock)
    try:
        generate(book, DemoOptions(customers=60, years=1, seed=5))
        start = TODAY - timedelta(days=364)
        day = start
        while day <= TODAY:
            book.care_scan(day)
            for item in book.followups(due=day):  # the desk works its list every week
                book.complete_followup(item.id, "Called")
            day += timedelta(days=7)
        p = book.db.param  # "?" on SQLite, "%s" on PostgreSQL
        rows = book.db.execute_sql(
            "SELECT a.id, a.customer_id, a.start_at, a.status FROM appointment a"
            " JOIN customer c ON c.id = a.customer_id"
            f" WHERE c.archived_at IS NULL AND c.merged_into IS NULL AND a.start_at >= {p}"
            f" AND a.start_at < {p} AND ((a.status = 'no_show' AND NOT a.excused)"
            " OR a.status = 'completed')",
            (
                datetime.combine(start, datetime.min.time()),
                datetime.combine(TODAY - timedelta(days=1), datetime.min.time()),
            ),
        ).fetchall()
        followups = book.followups(status=None)
        by_customer: dict[tuple[int, str], list] = {}
        for f in followups:
            by_customer.setdefault((f.customer_id, f.reason.value), []).append(f)
            assert f.staff_id is not None and f.due is not None
        no_shows = [r for r in rows if r[3] == "no_show"]
        assert no_shows, "the demo year has no-shows"
        for aid, cid, start_at, _status in no_shows:
            when = start_at if isinstance(start_at, datetime) else datetime.fromisoformat(start_at)
            covering = [
                f
                for f in by_customer.get((cid, "no_show"), [])
                if f.appointment_id == aid or abs((f.due - when.date()).days) <= 8
            ]
            assert covering, f"no-show {aid} has no follow-up"
        first_customers = {cid for _aid, cid, _s, status in rows if status == "completed"}
        have_first = {cid for (cid, reason) in by_customer if reason == "first_visit"}
        firsts = book.db.execute_sql(
            "SELECT customer_id, min(start_at) FROM appointment WHERE status = 'completed'"
            " GROUP BY customer_id"
        ).fetchall()
        in_year = {
            cid
            for cid, first_at in firsts
            if cid in first_customers
            and (first_at if isinstance(first_at, datetime) else datetime.fromisoformat(first_at))
            >= datetime.combine(start, datetime.min.time())
        }
        assert in_year and in_year <= have_first
        assert book.care_scan(TODAY).total == 0
    finally:
        book.close()


def test_absence_call_list_told_not_reached_moved_and_cancelled(salon: Book, clock) -> None:
    add(salon, "Cleo Park", "07400 111222")
    a = book_at(salon, at(24, 9), customer=1, staff=2)
    b = book_at(salon, at(24, 10), customer=2, staff=2)
    c = book_at(salon, at(24, 11), customer=3, staff=2)
    absence, affected = salon.add_absence(2, at(24, 0), at(25, 0), "sick")
    assert {v.appointment.id for v in affected} == {a.id, b.id, c.id}
    desk = {f.appointment_id: f for f in salon.followups() if f.reason == FollowupReason.ABSENCE}
    assert set(desk) == {a.id, b.id, c.id}
    assert all(f.staff_id == 1 and f.due == TODAY for f in desk.values())  # owner at the desk

    calls = salon.call_list(absence.id)
    assert [r.state for r in calls.rows] == [CallState.PENDING] * 3
    salon.record_call(absence.id, a.id, "reached", summary="Moved to Thursday")
    salon.record_call(absence.id, b.id, "no_answer")
    states = {r.visit.appointment.id: r.state for r in salon.call_list(absence.id).rows}
    assert states == {a.id: CallState.TOLD, b.id: CallState.NOT_REACHED, c.id: CallState.PENDING}
    assert salon.followup(desk[a.id].id).status == FollowupStatus.DONE
    still = salon.followup(desk[b.id].id)
    assert still.open and "not reached" in still.note

    slots = salon.later_slots_with_same_staff(a.id, absence.id, 3)
    assert slots and all(s.start >= at(25, 0) for s in slots)
    assert salon.colleagues_free_now(b.id) == [1]
    moved = salon.give_to_colleague(b.id, 1)
    assert moved.staff_id == 1 and moved.start == at(24, 10)
    salon.cancel_by_shop(c.id)
    still_to_tell = salon.followup(desk[c.id].id)
    assert still_to_tell.open and "Cancelled by the shop" in still_to_tell.note
    salon.record_call(absence.id, c.id, "reached", summary="Sorry, cancelled; rebooked Friday")
    assert salon.followup(desk[c.id].id).status == FollowupStatus.DONE
    assert salon.appointment(c.id).visit.appointment.cancelled_by == "shop"


def test_a_case_from_complaint_to_closed_with_its_follow_ups(salon: Book, clock) -> None:
    case = salon.open_case(
        1,
        "The colour went orange at the ends",
        severity="high",
        apology=True,
        apology_by=1,
        fix="Free toner",
        fix_due=TODAY + timedelta(days=3),
    )
    assert case.status == CaseStatus.FIX_PROMISED and case.owner_id == 2
    [promise] = salon.followups(customer_id=1)
    assert promise.due == TODAY + timedelta(days=3) and promise.case_id == case.id
    clock.now += timedelta(days=4)
    assert [c.id for c in salon.overdue_promises()] == [case.id]
    assert salon.care_scan().created["complaint"] == 1  # escalated to the shop owner
    [escalated] = [f for f in salon.followups(customer_id=1) if f.staff_id == 1]
    assert escalated.note.startswith("Promise overdue")
    assert salon.care_scan().total == 0
    fixed = salon.update_case(case.id, CasePatch(status=CaseStatus.FIXED), version=case.version)
    assert fixed.fixed_at is not None and salon.overdue_promises() == []
    assert salon.followup(promise.id).status == FollowupStatus.DONE
    [check] = [f for f in salon.followups(customer_id=1) if f.note == "Did the fix work?"]
    assert check.note == "Did the fix work?"
    with pytest.raises(ConflictError):
        salon.update_case(case.id, CasePatch(severity="low"), version=case.version)
    salon.complete_followup(check.id, "Loves it now")
    assert salon.case(case.id).status == CaseStatus.FOLLOWED_UP
    with pytest.raises(ValidationError, match="resolution"):
        salon.update_case(case.id, CasePatch(status=CaseStatus.CLOSED))
    closed = salon.update_case(
        case.id, CasePatch(status=CaseStatus.CLOSED, resolution="Toner, happy", outcome="satisfied")
    )
    assert closed.closed_at is not None and salon.cases(open_only=True) == []
    kinds = {e.kind for e in salon.timeline(1)}
    assert {"case", "followup"} <= kinds


def test_open_cases_mark_the_customers_appointments(salon: Book) -> None:
    a = book_at(salon, at(24, 9))
    salon.open_case(1, "Rude on the phone")
    [visit] = [v for col in salon.day(date(2026, 11, 24)).columns for v in col.visits]
    assert visit.appointment.id == a.id and visit.open_case


def test_follow_ups_need_an_outcome_snooze_needs_a_reason_and_versions_guard(salon: Book) -> None:
    item = salon.add_followup(1, TODAY, note="Ask about the wedding")
    assert item.staff_id == 2 and item.reason == FollowupReason.MANUAL
    with pytest.raises(ValidationError, match="outcome"):
        salon.complete_followup(item.id, " ")
    with pytest.raises(ValidationError, match="later day"):
        salon.snooze_followup(item.id, TODAY, "busy")
    moved = salon.snooze_followup(item.id, TODAY + timedelta(days=2), "away until Wednesday")
    assert moved.due == TODAY + timedelta(days=2) and "away until Wednesday" in moved.note
    with pytest.raises(ConflictError):
        salon.complete_followup(item.id, "done", version=item.version)
    done = salon.complete_followup(item.id, "Booked for December", version=moved.version)
    assert done.status == FollowupStatus.DONE and done.outcome == "Booked for December"
    with pytest.raises(ValidationError, match="already done"):
        salon.skip_followup(item.id, "x")
    assert salon.followup_counts() == {"overdue": 0, "due_today": 0, "upcoming": 0}


def test_a_merge_carries_follow_ups_cases_and_contacts_and_keeps_one_open_of_a_kind(
    salon: Book,
) -> None:
    salon.add_followup(1, TODAY, reason="lapsed")
    salon.add_followup(2, TODAY + timedelta(days=1), reason="lapsed")
    salon.open_case(2, "Waited 40 minutes")
    salon.log_contact(2, "call", outcome="voicemail", summary="About the wait")
    salon.merge_customers(1, 2)
    assert reasons(salon, 1) == ["complaint", "lapsed"] or reasons(salon, 1) == ["lapsed"]
    assert len(salon.cases(customer_id=1)) == 1
    assert [c.summary for c in salon.contacts(1)] == ["About the wait"]
    assert salon.followups(customer_id=2) == []


def test_handover_moves_customers_their_follow_ups_and_introduces_the_new_owner(
    salon: Book,
) -> None:
    add(salon, "Dee Noor", "07400 333444", owner_id=2)
    salon.add_followup(1, TODAY + timedelta(days=5))
    with pytest.raises(ValidationError, match="note"):
        salon.handover(2, 1, " ")
    result = salon.handover(2, 1, "Tom leaves in December; Ann likes it short")
    assert result == {"customers": 2, "followups": 1, "introductions": 2}
    assert salon.customer(1).owner_id == 1 and salon.customer(3).owner_id == 1
    intro = [f for f in salon.followups(staff_id=1) if f.reason == FollowupReason.INTRODUCTION]
    assert len(intro) == 2 and intro[0].note.startswith("Tom leaves")
    assert [c["id"] for c in salon.my_customers(1)] == [1, 3]
    assert salon.my_customers(2) == []


def test_contacts_are_validated_and_last_told_feeds_my_day(salon: Book, clock) -> None:
    with pytest.raises(ValidationError, match="how the call went"):
        salon.log_contact(1, "call")
    with pytest.raises(ValidationError, match="channel"):
        salon.log_contact(1, "pigeon", summary="x")
    with pytest.raises(ValidationError, match="future"):
        salon.log_contact(1, "note", summary="x", at=clock.now + timedelta(days=1))
    salon.log_contact(1, "call", outcome="no_answer", summary="Tried")
    salon.log_contact(1, "call", outcome="reached", summary="Bring photos of the colour")
    a = book_at(salon, at(23, 15))
    [visit] = [
        v for col in salon.day(TODAY).columns for v in col.visits if v.appointment.id == a.id
    ]
    [told] = salon.with_last_told([visit])
    assert "Bring photos" in told.last_told


def test_templates_are_checked_at_save_time_and_fill_in(salon: Book) -> None:
    with pytest.raises(ValidationError, match=r"\{firstname\}"):
        salon.save_template("reminder", "Hi", "Hello {firstname}")
    salon.save_template("reminder", "See you {date}", "Hi {first_name}, {time} with {staff}.")
    a = book_at(salon, at(24, 14, 30))
    message = salon.message("reminder", appointment_id=a.id)
    assert message.body == "Hi Ann, 14:30 with Tom Brennan."
    assert message.subject == "See you Tuesday 24 November" and message.email == "ann@example.com"
    salon.message_sent(message, "sms")
    assert salon.contacts(1)[0].summary.startswith("Reminder: Hi Ann")


def test_e_mail_goes_through_a_real_smtp_server_and_is_logged(salon: Book) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as Collector

    received = []

    class Keep(Collector):
        def handle_message(self, message) -> None:
            received.append(message)

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        from shopfront.mail import SmtpSettings

        salon.save_smtp(SmtpSettings("127.0.0.1", port, "none", "", "desk@salon.example"))
        assert salon.smtp_configured()
        message = salon.message("followup", customer_id=1)
        salon.send_email(message)
    finally:
        controller.stop()
    [mail] = received
    assert mail["To"] == "ann@example.com" and mail["From"] == "desk@salon.example"
    assert "Hi Ann" in mail.get_payload()
    assert salon.contacts(1)[0].channel.value == "email"
    # the server is gone now: a clear error, and nothing is logged
    with pytest.raises(ShopfrontError, match="could not be sent"):
        salon.send_email(message)
    assert len(salon.contacts(1)) == 1
    with pytest.raises(ValidationError, match="no e-mail"):
        salon.send_email(salon.message("followup", customer_id=2))
