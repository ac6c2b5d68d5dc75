"""Day and week views: pixel <-> time helpers, clicks, drags, resizes, the status menu."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QInputDialog

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus
from shopfront.core.booking import Appointment, BookingRequest, Visit
from shopfront.core.workhours import WorkingHours
from shopfront.gui.day_view import DayView, ScheduleView, day_columns
from shopfront.gui.schedule_geometry import (
    HOUR_PX,
    TimeAxis,
    assign_lanes,
    column_at,
    floor_to,
    in_repeated_hour,
    round_to,
    tooltip_html,
)
from shopfront.gui.week_view import WeekView
from tests.conftest import add

LONDON = ZoneInfo("Europe/London")
DAY = date(2026, 11, 24)  # a Tuesday, the day after the pinned clock
S = AppointmentStatus


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON).astimezone(UTC)


@pytest.fixture
def salon(shop: Book) -> Book:
    """Maya 10:00 cut and 11:00 colour, Tom 09:30 cut, on Tuesday 24 November 2026."""
    hours = WorkingHours.from_mapping(
        {d: [("09:00", "13:00"), ("14:00", "18:00")] for d in range(6)}
    )
    for person in shop.staff():
        shop.set_working_hours(person.id, hours)
    ann = add(shop, "Ann <b>Lee</b>", "07400 123456")
    bob = add(shop, "Bob Stone", "07400 654321")
    cat = add(shop, "Cat Ní Bhriain", "07400 111222")
    maya, tom = (s.id for s in sorted(shop.staff(), key=lambda s: s.id))
    cut, colour = (s.id for s in sorted(shop.services(), key=lambda s: s.id))
    shop.book(BookingRequest(ann.id, maya, (cut,), at(10), notes="Patch test done"))
    shop.book(BookingRequest(bob.id, maya, (colour,), at(11)))
    shop.book(BookingRequest(cat.id, tom, (cut,), at(9, 30)))
    return shop


@pytest.fixture
def view(qtbot, salon: Book, answers: list[str]) -> DayView:
    widget = DayView(salon)
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.show_day(DAY)
    return widget


def ids(book: Book) -> tuple[int, int]:
    maya, tom = sorted(s.id for s in book.staff())
    return maya, tom


def appointment(book: Book, appointment_id: int) -> Appointment:
    return book.appointment(appointment_id).visit.appointment


def by_name(view: ScheduleView, name: str) -> Visit:
    return next(b.visit for b in view.blocks if b.visit.customer_name == name)


def point(view: ScheduleView, staff_id: int, instant: datetime, dx: float = 30) -> QPoint:
    """The viewport point in `staff_id`'s column at `instant`."""
    index = next(i for i, s in enumerate(view.specs) if s.staff_id == staff_id)
    body = QPointF(index * view.column_width + dx, view.specs[index].axis.y_of(instant) + 1)
    return view.to_viewport(body).toPoint()


def drag(qtbot, view: ScheduleView, start: QPoint, end: QPoint) -> None:
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    for target in (middle, end):
        qtbot.mouseMove(viewport, target)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


# pure geometry ----------------------------------------------------------------------------


def test_axis_maps_pixels_to_times_and_back() -> None:
    axis = TimeAxis.for_day(DAY, LONDON)
    assert axis.minutes == 24 * 60 and axis.height == 24 * HOUR_PX
    assert axis.y_of(at(10, 30)) == pytest.approx(10.5 * HOUR_PX)
    assert axis.instant_at_minute(axis.minute_at(10.5 * HOUR_PX)) == at(10, 30)
    assert axis.y_of(at(0, 0, DAY - timedelta(days=1))) == 0  # clamped to the day
    assert axis.instant_at_minute(99_999) == axis.bounds.end
    assert axis.hour_marks()[9] == (9 * HOUR_PX, "09:00")
    assert floor_to(44.9, 15) == 30 and round_to(44.9, 15) == 45 and round_to(37.4, 15) == 30
    assert (
        column_at(250, 120, 3) == 2
        and column_at(361, 120, 3) is None
        and column_at(-1, 120, 3) is None
    )


