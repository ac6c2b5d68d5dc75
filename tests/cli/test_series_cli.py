"""`shopfront series book|cancel|move|services` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.cli import main
from tests.cli.test_appointments_cli import DAY, VISIT_KEYS, book_at, cli_json, fails
from tests.conftest import add

SERIES = ["--customer", "1", "--staff", "1", "--service", "1", "--every", "1"]


@pytest.fixture
def db(shop: Book, db_path: Path) -> str:
    """Ann and Bob; Maya (staff 1) works Tue–Sat with lunch 13–14."""
    add(shop, "Ann Lee", "07400 123456")
    add(shop, "Bob Stone", "07400 654321")
    hours = ["hours", "1", "--db", str(db_path), "--set", "tue-sat=09:00-13:00,14:00-18:00"]
    assert main(hours) == 0
    return str(db_path)


def series(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> dict:
    return cli_json(capsys, "series", "book", "--db", db, *SERIES, *extra)


def test_book_lists_every_problem_first_and_books_nothing_or_the_free_ones(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book_at(capsys, db, "2030-03-19T10:00")  # the third Tuesday is taken
    dry = series(capsys, db, "--start", f"{DAY}T10:00", "--count", "4", "--dry-run")
    assert dry["booked"] == [] and dry["series_id"] is None
    assert [p["problem"] is None for p in dry["plan"]] == [True, True, False, True]
    assert "already booked" in dry["plan"][2]["problem"]
    err = fails(
        capsys, "series", "book", "--db", db, *SERIES, "--start", f"{DAY}T10:00", "--count", "4"
    )
    assert "1 of 4 dates can't be booked, so none was." in err and "19 Mar 2030" in err
    assert cli_json(capsys, "day", "2030-03-05", "--db", db) == []
    done = series(capsys, db, "--start", f"{DAY}T10:00", "--count", "4", "--skip-problems")
    assert len(done["booked"]) == 3 and set(done["booked"][0]) >= VISIT_KEYS
    assert {a["series_id"] for a in done["booked"]} == {done["series_id"]}


def test_cancel_move_and_change_services_of_this_and_later_ones(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    booked = series(capsys, db, "--start", f"{DAY}T10:00", "--until", "2030-03-26")["booked"]
    ids = [str(a["id"]) for a in booked]
    assert len(ids) == 4
    changed = cli_json(
        capsys, "series", "services", ids[1], "--db", db, "--service", "1", "--service", "2"
    )
    assert [a["id"] for a in changed] == [int(i) for i in ids[1:]]
    assert {(a["minutes"], a["price"], tuple(a["service_ids"])) for a in changed} == {
        (150, 13700, (1, 2))
    }
    moved = cli_json(capsys, "series", "move", ids[2], "--db", db, "--start", "2030-03-19T14:00")
    assert [a["start"][11:16] for a in moved] == ["14:00", "14:00"]
    cancelled = cli_json(capsys, "series", "cancel", ids[3], "--db", db, "--cancelled-by", "shop")
    assert [(a["status"], a["cancelled_by"]) for a in cancelled] == [("cancelled", "shop")]
    day = cli_json(capsys, "day", "2030-03-12", "--db", db)
    assert [(a["start"][11:16], a["minutes"]) for a in day] == [("10:00", 150)]


def test_refusals_are_one_line(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    single = str(book_at(capsys, db, f"{DAY}T09:00"))
    assert "not part of a series" in fails(capsys, "series", "cancel", single, "--db", db)
    booked = series(capsys, db, "--start", f"{DAY}T11:00", "--count", "3")["booked"]
    book_at(capsys, db, "2030-03-19T13:00", "--override")  # Maya's lunch, booked anyway
    err = fails(
        capsys,
        "series",
        "services",
        str(booked[0]["id"]),
        "--db",
        db,
        "--service",
        "1",
        "--service",
        "2",
    )
    assert "would clash, so none was changed" in err and "19 Mar" in err
    err = fails(
        capsys, "series", "move", str(booked[0]["id"]), "--db", db, "--start", f"{DAY}T13:15"
    )
    assert "1 of 3 appointments would clash, so none was moved" in err and "19 Mar" in err
    err = fails(
        capsys, "series", "move", str(booked[0]["id"]), "--db", db, "--start", f"{DAY}T17:30"
    )
    assert "Pass --override to move them anyway." in err and "Tue 12 Mar 2030" in err
    assert "between 1 and 52" in fails(
        capsys,
        "series",
        "book",
        "--db",
        db,
        *SERIES[:-1],
        "0",
        "--start",
        f"{DAY}T10:00",
        "--count",
        "2",
    )
    assert "is not a date" in fails(
        capsys, "series", "book", "--db", db, *SERIES, "--start", f"{DAY}T10:00", "--until", "soon"
    )
