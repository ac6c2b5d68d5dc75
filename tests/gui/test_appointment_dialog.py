"""Appointment dialog and checkout: status buttons, history, undo, excuse, series, rebooking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QInputDialog, QMessageBox

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus as S
from shopfront.core.booking import BookingRequest
from shopfront.gui.appointment_dialog import AppointmentDialog, StatusHistoryModel
from shopfront.gui.checkout_dialog import CheckoutDialog, interval_words
from tests.conftest import add
from tests.gui.test_booking_dialog import CUT, MAYA, TOM, set_hours

TOMORROW_10 = datetime(2026, 11, 24, 10, tzinfo=UTC)  # 23.5 h after the pinned clock
ON_THE_DAY = TOMORROW_10 + timedelta(minutes=5)  # check-in and no-show are for the day itself


@pytest.fixture
def booked(shop: Book) -> int:
    ann = add(shop, "Ann Lee", "07400 123456")
    return shop.book(BookingRequest(ann.id, MAYA, (CUT,), TOMORROW_10, notes="<b>VIP</b>")).id


def open_dialog(qtbot, book: Book, appointment_id: int) -> AppointmentDialog:
    dialog = AppointmentDialog(book, appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def status(book: Book, appointment_id: int) -> S:
    return book.appointment(appointment_id).visit.appointment.status


def test_it_shows_the_visit_as_plain_text(qtbot, shop: Book, booked: int) -> None:
    dialog = open_dialog(qtbot, shop, booked)
    assert dialog.ui.nameLabel.text() == "Ann Lee" and dialog.ui.phoneLabel.text() == "07400 123456"
    assert dialog.ui.notesLabel.text() == "<b>VIP</b>"
    assert dialog.ui.servicesLabel.text() == "Women's cut (60 min)"
    assert dialog.ui.priceLabel.text() == "52.00 GBP" and dialog.ui.statusLabel.text() == "Booked"
    assert dialog.history.rowCount() == 1
    assert dialog.ui.flagLabel.text().startswith("No-show risk: ")  # no customer flags


def test_status_buttons_change_the_status_and_add_history(
    qtbot, shop: Book, booked: int, clock, answers
) -> None:
    clock.now = ON_THE_DAY
    dialog = open_dialog(qtbot, shop, booked)
    assert not dialog.ui.checkoutButton.isVisibleTo(dialog)
    dialog.ui.reasonEdit.setText("called back")
    dialog.ui.confirmButton.click()
    assert status(shop, booked) == S.CONFIRMED and dialog.changed
    assert not dialog.ui.confirmButton.isVisibleTo(dialog)
    dialog.ui.arrivedButton.click()
    assert status(shop, booked) == S.ARRIVED
    assert dialog.ui.checkoutButton.isVisibleTo(dialog)
    assert not dialog.ui.noShowButton.isVisibleTo(dialog)
    assert dialog.history.rowCount() == 3
    row = [dialog.history.data(dialog.history.index(1, c)) for c in range(5)]
    assert row == ["Tue 24 Nov 2026 10:05", "Booked", "Confirmed", "—", "called back"]
    assert answers == []  # on the day nothing is asked


def test_cancel_by_the_customer_inside_the_window_shows_late(qtbot, shop: Book, booked) -> None:
    dialog = open_dialog(qtbot, shop, booked)
    dialog.ui.cancelCustomerButton.click()
    a = shop.appointment(booked).visit.appointment
    assert a.status == S.CANCELLED and a.late_cancel and a.cancelled_by == "customer"
    assert "late" in dialog.ui.statusDetail.text()
    assert not dialog.ui.dateEdit.isEnabled()  # a cancelled visit can't be moved


def test_cancel_by_the_shop_is_never_late(qtbot, shop: Book, booked: int) -> None:
    dialog = open_dialog(qtbot, shop, booked)
    dialog.ui.cancelShopButton.click()
    assert dialog.ui.statusDetail.text() == "by the shop"


def test_undo_puts_the_status_back_and_explains_what_it_cannot_undo(
    qtbot, shop: Book, booked: int, clock
) -> None:
    clock.now = ON_THE_DAY
    dialog = open_dialog(qtbot, shop, booked)
    dialog.ui.noShowButton.click()
    dialog.ui.undoButton.click()
    assert status(shop, booked) == S.BOOKED and dialog.history.rowCount() == 3
    dialog.ui.undoButton.click()  # the last change is the undo itself: back to no-show
    assert status(shop, booked) == S.NO_SHOW
    clock.now += timedelta(days=1)
    dialog.ui.undoButton.click()
    assert "Only today's changes" in dialog.ui.statusError.text()
    assert status(shop, booked) == S.NO_SHOW


def test_a_booking_alone_cannot_be_undone(qtbot, shop: Book, booked: int) -> None:
    dialog = open_dialog(qtbot, shop, booked)
    assert not dialog.ui.undoButton.isVisibleTo(dialog)
    assert dialog.undo() is False
    assert "can't be undone" in dialog.ui.statusError.text()


def test_excusing_a_no_show_asks_why(qtbot, shop: Book, booked: int, monkeypatch, clock) -> None:
    clock.now = ON_THE_DAY
    dialog = open_dialog(qtbot, shop, booked)
    dialog.ui.noShowButton.click()
    assert dialog.ui.excuseButton.isVisibleTo(dialog)
    replies = [("", False), ("In hospital", True)]
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: replies.pop(0))
    dialog.ui.excuseButton.click()  # cancelled: nothing happens
    assert not shop.appointment(booked).visit.appointment.excused
    dialog.ui.excuseButton.click()
    a = shop.appointment(booked).visit.appointment
    assert a.excused and a.excuse_reason == "In hospital"
    assert dialog.ui.statusDetail.text() == "excused: In hospital"
    assert not dialog.ui.excuseButton.isVisibleTo(dialog)


def test_moving_to_a_taken_time_is_refused_next_to_the_time(qtbot, shop: Book, booked) -> None:
    bob = add(shop, "Bob Marsh", "07400 222333")
    shop.book(BookingRequest(bob.id, TOM, (CUT,), TOMORROW_10 + timedelta(hours=2)))
    dialog = open_dialog(qtbot, shop, booked)
    assert not dialog.ui.moveButton.isVisibleTo(dialog)
    dialog.ui.timeEdit.setTime(QTime(11, 30))
    assert dialog.ui.moveButton.isVisibleTo(dialog)
    dialog.ui.staffCombo.setCurrentIndex(dialog.ui.staffCombo.findData(TOM))
    dialog.ui.moveButton.click()
    assert "already booked" in dialog.ui.timeError.text()
    dialog.ui.staffCombo.setCurrentIndex(dialog.ui.staffCombo.findData(MAYA))
    dialog.ui.minutesSpin.setValue(45)
    dialog.ui.moveButton.click()
    a = shop.appointment(booked).visit.appointment
    assert (a.start, a.minutes, a.staff_id) == (TOMORROW_10 + timedelta(minutes=90), 45, MAYA)
    assert dialog.changed and not dialog.ui.moveButton.isVisibleTo(dialog)


def test_cancel_this_and_later_in_the_series(qtbot, shop: Book, answers) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    series = shop.book_series(BookingRequest(ann.id, MAYA, (CUT,), TOMORROW_10), 1, count=3)
    first = open_dialog(qtbot, shop, series[0].id)
    assert first.ui.cancelSeriesButton.isVisibleTo(first)
    dialog = open_dialog(qtbot, shop, series[1].id)
    dialog.ui.cancelSeriesButton.click()
    assert "every later one" in answers[-1]
    assert [status(shop, a.id) for a in series] == [S.BOOKED, S.CANCELLED, S.CANCELLED]


def test_check_out_opens_the_checkout_and_reloads(
    qtbot, shop: Book, booked, monkeypatch, clock
) -> None:
    clock.now = ON_THE_DAY
    shop.set_status(booked, S.ARRIVED)
    dialog = open_dialog(qtbot, shop, booked)
    monkeypatch.setattr(
        CheckoutDialog, "ask", staticmethod(lambda _p, book, i: bool(book.checkout(i)))
    )
    dialog.ui.checkoutButton.click()
    assert dialog.ui.statusLabel.text() == "Completed" and dialog.changed
    assert dialog.ui.statusDetail.text() == "did not rebook"


def test_open_card_closes_with_a_flag(qtbot, shop: Book, booked: int, monkeypatch) -> None:
    opened: list[int] = []
    monkeypatch.setattr(AppointmentDialog, "exec", lambda self: self.open_card())
    assert AppointmentDialog.ask(None, shop, booked, open_card=opened.append) is False
    assert opened == [shop.appointment(booked).visit.appointment.customer_id]


# checkout ------------------------------------------------------------------------------------


def checkout_for(qtbot, book: Book, appointment_id: int) -> CheckoutDialog:
    book.clock.now = ON_THE_DAY  # the pinned clock (tests/conftest.py Clock): checkout day
    book.set_status(appointment_id, S.ARRIVED)
    dialog = CheckoutDialog(book, appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_checkout_without_a_next_visit_records_no_rebooking(qtbot, shop: Book, booked) -> None:
    dialog = checkout_for(qtbot, shop, booked)
    assert dialog.price.text() == "52.00" and dialog.not_now.isChecked()
    dialog.price.setText("48.5")
    dialog.buttons.accepted.emit()
    a = shop.appointment(booked).visit.appointment
    assert (a.status, a.final_price_minor, a.rebooked) == (S.COMPLETED, 4850, False)
    assert dialog.result() == CheckoutDialog.DialogCode.Accepted and dialog.next_visit is None


def test_checkout_with_a_next_visit_books_it(qtbot, shop: Book, booked: int) -> None:
    set_hours(shop)
    dialog = checkout_for(qtbot, shop, booked)
    assert "every 6 weeks" in dialog.interval_label.text()  # no rhythm yet: the default
    assert dialog.slots.rowCount() == 6
    slot = dialog.slots.item(1)
    assert slot.start >= TOMORROW_10 + timedelta(days=42) and slot.staff_id == MAYA
    dialog.slot_view.setCurrentIndex(dialog.slots.index(1, 0))
    assert not dialog.not_now.isChecked()
    assert "Complete and book" in dialog.buttons.buttons()[0].text()
    dialog.complete()
    assert shop.appointment(booked).visit.appointment.rebooked is True
    assert dialog.next_visit.start == slot.start and dialog.next_visit.source == "in person"
    day = slot.start.date()
    assert [v.customer_name for v in shop.day(day).visits] == ["Ann Lee"]


def test_checkout_with_a_bad_price_changes_nothing(qtbot, shop: Book, booked: int) -> None:
    dialog = checkout_for(qtbot, shop, booked)
    dialog.price.setText("free")
    dialog.complete()
    assert "not an amount" in dialog.price_error.text()
    assert status(shop, booked) == S.ARRIVED


def test_checkout_refuses_a_slot_taken_meanwhile(qtbot, shop: Book, booked: int) -> None:
    set_hours(shop)
    dialog = checkout_for(qtbot, shop, booked)
    slot = dialog.slots.item(0)
    dialog.slot_view.setCurrentIndex(dialog.slots.index(0, 0))
    bob = add(shop, "Bob Marsh", "07400 222333")
    shop.book(BookingRequest(bob.id, MAYA, (CUT,), slot.start))  # another desk was faster
    dialog.complete()
    assert "already booked" in dialog.error.text()
    assert status(shop, booked) == S.ARRIVED  # one transaction: not completed either


def test_interval_words() -> None:
    assert interval_words(timedelta(days=42)) == "every 6 weeks"
    assert interval_words(timedelta(days=7)) == "every week"
    assert interval_words(timedelta(days=10)) == "every 10 days"
    assert interval_words(timedelta(days=33)) == "about every 5 weeks (33 days)"
    assert interval_words(timedelta(days=91)) == "about every 3 months (91 days)"


def test_history_model_passes_the_model_tester(qtmodeltester, shop: Book, booked: int) -> None:
    shop.set_status(booked, S.CONFIRMED, reason="text")
    shop.set_status(booked, S.CANCELLED, cancelled_by="shop")
    model = StatusHistoryModel(shop.zone(), shop.staff_name)
    model.set_items(shop.appointment(booked).history)
    assert model.rowCount() == 3
    qtmodeltester.check(model)
    model.set_items([])
    qtmodeltester.check(model)


def test_moving_a_repeating_visit_can_move_the_later_ones(qtbot, shop: Book, answers) -> None:
    set_hours(shop)
    ann = add(shop, "Ann Lee", "07400 123456")
    series = shop.book_series(
        BookingRequest(ann.id, MAYA, (CUT,), TOMORROW_10), every_weeks=1, count=3
    )
    dialog = open_dialog(qtbot, shop, series[0].id)
    dialog.ui.timeEdit.setTime(QTime(11, 0))
    dialog.ui.moveButton.click()  # `answers` says Yes: the whole series moves
    assert any("later appointments of this series" in text for text in answers)
    hours = [shop.appointment(a.id).visit.appointment.start.hour for a in series]
    assert hours == [11, 11, 11]


def test_checking_in_or_a_no_show_before_the_time_is_asked_first(
    qtbot, shop: Book, booked: int, monkeypatch
) -> None:
    asked: list[str] = []
    replies = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(_parent, _title, text, *_a, **_k):
        asked.append(text)
        return replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = open_dialog(qtbot, shop, booked)  # the clock says the day before
    dialog.ui.noShowButton.click()  # answered No: nothing changes
    assert "can't have been missed yet" in asked[0] and status(shop, booked) == S.BOOKED
    assert not dialog.changed
    dialog.ui.arrivedButton.click()  # answered Yes: checked in anyway
    assert "not today" in asked[1] and status(shop, booked) == S.ARRIVED
