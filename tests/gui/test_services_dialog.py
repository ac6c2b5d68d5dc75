"""Changing services from the appointment dialog: for one visit or this and later ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.gui.appointment_dialog import AppointmentDialog
from shopfront.gui.services_dialog import ServicesChoice, ServicesDialog
from tests.conftest import add
from tests.gui.test_booking_dialog import COLOUR, CUT, MAYA, set_hours

TUESDAY_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)


@pytest.fixture
def series(shop: Book) -> list[int]:
    set_hours(shop)
    ann = add(shop, "Ann Lee", "07400 123456")
    booked = shop.book_series(BookingRequest(ann.id, MAYA, (CUT,), TUESDAY_10), 1, count=3)
    return [a.id for a in booked]


def shape(book: Book, appointment_id: int) -> tuple[int, int, str]:
    a = book.appointment(appointment_id).visit.appointment
    return a.minutes, a.price_minor, a.service_names


def open_dialog(qtbot, book: Book, appointment_id: int) -> AppointmentDialog:
    dialog = AppointmentDialog(book, appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_picker_starts_from_the_current_services_and_adds_up(
    qtbot, shop: Book, series: list[int]
) -> None:
    a = shop.appointment(series[0]).visit.appointment
    picker = ServicesDialog(shop, a)
    qtbot.addWidget(picker)
    picker.show()
    assert picker.services.checked_ids() == (CUT,) and picker.later.isVisibleTo(picker)
    assert picker.total.text().startswith("60 min · 52.00 GBP")
    picker.services.set_ticked(COLOUR, True)
    assert picker.total.text().startswith("150 min · 137.00 GBP")
    picker.services.set_ticked(CUT, False)
    picker.services.set_ticked(COLOUR, False)
    assert picker.total.text() == "Pick at least one service."
    assert not picker.buttons.buttons()[0].isEnabled()
    single = shop.book(BookingRequest(a.customer_id, MAYA, (CUT,), TUESDAY_10 + timedelta(hours=4)))
    alone = ServicesDialog(shop, single)
    qtbot.addWidget(alone)
    assert not alone.later.isVisibleTo(alone)


def test_this_and_later_ones_change_from_the_dialog(
    qtbot, shop: Book, series: list[int], monkeypatch
) -> None:
    monkeypatch.setattr(
        ServicesDialog, "ask", staticmethod(lambda *_a: ServicesChoice((CUT, COLOUR), True))
    )
    dialog = open_dialog(qtbot, shop, series[1])
    assert dialog.ui.servicesButton.isVisibleTo(dialog)
    dialog.ui.servicesButton.click()
    assert dialog.changed
    assert dialog.ui.servicesLabel.text() == "Women's cut + Full head colour (150 min)"
    assert shape(shop, series[0]) == (60, 5200, "Women's cut")
    assert shape(shop, series[2]) == (150, 13700, "Women's cut + Full head colour")


def test_a_clash_is_shown_and_nothing_changes(qtbot, shop: Book, series: list[int]) -> None:
    bob = add(shop, "Bob Marsh", "07400 222333")
    shop.book(BookingRequest(bob.id, MAYA, (CUT,), TUESDAY_10 + timedelta(days=14, hours=1)))
    dialog = open_dialog(qtbot, shop, series[0])
    assert dialog.change_services(ServicesChoice((CUT, COLOUR), True)) is False
    assert "would clash" in dialog.ui.timeError.text() and "Bob Marsh" in dialog.ui.timeError.text()
    assert [shape(shop, i)[0] for i in series] == [60, 60, 60]
    assert dialog.change_services(ServicesChoice((COLOUR,), False))  # this one alone fits
    assert [shape(shop, i)[0] for i in series] == [90, 60, 60]


def test_a_cancelled_visit_offers_no_service_change(qtbot, shop: Book, series: list[int]) -> None:
    shop.cancel_series(series[2])
    dialog = open_dialog(qtbot, shop, series[2])
    assert not dialog.ui.servicesButton.isVisibleTo(dialog)
