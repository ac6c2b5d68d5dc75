"""The appointment commands through the real entry point: JSON contract, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.cli import main
from tests.cli.support import cli_json, fails
from tests.conftest import add

DAY = "2030-03-05"  # a Tuesday, far enough ahead that nothing is "in the past"
VISIT_KEYS = {
    "id",
    "start",
    "end",
    "staff",
    "staff_id",
    "customer",
    "customer_id",
    "services",
    "status",
    "price",
    "risk",
    "risk_reasons",
    "minutes",
    "first_visit",
    "notes",
    "source",
    "version",
}


@pytest.fixture
def db(shop: Book, db_path: Path) -> str:
    """The `shop` book with two customers and Maya's hours (Tue–Sat, lunch 13–14)."""
    add(shop, "Ann Lee", "07400 123456")
    add(shop, "Bob Stone", "07400 654321")
    assert (
        main(["hours", "1", "--db", str(db_path), "--set", "tue-sat=09:00-13:00,14:00-18:00"]) == 0
    )
    return str(db_path)


def book_at(capsys: pytest.CaptureFixture[str], db: str, start: str, *extra: str) -> int:
    assert (
        main(
            [
                "book",
                "--db",
                db,
                "--customer",
                "1",
                "--staff",
                "1",
                "--service",
                "1",
                "--start",
                start,
                *extra,
            ]
        )
        == 0
    )
    return int(capsys.readouterr().out.strip())