def test_dst_days_have_23_and_25_hour_rows_labelled_in_local_time() -> None:
    spring = TimeAxis.for_day(date(2026, 3, 29), LONDON)
    assert spring.minutes == 23 * 60 and len(spring.hour_marks()) == 23
    assert [label for _, label in spring.hour_marks()[:3]] == ["00:00", "02:00", "03:00"]
    autumn = TimeAxis.for_day(date(2026, 10, 25), LONDON)
    assert autumn.minutes == 25 * 60 and len(autumn.hour_marks()) == 25
    assert [label for _, label in autumn.hour_marks()[1:3]] == ["01:00 BST", "01:00 GMT"]
    assert in_repeated_hour(datetime(2026, 10, 25, 0, 15, tzinfo=UTC), LONDON)  # 01:15 BST
    assert in_repeated_hour(datetime(2026, 10, 25, 1, 15, tzinfo=UTC), LONDON)  # 01:15 GMT
    assert not in_repeated_hour(datetime(2026, 10, 25, 2, 15, tzinfo=UTC), LONDON)
    ten = datetime(2026, 10, 25, 10, tzinfo=LONDON)
    assert autumn.y_of(ten) == 11 * HOUR_PX  # the repeated hour pushes the rest down a row
    # The week view's wall-clock rows keep 10:00 on the same row every day.
    week_axis = TimeAxis.for_day(date(2026, 10, 25), LONDON, wall_clock=True)
    assert week_axis.minutes == 24 * 60 and week_axis.y_of(ten) == 10 * HOUR_PX
    assert week_axis.instant_at_minute(10 * 60) == ten.astimezone(UTC)


def test_overlapping_spans_get_side_by_side_lanes() -> None:
    assert assign_lanes([(0, 10), (5, 15), (20, 30), (20, 25)]) == [(0, 2), (1, 2), (0, 2), (1, 2)]
    assert assign_lanes([(0, 10), (10, 20)]) == [(0, 1), (0, 1)]
    assert assign_lanes([]) == []


def test_tooltip_shows_customer_text_as_typed(view: DayView) -> None:
    visit = by_name(view, "Ann <b>Lee</b>")
    text = tooltip_html(visit, LONDON)
    assert "Ann &lt;b&gt;Lee&lt;/b&gt;" in text and "<b>Lee</b>" not in text
    assert "10:00–11:00" in text and "First visit" in text and "Patch test done" in text


# the widget -------------------------------------------------------------------------------


def test_day_shows_a_column_per_working_staff_member(view: DayView, salon: Book) -> None:
    maya, tom = ids(salon)
    assert [s.staff_id for s in view.specs] == [maya, tom]
    assert [s.subtitle for s in view.specs] == ["2 appointments", "1 appointment"]
    assert len(view.blocks) == 3
    ann = view.block_of(by_name(view, "Ann <b>Lee</b>").appointment.id)
    assert ann is not None and ann.rect.height() == pytest.approx(HOUR_PX - 2)


def test_click_on_an_empty_slot_emits_staff_and_start(qtbot, view: DayView, salon: Book) -> None:
    _, tom = ids(salon)
    with qtbot.waitSignal(view.slot_clicked) as signal:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, tom, at(14, 20))
        )
    assert signal.args == [tom, at(14, 15)]


def test_double_click_on_a_block_asks_to_open_it(qtbot, view: DayView, salon: Book) -> None:
    maya, _ = ids(salon)
    ann = by_name(view, "Ann <b>Lee</b>").appointment
    with qtbot.waitSignal(view.open_requested) as signal:
        qtbot.mouseDClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, maya, at(10, 20))
        )
    assert signal.args == [ann.id]


def test_drag_moves_to_the_snapped_time_in_another_column(
    qtbot, view: DayView, salon: Book
) -> None:
    maya, tom = ids(salon)
    ann = by_name(view, "Ann <b>Lee</b>").appointment
    with qtbot.waitSignal(view.changed):
        drag(
            qtbot, view, point(view, maya, at(10, 20)), point(view, tom, at(15, 30))
        )  # grabbed 20 min below the top
    moved = appointment(salon, ann.id)
    assert (moved.staff_id, moved.start, moved.end) == (tom, at(15, 15), at(16, 15))
    assert view.block_of(ann.id).column == 1  # redrawn from the book


