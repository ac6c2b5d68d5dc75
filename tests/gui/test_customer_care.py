"""The care part of the customer card and Ctrl+L from the appointment book."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.customers import TimelineEntry
from shopfront.core.workhours import WorkingHours
from shopfront.gui.contact_dialog import ContactDialog
from shopfront.gui.customer_care import filter_timeline
from tests.conftest import add

TODAY = date(2026, 11, 23)
NOON = datetime(2026, 11, 23, 12, tzinfo=UTC)


def record_asks(monkeypatch) -> list[tuple[int, dict]]:
    asked: list[tuple[int, dict]] = []
    monkeypatch.setattr(
        ContactDialog, "ask", classmethod(lambda cls, p, b, cid, **kw: asked.append((cid, kw)))
    )
    return asked


def shown(page) -> list[str]:
    return [e.summary for e in page.timeline.entries]


def test_filter_keeps_only_the_chosen_kinds() -> None:
    entries = [TimelineEntry(NOON, kind, kind) for kind in ("appointment", "status", "contact", "followup", "case", "created")]  # fmt: skip
    assert [e.kind for e in filter_timeline(entries, "visits")] == ["appointment", "status"]
    assert [e.kind for e in filter_timeline(entries, "contacts")] == ["contact"]
    assert len(filter_timeline(entries, "all")) == 6


def test_card_filters_the_timeline_and_lists_open_followups(qtbot, window, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 111222")
    shop.log_contact(ann.id, "call", outcome="voicemail", summary="Left a message")
    shop.add_followup(ann.id, TODAY - timedelta(days=1), staff_id=shop.staff()[0].id)
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.open_customer(ann.id)
    care = page.care
    assert len(shown(page)) >= 3  # created, the call, the follow-up
    care.filter.setCurrentIndex(care.filter.findData("contacts"))
    assert shown(page) == ["Call (voicemail): Left a message"]
    care.filter.setCurrentIndex(care.filter.findData("followups"))
    assert [s.startswith("Follow-up due") for s in shown(page)] == [True]
    text = care.followups_label.text()
    assert text.startswith("Open follow-ups:") and "Sun 22 Nov — overdue" in text
    assert "Maya Okafor" in text and not care.followups_label.isHidden()


def test_ctrl_l_on_the_card_logs_a_call(qtbot, window, shop: Book, monkeypatch) -> None:
    ann = add(shop, "Ann Lee", "07400 111222")
    window.show_area("customers")
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.open_customer(ann.id)
    asked = record_asks(monkeypatch)
    page.ui.customerTable.setFocus()
    qtbot.keyClick(page.ui.customerTable, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(ann.id, {})]


def test_ctrl_l_in_my_day_logs_a_call_on_the_selected_visit(
    qtbot, window, shop: Book, monkeypatch
) -> None:
    hours = WorkingHours.from_mapping({d: [("09:00", "18:00")] for d in range(7)})
    maya = shop.staff()[0].id
    shop.set_working_hours(maya, hours)
    ann = add(shop, "Ann Lee", "07400 111222")
    start = datetime(2026, 11, 23, 14, tzinfo=ZoneInfo("Europe/London")).astimezone(UTC)
    booked = shop.book(BookingRequest(ann.id, maya, (shop.services()[0].id,), start))
    window.show_area("appointments")
    page = window.appointments
    page.set_staff(maya)
    page.set_mode("myday")
    qtbot.waitUntil(lambda: page.my_day.model.rowCount() == 1)
    page.my_day.table.setCurrentIndex(page.my_day.model.index(0, 0))
    page.my_day.table.setFocus()
    asked = record_asks(monkeypatch)
    qtbot.keyClick(page.my_day.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(ann.id, {"appointment_id": booked.id})]


def test_day_view_menu_offers_log_a_call(qtbot, shop: Book, monkeypatch) -> None:
    from shopfront.gui.day_view import DayView
    from shopfront.gui.schedule_actions import build_menu

    maya = shop.staff()[0].id
    ann = add(shop, "Ann Lee", "07400 111222")
    start = datetime(2026, 11, 24, 10, tzinfo=UTC)
    shop.book(BookingRequest(ann.id, maya, (shop.services()[0].id,), start))
    view = DayView(shop)
    qtbot.addWidget(view)
    visit = shop.day(date(2026, 11, 24)).columns[0].visits[0]
    asked = record_asks(monkeypatch)
    [action] = [a for a in build_menu(view, visit).actions() if a.text().startswith("Log a call")]
    action.trigger()
    assert asked == [(ann.id, {"appointment_id": visit.appointment.id})]


def test_care_models_pass_the_model_tester(qtbot, shop: Book, qtmodeltester) -> None:
    from shopfront.gui.followups_page import FollowupTableModel
    from shopfront.gui.today_page import PromiseTableModel, VisitTableModel

    ann = add(shop, "Ann Lee", "07400 111222")
    shop.add_followup(ann.id, TODAY - timedelta(days=1))
    followups = FollowupTableModel(TODAY, shop.staff_name)
    followups.set_items(shop.followups())
    shop.open_case(ann.id, "Too short", fix="Trim", fix_due=TODAY)
    promises = PromiseTableModel(TODAY, shop.staff_name)
    promises.set_items(shop.cases())
    for model in (followups, promises, VisitTableModel(ZoneInfo("Europe/London"))):
        qtmodeltester.check(model)


def test_ctrl_l_in_the_card_editor(qtbot, shop: Book, monkeypatch) -> None:
    from shopfront.gui.customer_dialog import CustomerDialog

    ann = add(shop, "Ann Lee", "07400 111222")
    dialog = CustomerDialog(shop, ann)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
    dialog.ui.nameEdit.setFocus()
    asked = record_asks(monkeypatch)
    qtbot.keyClick(dialog.ui.nameEdit, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(ann.id, {})]
