"""`shopfront report …`: PDFs written, JSON keyed by KPI name and equal to what the PDF shows."""

from __future__ import annotations

import json
from pathlib import Path

import pypdf
import pytest

from shopfront.book import Book
from shopfront.cli import main
from shopfront.reports.numbers import CARE_HEADLINE, HEADLINE, shown
from tests.report_seed import EXPECTED, seed_care, seed_october


@pytest.fixture
def october_db(shop: Book, clock, db_path: Path) -> Path:
    ids = seed_october(shop, clock)
    seed_care(shop, ids)
    shop.close()
    return db_path


def text_of(path: Path) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages]


def test_monthly_json_equals_the_pdf(october_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "october.pdf"
    code = main(
        [
            "report",
            "monthly",
            "--db",
            str(october_db),
            "--month",
            "2026-10",
            "-o",
            str(out),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert {k: data[k] for k in EXPECTED} == EXPECTED
    summary_page = text_of(out)[1]
    for label, key, kind in HEADLINE + CARE_HEADLINE:
        row = " ".join(f"{label} {shown(kind, data[key], data['currency'])}".split())
        assert row in summary_page, key
    assert data["previous_month"]["month"] == "2026-09" and len(data["trend"]) == 12
    assert [c["customer"] for c in data["open_cases"]] == ["R&D"]
    assert data["lapsed"][0]["customer"] == "Old Timer"
    staff = {s["staff"]: s for s in data["staff_care"]}
    assert staff["Maya Okafor"]["followups_done_on_time"] == 1


def test_monthly_plain_output_and_pages(october_db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "m.pdf"
    assert (
        main(["report", "monthly", "--db", str(october_db), "--month", "2026-10", "-o", str(out)])
        == 0
    )
    pages = len(pypdf.PdfReader(out).pages)
    assert capsys.readouterr().out.strip() == f"Wrote {out} ({pages} pages)"


def test_day_and_customer_reports(october_db: Path, tmp_path: Path, capsys) -> None:
    day = tmp_path / "day.pdf"
    assert (
        main(
            [
                "report",
                "day",
                "--db",
                str(october_db),
                "--date",
                "2026-10-06",
                "-o",
                str(day),
                "--json",
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["file"] == str(day)
    assert any("R&D" in page for page in text_of(day))
    one = tmp_path / "one.pdf"
    opened = Book.open(str(october_db))
    staff = opened.staff()[1].id
    opened.close()
    assert (
        main(
            [
                "report",
                "day",
                "--db",
                str(october_db),
                "--date",
                "2026-10-06",
                "--staff",
                str(staff),
                "-o",
                str(one),
            ]
        )
        == 0
    )
    assert len(pypdf.PdfReader(one).pages) == 1
    card = tmp_path / "card.pdf"
    assert main(["report", "customer", "2", "--db", str(october_db), "-o", str(card)]) == 0
    assert "Free toner" in " ".join(text_of(card))


@pytest.mark.parametrize(
    "args, message",
    [
        (["monthly", "--month", "2026-13", "-o", "x.pdf"], "is not a month such as 2026-10"),
        (["monthly", "--month", "2026-10"], "give -o FILE.pdf"),
        (["day", "--date", "23/11/2026", "-o", "x.pdf"], "is not a date"),
        (["customer", "999", "-o", "x.pdf"], "There is no customer #999"),
        (["day", "--date", "today", "-o", "missing/dir/x.pdf"], "can't write"),
    ],
)
def test_bad_input_is_one_line_exit_2(
    october_db: Path, tmp_path: Path, capsys, monkeypatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report", *args[:1], "--db", str(october_db), *args[1:]]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()
