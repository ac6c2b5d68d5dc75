"""The PDFs read back: pages, text, embedded fonts, escaped customer text, no images."""

from __future__ import annotations

import dataclasses
from datetime import date
from io import BytesIO
from pathlib import Path

import pypdf
import pytest

from shopfront.book import Book
from shopfront.reports import fonts as report_fonts
from shopfront.reports.customer_history import write_customer_history
from shopfront.reports.day_sheet import write_day_sheet
from shopfront.reports.layout import Cancelled
from shopfront.reports.monthly import write_monthly
from shopfront.reports.numbers import monthly_json, rows_for, shown
from tests.conftest import add
from tests.report_seed import NASTY, seed_care, seed_october


def flat(text: str) -> str:
    return " ".join(text.split())


def read(pdf: BytesIO | Path) -> pypdf.PdfReader:
    return pypdf.PdfReader(pdf)


def all_text(reader: pypdf.PdfReader) -> str:
    return flat(" ".join(page.extract_text() for page in reader.pages))


def fonts_of(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Base font name -> embedded? (every font on every page, descendants included)."""
    found: dict[str, bool] = {}
    for page in reader.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            parts = [font] + [d.get_object() for d in font.get("/DescendantFonts", [])]
            embedded = any(
                "/FontDescriptor" in p
                and any(
                    k in p["/FontDescriptor"] for k in ("/FontFile", "/FontFile2", "/FontFile3")
                )
                for p in parts
            )
            found[str(font["/BaseFont"])] = embedded
    return found


def images_in(reader: pypdf.PdfReader) -> int:
    count = 0
    for page in reader.pages:
        objects = page["/Resources"].get("/XObject", {})
        count += sum(1 for x in objects.values() if x.get_object().get("/Subtype") == "/Image")
    return count


@pytest.fixture
def october(shop: Book, clock) -> tuple[Book, dict[str, int]]:
    ids = seed_october(shop, clock)
    seed_care(shop, ids)
    return shop, ids


def test_monthly_report_reads_back_with_embedded_fonts(october) -> None:
    book, _ = october
    out = BytesIO()
    write_monthly(book.monthly_report(2026, 10), out)
    reader = read(out)
    text = all_text(reader)
    assert len(reader.pages) >= 4
    for heading in (
        "Monthly service report",
        "October 2026",
        "Summary",
        "Staff care table",
        "Open cases",
        "Lapsed customers",
        "Definitions",
    ):
        assert heading in text
    fonts = fonts_of(reader)
    assert fonts and all(fonts.values()), fonts  # nothing left to the viewer's fonts
    assert any("DejaVuSans" in name for name in fonts)


def test_pdf_shows_the_numbers_the_json_prints(october) -> None:
    book, _ = october
    report = book.monthly_report(2026, 10)
    out = BytesIO()
    write_monthly(report, out)
    summary_page = flat(read(out).pages[1].extract_text())
    data = monthly_json(report)
    for label, key, kind in rows_for(report.summary):
        value = shown(kind, data[key], report.settings.currency)
        row = flat(f"{label} {value}")
        assert row in summary_page, (key, row)


def test_customer_text_is_escaped_never_markup(october, tmp_path: Path) -> None:
    book, ids = october
    for name in NASTY[:3]:
        out = BytesIO()
        write_customer_history(book.customer_history(ids[name]), out)
        reader = read(out)
        assert flat(name) in all_text(reader)
        assert images_in(reader) == 0
    sheet = BytesIO()
    write_day_sheet(book.day_sheet(date(2026, 10, 7)), sheet)  # the <img …> customer's day
    # a narrow column may wrap the name mid-word: compare without the line breaks
    squeezed = "".join(all_text(read(sheet)).split())
    assert "".join(NASTY[2].split()) in squeezed and images_in(read(sheet)) == 0


def test_case_words_with_markup_print_as_typed(october) -> None:
    book, ids = october
    out = BytesIO()
    write_customer_history(book.customer_history(ids["R&D"]), out)
    assert "Colour <too> dark & patchy" in all_text(read(out))


def test_unicode_names_extract_as_typed(october) -> None:
    book, ids = october
    out = BytesIO()
    write_customer_history(book.customer_history(ids["Zoë Łukasz Дмитрий"]), out)
    assert "Zoë Łukasz Дмитрий" in all_text(read(out))


def test_cjk_without_a_font_is_a_marked_fallback() -> None:
    no_cjk = dataclasses.replace(report_fonts.fonts(), cjk=None)
    markup = report_fonts.text("Li 张伟", no_cjk)
    assert markup.startswith("Li ") and "U+5F20 U+4F1F" in markup and "张" not in markup
    assert "no font installed" in markup


@pytest.mark.skipif(report_fonts.fonts().cjk is None, reason="no CJK TrueType font on this system")
def test_cjk_with_a_system_font_is_embedded(shop: Book) -> None:
    customer = add(shop, "张伟", "07400 300001")
    out = BytesIO()
    write_customer_history(shop.customer_history(customer.id), out)
    reader = read(out)
    assert "张伟" in all_text(reader)
    assert all(fonts_of(reader).values())


def test_empty_month_is_a_valid_report_that_says_so(shop: Book) -> None:
    out = BytesIO()
    write_monthly(shop.monthly_report(2026, 10), out)
    reader = read(out)
    text = all_text(reader)
    assert "No appointments in this month yet." in text and "Definitions" in text
    assert "n/a" in text  # rates with nothing to divide by


def test_letter_paper_by_setting(shop: Book) -> None:
    shop.save_settings(dataclasses.replace(shop.settings, paper_size="letter"))
    assert shop.settings.paper_size == "Letter"
    out = BytesIO()
    write_monthly(shop.monthly_report(2026, 10), out)
    box = read(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_day_sheet_has_a_page_per_staff_member_with_markers(october) -> None:
    book, _ = october
    out = BytesIO()
    write_day_sheet(book.day_sheet(date(2026, 10, 6)), out)
    reader = read(out)
    pages = [flat(p.extract_text()) for p in reader.pages]
    assert len(pages) == len(book.day_sheet(date(2026, 10, 6)).schedule.columns)
    maya = next(p for p in pages if "Maya Okafor" in p)
    assert "R&D" in maya and "07400 100001" in maya and "OPEN" in maya
    assert "10:00–12:30" in maya and "09:00" not in maya  # shop time (BST), not UTC


def test_cancel_stops_the_build(october) -> None:
    book, _ = october
    seen: list[float] = []

    def progress(fraction: float) -> bool:
        seen.append(fraction)
        return fraction < 0.3

    with pytest.raises(Cancelled):
        write_monthly(book.monthly_report(2026, 10), BytesIO(), progress)
    assert seen and max(seen) >= 0.3
