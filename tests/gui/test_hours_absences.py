"""Working hours and absences: spans and breaks, validation, the call list an absence makes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from PySide6.QtCore import QDate, QItemSelectionModel, QTime

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.workhours import Absence, AbsenceReason
from shopfront.gui.absence_dialog import (
    AbsenceDialog,
    AbsencesDialog,
    AbsenceTableModel,
    AffectedModel,
)
from shopfront.gui.hours_dialog import HoursDialog
from tests.conftest import add
from tests.gui.test_booking_dialog import CUT, MAYA, TOM

TUESDAY = date(2026, 11, 24)


def hours_dialog(qtbot, book: Book, staff_id: int = MAYA) -> HoursDialog:
    dialog = HoursDialog(book, staff_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def set_times(row, *times: tuple[int, int]) -> None:
    edits = (row.start1, row.end1, row.start2, row.end2)
    row.works.setChecked(True)
    row.split.setChecked(len(times) > 2)
    for edit, (hh, mm) in zip(edits, times, strict=False):
        edit.setTime(QTime(hh, mm))


def test_hours_save_a_lunch_break_and_a_day_off(qtbot, shop: Book) -> None:
    dialog = hours_dialog(qtbot, shop)
    assert "suggestions" in dialog.hint.text()
    set_times(dialog.rows[0], (9, 0), (13, 0), (14, 0), (18, 0))
    assert dialog.rows[0].start2.isVisibleTo(dialog)
    dialog.rows[2].works.setChecked(False)
    assert dialog.rows[2].off.isVisibleTo(dialog) and not dialog.rows[2].start1.isVisibleTo(dialog)
    dialog.copy_monday()
    dialog.buttons.accepted.emit()
    assert dialog.result() == HoursDialog.DialogCode.Accepted
    saved = shop.working_hours(MAYA)
    assert [str(s) for s in saved.spans_on(0)] == ["09:00–13:00", "14:00–18:00"]
    assert saved.spans_on(2) == saved.spans_on(0)  # Monday copied over Wednesday's day off
    assert saved.spans_on(5) and saved.spans_on(6) == ()
    again = hours_dialog(qtbot, shop)
    assert again.rows[1].spans() == [(time(9), time(13)), (time(14), time(18))]


def test_hours_refuse_overlapping_spans_next_to_the_day(qtbot, shop: Book) -> None:
    dialog = hours_dialog(qtbot, shop)
    set_times(dialog.rows[1], (9, 0), (13, 0), (12, 0), (18, 0))
    set_times(dialog.rows[6], (12, 0), (10, 0))
    dialog.save()
    assert "overlap" in dialog.rows[1].error.text()
    assert "end after they start" in dialog.rows[6].error.text()
    assert dialog.rows[0].error.text() == ""
    assert "2 days need attention" in dialog.error.text()
    assert shop.working_hours(MAYA) is None


def absence_dialog(qtbot, book: Book, staff_id: int | None = MAYA) -> AbsenceDialog:
    dialog = AbsenceDialog(book, staff_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def set_day(edit, day: date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))


def test_an_absence_shows_the_appointments_to_call_at_once(qtbot, shop: Book) -> None:
    ann, bob = add(shop, "Ann Lee", "07400 123456"), add(shop, "Bob Marsh", "07400 222333")
    for customer, hour in ((ann, 10), (bob, 15)):
        shop.book(
            BookingRequest(customer.id, MAYA, (CUT,), datetime(2026, 11, 24, hour, tzinfo=UTC))
        )
    shop.book(BookingRequest(ann.id, TOM, (CUT,), datetime(2026, 11, 24, 12, tzinfo=UTC)))
    dialog = absence_dialog(qtbot, shop)
    set_day(dialog.from_date, TUESDAY)
    set_day(dialog.to_date, TUESDAY)
    dialog.reason.setCurrentIndex(dialog.reason.findData("sick"))
    dialog.note.setText("flu")
    dialog.buttons.accepted.emit()
    assert dialog.absence is not None and dialog.absence.reason == AbsenceReason.SICK
    assert [v.customer_name for v in dialog.affected] == ["Ann Lee", "Bob Marsh"]
    assert dialog.pages.currentIndex() == 1 and dialog.isVisible()
    assert dialog.sentence.text() == "2 appointments are affected — call these customers:"
    assert dialog.model.data(dialog.model.index(1, 2)) == "07400 222333"
    assert "Tue 24 Nov 2026 15:00–16:00" in dialog.model.call_list()
    assert shop.absences(TUESDAY, TUESDAY, MAYA)[0].note == "flu"


def test_an_absence_touching_nobody_says_so(qtbot, shop: Book) -> None:
    dialog = absence_dialog(qtbot, shop, TOM)
    dialog.save()
    assert dialog.sentence.text() == "No appointments are affected."
    assert not dialog.table.isVisibleTo(dialog)


def test_part_day_absences_check_their_times(qtbot, shop: Book) -> None:
    dialog = absence_dialog(qtbot, shop)
    dialog.whole_day.setChecked(False)
    assert dialog.from_time.isVisibleTo(dialog)
    set_day(dialog.from_date, date(2027, 3, 28))
    set_day(dialog.to_date, date(2027, 3, 28))
    dialog.from_time.setTime(QTime(1, 30))
    dialog.save()
    assert "doesn't exist" in dialog.from_error.text() and dialog.absence is None
    dialog.from_time.setTime(QTime(15, 0))
    dialog.to_time.setTime(QTime(11, 0))
    dialog.save()
    assert "end after it starts" in dialog.to_error.text() and dialog.absence is None
    dialog.to_time.setTime(QTime(17, 0))
    dialog.save()
    assert dialog.absence.interval.start == datetime(2027, 3, 28, 14, tzinfo=UTC)  # BST


def test_the_absences_list_shows_whom_each_affects_and_removes(qtbot, shop: Book, answers) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    shop.book(BookingRequest(ann.id, MAYA, (CUT,), datetime(2026, 11, 24, 10, tzinfo=UTC)))
    start, end = datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC)
    shop.add_absence(MAYA, start, end, "holiday")
    shop.add_absence(
        TOM, datetime(2026, 12, 1, 9, tzinfo=UTC), datetime(2026, 12, 1, 12, tzinfo=UTC)
    )
    dialog = AbsencesDialog(shop, None)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 2
    assert dialog.model.data(dialog.model.index(0, 2)) == "Tue 24 Nov 2026 (all day)"
    assert dialog.model.data(dialog.model.index(1, 1)) == "Tue 1 Dec 2026 09:00"
    dialog.who.setCurrentIndex(dialog.who.findData(MAYA))
    assert dialog.model.rowCount() == 1
    dialog.table.selectionModel().setCurrentIndex(
        dialog.model.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
    )
    assert dialog.affected.rowCount() == 1 and "1 appointment is affected" in (
        dialog.affected_label.text()
    )
    assert dialog.remove_selected() is True
    assert "Remove Maya Okafor's absence" in answers[-1]
    assert shop.absences(TUESDAY, TUESDAY) == [] and dialog.changed


def test_settings_staff_tab_opens_hours_and_absences(qtbot, window, monkeypatch) -> None:
    from shopfront.gui import absence_dialog, hours_dialog

    calls: list[tuple[str, int | None]] = []
    monkeypatch.setattr(
        hours_dialog.HoursDialog, "ask", staticmethod(lambda _p, _b, s: calls.append(("h", s)))
    )
    monkeypatch.setattr(
        absence_dialog.AbsencesDialog,
        "ask",
        staticmethod(lambda _p, _b, s: calls.append(("a", s)) or True),
    )
    page = window.settings
    page.ui.hoursButton.click()  # nobody selected yet: nothing opens
    assert calls == []
    page.ui.staffTable.setCurrentIndex(page.staff_model.index(1, 0))
    staff_id = page.staff_model.item(1).id
    page.ui.hoursButton.click()
    page.ui.absencesButton.click()
    assert calls == [("h", staff_id), ("a", staff_id)]


def test_absence_models_pass_the_model_tester(qtmodeltester, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 123456")
    shop.book(BookingRequest(ann.id, MAYA, (CUT,), datetime(2026, 11, 24, 10, tzinfo=UTC)))
    absence, visits = shop.add_absence(
        MAYA, datetime(2026, 11, 24, tzinfo=UTC), datetime(2026, 11, 25, tzinfo=UTC), "sick"
    )
    affected = AffectedModel(shop.zone())
    affected.set_items(visits)
    qtmodeltester.check(affected)
    listing = AbsenceTableModel(shop.zone(), shop.staff_name)
    other = Absence(TOM, absence.interval, AbsenceReason.TRAINING, 99, "course")
    listing.set_items([absence, other])
    qtmodeltester.check(listing)
