"""Changing the services of one appointment or of this and all later ones of a series."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus as S
from shopfront.core.booking import BookingRequest, NeedsOverride
from shopfront.core.workhours import WorkingHours
from shopfront.errors import ConflictError, ValidationError
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
HOURS = WorkingHours.from_mapping({d: [("09:00", "13:00"), ("14:00", "18:00")] for d in range(6)})
CUT, COLOUR = 1, 2  # 60 min £52.00, 90 min £85.00 (tests/conftest.py)


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.fixture
def salon(shop: Book, clock) -> Book:
    clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    for staff in shop.staff():
        shop.set_working_hours(staff.id, HOURS)
    add(shop, "Ann Lee", "07400 123456")
    add(shop, "Bob Marsh", "07400 654321")
    return shop


def req(start: datetime, customer: int = 1) -> BookingRequest:
    return BookingRequest(customer, 1, (CUT,), start)


def shape(book: Book, ids: list[int]) -> list[tuple[int, int, tuple[int, ...]]]:
    """(minutes, price, service ids) of each appointment, read back from the book."""
    out = []
    for i in ids:
        a = book.appointment(i).visit.appointment
        out.append((a.minutes, a.price_minor, tuple(s.service_id for s in a.services)))
    return out


def test_this_and_later_get_the_new_services_length_and_price(salon: Book) -> None:
    booked = salon.book_series(req(at(23, 10)), every_weeks=1, count=4)
    ids = [a.id for a in booked]
    changed = salon.change_services(ids[1], (CUT, COLOUR), later_too=True)
    assert [a.id for a in changed] == ids[1:]
    assert shape(salon, ids) == [(60, 5200, (CUT,))] + [(150, 13700, (CUT, COLOUR))] * 3
    later = salon.appointment(ids[2]).visit.appointment
    assert later.start == at(7, 10, month=12).astimezone(UTC)  # the start stays
    assert later.end == at(7, 12, 30, month=12).astimezone(UTC)
    assert later.version == booked[2].version + 1
    day = salon.day(at(7, 10, month=12).date())
    assert [v.appointment.service_names for v in day.visits] == ["Women's cut + Full head colour"]


def test_one_clash_anywhere_changes_nothing_and_every_clash_is_named(salon: Book) -> None:
    booked = salon.book_series(req(at(23, 10)), every_weeks=1, count=4)
    ids = [a.id for a in booked]
    salon.book(req(at(7, 11, 30, month=12), customer=2))
    salon.book(req(at(14, 12, month=12), customer=2))
    with pytest.raises(ConflictError) as refused:
        salon.change_services(ids[1], (CUT, COLOUR), later_too=True)
    message = str(refused.value)
    assert "2 of 3 appointments would clash" in message
    assert "07 Dec" in message and "14 Dec" in message and "Bob Marsh" in message
    assert shape(salon, ids) == [(60, 5200, (CUT,))] * 4


def test_soft_problems_are_listed_together_and_need_an_override(salon: Book) -> None:
    booked = salon.book_series(req(at(23, 12)), every_weeks=1, count=3)
    ids = [a.id for a in booked]
    with pytest.raises(NeedsOverride) as asked:
        salon.change_services(ids[0], (CUT, COLOUR), later_too=True)
    assert len(asked.value.warnings) == 3
    assert "30 Nov" in str(asked.value) and "07 Dec" in str(asked.value)
    assert shape(salon, ids) == [(60, 5200, (CUT,))] * 3
    salon.change_services(ids[0], (CUT, COLOUR), later_too=True, override=True)
    assert shape(salon, ids) == [(150, 13700, (CUT, COLOUR))] * 3


def test_only_open_later_ones_change_and_one_alone_by_default(salon: Book) -> None:
    booked = salon.book_series(req(at(23, 10)), every_weeks=1, count=4)
    ids = [a.id for a in booked]
    salon.set_status(ids[2], S.CANCELLED)
    salon.change_services(ids[0], (COLOUR,))
    assert shape(salon, ids)[:2] == [(90, 8500, (COLOUR,)), (60, 5200, (CUT,))]
    changed = salon.change_services(ids[1], (COLOUR,), later_too=True, price_minor=8000)
    assert [a.id for a in changed] == [ids[1], ids[3]]  # the cancelled one stays as it was
    assert shape(salon, ids)[2:] == [(60, 5200, (CUT,)), (90, 8000, (COLOUR,))]


def test_bad_changes_are_refused_and_nothing_is_written(salon: Book) -> None:
    single = salon.book(req(at(24, 10)))
    with pytest.raises(ValidationError, match="at least one service"):
        salon.change_services(single.id, ())
    with pytest.raises(ValidationError, match="no service #99"):
        salon.change_services(single.id, (CUT, 99))
    with pytest.raises(ValidationError, match="negative"):
        salon.change_services(single.id, (CUT,), price_minor=-1)
    with pytest.raises(ConflictError, match="another desk"):
        salon.change_services(single.id, (COLOUR,), version=single.version + 5)
    salon.set_status(single.id, S.CANCELLED)
    with pytest.raises(ValidationError, match="cancelled"):
        salon.change_services(single.id, (COLOUR,))
    assert shape(salon, [single.id]) == [(60, 5200, (CUT,))]


@pytest.mark.sqlite_only("another desk is a second SQLite connection")
def test_the_change_stamp_moves_with_every_write_from_any_connection(salon: Book, db_path) -> None:
    if salon.change_stamp() is None:
        pytest.skip("no change stamp on PostgreSQL")
    first = salon.change_stamp()
    assert salon.change_stamp() == first  # reading changes nothing
    salon.book(req(at(24, 10)))
    second = salon.change_stamp()
    assert second != first
    with closing(sqlite3.connect(db_path)) as other, other:  # another desk's connection
        other.execute("UPDATE appointment SET notes = 'from desk 2', version = version + 1")
    assert salon.change_stamp() != second


def test_moving_a_weekly_series_a_week_on_takes_its_own_next_slots(salon: Book) -> None:
    booked = salon.book_series(req(at(24, 10)), every_weeks=1, count=3)
    moved = salon.move_series(booked[0].id, at(1, 10, month=12).astimezone(UTC))
    days = [m.start.astimezone(LONDON).day for m in moved]
    assert days == [1, 8, 15] and [m.id for m in moved] == [b.id for b in booked]


def test_a_series_move_names_every_clash_and_moves_nothing(salon: Book) -> None:
    booked = salon.book_series(req(at(24, 10)), every_weeks=1, count=4)
    salon.book(req(at(1, 11, month=12), customer=2))
    salon.book(req(at(15, 11, month=12), customer=2))
    with pytest.raises(ConflictError) as refused:
        salon.move_series(booked[0].id, at(24, 11).astimezone(UTC))
    message = str(refused.value)
    assert "2 of 4 appointments would clash, so none was moved" in message
    assert message.index("01 Dec") < message.index("15 Dec")
    starts = [salon.appointment(b.id).visit.appointment.start for b in booked]
    assert starts == [b.start for b in booked]
