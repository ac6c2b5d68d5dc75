"""The appointments page: keyboard, views, dialogs (stubbed), my day, printing, screenshots."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.workhours import WorkingHours
from shopfront.errors import ShopfrontError
from shopfront.gui.my_day import MyDayModel
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)  # the pinned clock's day, a Monday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def salon(shop: Book) -> Book:
    hours = WorkingHours.from_mapping({d: [("09:00", "18:00")] for d in range(6)})
    for person in shop.staff():
        shop.set_working_hours(person.id, hours)
    ann = add(shop, "Ann Lee", "07400 123456")
    zoe = add(shop, "Zoë <i>Quinn</i>", "07400 999888")
    maya = min(s.id for s in shop.staff())
    cut = min(s.id for s in shop.services())
    shop.book(
        BookingRequest(ann.id, maya, (cut,), at(TODAY, 14), notes="Fringe shorter, fine texture")
    )
    shop.book(BookingRequest(zoe.id, maya, (cut,), at(TODAY, 16)))
    return shop


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """Stand-ins for the booking, appointment and checkout dialogs; records each call."""
    calls: list[tuple] = []

    def stub(module: str, cls: str, answer: object) -> None:
        def ask(*args, **kwargs):
            calls.append((cls, args[2:], kwargs))
            return answer

        fake = types.ModuleType(module)
        setattr(fake, cls, type(cls, (), {"ask": staticmethod(ask)}))
        monkeypatch.setitem(sys.modules, module, fake)

    stub("shopfront.gui.booking_dialog", "BookingDialog", None)
    stub("shopfront.gui.appointment_dialog", "AppointmentDialog", True)
    stub("shopfront.gui.checkout_dialog", "CheckoutDialog", False)
    return calls


@pytest.fixture
def page(qtbot, window, salon: Book, dialogs):
    window.show_area("appointments")
    shown = window.appointments
    qtbot.waitUntil(shown.isVisible)
    shown.focus_view()
    return shown


def key(qtbot, page, name: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(page.stack.currentWidget(), name, modifier)


def test_the_page_opens_on_today_with_every_staff_member(page, salon: Book) -> None:
    assert page.current_date == TODAY and page.mode == "day"
    assert [s.title for s in page.day_view.specs] == ["Maya Okafor", "Tom Brennan"]
    assert {b.visit.customer_name for b in page.day_view.blocks} == {"Ann Lee", "Zoë <i>Quinn</i>"}
    assert page.heading.text() == "Monday 23 November 2026"


def test_keyboard_moves_the_date(qtbot, page) -> None:
    key(qtbot, page, Qt.Key.Key_Left)
    assert page.current_date == TODAY - timedelta(days=1)
    assert page.day_view.day == TODAY - timedelta(days=1)  # reloaded
    key(qtbot, page, Qt.Key.Key_Right)
    key(qtbot, page, Qt.Key.Key_Right)
    assert page.current_date == TODAY + timedelta(days=1)
    key(qtbot, page, Qt.Key.Key_PageUp)
    key(qtbot, page, Qt.Key.Key_PageUp)
    assert page.current_date == TODAY - timedelta(days=1)
    key(qtbot, page, Qt.Key.Key_PageDown)
    key(qtbot, page, Qt.Key.Key_PageDown)
    key(qtbot, page, Qt.Key.Key_T)
    assert page.current_date == TODAY
    page.set_mode("week")
    page.focus_view()
    key(qtbot, page, Qt.Key.Key_Right)
    assert page.current_date == TODAY + timedelta(days=7)
    assert page.heading.text() == "30 November – 6 December 2026"


def test_ctrl_n_and_a_click_on_a_slot_open_the_booking_dialog(qtbot, page, dialogs) -> None:
    key(qtbot, page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialogs[-1] == ("BookingDialog", (), {"staff_id": None, "start": None})
    view = page.day_view
    maya = view.specs[0].staff_id
    view.slot_clicked.emit(maya, at(TODAY, 11))
    assert dialogs[-1][2] == {"staff_id": maya, "start": at(TODAY, 11)}


def test_a_booking_reloads_and_shows_its_day(qtbot, page, salon: Book, monkeypatch) -> None:
    ann = salon.search("Ann")[0]
    maya = page.day_view.specs[0].staff_id

    def ask(_parent, book, staff_id=None, start=None, customer_id=None):
        req = BookingRequest(
            ann.id, maya, (min(s.id for s in book.services()),), at(TODAY + timedelta(days=2), 10)
        )
        return book.book(req)

    monkeypatch.setattr(sys.modules["shopfront.gui.booking_dialog"].BookingDialog, "ask", ask)
    with qtbot.waitSignal(page.changed):
        page.new_appointment()
    assert page.current_date == TODAY + timedelta(days=2)
    assert [b.visit.customer_name for b in page.day_view.blocks] == ["Ann Lee"]


def test_open_and_checkout_go_to_their_dialogs(qtbot, page, dialogs) -> None:
    block = page.day_view.blocks[0]
    appointment_id = block.visit.appointment.id
    with qtbot.waitSignal(page.changed):  # the stub says something changed
        page.day_view.open_requested.emit(appointment_id)
    assert dialogs[-1] == ("AppointmentDialog", (appointment_id,), {})
    page.day_view.checkout_requested.emit(appointment_id)
    assert dialogs[-1] == ("CheckoutDialog", (appointment_id,), {})


def test_ctrl_f_goes_to_the_customer_search(qtbot, window, page) -> None:
    key(qtbot, page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "customers"
    assert window.customers.ui.searchEdit.hasFocus()


def test_views_and_staff_are_remembered(qtbot, page, salon: Book, state) -> None:
    tom = max(s.id for s in salon.staff())
    page.set_mode("week")
    page.set_staff(tom)
    assert state.appointments_view == "week" and state.appointments_staff == tom
    assert page.week_view.staff_id == tom and len(page.week_view.specs) == 7
    page.mode_group.button(2).click()
    assert page.mode == "myday" and page.stack.currentWidget() is page.my_day
    assert page.my_day.model.rowCount() == 0  # Tom has nothing booked
    page.set_mode("day")
    assert page.staff_combo.isHidden()


def test_my_day_lists_and_prints_the_visits(
    qtbot, page, salon: Book, tmp_path: Path, qtmodeltester
) -> None:
    page.set_mode("myday")
    page.set_staff(min(s.id for s in salon.staff()))
    model = page.my_day.model
    qtbot.waitUntil(lambda: model.rowCount() == 2)  # loaded in the background
    assert [model.data(model.index(0, c)) for c in range(4)] == [
        "14:00–15:00",
        "Ann Lee",
        "Women's cut",
        "Booked",
    ]
    assert model.data(model.index(0, MyDayModel.NOTES)) == "Fringe shorter, fine texture"
    qtmodeltester.check(model)
    qtmodeltester.check(page.staff_model)
    pdf = tmp_path / "myday.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    page.my_day.print_to(printer)
    assert shutil.which("pdftotext"), "poppler-utils is needed to read the PDF back"
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Ann Lee" in text and "Zoë <i>Quinn</i>" in text and "Maya Okafor" in text
    assert "Fringe shorter, fine texture" in text  # no ligatures: searchable


def test_empty_my_day_model_passes_the_tester(qtmodeltester) -> None:
    model = MyDayModel()
    qtmodeltester.check(model)
    assert "No appointments." in model.to_html("Maya", "")


def test_ctrl_n_in_appointments_books_and_in_customers_adds(
    qtbot, window, page, dialogs, monkeypatch
) -> None:
    key(qtbot, page, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert [c[0] for c in dialogs] == ["BookingDialog"]
    from shopfront.gui.quick_add import QuickAddDialog

    added: list[str] = []
    monkeypatch.setattr(QuickAddDialog, "ask", lambda *_a, **_k: added.append("quick add"))
    window.show_area("customers")
    qtbot.keyClick(
        window.customers.ui.searchEdit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
    )
    assert added == ["quick add"]
    assert [c[0] for c in dialogs] == ["BookingDialog"]  # not booked again from Customers


def test_screenshot_views(qtbot, salon: Book, db_path: Path, tmp_path: Path) -> None:
    from shopfront.gui.screenshot import render_view

    maya = min(s.id for s in salon.staff())
    for view in (
        "appointments",
        "day:2026-11-23",
        f"week:{maya}:2026-11-23",
        f"myday:{maya}:2026-11-23",
    ):
        out = render_view(str(db_path), view, str(tmp_path / "shot.png"), (1024, 700))
        assert out.stat().st_size > 5000
    for bad, words in [
        ("day:2026-13-01", "not a date"),
        ("day:", "not a date"),
        ("week:99:2026-11-23", "no staff member #99"),
        ("myday:x:2026-11-23", "not a staff id"),
        ("week:1", "use week:STAFF_ID:YYYY-MM-DD"),
        ("appointments:tomorrow", "unknown view"),
    ]:
        with pytest.raises(ShopfrontError, match=words):
            render_view(str(db_path), bad, str(tmp_path / "bad.png"), (800, 600))
