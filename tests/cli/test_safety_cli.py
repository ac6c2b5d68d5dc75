"""`shopfront backup / restore / check`: JSON contract, exit codes, damaged books."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.cli import main
from tests.conftest import add

pytestmark = pytest.mark.sqlite_only("backups of a SQLite file")


def cli_json(capsys: pytest.CaptureFixture[str], *args: str):
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def closed_book(db_path: Path) -> Path:
    book = Book.open(str(db_path))
    add(book, "Ann Lee", email="ann@example.com")
    add(book, "Bob Ray", phone="07400 123456")
    book.close()
    return db_path


def test_backup_json_contract_and_listing(capsys, closed_book: Path) -> None:
    made = cli_json(capsys, "backup", "--db", str(closed_book))
    assert set(made) == {
        "path",
        "taken_at",
        "reason",
        "size",
        "customers",
        "appointments",
        "copies",
    }
    assert made["customers"] == 2 and made["reason"] == "manual"
    assert Path(made["path"]).parent == closed_book.parent / "backups"
    listed = cli_json(capsys, "backup", "--list", "--db", str(closed_book))
    assert [b["path"] for b in listed] == [made["path"]]


def test_backup_to_a_folder_and_a_second_folder(capsys, closed_book: Path, tmp_path: Path) -> None:
    usb, elsewhere = tmp_path / "usb", tmp_path / "elsewhere"
    usb.mkdir()
    made = cli_json(
        capsys,
        "backup",
        "--db",
        str(closed_book),
        "--second-folder",
        str(usb),
        "--to",
        str(elsewhere),
    )
    assert Path(made["path"]).parent == elsewhere
    assert made["copies"] == [str(usb / Path(made["path"]).name)]
    again = cli_json(capsys, "backup", "--db", str(closed_book))
    assert again["copies"] == [str(usb / Path(again["path"]).name)]  # remembered


def test_restore_json_contract(capsys, closed_book: Path) -> None:
    made = cli_json(capsys, "backup", "--db", str(closed_book))
    book = Book.open(str(closed_book))
    add(book, "Mistake", email="m@example.com")
    book.close()
    result = cli_json(capsys, "restore", made["path"], "--db", str(closed_book))
    assert set(result) == {"restored", "safety_backup", "kept_aside", "customers", "appointments"}
    assert result["customers"] == 2 and result["safety_backup"]["customers"] == 3
    assert result["kept_aside"] is None


def test_check_json_and_exit_status(capsys, closed_book: Path) -> None:
    report = cli_json(capsys, "check", "--full", "--db", str(closed_book))
    assert report["ok"] is True and report["check"] == "full" and report["problems"] == []
    assert report["counts"]["customer"] == 2
    assert isinstance(report["seconds"], float)
    data = bytearray(closed_book.read_bytes())
    for page in range(2, len(data) // 4096):
        data[page * 4096] ^= 0x5A
    closed_book.write_bytes(bytes(data))
    assert main(["check", "--db", str(closed_book)]) == 1
    out = capsys.readouterr().out
    assert "PROBLEMS FOUND" in out


def test_damaged_book_message_names_the_backup_and_restore_fixes_it(
    capsys, closed_book: Path
) -> None:
    made = cli_json(capsys, "backup", "--db", str(closed_book))
    closed_book.write_bytes(closed_book.read_bytes()[:8192])
    assert main(["customers", "list", "--db", str(closed_book)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "damaged" in err and made["path"] in err and "shopfront restore" in err
    result = cli_json(capsys, "restore", made["path"], "--db", str(closed_book))
    assert result["customers"] == 2 and result["kept_aside"] is not None
    assert main(["check", "--full", "--db", str(closed_book)]) == 0


def test_usage_mistakes_are_one_line(capsys, closed_book: Path, tmp_path: Path) -> None:
    assert main(["restore", str(tmp_path / "none.db"), "--db", str(closed_book)]) == 2
    assert "no backup file" in capsys.readouterr().err
    assert main(["check", "--db", str(tmp_path / "missing.db")]) == 2
    assert not (tmp_path / "missing.db").exists()