def test_drag_onto_another_appointment_is_refused(
    qtbot, view: DayView, salon: Book, answers
) -> None:
    maya, tom = ids(salon)
    cat = by_name(view, "Cat Ní Bhriain").appointment
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, tom, at(9, 40)))
    qtbot.mouseMove(view.viewport(), point(view, maya, at(11, 10)))
    assert view.drag is not None and view.drag.clash  # the ghost is outlined in red
    qtbot.mouseRelease(
        view.viewport(), Qt.MouseButton.LeftButton, pos=point(view, maya, at(11, 10))
    )
    assert "already booked" in answers[-1]
    assert appointment(salon, cat.id) == cat
    assert view.block_of(cat.id).column == 1  # back at the old place


def test_drag_outside_hours_asks_then_overrides(qtbot, view: DayView, salon: Book, answers) -> None:
    _, tom = ids(salon)
    cat = by_name(view, "Cat Ní Bhriain").appointment
    drag(qtbot, view, point(view, tom, at(9, 40)), point(view, tom, at(13, 10)))
    assert "Outside working hours" in answers[-1]  # the question, answered Yes
    assert appointment(salon, cat.id).start == at(13)


def test_dragging_the_lower_edge_resizes(qtbot, view: DayView, salon: Book) -> None:
    maya, _ = ids(salon)
    bob = by_name(view, "Bob Stone").appointment  # 11:00–12:30
    edge = point(view, maya, at(12, 30))
    edge.setY(edge.y() - 4)
    with qtbot.waitSignal(view.changed):
        drag(qtbot, view, edge, QPoint(edge.x(), point(view, maya, at(12, 58)).y()))
    assert appointment(salon, bob.id).minutes == 120


def trigger(view: ScheduleView, name: str, label: str) -> None:
    menu = view.menu_for(by_name(view, name))
    action = next(a for a in menu.actions() if a.text() == label)
    assert action.isEnabled(), label
    action.trigger()


def labels(view: ScheduleView, name: str) -> list[str]:
    return [a.text() for a in view.menu_for(by_name(view, name)).actions() if a.text()]


def test_context_menu_changes_status(qtbot, view: DayView, salon: Book, clock, answers) -> None:
    clock.now = at(9, 55)  # on the day: checking in asks nothing
    ann = by_name(view, "Ann <b>Lee</b>").appointment
    assert labels(view, "Ann <b>Lee</b>") == [
        "Open…",
        "Log a call…\tCtrl+L",
        "Confirm",
        "Check in",
        "Cancel (customer asked)",
        "Cancel (shop)",
        "No-show",
        "Undo last change",
    ]
    trigger(view, "Ann <b>Lee</b>", "Confirm")
    assert appointment(salon, ann.id).status is S.CONFIRMED
    trigger(view, "Ann <b>Lee</b>", "Check in")
    assert appointment(salon, ann.id).status is S.ARRIVED
    with qtbot.waitSignal(view.checkout_requested) as signal:
        trigger(view, "Ann <b>Lee</b>", "Check out…")
    assert signal.args == [ann.id]
    trigger(view, "Ann <b>Lee</b>", "Undo last change")
    assert appointment(salon, ann.id).status is S.CONFIRMED
    with qtbot.waitSignal(view.open_requested) as signal:
        trigger(view, "Ann <b>Lee</b>", "Open…")
    assert signal.args == [ann.id]
    assert answers == []


def test_cancel_no_show_and_excuse(qtbot, view: DayView, salon: Book, monkeypatch, clock) -> None:
    clock.now = at(9, 50)  # Cat's 09:30 has passed
    bob = by_name(view, "Bob Stone").appointment
    cat = by_name(view, "Cat Ní Bhriain").appointment
    with qtbot.waitSignal(view.status) as message:
        trigger(view, "Bob Stone", "Cancel (shop)")
    assert "cancelled" in message.args[0]
    changed = appointment(salon, bob.id)
    assert changed.status is S.CANCELLED and changed.cancelled_by == "shop"
    assert labels(view, "Bob Stone") == ["Open…", "Log a call…\tCtrl+L", "Undo last change"]
    trigger(view, "Cat Ní Bhriain", "No-show")
    assert appointment(salon, cat.id).status is S.NO_SHOW
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: ("Hospital", True))
    trigger(view, "Cat Ní Bhriain", "Excuse no-show…")
    assert appointment(salon, cat.id).excused
    menu = view.menu_for(by_name(view, "Cat Ní Bhriain"))
    assert not next(a for a in menu.actions() if a.text() == "Excuse no-show…").isEnabled()


