"""The care commands through the real entry point: JSON keys, idempotent scan, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.cli import main
from tests.cli.support import cli_json, fails
from tests.conftest import add

DAY = "2030-03-05"  # a Tuesday, far enough ahead that nothing is "in the past"


@pytest.fixture
def db(shop: Book, db_path: Path) -> str:
    add(shop, "Ann Lee", "07400 123456", owner_id=2)
    add(shop, "Bob Stone", "07400 654321")
    assert main(["hours", "2", "--db", str(db_path), "--set", "mon-sat=09:00-18:00"]) == 0
    return str(db_path)


def test_followups_add_list_done_and_overdue(db: str, capsys) -> None:
    made = cli_json(capsys, "followup", "add", "1", "--due", "today", "--note", "Ask", "--db", db)
    assert made["staff_id"] == 2 and made["reason"] == "manual"
    listed = cli_json(capsys, "followups", "--db", db)
    assert listed["count"] == 1
    assert set(listed["followups"][0]) >= {
        "id",
        "customer_id",
        "customer",
        "reason",
        "due",
        "staff_id",
        "staff",
        "status",
        "overdue",
        "note",
    }
    assert cli_json(capsys, "followups", "--overdue", "--db", db)["count"] == 0
    assert cli_json(capsys, "followups", "--staff", "1", "--db", db)["count"] == 0
    assert "outcome" in fails(
        capsys, "followup", "done", str(made["id"]), "--outcome", " ", "--db", db
    )
    done = cli_json(capsys, "followup", "done", str(made["id"]), "--outcome", "Booked", "--db", db)
    assert done["status"] == "done" and done["outcome"] == "Booked"
    assert cli_json(capsys, "followups", "--db", db)["count"] == 0
    assert cli_json(capsys, "followups", "--all", "--db", db)["count"] == 1
    assert "not a date" in fails(capsys, "followups", "--due", "soon", "--db", db)


def test_cases_open_and_close(db: str, capsys) -> None:
    opened = cli_json(
        capsys,
        "case",
        "open",
        "1",
        "--words",
        "Fringe too short",
        "--fix",
        "Free trim",
        "--fix-due",
        "2026-11-30",
        "--apology-by",
        "1",
        "--db",
        db,
    )
    assert opened["status"] == "fix_promised" and opened["apology"] is True
    listed = cli_json(capsys, "cases", "--open", "--db", db)
    assert [c["id"] for c in listed["cases"]] == [opened["id"]]
    assert "promise_overdue" in listed["cases"][0]
    assert "resolution" in fails(
        capsys, "case", "update", str(opened["id"]), "--status", "closed", "--db", db
    )
    closed = cli_json(
        capsys,
        "case",
        "update",
        str(opened["id"]),
        "--status",
        "closed",
        "--resolution",
        "Trimmed, happy",
        "--db",
        db,
    )
    assert closed["status"] == "closed"
    assert cli_json(capsys, "cases", "--open", "--db", db)["count"] == 0


def test_absence_prints_the_call_list_and_calls_update_it(db: str, capsys) -> None:
    booked = cli_json(
        capsys,
        "book",
        "--customer",
        "1",
        "--staff",
        "2",
        "--service",
        "1",
        "--start",
        f"{DAY}T10:00",
        "--db",
        db,
    )
    out = cli_json(
        capsys,
        "absence",
        "--staff",
        "2",
        "--from",
        DAY,
        "--to",
        DAY,
        "--reason",
        "sick",
        "--db",
        db,
    )
    [row] = out["call_list"]
    assert row["appointment_id"] == booked["id"] and row["state"] == "pending"
    assert row["phone"] and row["customer"] == "Ann Lee"
    absence_id = out["absence"]["id"]
    after = cli_json(
        capsys,
        "call",
        str(absence_id),
        str(booked["id"]),
        "--outcome",
        "no_answer",
        "--db",
        db,
    )
    assert after["call_list"][0]["state"] == "not_reached"
    desk = cli_json(capsys, "followups", "--db", db)["followups"]
    assert [f["reason"] for f in desk] == ["absence"]
    text_code = main(["calllist", str(absence_id), "--db", db])
    assert text_code == 0 and "not reached" in capsys.readouterr().out
    assert "no absence" in fails(capsys, "calllist", "999", "--db", db)


def test_care_scan_is_idempotent_through_the_cli(db: str, capsys) -> None:
    first = cli_json(capsys, "care-scan", "--today", "2026-11-23", "--db", db)
    assert set(first) >= {"today", "created", "total"}
    again = cli_json(capsys, "care-scan", "--today", "2026-11-23", "--db", db)
    assert again["total"] == 0


def test_contacts_handover_and_my_customers(db: str, capsys) -> None:
    logged = cli_json(
        capsys,
        "contact",
        "log",
        "1",
        "--outcome",
        "reached",
        "--summary",
        "Confirmed Friday",
        "--db",
        db,
    )
    assert logged["channel"] == "call"
    assert "how the call went" in fails(capsys, "contact", "log", "1", "--db", db)
    assert cli_json(capsys, "contact", "list", "1", "--db", db)["contacts"][0]["summary"] == (
        "Confirmed Friday"
    )
    assert cli_json(capsys, "my-customers", "2", "--db", db)["count"] == 1
    moved = cli_json(
        capsys, "handover", "--from", "2", "--to", "1", "--note", "Tom leaves", "--db", db
    )
    assert moved["customers"] == 1 and moved["introductions"] == 1
    assert cli_json(capsys, "my-customers", "1", "--db", db)["customers"][0]["name"] == "Ann Lee"
