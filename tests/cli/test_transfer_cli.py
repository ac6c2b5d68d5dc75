"""`shopfront import` and `shopfront export`: JSON keys, dry run, choices, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import icalendar
import pytest

from shopfront.book import Book
from shopfront.cli import main
from tests.conftest import add

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_import_json_reports_every_row(
    shop: Book, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(shop, "Anna Smith", "07400 123456")
    path = tmp_path / "people.csv"
    path.write_text(
        "Client,Mobile\nAnna Smith,07400 123456\nBen Jones,07400 123457\n,07400 123458\n",
        encoding="utf-8",
    )
    code, out, _ = cli(capsys, "import", str(path), "--db", str(db_path), "--json", "--dry-run")
    data = json.loads(out)
    assert code == 0 and data["dry_run"] is True
    assert data["counts"] == {"created": 1, "merged": 0, "skipped": 1, "failed": 1}
    assert shop.customer_count() == 1
    code, out, _ = cli(
        capsys, "import", str(path), "--db", str(db_path), "--json", "--on-duplicate", "create"
    )
    data = json.loads(out)
    assert [r["name"] for r in data["created"]] == ["Anna Smith", "Ben Jones"]
    assert data["failed"] == [{"line": 4, "name": "", "reason": "A name is needed.", "id": None}]
    assert set(data) >= {"created", "merged", "skipped", "failed"}


def test_import_with_a_preset_and_a_mapping(
    shop: Book, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.tsv"
    path.write_text("Who\tDigits\nAnna Smith\t07400 123456\n", encoding="utf-16")
    report = tmp_path / "report.csv"
    code, out, _ = cli(
        capsys,
        "import",
        str(path),
        "--db",
        str(db_path),
        "--preset",
        "generic",
        "--map",
        "Who=name",
        "--map",
        "Digits=phone:home",
        "--report",
        str(report),
    )
    assert code == 0 and "1 created" in out
    assert shop.customer(1).phones[0].label == "home"
    assert report.read_bytes().startswith(b"\xef\xbb\xbfOutcome,Line,Name,Reason")


@pytest.mark.parametrize(
    "args, message",
    [
        (["import", "missing.csv"], "There is no file missing.csv"),
        (["import", "{bad}", "--map", "Nope"], "--map takes COLUMN=FIELD"),
        (["export", "customers", "--format", "ics", "-o", "x"], "Customers export as one of"),
        (["export", "book", "--format", "csv", "-o", "x"], "exports as --format json"),
        (["export", "appointments", "--format", "ics", "-o", "x", "--from", "soon"], "--from"),
    ],
)
def test_bad_input_is_one_line(
    shop: Book,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Name\nA\n")
    args = [a.replace("{bad}", str(bad)) for a in args]
    code, _, err = cli(capsys, *args, "--db", str(db_path))
    assert code == 2
    assert message in err and err.count("\n") == 1


def test_undecodable_file_is_one_line_with_position(
    shop: Book, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"Name,Phone\nAnna,1\nB\xffn,2\n")
    code, _, err = cli(capsys, "import", str(path), "--db", str(db_path), "--encoding", "utf-8")
    assert code == 2 and "line 3, byte 20" in err


def test_export_commands(
    shop: Book, db_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add(shop, "Anna Smith", "07400 123456")
    for what, fmt, name in (
        ("customers", "csv", "c.csv"),
        ("customers", "vcard", "c.vcf"),
        ("appointments", "ics", "a.ics"),
        ("book", "json", "b.json"),
    ):
        target = tmp_path / name
        code, out, _ = cli(
            capsys, "export", what, "--format", fmt, "-o", str(target), "--db", str(db_path)
        )
        assert code == 0 and f"Wrote {target}" in out
    assert json.loads((tmp_path / "b.json").read_text())["customers"][0]["name"] == "Anna Smith"
    assert icalendar.Calendar.from_ical((tmp_path / "a.ics").read_bytes())["VERSION"] == "2.0"
    code, _, err = cli(
        capsys,
        "export",
        "appointments",
        "--format",
        "ics",
        "-o",
        str(tmp_path / "x.ics"),
        "--staff",
        "99",
        "--db",
        str(db_path),
    )
    assert code == 2 and "99" in err