def test_refused_status_change_shows_the_message(view: DayView, salon: Book, answers) -> None:
    ann = by_name(view, "Ann <b>Lee</b>")
    salon.set_status(ann.appointment.id, S.CONFIRMED)  # at another desk, after the menu was built
    menu = view.menu_for(ann)
    next(a for a in menu.actions() if a.text() == "Confirm").trigger()
    assert "already confirmed" in answers[-1]


def test_painting_covers_every_marker_and_a_dst_day(qtbot, view: DayView, salon: Book) -> None:
    schedule = salon.day(DAY)
    column = schedule.columns[0]
    marked = tuple(
        Visit(
            v.appointment,
            v.customer_name,
            first_visit=True,
            open_case=True,
            risk=0.4,
            risk_level=level,
            risk_reasons=("2 of last 5 missed",),
        )
        for v, level in zip(column.visits, ("high", "low"), strict=False)
    )
    specs = day_columns(schedule)
    specs[0] = replace(specs[0], column=replace(column, visits=marked))
    view.set_columns(specs, 15)
    assert "No-show risk: high. 2 of last 5 missed" in tooltip_html(marked[0], LONDON)
    assert not view.grab().isNull()
    view.show_day(date(2026, 10, 25))  # a Sunday of 25 hours, nobody working
    assert view.specs == [] and not view.grab().isNull()


def test_a_clocks_back_night_says_which_hour(qtbot, view: DayView, salon: Book) -> None:
    _, tom = ids(salon)
    salon.set_working_hours(tom, WorkingHours.from_mapping({6: [("00:00", "04:00")]}))
    ann = salon.search("Ann")[0]
    cut = min(s.id for s in salon.services())
    second = datetime(2026, 10, 25, 1, 15, tzinfo=UTC)  # 01:15 GMT, the second 01:15
    salon.book(BookingRequest(ann.id, tom, (cut,), second, minutes=30), override=True)
    view.show_day(date(2026, 10, 25))
    assert view.body_height() == 25 * HOUR_PX
    assert view.blocks[0].rect.top() == pytest.approx(2.25 * HOUR_PX + 1)
    view.grab()  # paints, preparing the block's text
    assert view.blocks[0].face[0][1] == "01:15 GMT–01:45"


def test_week_view_has_seven_days_and_moves_between_them(qtbot, salon: Book, answers) -> None:
    maya, _ = ids(salon)
    week = WeekView(salon)
    qtbot.addWidget(week)
    week.resize(1000, 700)
    week.show()
    week.show_week(maya, DAY)
    assert [s.title for s in week.specs][:2] == ["Mon 23 Nov", "Tue 24 Nov"]
    assert week.specs[0].today and not week.specs[1].today
    ann = by_name(week, "Ann <b>Lee</b>").appointment
    wednesday = DAY + timedelta(days=1)
    start = week.to_viewport(
        QPointF(1 * week.column_width + 30, week.specs[1].axis.y_of(at(10, 20)))
    )
    end = week.to_viewport(
        QPointF(2 * week.column_width + 30, week.specs[2].axis.y_of(at(14, 20, wednesday)))
    )
    with qtbot.waitSignal(week.changed):
        drag(qtbot, week, start.toPoint(), end.toPoint())
    assert appointment(salon, ann.id).start == at(14, 0, wednesday)
    assert week.block_of(ann.id).column == 2


def test_a_no_show_before_the_start_is_asked_first(view: DayView, salon: Book, answers) -> None:
    cat = by_name(view, "Cat Ní Bhriain").appointment  # the clock is the day before
    trigger(view, "Cat Ní Bhriain", "No-show")  # `answers` says Yes
    assert "can't have been missed yet" in answers[-1] and "anyway?" in answers[-1]
    assert appointment(salon, cat.id).status is S.NO_SHOW
