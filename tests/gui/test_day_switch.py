"""Switching days: neighbours read in the background, kept only while the book is unchanged."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.gui.day_view import DayView
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 11, 24)
NEXT = DAY + timedelta(days=1)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def salon(shop: Book) -> Book:
    ann = add(shop, "Ann Lee", "07400 123456")
    shop.book(BookingRequest(ann.id, 1, (1,), at(DAY, 10)))
    shop.book(BookingRequest(ann.id, 2, (2,), at(NEXT, 11), notes="Allergic to PPD"))
    return shop


def make_view(qtbot, book: Book) -> DayView:
    view = DayView(book)
    qtbot.addWidget(view)
    view.resize(900, 700)
    view.show()
    qtbot.waitExposed(view)
    return view


def wait_kept(qtbot, view: DayView, day: date) -> None:
    qtbot.waitUntil(lambda: day in view.kept and view.kept[day].blocks is not None, timeout=5000)


def names(view: DayView) -> list[str]:
    return [b.visit.customer_name for b in view.blocks]


@pytest.mark.sqlite_only(reason="neighbours are kept under SQLite's data_version stamp")
def test_the_next_day_is_shown_from_what_was_read_in_the_background(
    qtbot, salon: Book, monkeypatch
) -> None:
    view = make_view(qtbot, salon)
    view.show_day(DAY)
    wait_kept(qtbot, view, NEXT)
    wait_kept(qtbot, view, DAY - timedelta(days=1))
    asked: list[date] = []
    real_day = salon.day
    monkeypatch.setattr(salon, "day", lambda d, *a: asked.append(d) or real_day(d, *a))
    view.show_day(NEXT)
    assert asked == [] and names(view) == ["Ann Lee"]
    assert view.blocks[0].visit.appointment.notes == "Allergic to PPD"
    fresh = make_view(qtbot, salon)
    fresh.show_day(NEXT)  # read now, laid out now: the same picture
    qtbot.waitUntil(lambda: fresh.verticalScrollBar().isVisible())
    assert view.grab().toImage() == fresh.grab().toImage()


@pytest.mark.sqlite_only("another desk is a second SQLite connection")
def test_a_write_anywhere_makes_the_kept_day_stale(qtbot, salon: Book, db_path: Path) -> None:
    view = make_view(qtbot, salon)
    view.show_day(DAY)
    wait_kept(qtbot, view, NEXT)
    with closing(sqlite3.connect(db_path)) as other, other:  # another desk, another connection
        other.execute("UPDATE appointment SET notes = 'Moved to 15:00', version = version + 1")
    view.show_day(NEXT)
    assert {b.visit.appointment.notes for b in view.blocks} == {"Moved to 15:00"}
    view.show_day(DAY)
    wait_kept(qtbot, view, NEXT)
    salon.set_status(view.blocks[0].visit.appointment.id, "confirmed")  # at this desk
    view.show_day(NEXT)
    view.show_day(DAY)
    assert view.blocks[0].visit.appointment.status == "confirmed"


@pytest.mark.sqlite_only(reason="neighbours are kept under SQLite's data_version stamp")
def test_only_the_two_neighbours_are_kept(qtbot, salon: Book) -> None:
    view = make_view(qtbot, salon)
    for offset in range(4):
        view.show_day(DAY + timedelta(days=offset))
    wait_kept(qtbot, view, DAY + timedelta(days=4))
    wait_kept(qtbot, view, DAY + timedelta(days=2))
    assert set(view.kept) == {DAY + timedelta(days=2), DAY + timedelta(days=4)}
