"""The import wizard driven like a user would, and File → Import…/Export… in the menu."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from shopfront.book import Book
from shopfront.gui.export_dialog import ExportDialog, export_bytes
from shopfront.gui.import_models import PlanModel
from shopfront.gui.import_wizard import ImportWizard
from tests.conftest import add


def people(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text(
        "Client;Digits;E-mail;Remarks\r\n"
        "Anna Smith;07400 123456;;second visit\r\n"
        "Ben Jones;07400 123457;ben@example.com;\r\n"
        ";;;nobody\r\n",
        encoding="cp1252",
    )
    return path


def next_page(qtbot, wizard: ImportWizard) -> None:
    wizard.next()
    qtbot.wait(1)


def test_wizard_from_file_to_report(qtbot, shop: Book, tmp_path: Path) -> None:
    anna = add(shop, "Anna Smith", "07400 123456")
    wizard = ImportWizard(shop)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(people(tmp_path)))
    next_page(qtbot, wizard)
    mapping = wizard.mapping_page
    assert wizard.currentPage() is mapping
    assert "Other CSV" in mapping.detected.text()
    assert [b.currentText() for b in mapping.boxes] == ["name", "ignore", "email", "notes"]
    assert mapping.preview_model.data(mapping.preview_model.index(0, 2)) == ""
    mapping.set_field(1, "phone:mobile")  # the user fixes the guess
    assert "07400 123456 (mobile)" in mapping.preview_model.data(mapping.preview_model.index(0, 2))
    next_page(qtbot, wizard)
    plan_page = wizard.plan_page
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=10000)
    assert plan_page.counts.text() == "1 new, 1 duplicates, 1 errors, 0 not imported"
    model = plan_page.model
    assert [model.data(model.index(r, PlanModel.OUTCOME)) for r in range(3)] == [
        "Duplicate",
        "New",
        "Error",
    ]
    choice = model.index(0, PlanModel.CHOICE)
    assert model.flags(choice) & Qt.ItemFlag.ItemIsEditable
    assert model.setData(choice, "merge")
    assert shop.customer_count() == 1  # nothing written before the last page
    next_page(qtbot, wizard)
    run = wizard.run_page
    assert "1 new, 1 duplicates (1 merge, 0 skip, 0 create)" in run.summary.text()
    qtbot.mouseClick(run.start, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.report is not None, timeout=10000)
    assert run.summary.text() == "Done: 1 created, 1 merged, 0 skipped, 1 failed."
    assert shop.customer(anna.id).notes == "second visit"
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()  # no second import
    report = tmp_path / "report.csv"
    run.save_report(report)
    rows = list(csv.reader(io.StringIO(report.read_text(encoding="utf-8-sig"))))
    assert ["failed", "4", "", "A name is needed."] in rows


def test_cancel_during_the_import_writes_nothing(qtbot, shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text(
        "Name,Mobile\n" + "".join(f"P {i},+44 7400 {100000 + i}\n" for i in range(6000)),
        encoding="utf-8",
    )
    wizard = ImportWizard(shop)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    next_page(qtbot, wizard)
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None, timeout=30000)
    next_page(qtbot, wizard)
    wizard.run_page.run()
    qtbot.mouseClick(wizard.run_page.cancel, Qt.MouseButton.LeftButton)  # while it prepares
    qtbot.waitUntil(lambda: not wizard.running, timeout=30000)
    assert wizard.run_page.summary.text() == "Import cancelled: nothing was written."
    assert wizard.report is None and shop.customer_count() == 0
    assert wizard.run_page.start.isEnabled()  # may try again


def test_unreadable_file_stays_on_the_first_page(qtbot, shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Name\nA\xff\n")
    wizard = ImportWizard(shop)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.file_page.encoding.setCurrentText("utf-8")
    next_page(qtbot, wizard)
    assert wizard.currentPage() is wizard.file_page
    assert "line 2, byte 7" in wizard.file_page.error.text()


def test_file_menu_has_import_and_export(window) -> None:
    texts = [a.text() for a in window.ui.menuFile.actions()]
    assert "Import…" in texts and "Export…" in texts
    assert texts.index("Export…") < texts.index(window.ui.actionQuit.text())


def test_export_dialog_request(qtbot, shop: Book) -> None:
    dialog = ExportDialog(shop)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(3)  # appointments, .ics
    dialog.limit.setChecked(True)
    dialog.staff.setCurrentIndex(2)
    request = dialog.request()
    assert (request.what, request.fmt, request.staff_id) == ("appointments", "ics", 2)
    assert request.first is not None and request.last is not None
    assert export_bytes(shop, request).startswith(b"BEGIN:VCALENDAR")


def test_calendar_preview_shows_each_event(qtbot, shop: Book) -> None:
    data = Path(__file__).resolve().parent.parent / "data" / "import"
    wizard = ImportWizard(shop)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(data / "exchange_windows_zone.ics"))
    next_page(qtbot, wizard)
    page = wizard.mapping_page
    assert "iCalendar appointments</b> — 1 events" in page.detected.text()
    assert not page.columns.isVisibleTo(wizard)
    notes = page.preview_model.data(page.preview_model.index(0, 6))
    assert notes == "2024-10-28 21:00 UTC – Anonymous Test Event for TZID"
