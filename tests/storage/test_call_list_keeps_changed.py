"""An absence's call list keeps the appointments moved or cancelled from it: those customers
still have to hear about the change."""

from __future__ import annotations

from shopfront.book import Book
from shopfront.core.care import CallState
from tests.storage.test_care import at, book_at, salon  # noqa: F401 (fixture)


def test_moved_and_cancelled_appointments_stay_on_the_call_list(salon: Book) -> None:  # noqa: F811
    a = book_at(salon, at(24, 9), customer=1, staff=2)
    b = book_at(salon, at(24, 10), customer=2, staff=2)
    absence, _ = salon.add_absence(2, at(24, 0), at(25, 0), "sick")
    later = salon.later_slots_with_same_staff(a.id, absence.id, 1)[0]
    salon.move(a.id, later.start, 2)
    salon.cancel_by_shop(b.id)
    rows = {r.visit.appointment.id: r for r in salon.call_list(absence.id).rows}
    assert set(rows) == {a.id, b.id}
    assert rows[a.id].visit.appointment.start == later.start
    assert not rows[b.id].visit.appointment.active
    assert {r.state for r in rows.values()} == {CallState.PENDING}
    salon.record_call(absence.id, a.id, "reached")
    assert salon.call_list(absence.id).count(CallState.TOLD) == 1
