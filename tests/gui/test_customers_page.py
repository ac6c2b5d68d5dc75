"""The customers page driven like a user: typing, quick add, duplicates, edit, merge, archive."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from shopfront.book import Book
from shopfront.gui.customer_dialog import CustomerDialog
from shopfront.gui.merge_dialog import MergeDialog
from shopfront.gui.quick_add import QuickAddDialog, QuickAddResult
from tests.conftest import add


def visible_names(page) -> list[str]:
    return [page.model.item(i).name for i in range(page.model.rowCount())]


def type_search(qtbot, page, text: str) -> None:
    page.ui.searchEdit.clear()
    with qtbot.waitSignal(page.searched, timeout=3000):
        qtbot.keyClicks(page.ui.searchEdit, text)
    qtbot.waitUntil(lambda: page.ui.searchEdit.text() == text)
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.run_search()


def test_typing_searches_while_the_window_stays_responsive(qtbot, window, shop: Book) -> None:
    add(shop, "Élodie Martin", "07400 123456", "elodie@example.com")
    add(shop, "Bob Marsh", "07400 654321")
    page = window.customers
    type_search(qtbot, page, "elo")
    assert visible_names(page) == ["Élodie Martin"]
    assert page.current is not None and page.current.name == "Élodie Martin"
    assert page.ui.nameLabel.text() == "Élodie Martin"
    type_search(qtbot, page, "6543")
    assert visible_names(page) == ["Bob Marsh"]
    type_search(qtbot, page, "nobody")
    assert visible_names(page) == [] and "Nobody matches" in page.ui.resultLabel.text()


def test_card_shows_markup_names_as_plain_text(qtbot, window, shop: Book) -> None:
    c = add(shop, "Ana <b>bold</b> & co", email="ana@example.com", notes="x" * 10_000)
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.open_customer(c.id)
    assert page.ui.nameLabel.textFormat() == Qt.TextFormat.PlainText
    assert page.ui.nameLabel.text() == "Ana <b>bold</b> & co"


def test_quick_add_saves_a_new_customer(qtbot, shop: Book) -> None:
    dialog = QuickAddDialog(shop, "Zoë Ng")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.ui.phoneEdit, "07400 111222")
    dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.outcome is QuickAddResult.ADDED
    assert shop.customer(dialog.result_id).phones[0].e164 == "+447400111222"


def test_quick_add_shows_errors_next_to_fields_and_saves_nothing(qtbot, shop: Book) -> None:
    dialog = QuickAddDialog(shop, "")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.phoneEdit, "12")
    dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).click()
    assert "A name is needed" in dialog.ui.nameError.text() and dialog.ui.nameError.isVisible()
    qtbot.keyClicks(dialog.ui.nameEdit, "Ann")
    dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).click()
    assert "not a valid phone number" in dialog.ui.phoneError.text()
    assert shop.customer_count() == 0 and dialog.result_id is None


def test_quick_add_warns_about_a_likely_duplicate_before_saving(qtbot, shop: Book) -> None:
    existing = add(shop, "Ann Lee", "07400 123456")
    dialog = QuickAddDialog(shop, "Anne Lee")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.phoneEdit, "+44 7400 123456")
    qtbot.waitUntil(lambda: dialog.ui.duplicatesBox.isVisible(), timeout=2000)
    assert f"#{existing.id} Ann Lee" in dialog.ui.duplicatesList.item(0).text()
    save = dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    dialog.ui.openExistingButton.click()
    assert (dialog.outcome, dialog.result_id) == (QuickAddResult.OPEN_EXISTING, existing.id)
    assert shop.customer_count() == 1


def test_quick_add_anyway_creates_a_second_card(qtbot, shop: Book) -> None:
    add(shop, "Ann Lee", "07400 123456")
    dialog = QuickAddDialog(shop, "Ann Lee")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.ui.phoneEdit, "07400 123456")
    qtbot.waitUntil(lambda: dialog.ui.duplicatesBox.isVisible(), timeout=2000)
    dialog.ui.addAnywayButton.click()
    assert dialog.outcome is QuickAddResult.ADDED and shop.customer_count() == 2


def test_card_editor_validates_every_field_and_saves(qtbot, shop: Book, answers) -> None:
    c = add(shop, "Ann Lee", "07400 123456")
    dialog = CustomerDialog(shop, shop.customer(c.id))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.phones.add_row("999", "work")
    dialog.emails.rows[0][0].setText("ann@")
    dialog.ui.birthdayEdit.setText("1990-02-31")
    dialog.save()
    assert "not a valid phone number" in dialog.phones.rows[1][3].text()
    assert "not an email" in dialog.emails.rows[0][3].text()
    assert "31 February" in dialog.ui.birthdayError.text()
    assert "Nothing was saved" in dialog.ui.formError.text()
    assert shop.customer(c.id).version == c.version
    dialog.phones.rows[1][0].setText("020 7946 0018")
    dialog.emails.rows[0][0].setText("ann@example.com")
    dialog.ui.birthdayEdit.setText("04-23")
    dialog.ui.ownerCombo.setCurrentIndex(dialog.ui.ownerCombo.findText("Tom Brennan"))
    dialog.ui.preferencesEdit.setPlainText("7/1 + 8/0, 30 vol")
    dialog.save()
    saved = shop.customer(c.id)
    assert [p.label for p in saved.phones] == ["mobile", "work"]
    assert saved.emails[0].address == "ann@example.com"
    assert str(saved.birthday) == "--04-23"
    assert shop.staff_name(saved.owner_id) == "Tom Brennan"
    assert saved.preferences == "7/1 + 8/0, 30 vol"


def test_card_editor_reports_a_change_made_at_another_desk(
    qtbot, shop: Book, answers, monkeypatch
) -> None:
    from shopfront.gui.conflict_dialog import RELOAD, ConflictDialog

    shown: list = []
    monkeypatch.setattr(
        ConflictDialog, "ask", lambda _p, who, changes: shown.append(changes) or RELOAD
    )
    c = add(shop, "Ann Lee", "07400 123456")
    dialog = CustomerDialog(shop, shop.customer(c.id))
    qtbot.addWidget(dialog)
    other = shop.customer(c.id)
    shop.save_customer(other.__class__(**{**other.__dict__, "notes": "other desk"}))
    dialog.ui.notesEdit.setPlainText("mine")
    dialog.save()
    assert [(x.label, x.theirs, x.mine) for x in shown[0]] == [("Notes", "other desk", "mine")]
    assert shop.customer(c.id).notes == "other desk"
    assert dialog.ui.notesEdit.toPlainText() == "other desk"  # reloaded after "Yes"


def test_merge_dialog_merges_the_picked_card(qtbot, shop: Book, answers) -> None:
    a = add(shop, "Ann Lee", "07400 123456")
    b = add(shop, "Ann Lee", "07400 654321")
    dialog = MergeDialog(shop, shop.customer(a.id))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=2000)
    dialog.results.setCurrentRow(0)
    dialog.merge_button.click()
    assert dialog.merged is not None and len(dialog.merged.phones) == 2
    assert shop.customer_count() == 1 and b.id not in [c.id for c in shop.search("")]


def test_archive_and_restore_from_the_card(qtbot, window, shop: Book, answers) -> None:
    c = add(shop, "Ann Lee", "07400 123456")
    page = window.customers
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.open_customer(c.id)
    with qtbot.waitSignal(page.searched, timeout=3000):
        page.ui.archiveButton.click()
    assert shop.customer(c.id).archived and visible_names(page) == []
    page.ui.archivedCheck.setChecked(True)
    qtbot.waitUntil(lambda: visible_names(page) == ["Ann Lee"], timeout=3000)
    page.select_row(0)
    assert page.ui.archiveButton.text().replace("&", "") == "Restore"
    page.ui.archiveButton.click()
    assert not shop.customer(c.id).archived


def test_archived_matches_are_pointed_out_before_adding_anyone(qtbot, window, shop: Book) -> None:
    c = add(shop, "Siobhán Wood", "07400 123456")
    shop.archive_customer(c.id)
    page = window.customers
    type_search(qtbot, page, "siobhan")
    assert "Only archived cards match" in page.ui.resultLabel.text()


def test_quick_add_is_prefilled_with_what_was_searched(
    qtbot, window, shop: Book, monkeypatch
) -> None:
    from shopfront.gui import customers_page
    from shopfront.gui.quick_add import QuickAddDialog

    seen: list[dict] = []
    monkeypatch.setattr(
        QuickAddDialog, "ask", classmethod(lambda cls, parent, book, **kw: seen.append(kw))
    )
    page = window.customers
    for text in ("07400 999999", "ann@example.com", "Ann Lee"):
        page.ui.searchEdit.setText(text)
        page.quick_add()
    assert seen == [{"phone": "07400 999999"}, {"email": "ann@example.com"}, {"name": "Ann Lee"}]
    assert customers_page.prefill("  ") == {"name": ""}


def test_result_line_is_honest_about_capped_searches() -> None:
    from shopfront.gui.customers_page import SearchResult, result_text

    rows = [object()] * 3
    assert result_text("e", SearchResult(rows, 501, 0), 500).startswith("More than 500 match")  # type: ignore[arg-type]
    assert result_text("ann", SearchResult(rows, 3, 0), 2000) == "3 customers"  # type: ignore[arg-type]
    assert result_text("", SearchResult(rows, 3000, 0), 2000).startswith("3,000 customers, A–Z")  # type: ignore[arg-type]
