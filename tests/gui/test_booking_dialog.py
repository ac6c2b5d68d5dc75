"""Booking dialog: finding the customer, services adding up, free slots, saving and refusing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QMessageBox

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.workhours import WorkingHours
from shopfront.gui.booking_dialog import BookingDialog
from shopfront.gui.booking_models import CustomerPickModel, PlanModel, ServiceChecklistModel
from shopfront.gui.checkout_dialog import SlotTableModel
from tests.conftest import add

CUT, COLOUR = 1, 2  # the `shop` fixture's services: 60 min 52.00, 90 min 85.00
MAYA, TOM = 1, 2


def set_hours(book: Book) -> None:
    hours = WorkingHours.from_mapping(
        {d: [("09:00", "13:00"), ("14:00", "18:00")] for d in range(6)}
    )
    for staff_id in (MAYA, TOM):
        book.set_working_hours(staff_id, hours)


def dialog_for(qtbot, book: Book, **kwargs) -> BookingDialog:
    dialog = BookingDialog(book, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def fill(dialog: BookingDialog, customer_id: int, staff_id: int, day: date, hh: int, mm: int = 0):
    dialog.pick_customer(customer_id)
    dialog.services.set_ticked(CUT, True)
    dialog.ui.staffCombo.setCurrentIndex(dialog.ui.staffCombo.findData(staff_id))
    dialog.ui.dateEdit.setDate(QDate(day.year, day.month, day.day))
    dialog.ui.timeEdit.setTime(QTime(hh, mm))


def test_typing_a_name_then_down_and_enter_picks_the_customer(qtbot, shop: Book) -> None:
    add(shop, "Ann Lee", "07400 123456")
    anna = add(shop, "Anna Berg", "07400 654321")
    dialog = dialog_for(qtbot, shop)
    qtbot.keyClicks(dialog.ui.customerEdit, "ann")
    qtbot.waitUntil(lambda: dialog.results.rowCount() == 2)
    assert dialog.ui.customerList.isVisible()
    qtbot.keyClick(dialog.ui.customerEdit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.ui.customerEdit, Qt.Key.Key_Return)
    assert dialog.customer_id == anna.id
    assert dialog.ui.customerEdit.text() == "Anna Berg"
    assert "07400 654321" in dialog.ui.customerInfo.text()
    assert not dialog.ui.customerList.isVisible()
    assert not dialog.ui.flagLabel.isVisible()  # reserved for customer warning flags
    qtbot.keyClicks(dialog.ui.customerEdit, "x")  # typing again drops the pick
    assert dialog.customer_id is None


def test_nobody_matching_points_to_new_customer(qtbot, shop: Book, monkeypatch) -> None:
    from shopfront.gui import quick_add

    dialog = dialog_for(qtbot, shop)
    dialog.ui.customerEdit.setText("Zoë Quinn")
    dialog.run_search()
    assert "New customer" in dialog.ui.customerInfo.text()
    asked: list[str] = []

    def fake_ask(_parent, book, name):
        asked.append(name)
        return quick_add.QuickAddResult.ADDED, add(book, name, "07400 111222").id

    monkeypatch.setattr(quick_add.QuickAddDialog, "ask", staticmethod(fake_ask))
    dialog.ui.newCustomerButton.click()
    assert asked == ["Zoë Quinn"]
    assert dialog.customer_id is not None and dialog.ui.customerEdit.text() == "Zoë Quinn"


def test_the_customers_owner_is_preselected_unless_staff_was_given(qtbot, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 123456", owner_id=TOM)
    dialog = dialog_for(qtbot, shop)
    assert dialog.ui.staffCombo.currentData() is None  # "Anyone who does it"
    dialog.pick_customer(ann.id)
    assert dialog.ui.staffCombo.currentData() == TOM
    given = dialog_for(qtbot, shop, staff_id=MAYA, customer_id=ann.id)
    assert given.ui.staffCombo.currentData() == MAYA and given.customer_id == ann.id


def test_several_services_add_up_and_a_typed_price_is_kept(qtbot, shop: Book) -> None:
    dialog = dialog_for(qtbot, shop)
    view, model = dialog.ui.serviceList, dialog.services
    row = next(i for i, r in enumerate(model.rows) if getattr(r, "id", None) == CUT)
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(model.index(row, 1)).center(),
    )
    dialog.services.set_ticked(COLOUR, True)
    assert dialog.services.checked_ids() == (CUT, COLOUR)
    assert "150 min" in dialog.ui.totalLabel.text() and "137.00 GBP" in dialog.ui.totalLabel.text()
    assert dialog.ui.minutesSpin.value() == 150 and dialog.ui.priceEdit.text() == "137.00"
    dialog.ui.priceEdit.setText("120.00")  # a discount typed by hand survives a change
    dialog.services.set_ticked(COLOUR, False)
    assert dialog.ui.priceEdit.text() == "120.00" and dialog.ui.minutesSpin.value() == 60
    view.setCurrentIndex(model.index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)
    assert dialog.services.checked_ids() == ()


def test_clicking_a_free_slot_fills_staff_and_start(qtbot, shop: Book) -> None:
    set_hours(shop)
    dialog = dialog_for(qtbot, shop)
    dialog.services.set_ticked(COLOUR, True)
    dialog.refresh_slots()
    assert dialog.slots.rowCount() == 8
    slot = dialog.slots.item(3)
    view = dialog.ui.slotList
    qtbot.mouseClick(
        view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.visualRect(dialog.slots.index(3, 0)).center(),
    )
    assert dialog.ui.staffCombo.currentData() == slot.staff_id
    assert dialog.start_utc() == slot.start
    assert dialog.slots.item(3) == slot  # the list stays put while you pick
    dialog.later_slots()
    assert dialog.slots.item(0).start > slot.start


def test_no_working_hours_explains_the_empty_slot_list(qtbot, shop: Book) -> None:
    dialog = dialog_for(qtbot, shop)
    dialog.services.set_ticked(CUT, True)
    dialog.refresh_slots()
    assert dialog.slots.rowCount() == 0 and "working hours" in dialog.ui.slotsHint.text()


def test_saving_books_the_appointment(qtbot, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann.id, MAYA, date(2026, 11, 24), 10)
    dialog.ui.notesEdit.setPlainText("Prefers the window seat")
    dialog.ui.buttonBox.accepted.emit()
    assert dialog.result() == BookingDialog.DialogCode.Accepted
    visits = shop.day(date(2026, 11, 24)).visits
    assert [v.customer_name for v in visits] == ["Ann Lee"]
    booked = visits[0].appointment
    assert booked.id == dialog.saved.id and booked.start == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert (booked.staff_id, booked.price_minor, booked.source) == (MAYA, 5200, "phone")
    assert booked.notes == "Prefers the window seat"


def test_missing_fields_are_named_and_nothing_is_booked(qtbot, shop: Book) -> None:
    dialog = dialog_for(qtbot, shop)
    dialog.ui.priceEdit.setText("lots")
    dialog.save()
    assert "Find the customer" in dialog.ui.customerError.text()
    assert "service" in dialog.ui.servicesError.text()
    assert "Pick who" in dialog.ui.staffError.text()
    assert "not an amount" in dialog.ui.priceError.text()
    assert "Nothing was booked" in dialog.ui.formError.text() and dialog.saved is None


def test_an_overlapping_booking_shows_the_clash_and_saves_nothing(qtbot, shop: Book) -> None:
    ann, bob = add(shop, "Ann Lee", "07400 123456"), add(shop, "Bob Marsh", "07400 222333")
    shop.book(BookingRequest(ann.id, MAYA, (CUT,), datetime(2026, 11, 24, 10, tzinfo=UTC)))
    dialog = dialog_for(qtbot, shop)
    fill(dialog, bob.id, MAYA, date(2026, 11, 24), 10, 30)
    dialog.save()
    assert (
        "already booked" in dialog.ui.startError.text() and "Ann Lee" in dialog.ui.startError.text()
    )
    assert "Nothing was booked" in dialog.ui.formError.text()
    assert dialog.saved is None and len(shop.day(date(2026, 11, 24)).visits) == 1


def test_outside_hours_asks_and_books_only_when_confirmed(qtbot, shop: Book, monkeypatch) -> None:
    set_hours(shop)
    ann = add(shop, "Ann Lee", "07400 123456")
    asked: list[str] = []
    reply = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return reply[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann.id, MAYA, date(2026, 11, 24), 19)
    dialog.save()
    assert "Outside working hours" in asked[0]
    assert dialog.saved is None and shop.day(date(2026, 11, 24)).visits == []
    reply[0] = QMessageBox.StandardButton.Yes
    dialog.save()
    assert dialog.saved is not None and len(shop.day(date(2026, 11, 24)).visits) == 1


def test_a_start_in_the_spring_forward_gap_is_refused(qtbot, shop: Book, answers) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann.id, MAYA, date(2027, 3, 28), 1, 30)
    assert "doesn't exist" in dialog.ui.startError.text()
    dialog.save()
    assert dialog.saved is None and shop.day(date(2027, 3, 28)).visits == []
    dialog.ui.timeEdit.setTime(QTime(2, 30))
    assert not dialog.ui.startError.isVisibleTo(dialog)


def test_a_start_in_the_fall_back_hour_asks_which_one(qtbot, shop: Book, answers) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann.id, MAYA, date(2027, 10, 31), 1, 30)
    assert "happens twice" in dialog.ui.startError.text()
    assert dialog.ui.foldCombo.isVisibleTo(dialog)
    dialog.save()
    assert dialog.saved is None
    dialog.ui.foldCombo.setCurrentIndex(dialog.ui.foldCombo.findData(1))  # 01:30 GMT
    assert not dialog.ui.startError.isVisibleTo(dialog)
    dialog.save()
    assert dialog.saved.start == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    dialog.ui.timeEdit.setTime(QTime(10, 0))  # an ordinary time: the question goes away
    assert not dialog.ui.foldCombo.isVisibleTo(dialog) and dialog.ui.foldCombo.count() == 0


def test_a_repeat_plan_lists_the_clash_before_saving(qtbot, shop: Book, monkeypatch) -> None:
    ann, bob = add(shop, "Ann Lee", "07400 123456"), add(shop, "Bob Marsh", "07400 222333")
    shop.book(BookingRequest(bob.id, MAYA, (CUT,), datetime(2026, 12, 8, 10, tzinfo=UTC)))
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann.id, MAYA, date(2026, 12, 1), 10)
    dialog.ui.repeatBox.setChecked(True)
    dialog.ui.everySpin.setValue(1)
    dialog.ui.countSpin.setValue(4)
    planned = dialog.refresh_plan()
    assert [why != "" for _start, why in planned] == [False, True, False, False]
    assert "Bob Marsh" in dialog.plan.data(dialog.plan.index(1, 0))
    assert "1 can't be booked" in dialog.ui.planLabel.text()
    asked: list[str] = []
    reply = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text) or reply[0]
    )
    dialog.save()
    assert "Tue 8 Dec" in asked[0] and dialog.saved is None
    assert len(shop.customer_appointments(ann.id)) == 0
    reply[0] = QMessageBox.StandardButton.Yes
    dialog.save()
    assert len(dialog.booked) == 3 and len({a.series_id for a in dialog.booked}) == 1
    assert dialog.saved == dialog.booked[0]


def test_repeat_until_a_date(qtbot, shop: Book, answers) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann.id, TOM, date(2026, 12, 1), 10)
    dialog.ui.repeatBox.setChecked(True)
    dialog.ui.everySpin.setValue(2)
    dialog.ui.untilRadio.setChecked(True)
    dialog.ui.untilEdit.setDate(QDate(2027, 1, 12))
    assert len(dialog.refresh_plan()) == 4 and "All 4 dates are free" in dialog.ui.planLabel.text()
    dialog.save()
    assert len(dialog.booked) == 4 and answers == []


@pytest.mark.parametrize("rows", [0, 3])
def test_booking_models_pass_the_model_tester(qtmodeltester, shop: Book, rows: int) -> None:
    services = ServiceChecklistModel(shop.services())
    services.set_ticked(COLOUR, True)
    qtmodeltester.check(services)
    people = CustomerPickModel()
    people.set_items(shop.search("", limit=rows))
    qtmodeltester.check(people)
    plan = PlanModel(shop.zone())
    plan.set_items(
        [
            (datetime(2026, 12, d, 10, tzinfo=UTC), "" if d % 2 else "clash")
            for d in range(1, rows + 1)
        ]
    )
    qtmodeltester.check(plan)
    set_hours(shop)
    slots = SlotTableModel(shop.zone(), shop.staff_name)
    slots.set_items(shop.free_slots((CUT,), None, count=rows) if rows else [])
    qtmodeltester.check(slots)