def test_book_prints_the_id_and_day_lists_it_with_the_json_contract(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    first = book_at(capsys, db, f"{DAY}T09:00")
    assert first == 1
    second = cli_json(
        capsys,
        "book",
        "--db",
        db,
        "--customer",
        "2",
        "--staff",
        "1",
        "--service",
        "1",
        "--service",
        "2",
        "--start",
        f"{DAY}T14:00+00:00",
        "--price",
        "99.50",
        "--source",
        "online",
        "--notes",
        "bring photos",
    )
    assert second["id"] == 2 and second["price"] == 9950 and second["minutes"] == 150
    day = cli_json(capsys, "day", DAY, "--db", db)
    assert [v["id"] for v in day] == [1, 2]
    assert set(day[0]) >= VISIT_KEYS
    v = day[1]
    assert v["start"] == "2030-03-05T14:00:00+00:00" and v["end"] == "2030-03-05T16:30:00+00:00"
    assert v["services"] == ["Women's cut", "Full head colour"] and v["staff"] == "Maya Okafor"
    assert v["customer"] == "Bob Stone" and v["status"] == "booked" and v["first_visit"] is True
    assert v["source"] == "online"
    # A new customer of a new shop: the starting rate moved by lead time, never 0 or 1.
    assert 0 < v["risk"] < 1 and v["risk_level"] in ("low", "medium", "high")
    assert v["risk_reasons"][0].startswith("booked ") and v["risk_reasons"][0].endswith(" ahead")
    assert cli_json(capsys, "day", DAY, "--db", db, "--staff", "2") == []
    assert main(["day", DAY, "--db", db]) == 0
    text = capsys.readouterr().out
    assert "Maya Okafor  09:00–13:00, 14:00–18:00" in text and "Ann Lee" in text


def test_summer_times_carry_the_shop_offset(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    booked = cli_json(
        capsys,
        "book",
        "--db",
        db,
        "--customer",
        "1",
        "--staff",
        "1",
        "--service",
        "1",
        "--start",
        "2030-07-02T09:00",
    )
    assert booked["start"] == "2030-07-02T09:00:00+01:00"


def test_a_clash_is_one_line_naming_the_other_appointment_and_writes_nothing(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    book_at(capsys, db, f"{DAY}T09:00")
    err = fails(
        capsys,
        "book",
        "--db",
        db,
        "--customer",
        "2",
        "--staff",
        "1",
        "--service",
        "1",
        "--start",
        f"{DAY}T09:30",
        "--override",
    )
    assert "already booked 09:00–10:00" in err and "Ann Lee" in err and "#1" in err
    assert [v["id"] for v in cli_json(capsys, "day", DAY, "--db", db)] == [1]


def test_soft_problems_need_override(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails(
        capsys,
        "book",
        "--db",
        db,
        "--customer",
        "1",
        "--staff",
        "1",
        "--service",
        "1",
        "--start",
        f"{DAY}T13:30",
    )
    assert "Outside working hours" in err and "--override" in err
    assert cli_json(capsys, "day", DAY, "--db", db) == []
    assert book_at(capsys, db, f"{DAY}T13:30", "--override") == 1


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("2027-03-28T01:30", "doesn't exist on 28 March 2027"),
        ("2027-10-31T01:30", "2027-10-31T01:30:00+01:00 or 2027-10-31T01:30:00+00:00"),
        ("next tuesday", "not a date and time"),
    ],
)
def test_bad_local_times_are_one_line(
    db: str, capsys: pytest.CaptureFixture[str], start: str, message: str
) -> None:
    err = fails(
        capsys,
        "book",
        "--db",
        db,
        "--customer",
        "1",
        "--staff",
        "1",
        "--service",
        "1",
        "--start",
        start,
        "--override",
    )
    assert message in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "book",
                "--customer",
                "9",
                "--staff",
                "1",
                "--service",
                "1",
                "--start",
                f"{DAY}T09:00",
            ],
            "no customer #9",
        ),
        (
            [
                "book",
                "--customer",
                "1",
                "--staff",
                "1",
                "--service",
                "7",
                "--start",
                f"{DAY}T09:00",
            ],
            "#7",
        ),
        (
            [
                "book",
                "--customer",
                "1",
                "--staff",
                "1",
                "--service",
                "1",
                "--start",
                f"{DAY}T09:00",
                "--price",
                "lots",
            ],
            "not an amount",
        ),
        (
            [
                "book",
                "--customer",
                "1",
                "--staff",
                "1",
                "--service",
                "1",
                "--start",
                f"{DAY}T09:00",
                "--source",
                "pigeon",
            ],
            "Source must be one of",
        ),
        (["day", "2030-02-30"], "not a date"),
        (["day", DAY, "--staff", "9"], "no staff member #9"),
        (["appointment", "42"], "no appointment #42"),
        (["slots", "--service", "1", "--count", "0"], "--count"),
        (["hours", "1", "--set", "funday=09:00-10:00"], "not a weekday"),
        (["hours", "1", "--set", "mon=10:00-09:00"], "must end after"),
        (["hours", "1", "--set", "mon=9-5"], "not a span"),
        (["absence", "--staff", "1", "--from", DAY, "--to", DAY, "--reason", "flu"], "Reason"),
        (
            [
                "absence",
                "--staff",
                "1",
                "--from",
                f"{DAY}T12:00",
                "--to",
                f"{DAY}T11:00",
                "--reason",
                "sick",
            ],
            "end must be after",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert message in fails(capsys, *args, "--db", db)


def test_status_changes_history_undo_and_illegal_transitions(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    aid = str(book_at(capsys, db, f"{DAY}T09:00"))
    shown = cli_json(capsys, "appointment", aid, "--db", db)
    assert shown["status"] == "booked" and [h["new"] for h in shown["history"]] == ["booked"]
    err = fails(capsys, "appointment", aid, "--db", db, "--status", "completed")
    assert "check the customer in first" in err
    assert cli_json(capsys, "appointment", aid, "--db", db, "--status", "confirmed")
    # The CLI runs on the real clock and DAY is years ahead: checking in needs --override.
    err = fails(capsys, "appointment", aid, "--db", db, "--status", "arrived")
    assert "not today" in err and "Pass --override to change it anyway." in err
    arrived = cli_json(capsys, "appointment", aid, "--db", db, "--status", "arrived", "--override")
    assert arrived["status"] == "arrived"
    done = cli_json(
        capsys,
        "appointment",
        aid,
        "--db",
        db,
        "--status",
        "completed",
        "--price",
        "45",
        "--override",
    )
    assert done["status"] == "completed" and done["final_price"] == 4500
    assert [(h["old"], h["new"]) for h in done["history"]] == [
        (None, "booked"),
        ("booked", "confirmed"),
        ("confirmed", "arrived"),
        ("arrived", "completed"),
    ]
    assert "can't be cancelled" in fails(
        capsys, "appointment", aid, "--db", db, "--status", "cancelled"
    )
    undone = cli_json(capsys, "appointment", aid, "--db", db, "--undo")
    assert undone["status"] == "arrived" and undone["final_price"] is None
    assert main(["appointment", aid, "--db", db]) == 0
    text = capsys.readouterr().out
    assert "Arrived → Completed" in text and "Ann Lee" in text


def test_cancel_by_shop_and_excused_no_show(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    first = str(book_at(capsys, db, f"{DAY}T09:00"))
    second = str(book_at(capsys, db, f"{DAY}T10:00"))
    cancelled = cli_json(
        capsys,
        "appointment",
        first,
        "--db",
        db,
        "--status",
        "cancelled",
        "--cancelled-by",
        "shop",
        "--reason",
        "Maya is ill",
    )
    assert (
        cancelled["cancelled_by"] == "shop" and cancelled["history"][-1]["reason"] == "Maya is ill"
    )
    assert "goes with --status cancelled" in fails(
        capsys, "appointment", second, "--db", db, "--status", "no-show", "--cancelled-by", "shop"
    )
    assert "can't have been missed yet" in fails(
        capsys, "appointment", second, "--db", db, "--status", "no-show"
    )
    missed = cli_json(
        capsys,
        "appointment",
        second,
        "--db",
        db,
        "--status",
        "no-show",
        "--override",
        "--excuse",
        "snowed in",
    )
    assert missed["status"] == "no_show" and missed["excused"] is True
    assert "Only a no-show" in fails(capsys, "appointment", first, "--db", db, "--excuse", "x")


def test_slots_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    book_at(capsys, db, f"{DAY}T09:00")
    found = cli_json(
        capsys, "slots", "--db", db, "--service", "1", "--from", f"{DAY}T09:00", "--count", "3"
    )
    assert found == [
        {
            "staff_id": 1,
            "staff": "Maya Okafor",
            "start": f"{DAY}T{h}:00+00:00",
            "end": f"{DAY}T{e}:00+00:00",
        }
        for h, e in (("10:00", "11:00"), ("10:15", "11:15"), ("10:30", "11:30"))
    ]
    # Tom has no hours set, so "anyone" is Maya; asking for Tom gives nothing.
    assert cli_json(capsys, "slots", "--db", db, "--service", "1", "--staff", "2") == []
    assert main(["slots", "--db", db, "--service", "1", "--from", DAY, "--count", "1"]) == 0
    assert "Tue 05 Mar 2030 10:00–11:00  Maya Okafor" in capsys.readouterr().out


def test_hours_show_and_set(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    shown = cli_json(capsys, "hours", "1", "--db", db)
    assert shown["hours"]["tue"] == [["09:00", "13:00"], ["14:00", "18:00"]]
    assert shown["hours"]["mon"] == [] and shown["staff"] == "Maya Okafor"
    changed = cli_json(
        capsys, "hours", "1", "--db", db, "--set", "mon=9:30-12:00", "--set", "sat=off"
    )
    assert changed["hours"]["mon"] == [["09:30", "12:00"]] and changed["hours"]["sat"] == []
    assert changed["hours"]["wed"] == [["09:00", "13:00"], ["14:00", "18:00"]]  # untouched
    assert cli_json(capsys, "hours", "2", "--db", db)["hours"] is None
    assert main(["hours", "1", "--db", db]) == 0
    assert "Saturday is a day off" in capsys.readouterr().out


def test_absence_lists_the_affected_appointments(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    kept = book_at(capsys, db, "2030-03-04T09:00", "--override")  # Monday, outside hours
    hit = book_at(capsys, db, f"{DAY}T09:00")
    result = cli_json(
        capsys,
        "absence",
        "--db",
        db,
        "--staff",
        "1",
        "--from",
        DAY,
        "--to",
        DAY,
        "--reason",
        "sick",
        "--note",
        "flu",
    )
    assert result["absence"]["reason"] == "sick" and result["absence"]["note"] == "flu"
    assert result["absence"]["start"] == f"{DAY}T00:00:00+00:00"
    assert result["absence"]["end"] == "2030-03-06T00:00:00+00:00"
    assert [v["id"] for v in result["affected"]] == [hit] != [kept]
    assert set(result["affected"][0]) >= VISIT_KEYS
    err = fails(
        capsys,
        "book",
        "--db",
        db,
        "--customer",
        "2",
        "--staff",
        "1",
        "--service",
        "1",
        "--start",
        f"{DAY}T11:00",
    )
    assert "During an absence (sick)" in err


def test_day_through_the_module_entry_point(
    db: str, capsys: pytest.CaptureFixture[str], private_home: Path
) -> None:
    book_at(capsys, db, f"{DAY}T09:00")
    result = subprocess.run(
        [sys.executable, "-m", "shopfront", "day", DAY, "--db", db, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SHOPFRONT_HOME": str(private_home)},
    )
    assert result.returncode == 0, result.stderr
    day = json.loads(result.stdout)
    assert len(day) == 1 and set(day[0]) >= VISIT_KEYS and day[0]["customer"] == "Ann Lee"


def test_appointment_commands_never_create_a_book(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    typo = tmp_path / "tpyo.db"
    for args in (
        ["day", "today"],
        ["appointment", "1"],
        ["slots", "--service", "1"],
        ["hours", "1"],
        ["book", "--customer", "1", "--staff", "1", "--service", "1", "--start", f"{DAY}T09:00"],
        ["absence", "--staff", "1", "--from", DAY, "--to", DAY, "--reason", "sick"],
    ):
        assert "There is no book at" in fails(capsys, *args, "--db", str(typo))
    assert not typo.exists()
