"""Follow-ups page and its dialogs driven like a user: done needs an outcome, snooze, keys."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from shopfront.book import Book
from shopfront.core.care import FollowupStatus
from shopfront.gui.contact_dialog import ContactDialog
from shopfront.gui.followup_dialogs import (
    FollowupQuestion,
    NewFollowupDialog,
    done_dialog,
    reassign_dialog,
    snooze_dialog,
)
from shopfront.gui.followups_page import FollowupsPage
from tests.conftest import add

TODAY = date(2026, 11, 23)


def save(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


@pytest.fixture
def page(qtbot, shop: Book, state) -> FollowupsPage:
    ann = add(shop, "Ann Lee", "07400 111222")
    bob = add(shop, "Bob Marsh", "07400 333444")
    maya, tom = (s.id for s in shop.staff())
    shop.add_followup(ann.id, TODAY - timedelta(days=2), note="ask about the fringe", staff_id=maya)
    shop.add_followup(bob.id, TODAY, staff_id=tom)
    shop.add_followup(bob.id, TODAY + timedelta(days=5), staff_id=tom, note="later")
    widget = FollowupsPage(shop, state)
    qtbot.addWidget(widget)
    with qtbot.waitSignal(widget.loaded, timeout=5000):
        widget.show()
    qtbot.waitUntil(lambda: widget.model.rowCount() == 2)
    return widget


def rows(page: FollowupsPage) -> list[tuple[str, str]]:
    return [(f.customer_name, page.model.columns[0].text(f)) for f in page.model.items]


def test_lists_overdue_first_loudly_and_counts_upcoming(page: FollowupsPage) -> None:
    assert rows(page) == [("Ann Lee", "Sat 21 Nov — 2 days overdue"), ("Bob Marsh", "Today")]
    overdue = page.model.index(0, 0)
    assert page.model.data(overdue, Qt.ItemDataRole.FontRole).bold()
    assert page.model.data(page.model.index(1, 0), Qt.ItemDataRole.FontRole) is None
    assert page.summary.text() == "1 overdue · 1 due today · 1 upcoming"


def test_mine_filters_by_staff_and_is_remembered(qtbot, page: FollowupsPage, state) -> None:
    tom = page.book.staff()[1].id
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.staff_combo.setCurrentIndex(page.staff_combo.findData(tom))
    assert [f.customer_name for f in page.model.items] == ["Bob Marsh"]
    assert state.followups_staff == tom
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.show_combo.setCurrentIndex(page.show_combo.findData("upcoming"))
    assert [f.note for f in page.model.items] == ["later"]


def test_done_is_refused_without_an_outcome(qtbot, page: FollowupsPage, shop: Book) -> None:
    item = page.current()
    assert item is not None and item.customer_name == "Ann Lee"
    dialog = done_dialog(page, shop, item)
    qtbot.addWidget(dialog)
    save(dialog)
    assert "outcome" in dialog.error.text() and not dialog.error.isHidden()
    assert shop.followup(item.id).status is FollowupStatus.OPEN
    dialog.outcome.setPlainText("Fringe fine now, booked 4 Jan")
    save(dialog)
    done = shop.followup(item.id)
    assert done.status is FollowupStatus.DONE and done.outcome == "Fringe fine now, booked 4 Jan"
    assert dialog.result_item == done


def test_snooze_moves_the_date_with_a_reason(qtbot, page: FollowupsPage, shop: Book) -> None:
    item = page.current()
    assert item is not None
    dialog = snooze_dialog(page, shop, item)
    qtbot.addWidget(dialog)
    dialog.due.setDate(QDate(2026, 11, 30))
    save(dialog)
    assert "why" in dialog.error.text().lower()
    dialog.reason.setText("away until Monday")
    save(dialog)
    moved = shop.followup(item.id)
    assert moved.due == date(2026, 11, 30) and "away until Monday" in moved.note


def test_reassign_needs_someone(qtbot, page: FollowupsPage, shop: Book) -> None:
    item = page.current()
    assert item is not None
    dialog = reassign_dialog(page, shop, item)
    qtbot.addWidget(dialog)
    dialog.staff.setCurrentIndex(0)
    save(dialog)
    assert "Choose" in dialog.error.text()
    tom = shop.staff()[1].id
    dialog.staff.setCurrentIndex(dialog.staff.findData(tom))
    save(dialog)
    assert shop.followup(item.id).staff_id == tom


def test_enter_opens_done_and_the_list_refreshes(qtbot, page: FollowupsPage, monkeypatch) -> None:
    seen: list[str] = []

    def answer(dialog: FollowupQuestion) -> int:
        seen.append(dialog.windowTitle())
        dialog.outcome.setPlainText("Reached, all good")
        dialog.save()
        return 1

    monkeypatch.setattr(FollowupQuestion, "exec", answer)
    page.table.setFocus()
    with qtbot.waitSignal(page.loaded, timeout=5000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert seen == ["Follow-up done"]
    assert [f.customer_name for f in page.model.items] == ["Bob Marsh"]


def test_delete_asks_to_skip(qtbot, page: FollowupsPage, monkeypatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(FollowupQuestion, "exec", lambda d: seen.append(d.windowTitle()) or 0)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert seen == ["Skip follow-up"]


def test_ctrl_l_logs_a_call_on_the_rows_customer(qtbot, page: FollowupsPage, monkeypatch) -> None:
    opened: list[int] = []
    monkeypatch.setattr(
        ContactDialog, "ask", classmethod(lambda cls, parent, book, cid, **kw: opened.append(cid))
    )
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert opened == [page.model.items[0].customer_id]


def test_log_a_call_needs_an_outcome(qtbot, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 111222")
    dialog = ContactDialog(shop, ann.id)
    qtbot.addWidget(dialog)
    dialog.summary.setPlainText("Told her the new time")
    save(dialog)
    assert "how the call went" in dialog.errors["outcome"].text()
    assert shop.contacts(ann.id) == []
    dialog.outcome.setCurrentIndex(dialog.outcome.findData("reached"))
    save(dialog)
    [contact] = shop.contacts(ann.id)
    assert (contact.channel.value, contact.outcome.value) == ("call", "reached")
    assert contact.summary == "Told her the new time"
    assert any("Told her the new time" in e.summary for e in shop.timeline(ann.id))


def test_new_manual_followup_finds_the_customer(qtbot, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 111222")
    dialog = NewFollowupDialog(shop)
    qtbot.addWidget(dialog)
    save(dialog)
    assert "Find the customer" in dialog.error.text()
    dialog.search.setText("ann")
    dialog.note.setPlainText("Send the colour chart")
    save(dialog)
    [item] = shop.followups(customer_id=ann.id)
    assert item.note == "Send the colour chart" and item.due == TODAY + timedelta(days=1)
