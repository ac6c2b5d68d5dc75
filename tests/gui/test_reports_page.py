"""Reports screen: build in the background, save, open, print to a PDF file, cancel."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog

from shopfront.gui.reports_page import ReportsPage
from tests.report_seed import seed_care, seed_october


@pytest.fixture
def page(window, shop, clock) -> ReportsPage:
    ids = seed_october(shop, clock)
    seed_care(shop, ids)
    window.show_area("reports")
    reports = window.page("reports")
    assert isinstance(reports, ReportsPage) and window.ui.pages.currentWidget() is reports
    reports.set_month(2026, 10)
    return reports


def test_save_pdf_builds_in_the_background(
    qtbot, page: ReportsPage, tmp_path: Path, monkeypatch
) -> None:
    target = tmp_path / "october.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    with qtbot.waitSignal(page.finished, timeout=20000) as done:
        page.save_button.click()
        assert page.busy and page.cancel_button.isEnabled()
    assert done.args == ["ready"] and not page.busy
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(target).pages)
    assert "October 2026" in text and "Lapsed customers" in text
    assert "Saved" in page.message.text()


def test_open_uses_the_system_viewer(qtbot, page: ReportsPage, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    with qtbot.waitSignal(page.finished, timeout=20000):
        page.open_button.click()
    assert opened and opened[0].endswith("service-report-2026-10.pdf") and Path(opened[0]).exists()


def test_print_to_a_pdf_file(qtbot, page: ReportsPage, tmp_path: Path, monkeypatch) -> None:
    printed = tmp_path / "printed.pdf"

    def accept(dialog: QPrintDialog) -> int:
        dialog.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        dialog.printer().setOutputFileName(str(printed))
        return QPrintDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    with qtbot.waitSignal(page.finished, timeout=20000):
        page.print_button.click()
    assert len(pypdf.PdfReader(printed).pages) >= 4 and "Printed to" in page.message.text()


def test_cancel_leaves_nothing(qtbot, page: ReportsPage) -> None:
    with qtbot.waitSignal(page.finished, timeout=20000) as done:
        page.generate()
        page.cancel_button.click()
    assert done.args == ["cancelled"] and "Cancelled" in page.message.text()
    assert page.save_button.isEnabled() and not page.bar.isVisible()


def test_day_sheet_and_customer_history(qtbot, page: ReportsPage, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    page.kind.setCurrentIndex(1)
    assert page.day.isVisibleTo(page) and not page.month.isVisibleTo(page)
    with qtbot.waitSignal(page.finished, timeout=20000):
        page.open_button.click()
    page.kind.setCurrentIndex(2)
    page.customer.setValue(2)
    assert page.customer_name.text() == "R&D"
    with qtbot.waitSignal(page.finished, timeout=20000):
        page.open_button.click()
    assert [Path(p).name for p in opened][-1] == "customer-2.pdf" and len(opened) == 2
