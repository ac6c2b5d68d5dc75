"""The Today screen and the follow-up tray message, on a real book with a pinned clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.care import CallState
from shopfront.core.workhours import WorkingHours
from shopfront.gui.contact_dialog import ContactDialog
from shopfront.gui.followup_notifier import FollowupNotifier
from shopfront.gui.today_page import TodayPage, call_list_text, visit_flags
from tests.conftest import Clock, add

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def salon(shop: Book) -> Book:
    hours = WorkingHours.from_mapping({d: [("09:00", "18:00")] for d in range(7)})
    for person in shop.staff():
        shop.set_working_hours(person.id, hours)
    return shop


def today_page(qtbot, book: Book) -> TodayPage:
    page = TodayPage(book)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show()
    return page


def names(model) -> list[str]:
    return [item.customer_name for item in model.items]


def test_overdue_promise_is_loud_with_its_owner(qtbot, salon: Book, clock: Clock) -> None:
    ann = add(salon, "Ann Lee", "07400 111222")
    maya = salon.staff()[0]
    salon.open_case(
        ann.id, "Fringe too short", fix="Free fringe trim", fix_due=TODAY + timedelta(days=1),
        owner_id=maya.id,
    )  # fmt: skip
    clock.now += timedelta(days=3)  # the promise was due on the 24th; today is the 26th
    page = today_page(qtbot, salon)
    assert names(page.promises) == ["Ann Lee"]
    row = [page.promises.index(0, c).data() for c in range(4)]
    assert row == ["Tue 24 Nov — 2 days overdue", "Ann Lee", "Free fringe trim", "Maya Okafor"]
    assert page.promises.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    section = page.sections["promises"]
    assert section.heading.text() == "Overdue promises (1)" and section.table.isVisible()
    assert "1 overdue promise" in page.summary.text()


def test_nothing_overdue_says_so_quietly(qtbot, salon: Book) -> None:
    page = today_page(qtbot, salon)
    section = page.sections["promises"]
    assert section.note.isVisible() and not section.table.isVisible()
    assert "color" not in section.heading.styleSheet()


def test_followups_visits_tomorrow_and_absences(qtbot, salon: Book) -> None:
    ann, bob, cy = (add(salon, n, p) for n, p in (("Ann Lee", "07400 111111"), ("Bob Marsh", "07400 222222"), ("Cy Ng", "07400 333333")))  # fmt: skip
    maya, tom = (s.id for s in salon.staff())
    cut = salon.services()[0].id
    salon.book(BookingRequest(ann.id, maya, (cut,), at(TODAY, 14)))
    salon.book(BookingRequest(bob.id, tom, (cut,), at(TODAY + timedelta(days=1), 11)))
    salon.book(BookingRequest(cy.id, tom, (cut,), at(TODAY + timedelta(days=1), 15)))
    salon.add_followup(ann.id, TODAY - timedelta(days=3), note="overdue one")
    salon.add_followup(bob.id, TODAY, note="due today")
    salon.open_case(ann.id, "Colour faded")  # an open case marks today's visit
    absence, _ = salon.add_absence(tom, at(TODAY + timedelta(days=1), 0), at(TODAY + timedelta(days=2), 0), "sick")  # fmt: skip
    first = salon.call_list(absence.id).rows[0].visit.appointment.id
    salon.record_call(absence.id, first, "no_answer")
    page = today_page(qtbot, salon)
    assert names(page.overdue) == ["Ann Lee"]
    assert [f.note for f in page.due.items if f.reason.value == "manual"] == ["due today"]
    assert names(page.visits) == ["Ann Lee"]
    assert "open case" in visit_flags(page.visits.items[0])
    assert sorted(names(page.tomorrow)) == ["Bob Marsh", "Cy Ng"]  # riskiest first
    [calls] = page.data.absences  # type: ignore[union-attr]
    assert (calls.count(CallState.NOT_REACHED), calls.count(CallState.PENDING)) == (1, 1)
    assert "0 told · 1 not reached · 1 pending" in call_list_text(calls, LONDON)
    assert len(page.absence_rows) == 1


def test_double_click_a_followup_opens_the_customer(qtbot, salon: Book) -> None:
    ann = add(salon, "Ann Lee", "07400 111222")
    salon.add_followup(ann.id, TODAY - timedelta(days=1))
    page = today_page(qtbot, salon)
    with qtbot.waitSignal(page.open_customer) as opened:
        page.sections["overdue"].table.doubleClicked.emit(page.overdue.index(0, 1))
    assert opened.args == [ann.id]


def test_log_a_call_from_today_uses_the_selected_row(qtbot, salon: Book, monkeypatch) -> None:
    ann = add(salon, "Ann Lee", "07400 111222")
    salon.add_followup(ann.id, TODAY)
    page = today_page(qtbot, salon)
    asked: list[tuple[int, dict]] = []
    monkeypatch.setattr(
        ContactDialog, "ask", classmethod(lambda cls, p, b, cid, **kw: asked.append((cid, kw)))
    )
    table = page.sections["due"].table
    table.setCurrentIndex(page.due.index(0, 0))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert asked == [(ann.id, {"appointment_id": None})]


# the tray message ---------------------------------------------------------------------------


def test_tray_tells_when_a_followup_falls_due(qtbot, salon: Book) -> None:
    ann = add(salon, "Ann Lee", "07400 111222")
    notifier = FollowupNotifier(salon, tray_available=lambda: True)
    assert notifier.consider(salon.followup_counts()) == ""  # the baseline: nothing said
    salon.add_followup(ann.id, TODAY)
    text = notifier.consider(salon.followup_counts())
    assert text.startswith("1 follow-up just fell due")
    assert notifier.messages == [text] and notifier.tray is not None
    assert notifier.consider(salon.followup_counts()) == ""  # said once, not every tick
    notifier.stop()


def test_tray_is_skipped_silently_without_a_tray(qtbot, salon: Book) -> None:
    ann = add(salon, "Ann Lee", "07400 111222")
    notifier = FollowupNotifier(salon, tray_available=lambda: False)
    with qtbot.waitSignal(notifier.checked, timeout=5000):
        notifier.start()
    salon.add_followup(ann.id, TODAY)
    with qtbot.waitSignal(notifier.checked, timeout=5000):
        notifier.check()
    assert notifier.last == 1
    assert notifier.messages == [] and notifier.tray is None
    notifier.stop()


def test_today_is_the_start_screen(qtbot, window) -> None:
    assert window.current_area() == "today"
    assert isinstance(window.page("today"), TodayPage)


def test_my_day_shows_what_each_customer_was_last_told(qtbot, salon: Book) -> None:
    from shopfront.gui.my_day import MyDayModel, MyDayView

    ann = add(salon, "Ann Lee", "07400 111222")
    maya = salon.staff()[0].id
    salon.book(BookingRequest(ann.id, maya, (salon.services()[0].id,), at(TODAY, 14)))
    salon.log_contact(ann.id, "call", outcome="reached", summary="Running 10 min late is fine")
    view = MyDayView(salon)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=5000):
        view.show_day(maya, TODAY)
    told = view.model.index(0, MyDayModel.LAST_TOLD).data()
    assert told == "23 Nov: Running 10 min late is fine"
