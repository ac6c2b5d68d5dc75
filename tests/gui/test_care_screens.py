"""Care screens with real widgets over a real book: a case from open to closed, an absence's
call list (later, colleague, not reached), handover, templates, policies and messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QInputDialog

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.care import (
    CallState,
    CaseStatus,
    Channel,
    ContactOutcome,
    FollowupReason,
    TemplateKey,
)
from shopfront.core.workhours import WorkingHours
from tests.conftest import add
from tests.gui.test_booking_dialog import CUT, MAYA, TOM

TUESDAY = date(2026, 11, 24)
HOURS = WorkingHours.from_mapping({d: [("09:00", "18:00")] for d in range(6)})


@pytest.fixture
def salon(shop: Book) -> Book:
    for staff_id in (MAYA, TOM):
        shop.set_working_hours(staff_id, HOURS)
    return shop


def tuesday(hour: int) -> datetime:
    return datetime(2026, 11, 24, hour, tzinfo=UTC)  # London is on UTC in November


def pick(monkeypatch: pytest.MonkeyPatch, index: int = 0) -> list[list[str]]:
    """Answer every QInputDialog.getItem with option ``index``; record the options offered."""
    offered: list[list[str]] = []

    def get_item(_parent, _title, _label, options, *_args):
        offered.append(list(options))
        return options[index], True

    monkeypatch.setattr(QInputDialog, "getItem", get_item)
    return offered


# cases -------------------------------------------------------------------------------------


def test_a_case_from_the_card_through_to_closed(qtbot, salon: Book, answers) -> None:
    from shopfront.gui.case_dialog import CaseDialog
    from shopfront.gui.customer_dialog import CustomerDialog

    ann = add(salon, "Ann Lee", "07400 123456", owner_id=TOM)
    card = CustomerDialog(salon, ann)
    qtbot.addWidget(card)
    assert card.cases_label.text() == "No open cases."

    dialog = CaseDialog(salon, card, customer_id=ann.id)
    qtbot.addWidget(dialog)
    dialog.save()
    assert "customer's words" in dialog.errors["words"].text()
    assert salon.cases() == []
    dialog.words.setPlainText("The colour came out far too warm.")
    dialog.severity.setCurrentIndex(dialog.severity.findData("high"))
    dialog.apology.setChecked(True)
    dialog.save()
    assert dialog.errors["apology"].text() == "Say who apologised."
    dialog.apology_by.setCurrentIndex(dialog.apology_by.findData(MAYA))
    dialog.fix.setText("Free colour correction")
    dialog.has_due.setChecked(True)
    dialog.fix_due.setDate(QDate(2026, 11, 26))
    dialog.save()
    case = dialog.saved
    assert case is not None and case.status == CaseStatus.FIX_PROMISED
    assert case.apology_by == MAYA and case.owner_id == TOM  # the customer's owner by default
    promise = [f for f in salon.followups(customer_id=ann.id) if f.case_id == case.id]
    assert [f.due for f in promise] == [date(2026, 11, 26)]
    card.show_cases(ann.id)
    assert card.cases_label.text().startswith(f"#{case.id} fix promised: The colour came out")

    def step(to: CaseStatus, resolution: str = "") -> CaseDialog:
        again = CaseDialog(salon, case_id=case.id)
        qtbot.addWidget(again)
        again.status.setCurrentIndex(again.status.findData(to.value))
        if resolution:
            again.resolution.setPlainText(resolution)
        again.save()
        return again

    assert step(CaseStatus.FIXED).saved.status == CaseStatus.FIXED
    assert step(CaseStatus.FOLLOWED_UP).saved.status == CaseStatus.FOLLOWED_UP
    refused = step(CaseStatus.CLOSED)
    assert refused.saved is None and "resolution" in refused.errors["resolution"].text()
    assert salon.case(case.id).status == CaseStatus.FOLLOWED_UP
    closed = step(CaseStatus.CLOSED, "Corrected on the 26th; she loves it").saved
    assert closed.status == CaseStatus.CLOSED and closed.closed_at is not None
    assert salon.cases(open_only=True) == []
    card.show_cases(ann.id)
    assert card.cases_label.text() == "No open cases."


def test_a_case_from_an_appointment_marks_the_day(qtbot, salon: Book) -> None:
    from shopfront.gui.case_dialog import CaseDialog

    ann = add(salon, "Ann Lee", "07400 123456")
    visit = salon.book(BookingRequest(ann.id, MAYA, (CUT,), tuesday(10)))
    dialog = CaseDialog(salon, appointment_id=visit.id)
    qtbot.addWidget(dialog)
    assert dialog.who.text() == "Ann Lee"
    dialog.words.setPlainText("Waited 30 minutes last time")
    dialog.save()
    assert dialog.saved.appointment_id == visit.id
    [marked] = [v for c in salon.day(TUESDAY).columns for v in c.visits]
    assert marked.open_case


def test_cases_page_puts_overdue_promises_first_in_red(qtbot, salon: Book, clock) -> None:
    from shopfront.gui.cases_page import OVERDUE_COLOUR, CasesPage

    ann, bob = add(salon, "Ann Lee"), add(salon, "Bob Marsh")
    salon.open_case(bob.id, "Rude on the phone")
    late = salon.open_case(ann.id, "Fringe too short", fix="Free trim", fix_due=date(2026, 11, 24))
    clock.now += timedelta(days=3)
    page = CasesPage(salon)
    qtbot.addWidget(page)
    assert page.model.rowCount() == 2
    first = page.model.item(0)
    assert first.id == late.id
    assert "2 days overdue" in page.model.data(page.model.index(0, 5))
    assert page.model.data(page.model.index(0, 1), 9) == OVERDUE_COLOUR  # ForegroundRole
    assert page.model.data(page.model.index(1, 1), 9) is None
    assert page.summary.text() == "2 open cases · 1 promise overdue"
    page.filter.setCurrentIndex(page.filter.findData("overdue"))
    assert [c.id for c in page.model.items] == [late.id]
    page.filter.setCurrentIndex(page.filter.findData("all"))
    page.search.setText("rude")
    assert [c.customer_name for c in page.model.items] == ["Bob Marsh"]


# the call list -------------------------------------------------------------------------------


def test_absence_call_list_move_later_colleague_and_not_reached(
    qtbot, salon: Book, monkeypatch: pytest.MonkeyPatch, answers
) -> None:
    from shopfront.gui.absence_dialog import AbsenceDialog

    people = [
        add(salon, n, p)
        for n, p in (
            ("Ann Lee", "07400 111111"),
            ("Bob Marsh", "07400 222222"),
            ("Cleo Park", "07400 333333"),
        )
    ]
    booked = [
        salon.book(BookingRequest(c.id, MAYA, (CUT,), tuesday(h)))
        for c, h in zip(people, (10, 12, 15), strict=True)
    ]
    dialog = AbsenceDialog(salon, MAYA)
    qtbot.addWidget(dialog)
    for edit in (dialog.from_date, dialog.to_date):
        edit.setDate(QDate(2026, 11, 24))
    dialog.save()
    panel = dialog.panel
    assert panel.isVisibleTo(dialog) and panel.model.rowCount() == 3
    assert panel.counts.text() == "3 pending · 0 told · 0 not reached"
    assert panel.model.data(panel.model.index(1, panel.model.PHONE)) == "07400 222222"

    offered = pick(monkeypatch)  # the first slot / colleague offered
    panel.select(0)
    assert panel.move_later()
    later = salon.appointment(booked[0].id).visit.appointment
    assert later.staff_id == MAYA and later.start >= tuesday(0) + timedelta(days=1)
    assert offered[0][0].startswith("Wed 25 Nov")
    ann_row = panel.model.item(panel.model.row_of(booked[0].id))
    assert ann_row.state == CallState.PENDING  # moved, but not told yet: still on the list
    panel.select(panel.model.row_of(booked[0].id))
    assert panel.record(ContactOutcome.REACHED)

    panel.select(panel.model.row_of(booked[1].id))
    assert panel.give_to_colleague()
    assert offered[1] == ["Tom Brennan"]
    moved = salon.appointment(booked[1].id).visit.appointment
    assert moved.staff_id == TOM and moved.start == tuesday(12)
    assert "now with Tom Brennan" in panel.model.data(
        panel.model.index(panel.model.row_of(booked[1].id), panel.model.BOOKED)
    )

    panel.select(panel.model.row_of(booked[2].id))
    assert panel.record(ContactOutcome.NO_ANSWER)
    states = {r.visit.appointment.id: r.state for r in panel.model.items}
    assert states == {
        booked[0].id: CallState.TOLD,
        booked[1].id: CallState.PENDING,
        booked[2].id: CallState.NOT_REACHED,
    }
    assert "1 told · 1 not reached" in panel.counts.text()
    [desk] = [
        f for f in salon.followups(customer_id=people[2].id) if f.reason == FollowupReason.ABSENCE
    ]
    assert desk.open and "not reached: no answer" in desk.note and desk.due <= TUESDAY
    done = [f for f in salon.followups(customer_id=people[0].id, status=None)]
    assert [f.status.value for f in done if f.reason == FollowupReason.ABSENCE] == ["done"]

    panel.select(panel.model.row_of(booked[1].id))
    assert panel.cancel_by_shop()
    assert any("cancelled by the shop" in text for text in answers)
    cancelled = salon.appointment(booked[1].id).visit.appointment
    assert cancelled.status.value == "cancelled" and cancelled.cancelled_by == "shop"
    assert panel.model.row_of(booked[1].id) >= 0  # still there: they must hear about it
    assert not panel.later_button.isEnabled()


def test_the_printed_call_list_escapes_what_customers_typed(qtbot, salon: Book) -> None:
    from shopfront.gui.call_list_dialog import CallListDialog

    odd = add(salon, "<b>Ann</b> & Co", "07400 111111")
    salon.book(BookingRequest(odd.id, MAYA, (CUT,), tuesday(10)))
    absence, _ = salon.add_absence(MAYA, tuesday(0), tuesday(0) + timedelta(days=1), "sick")
    dialog = CallListDialog(salon, absence.id)
    qtbot.addWidget(dialog)
    document = dialog.panel.document()
    assert "<b>Ann</b> & Co" in document.toPlainText()
    assert "Maya Okafor is away (sick): Tue 24 Nov 2026 (all day)" in document.toPlainText()
    assert "<b>Ann</b> & Co\t" in dialog.panel.model.call_list()  # the clipboard: as typed
    from shopfront.gui.call_list_dialog import call_list_html

    html = call_list_html(salon.call_list(absence.id), salon.zone(), "Test Salon", "now")
    assert "<b>Ann</b>" not in html and "&lt;b&gt;Ann&lt;/b&gt; &amp; Co" in html


def test_not_in_today_records_the_rest_of_the_day_and_opens_its_call_list(
    qtbot, salon: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopfront.gui import call_list_dialog
    from shopfront.gui.absence_dialog import AbsencesDialog

    ann = add(salon, "Ann Lee", "07400 111111")
    salon.book(BookingRequest(ann.id, TOM, (CUT,), datetime(2026, 11, 23, 14, tzinfo=UTC)))
    offered = pick(monkeypatch)  # "Sick"
    opened: list[int] = []
    monkeypatch.setattr(
        call_list_dialog.CallListDialog,
        "ask",
        classmethod(lambda _cls, _parent, _book, absence_id: opened.append(absence_id)),
    )
    dialog = AbsencesDialog(salon, TOM)
    qtbot.addWidget(dialog)
    dialog.mark_not_in_today()
    assert offered == [["Sick", "Holiday", "Training", "Other"]]
    [absence] = salon.absences(date(2026, 11, 23), date(2026, 11, 23), TOM)
    assert opened == [absence.id] and absence.interval.start == salon.clock()
    assert [r.visit.customer_name for r in salon.call_list(absence.id).rows] == ["Ann Lee"]
    assert dialog.model.rowCount() == 1 and dialog.changed


# ownership -----------------------------------------------------------------------------------


def test_my_customers_and_a_handover_with_a_required_note(qtbot, salon: Book) -> None:
    from shopfront.gui.ownership_dialogs import HandoverDialog, MyCustomersDialog

    ann = add(salon, "Ann Lee", owner_id=MAYA)
    bob = add(salon, "Bob Marsh", owner_id=MAYA)
    add(salon, "Cleo Park", owner_id=TOM, backup_id=MAYA)
    salon.open_case(bob.id, "Late again")
    mine = MyCustomersDialog(salon, MAYA)
    qtbot.addWidget(mine)
    assert [r["name"] for r in mine.model.items] == ["Ann Lee", "Bob Marsh", "Cleo Park"]
    assert mine.summary.text().startswith("2 as owner, 1 as backup")
    assert mine.model.data(mine.model.index(1, 5)) == "1"

    dialog = HandoverDialog(salon, MAYA, [ann.id])
    qtbot.addWidget(dialog)
    assert "the 1 selected customer," in dialog.what.text()
    assert dialog.target.currentData() == TOM
    dialog.save()
    assert "handover note" in dialog.note_error.text() and dialog.result_counts is None
    assert salon.customer(ann.id).owner_id == MAYA
    dialog.note.setPlainText("Maya is moving to the other shop; Ann likes mornings")
    dialog.save()
    assert dialog.result_counts == {"customers": 1, "followups": 0, "introductions": 1}
    assert salon.customer(ann.id).owner_id == TOM and salon.customer(bob.id).owner_id == MAYA
    [intro] = salon.followups(customer_id=ann.id)
    assert intro.reason == FollowupReason.INTRODUCTION and intro.staff_id == TOM
    mine.reload()
    assert [r["name"] for r in mine.model.items] == ["Bob Marsh", "Cleo Park"]


# templates, policies and messages -------------------------------------------------------------


def test_a_template_with_an_unknown_placeholder_is_refused_next_to_its_field(
    qtbot, salon: Book
) -> None:
    from shopfront.gui.care_settings import TemplatesTab

    tab = TemplatesTab(salon)
    qtbot.addWidget(tab)
    tab.select(TemplateKey.REMINDER)
    before = salon.templates()[TemplateKey.REMINDER]
    tab.body.setPlainText("Hi {nickname}, see you {date}")
    assert not tab.save_template()
    assert "{nickname}" in tab.body_error.text() and tab.subject_error.text() == ""
    tab.body.setPlainText("Hi {first_name}, see you {date}")
    tab.subject.setText("See you {when}")
    assert not tab.save_template()
    assert "{when}" in tab.subject_error.text() and tab.body_error.text() == ""
    assert salon.templates()[TemplateKey.REMINDER] == before
    tab.subject.setText("See you {date}")
    assert tab.save_template()
    assert salon.templates()[TemplateKey.REMINDER].body == "Hi {first_name}, see you {date}"


def test_care_policies_are_saved_from_their_tab(qtbot, salon: Book) -> None:
    from shopfront.gui.care_settings import PoliciesTab

    tab = PoliciesTab(salon)
    qtbot.addWidget(tab)
    assert not tab.fields["birthday"].isChecked()
    tab.fields["birthday"].setChecked(True)
    tab.fields["no_show"].setChecked(False)
    tab.fields["case_check_days"].setValue(10)
    assert tab.save()
    policies = salon.care_policies()
    assert policies.birthday and not policies.no_show and policies.case_check_days == 10


def test_the_message_dialog_fills_a_template_and_logs_what_went_out(
    qtbot, salon: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopfront.gui.message_dialog import MessageDialog

    ann = add(salon, "Ann Lee", "07400 123456", "ann@example.com")
    visit = salon.book(BookingRequest(ann.id, MAYA, (CUT,), tuesday(10)))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = MessageDialog(salon, appointment_id=visit.id)
    qtbot.addWidget(dialog)
    assert dialog.body.toPlainText().startswith("Hi Ann, a reminder of your appointment")
    assert "Maya Okafor on Tuesday 24 November at 10:00" in dialog.body.toPlainText()
    assert not dialog.send_button.isVisibleTo(dialog)  # no mail server set up
    dialog.body.setPlainText("Hi Ann & co, see you Tuesday?")
    assert dialog.open_sms()
    assert opened[-1].scheme() == "sms" and "Ann%20%26%20co" in opened[-1].toString(
        QUrl.ComponentFormattingOption.FullyEncoded
    )
    dialog.copy_as.setCurrentIndex(dialog.copy_as.findData(Channel.EMAIL.value))
    assert dialog.copy()
    assert QGuiApplication.clipboard().text().startswith("Reminder: ")
    dialog.call()
    assert opened[-1].toString() == "tel:+447400123456"
    contacts = salon.contacts(ann.id)
    assert sorted(c.channel for c in contacts) == [Channel.EMAIL, Channel.SMS]
    assert all("Hi Ann & co, see you Tuesday?" in c.summary for c in contacts)
    assert dialog.sent == [Channel.SMS, Channel.EMAIL]
    dialog.show()
    dialog.close()  # closing goes through QDialog.done(): no attribute may shadow it
    assert not dialog.isVisible()


def test_care_screenshot_views(qtbot, salon: Book, db_path: Path, tmp_path: Path) -> None:
    from shopfront.errors import ShopfrontError
    from shopfront.gui.screenshot import render_view

    ann = add(salon, "Ann Lee", "07400 111111")
    salon.book(BookingRequest(ann.id, MAYA, (CUT,), tuesday(10)))
    absence, _ = salon.add_absence(MAYA, tuesday(0), tuesday(0) + timedelta(days=1), "sick")
    for view in (f"calllist:{absence.id}", "cases", "settings:messages", "settings:care"):
        out = render_view(str(db_path), view, str(tmp_path / "shot.png"), (1024, 700))
        assert out.stat().st_size > 5000, view
    for bad in ("calllist:x", "calllist:999"):
        with pytest.raises(ShopfrontError):
            render_view(str(db_path), bad, str(tmp_path / "bad.png"), (800, 600))


def test_my_customers_from_the_go_menu_opens_a_card(
    qtbot, window, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopfront.gui.ownership_dialogs import MyCustomersDialog

    ann = add(window.book, "Ann Lee", owner_id=MAYA)

    def pick_first(dialog: MyCustomersDialog) -> int:
        dialog.table.selectRow(0)
        dialog._card()
        return 1

    monkeypatch.setattr(MyCustomersDialog, "exec", pick_first)
    window.my_customers()
    assert window.current_area() == "customers"
    assert window.customers.current is not None and window.customers.current.id == ann.id


def test_not_in_today_from_the_day_views_staff_header(
    qtbot, salon: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopfront.gui import call_list_dialog
    from shopfront.gui.day_view import DayView

    pick(monkeypatch)
    opened: list[int] = []
    monkeypatch.setattr(
        call_list_dialog.CallListDialog,
        "ask",
        classmethod(lambda _cls, _parent, _book, absence_id: opened.append(absence_id)),
    )
    view = DayView(salon)
    qtbot.addWidget(view)
    view.show_day(TUESDAY)
    assert not view.header_menu(TOM).actions()[0].isEnabled()  # only on today
    view.show_day(salon.today())
    [absent, absences] = view.header_menu(TOM).actions()
    assert absent.text() == "Tom Brennan is &not in today…" and absent.isEnabled()
    absent.trigger()
    [absence] = salon.absences(salon.today(), salon.today(), TOM)
    assert opened == [absence.id]
    assert absences.text() == "&Absences…"


def test_e_mail_settings_and_sending_from_the_message_dialog(qtbot, salon: Book) -> None:
    """Against a real SMTP server on loopback: settings from the tab, send from the dialog."""
    import socket

    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message as Collector

    from shopfront.gui.care_settings import TemplatesTab
    from shopfront.gui.message_dialog import MessageDialog

    received = []

    class Keep(Collector):
        def handle_message(self, message) -> None:
            received.append(message)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ann = add(salon, "Ann Lee", "07400 123456", "ann@example.com")
    no_show = salon.add_followup(ann.id, date(2026, 11, 23), reason="no_show")
    tab = TemplatesTab(salon)
    qtbot.addWidget(tab)
    tab.host.setText("127.0.0.1")
    tab.port.setValue(port)
    tab.tls.setCurrentIndex(tab.tls.findData("none"))
    tab.sender.setText("no address")
    assert not tab.save_smtp()
    assert "sent from" in tab.smtp_errors["sender"].text() and not salon.smtp_configured()
    tab.sender.setText("desk@salon.example")
    assert tab.save_smtp() and salon.smtp_configured()

    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        dialog = MessageDialog.for_followup(salon, no_show)
        qtbot.addWidget(dialog)
        assert dialog.template.currentData() == TemplateKey.NO_SHOW_REBOOK.value
        assert dialog.send_button.isVisibleTo(dialog)
        dialog.subject.setText("We missed you, Ann")
        dialog.send_email()
        qtbot.waitUntil(lambda: dialog.sent == [Channel.EMAIL], timeout=10_000)
    finally:
        controller.stop()
    [mail] = received
    assert mail["To"] == "ann@example.com" and mail["Subject"] == "We missed you, Ann"
    [contact] = salon.contacts(ann.id)
    assert contact.channel == Channel.EMAIL and "we missed you" in contact.summary.lower()


def test_care_models_pass_the_model_tester(qtmodeltester, salon: Book) -> None:
    from shopfront.gui.call_list_dialog import CallListModel
    from shopfront.gui.cases_page import CaseTableModel
    from shopfront.gui.ownership_dialogs import MyCustomersModel

    ann = add(salon, "Ann Lee", "07400 111111", owner_id=MAYA)
    salon.open_case(ann.id, "Too warm", fix="Redo", fix_due=date(2026, 11, 25))
    salon.book(BookingRequest(ann.id, MAYA, (CUT,), tuesday(10)))
    absence, _ = salon.add_absence(MAYA, tuesday(0), tuesday(0) + timedelta(days=1), "sick")
    cases = CaseTableModel(salon.today(), salon.zone(), salon.staff_name)
    cases.set_items(salon.cases())
    calls = CallListModel(salon.zone())
    calls.set_items(salon.call_list(absence.id).rows)
    mine = MyCustomersModel(salon.zone())
    mine.set_items(salon.my_customers(MAYA))
    for model in (cases, calls, mine):
        assert model.rowCount() == 1
        qtmodeltester.check(model)


def test_the_call_list_prints(qtbot, salon: Book, tmp_path: Path) -> None:
    """What the print preview sends to a printer, printed to a PDF file and read back."""
    from pypdf import PdfReader
    from PySide6.QtPrintSupport import QPrinter

    from shopfront.gui.call_list_dialog import CallListPanel

    ann = add(salon, "Ann Lee", "07400 111111")
    visit = salon.book(BookingRequest(ann.id, MAYA, (CUT,), tuesday(10)))
    absence, _ = salon.add_absence(MAYA, tuesday(0), tuesday(0) + timedelta(days=1), "sick")
    salon.record_call(absence.id, visit.id, "voicemail")
    panel = CallListPanel(salon, absence.id)
    qtbot.addWidget(panel)
    assert panel.model.data(panel.model.index(0, panel.model.ATTEMPTS)) == (
        "1: voicemail Mon 23 Nov 10:30"
    )
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "calls.pdf"))
    panel.document().print_(printer)
    raw = PdfReader(str(tmp_path / "calls.pdf")).pages[0].extract_text()
    text = " ".join(raw.split())  # the PDF's words come back tab- and line-separated
    for expected in ("Test Salon", "Maya Okafor", "Ann Lee", "07400 111111", "not reached"):
        assert expected in text
