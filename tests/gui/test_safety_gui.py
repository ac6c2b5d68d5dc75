"""GUI data safety: the "changed at another desk" dialog, File → Backup now / Restore…,
and the automatic backups (timer, closing)."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from shopfront.book import Book
from shopfront.core.conflicts import customer_changes
from shopfront.gui.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog
from shopfront.gui.customer_dialog import CustomerDialog
from shopfront.gui.safety_dialogs import BackupTableModel, RestoreDialog
from tests.conftest import add
from tests.gui.conftest import settle_background_work


def edited_elsewhere(shop: Book, customer_id: int, **changes) -> None:
    """Another desk saves the card."""
    card = shop.customer(customer_id)
    shop.save_customer(dataclasses.replace(card, **changes))


def test_conflict_dialog_lists_what_the_other_desk_changed(qtbot, shop: Book) -> None:
    base = add(shop, "Ann Lee", "07400 123456")
    theirs = dataclasses.replace(base, notes="Prefers Tom", owner_id=2)
    mine = dataclasses.replace(base, notes="Allergic to latex")
    changes = customer_changes(base, theirs, mine, shop.staff_name)
    dialog = ConflictDialog("Ann Lee", changes)
    qtbot.addWidget(dialog)
    rows = [
        [dialog.model.item(r, c).text() for c in range(4)] for r in range(dialog.model.rowCount())
    ]
    assert rows == [
        ["Notes", "—", "Prefers Tom", "Allergic to latex"],
        ["Owner", "—", "Tom Brennan", "—"],
    ]
    assert dialog.model.item(0, 3).font().bold()  # both changed the notes
    assert not dialog.model.item(1, 3).font().bold()
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.choice == RELOAD


@pytest.mark.parametrize(("confirm", "expected"), [(True, KEEP_MINE), (False, None)])
def test_keep_mine_needs_a_confirmation(
    qtbot, shop: Book, monkeypatch: pytest.MonkeyPatch, confirm: bool, expected
) -> None:
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return QMessageBox.StandardButton.Yes if confirm else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", question)
    base = add(shop, "Ann Lee", "07400 123456")
    changes = customer_changes(base, dataclasses.replace(base, notes="theirs"), base)
    dialog = ConflictDialog("Ann Lee", changes)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert "Notes" in asked[0]
    assert dialog.choice == expected


@pytest.mark.parametrize("choice", [RELOAD, KEEP_MINE, None])
def test_card_editor_acts_on_the_choice(
    qtbot, shop: Book, monkeypatch: pytest.MonkeyPatch, choice
) -> None:
    monkeypatch.setattr(ConflictDialog, "ask", lambda *_args: choice)
    card = add(shop, "Ann Lee", "07400 123456")
    editor = CustomerDialog(shop, shop.customer(card.id))
    qtbot.addWidget(editor)
    edited_elsewhere(shop, card.id, notes="from the other desk")
    editor.ui.notesEdit.setPlainText("from this desk")
    editor.save()
    stored = shop.customer(card.id).notes
    if choice == RELOAD:
        assert stored == "from the other desk"
        assert editor.ui.notesEdit.toPlainText() == "from the other desk"
    elif choice == KEEP_MINE:
        assert stored == "from this desk" and editor.saved is not None
    else:  # cancelled: nothing saved, my typing still there to copy
        assert stored == "from the other desk"
        assert editor.ui.notesEdit.toPlainText() == "from this desk"


@pytest.mark.sqlite_only("backups of a SQLite file")
def test_file_menu_backup_now_makes_a_checked_backup(qtbot, window) -> None:
    assert window.actionBackupNow in window.ui.menuFile.actions()
    assert window.actionRestore in window.ui.menuFile.actions()
    window.actionBackupNow.trigger()
    qtbot.waitUntil(lambda: len(window.book.backups()) == 1, timeout=5000)
    settle_background_work()
    assert "Backup made and checked" in window.statusBar().currentMessage()
    assert window.book.backups()[0].reason == "manual"


@pytest.mark.sqlite_only("backups of a SQLite file")
def test_restore_dialog_lists_backups_and_restores_the_picked_one(
    qtbot, window, answers: list[str]
) -> None:
    book = window.book
    add(book, "Ann Lee", "07400 123456")
    book.backup_now()
    add(book, "Mistake Entry", email="oops@example.com")
    dialog = RestoreDialog(book, window)
    qtbot.addWidget(dialog)
    model = dialog.model
    assert model.rowCount() == 1
    assert model.index(0, BackupTableModel.CUSTOMERS).data() == "1"
    assert model.index(0, BackupTableModel.WHY).data() == "Backup now"
    assert dialog.restore_button.isEnabled()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)  # answered Yes
    assert any("Replace the book" in text for text in answers)
    assert dialog.result_ is not None and dialog.result_.safety.customers == 2
    assert [c.name for c in book.search("")] == ["Ann Lee"]
    window.reload_pages()
    assert window.customers.book is book


@pytest.mark.sqlite_only("backups of a SQLite file")
def test_closing_the_window_backs_up_only_when_something_changed(qtbot, window) -> None:
    add(window.book, "Ann Lee", "07400 123456")
    window.backups.at_close()
    assert [b.reason for b in window.book.backups()] == ["at-close"]
    window.backups.at_close()  # nothing new since
    assert len(window.book.backups()) == 1


@pytest.mark.sqlite_only("backups of a SQLite file")
def test_timer_backup_runs_in_the_background_when_changed(qtbot, window) -> None:
    assert window.backups.timer.isActive()
    assert window.backups.timer.interval() == window.book.backup_every_hours() * 3_600_000
    add(window.book, "Ann Lee", "07400 123456")
    with qtbot.waitSignal(window.backups.status, timeout=5000):
        window.backups.tick()
    assert [b.reason for b in window.book.backups()] == ["auto"]


@pytest.mark.sqlite_only("backups of a SQLite file")
def test_a_damaged_book_at_start_offers_its_newest_good_backup(
    qtbot, db_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shopfront.errors import DamagedBookError
    from shopfront.gui.safety_dialogs import recover

    book = Book.open(str(db_path))
    add(book, "Ann Lee", "07400 123456")
    book.backup_now()
    book.close()
    db_path.write_bytes(db_path.read_bytes()[:8192])
    with pytest.raises(DamagedBookError) as caught:
        Book.open(str(db_path))
    shown: list[str] = []

    def choose_restore(box: QMessageBox) -> int:
        shown.append(box.text())
        restore = next(b for b in box.buttons() if b.text() == "Restore this backup")
        monkeypatch.setattr(box, "clickedButton", lambda: restore)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", choose_restore)
    restored = recover(None, caught.value, str(db_path))
    try:
        assert restored is not None and [c.name for c in restored.search("")] == ["Ann Lee"]
        assert "damaged" in shown[0] and str(caught.value.backup.path) in shown[0]
    finally:
        restored.close()


def test_a_foreign_file_at_start_is_explained_without_an_offer(
    qtbot, tmp_path, answers: list[str]
) -> None:
    from shopfront.errors import DatabaseOpenError
    from shopfront.gui.safety_dialogs import recover

    assert recover(None, DatabaseOpenError("x.db is not a shopfront book"), "x.db") is None
    assert answers == ["x.db is not a shopfront book"]
