"""Appointment rules held in storage, inside the transaction, against a real SQLite book."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus as S
from shopfront.core.appointments import TransitionError
from shopfront.core.booking import BookingRequest, NeedsOverride
from shopfront.core.workhours import WorkingHours
from shopfront.errors import ConflictError, ValidationError
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.from_mapping({d: [("09:00", "13:00"), ("14:00", "18:00")] for d in range(6)})


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def salon(shop: Book, clock) -> Book:
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday morning
    for staff in shop.staff():
        shop.set_working_hours(staff.id, HOURS)
    add(shop, "Ann Lee", "07400 123456")
    add(shop, "Bob Marsh", "07400 654321")
    return shop


def req(
    start: datetime, staff: int = 1, customer: int = 1, services: tuple[int, ...] = (1,), **kw
) -> BookingRequest:
    return BookingRequest(customer, staff, services, start, **kw)


def active_overlaps(book: Book) -> int:
    sql = """SELECT count(*) FROM appointment a JOIN appointment b
             ON a.staff_id = b.staff_id AND a.id < b.id AND a.start_at < b.end_at AND b.start_at < a.end_at
             WHERE a.status NOT IN ('cancelled', 'no_show') AND b.status NOT IN ('cancelled', 'no_show')"""
    return book.db.execute_sql(sql).fetchone()[0]


def test_booking_adds_up_services_and_keeps_history(salon: Book) -> None:
    a = salon.book(req(at(23, 10), services=(1, 2)))
    assert (a.minutes, a.price_minor) == (150, 5200 + 8500)
    assert a.service_names == "Women's cut + Full head colour"
    assert a.status == S.BOOKED and a.start == at(23, 10).astimezone(UTC)
    history = salon.appointment(a.id).history
    assert [(h.old, h.new) for h in history] == [(None, S.BOOKED)]


def test_overlap_is_refused_naming_the_clash_and_touching_is_fine(salon: Book) -> None:
    first = salon.book(req(at(23, 10)))
    with pytest.raises(
        ConflictError, match=rf"Maya Okafor is already booked 10:00–11:00 .*Ann Lee.*#{first.id}"
    ):
        salon.book(req(at(23, 10, 30), customer=2))
    salon.book(req(at(23, 11), customer=2))  # starts when the first ends
    salon.book(req(at(23, 10, 30), staff=2, customer=2))  # another staff member
    assert active_overlaps(salon) == 0
    assert len(salon.day(date(2026, 11, 23)).visits) == 3


def test_soft_problems_need_an_override(salon: Book, clock) -> None:
    with pytest.raises(NeedsOverride, match="Outside working hours"):
        salon.book(req(at(23, 13)))  # lunch break
    with pytest.raises(NeedsOverride, match="past"):
        salon.book(req(at(23, 7, 0)))
    salon.add_absence(1, at(24, 0), at(25, 0), "sick")
    with pytest.raises(NeedsOverride, match="sick"):
        salon.book(req(at(24, 10)))
    assert salon.day(date(2026, 11, 24)).visits == []
    booked = salon.book(req(at(23, 13)), override=True)
    assert booked.id


@pytest.mark.parametrize(
    ("request_kwargs", "field"),
    [
        ({"staff": 99}, "staff"),
        ({"customer": 99}, "customer"),
        ({"services": (99,)}, "services"),
        ({"services": ()}, "services"),
        ({"minutes": 0}, "minutes"),
        ({"price_minor": -1}, "price"),
        ({"source": "pigeon"}, "source"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_written(
    salon: Book, request_kwargs: dict, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        salon.book(req(at(23, 10), **request_kwargs))
    assert err.value.field == field
    assert salon.day(date(2026, 11, 23)).visits == []


def test_archived_customers_and_inactive_staff_cannot_be_booked(salon: Book) -> None:
    salon.archive_customer(2)
    with pytest.raises(ValidationError, match="archived"):
        salon.book(req(at(23, 10), customer=2))
    tom = salon.get_staff(2)
    salon.save_staff(tom.__class__(**{**tom.__dict__, "active": False}))
    with pytest.raises(ValidationError, match="no longer works here"):
        salon.book(req(at(23, 10), staff=2))


def test_move_and_resize_respect_overlaps_and_versions(salon: Book) -> None:
    a = salon.book(req(at(23, 10)))
    b = salon.book(req(at(23, 11), customer=2))
    with pytest.raises(ConflictError):
        salon.move(b.id, at(23, 10, 30).astimezone(UTC))
    with pytest.raises(ConflictError):
        salon.resize(a.id, 90)
    moved = salon.move(b.id, at(23, 10, 30).astimezone(UTC), staff_id=2, version=b.version)
    assert (moved.staff_id, moved.start) == (2, at(23, 10, 30).astimezone(UTC))
    with pytest.raises(ConflictError, match="another desk"):
        salon.move(b.id, at(23, 15).astimezone(UTC), version=b.version)  # stale version
    assert salon.resize(a.id, 90).minutes == 90
    assert active_overlaps(salon) == 0


def test_lifecycle_and_history(salon: Book) -> None:
    a = salon.book(req(at(23, 10)))
    for status in ("confirmed", "arrived"):
        salon.set_status(a.id, status)
    with pytest.raises(TransitionError):
        salon.set_status(a.id, "no_show")
    done = salon.set_status(a.id, "completed", final_price_minor=4800)
    assert done.final_price_minor == 4800
    with pytest.raises(TransitionError):
        salon.set_status(a.id, "no_show")
    with pytest.raises(ValidationError, match="can't be moved"):
        salon.move(a.id, at(23, 15).astimezone(UTC))
    history = salon.appointment(a.id).history
    assert [h.new for h in history] == [S.BOOKED, S.CONFIRMED, S.ARRIVED, S.COMPLETED]


def test_late_cancel_is_marked_only_inside_the_window_and_only_for_customers(
    salon: Book, clock
) -> None:
    soon = salon.book(req(at(23, 16)))  # 8 hours ahead, window is 24 h
    later = salon.book(req(at(26, 10), customer=2))
    by_shop = salon.book(req(at(23, 17), staff=2))
    assert salon.set_status(soon.id, "cancelled", cancelled_by="customer").late_cancel
    assert not salon.set_status(later.id, "cancelled").late_cancel
    cancelled = salon.set_status(by_shop.id, "cancelled", cancelled_by="shop")
    assert not cancelled.late_cancel and cancelled.cancelled_by == "shop"


def test_no_show_excuse_and_undo(salon: Book, clock) -> None:
    a = salon.book(req(at(23, 9)))
    clock.now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    salon.set_status(a.id, "no_show")
    with pytest.raises(ValidationError):
        salon.excuse_no_show(a.id, " ")
    assert salon.excuse_no_show(a.id, "hospital").excused
    restored = salon.undo_status(a.id)
    assert restored.status == S.BOOKED and not restored.excused
    assert salon.appointment(a.id).history[-1].reason == "undo"
    salon.set_status(a.id, "arrived")
    clock.now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    with pytest.raises(TransitionError, match="Only today's changes"):
        salon.undo_status(a.id)


def test_undoing_a_cancel_is_refused_when_the_time_was_given_away(salon: Book) -> None:
    a = salon.book(req(at(23, 10)))
    salon.set_status(a.id, "cancelled", cancelled_by="customer")
    salon.book(req(at(23, 10), customer=2))
    with pytest.raises(ConflictError, match="given away"):
        salon.undo_status(a.id)
    assert salon.appointment(a.id).visit.appointment.status == S.CANCELLED


def test_checkout_books_the_next_visit_in_the_same_transaction(salon: Book) -> None:
    a = salon.book(req(at(23, 10)))
    salon.set_status(a.id, "arrived")
    slots = salon.next_visit_slots(a.id, count=2)
    assert slots and slots[0].staff_id == 1 and slots[0].start >= a.start + timedelta(days=40)
    done, following = salon.checkout(a.id, 5000, req(slots[0].start))
    assert done.status == S.COMPLETED and done.rebooked is True and following is not None
    b = salon.book(req(at(23, 14), customer=2))
    salon.set_status(b.id, "arrived")
    clash = req(following.start, customer=2)
    with pytest.raises(ConflictError):
        salon.checkout(b.id, None, clash)
    assert salon.appointment(b.id).visit.appointment.status == S.ARRIVED  # rolled back
    done, none = salon.checkout(b.id)
    assert done.rebooked is False and none is None


def test_free_slots_skip_bookings_breaks_and_absences(salon: Book) -> None:
    salon.book(req(at(23, 9)))
    salon.add_absence(1, at(23, 10), at(23, 12), "training")
    slots = salon.free_slots((1,), staff_id=1, count=3)
    assert [s.start.astimezone(LONDON).strftime("%d %H:%M") for s in slots] == [
        "23 12:00",
        "23 14:00",
        "23 14:15",
    ]
    anyone = salon.free_slots((1,), count=2)
    assert {s.staff_id for s in anyone} == {2}


def test_absence_lists_the_appointments_it_touches(salon: Book) -> None:
    a = salon.book(req(at(24, 10)))
    salon.book(req(at(24, 10), staff=2, customer=2))
    absence, affected = salon.add_absence(1, at(24, 0), at(25, 0), "sick", "flu")
    assert [v.appointment.id for v in affected] == [a.id]
    assert affected[0].customer_name == "Ann Lee" and affected[0].customer_phone == "07400 123456"
    assert salon.absences(date(2026, 11, 24), date(2026, 11, 24))[0].note == "flu"
    with pytest.raises(ValidationError, match="Reason"):
        salon.add_absence(1, at(24, 0), at(25, 0), "bored")


def test_series_lists_problems_before_saving(salon: Book) -> None:
    salon.book(req(at(7, 10, month=12), customer=2))  # blocks the third occurrence
    plan = salon.plan_series(req(at(23, 10)), every_weeks=1, count=4)
    assert [bool(problem) for _, problem in plan] == [False, False, True, False]
    with pytest.raises(ConflictError, match="1 of 4 dates"):
        salon.book_series(req(at(23, 10)), every_weeks=1, count=4)
    assert len(salon.customer_appointments(1)) == 0
    booked = salon.book_series(req(at(23, 10)), every_weeks=1, count=4, skip_problems=True)
    assert len(booked) == 3 and len({a.series_id for a in booked}) == 1
    cancelled = salon.cancel_series(booked[1].id)
    assert [a.status for a in cancelled] == [S.CANCELLED, S.CANCELLED]
    assert salon.appointment(booked[0].id).visit.appointment.status == S.BOOKED


def test_day_schedule_columns_markers_and_dst_lengths(salon: Book) -> None:
    salon.book(req(at(23, 10)))
    day = salon.day(date(2026, 11, 23))
    assert [c.staff.name for c in day.columns] == ["Maya Okafor", "Tom Brennan"]
    visit = day.columns[0].visits[0]
    assert visit.first_visit and visit.customer_name == "Ann Lee"
    assert day.bounds.duration == timedelta(hours=24)
    assert salon.day(date(2027, 3, 28)).bounds.duration == timedelta(hours=23)
    assert salon.day(date(2026, 10, 25)).bounds.duration == timedelta(hours=25)
    sunday = salon.day(date(2026, 11, 29))
    assert sunday.columns == ()  # nobody works on Sundays


def test_the_repeated_hour_on_the_autumn_night_holds_two_distinct_appointments(
    salon: Book, clock
) -> None:
    clock.now = datetime(2026, 10, 1, tzinfo=UTC)
    first = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=0).astimezone(UTC)
    second = datetime(2026, 10, 25, 1, 30, tzinfo=LONDON, fold=1).astimezone(UTC)
    assert second - first == timedelta(hours=1)
    a = salon.book(req(first, minutes=60), override=True)
    b = salon.book(req(second, minutes=60, customer=2), override=True)
    assert a.end == b.start and active_overlaps(salon) == 0


def test_merging_customers_moves_their_appointments(salon: Book) -> None:
    a = salon.book(req(at(23, 10), customer=2))
    salon.merge_customers(1, 2)
    assert [x.id for x in salon.customer_appointments(1)] == [a.id]
    assert any(e.kind == "appointment" for e in salon.timeline(1))


def test_moving_a_series_moves_this_and_later_ones_or_nothing(salon: Book) -> None:
    booked = salon.book_series(req(at(23, 10)), every_weeks=1, count=4)
    moved = salon.move_series(booked[1].id, at(30, 11).astimezone(UTC))
    assert [m.start.astimezone(LONDON).hour for m in moved] == [11, 11, 11]
    assert salon.appointment(booked[0].id).visit.appointment.start == at(23, 10).astimezone(UTC)
    salon.book(req(at(14, 12, month=12), customer=2))  # blocks the last one at 12:00
    with pytest.raises(ConflictError, match="14 Dec 2026"):
        salon.move_series(booked[1].id, at(30, 12).astimezone(UTC))
    starts = [
        salon.appointment(b.id).visit.appointment.start.astimezone(LONDON).hour for b in booked
    ]
    assert starts == [10, 11, 11, 11]  # nothing moved
