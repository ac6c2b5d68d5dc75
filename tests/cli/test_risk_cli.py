"""`shopfront risk evaluate` end to end on generated histories with a known answer."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shopfront.cli import main

DAY0 = date(2024, 3, 4)  # a Monday
CONTRACT = {"auc", "brier", "brier_base", "log_loss", "calibration", "n_train", "n_test"}


def write_history(path: Path, gzipped: bool = False) -> Path:
    """30 customers every other day for four weeks: those who book 40 days ahead never come,
    same-day bookers always do. Plus a cancellation (history only, never scored)."""
    rows = []
    for c in range(30):
        far = c % 2 == 0
        for day in range(0, 28, 2):
            start = datetime.combine(DAY0 + timedelta(days=day), datetime.min.time()).replace(
                hour=10 + c % 8
            )
            booked = start - timedelta(days=40 if far else 0, hours=1)
            outcome = "no_show" if far else "completed"
            rows.append([f"c{c}", booked.isoformat(), start.isoformat(), outcome])
    rows.append(["c0", "2024-03-01T09:00", "2024-03-05T10:00", "cancelled"])
    opener = gzip.open if gzipped else open
    with opener(path, "wt", newline="", encoding="utf-8") as out:  # type: ignore[operator]
        writer = csv.writer(out)
        writer.writerow(["customer_id", "booked_at", "starts_at", "outcome"])
        writer.writerows(rows)
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    assert main(["risk", "evaluate", *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_evaluate_a_separable_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    result = run_json(capsys, str(write_history(tmp_path / "h.csv")), "--test-from", "2024-03-18")
    assert set(result) >= CONTRACT
    assert result["auc"] == 1.0
    assert (result["n_train"], result["n_test"]) == (30 * 7, 30 * 7)
    assert result["brier_base"] == pytest.approx(0.25)  # saying 50 % to everyone
    assert result["brier"] < 0.05 and result["log_loss"] < 0.25
    table = result["calibration"]
    assert [row["observed"] for row in table] == [0.0] * 5 + [1.0] * 5
    assert sum(row["n"] for row in table) == 210
    assert set(table[0]) == {"predicted", "observed", "n"}


def test_default_split_and_gzip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_history(tmp_path / "h.csv.gz", gzipped=True)
    result = run_json(capsys, str(path), "--preset", "generic")
    assert result["n_train"] + result["n_test"] == 420 and result["auc"] == 1.0
    assert result["test_from"] == "2024-03-22"  # the latest 35 % of appointments


def test_text_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_history(tmp_path / "h.csv")
    assert main(["risk", "evaluate", str(path), "--test-from", "2024-03-18"]) == 0
    out = capsys.readouterr().out
    assert "AUC       1.0000" in out and "Calibration" in out and "210" in out


def test_kaggle_preset_reads_the_kaggle_columns(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "k.csv"
    header = "PatientId,AppointmentID,Gender,ScheduledDay,AppointmentDay,Age,SMS_received,No-show"
    lines = [header]
    for p in range(20):
        for day in range(0, 20, 2):
            visit = DAY0 + timedelta(days=day)
            lead = 30 if p % 2 else 0
            booked = f"{visit - timedelta(days=lead)}T08:00:00Z"
            shown = "Yes" if p % 2 else "No"
            lines.append(f"{p},{p * 100 + day},F,{booked},{visit}T00:00:00Z,30,0,{shown}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_json(capsys, str(path), "--preset", "kaggle-noshow", "--test-from", "2024-03-14")
    assert result["auc"] == 1.0 and (result["n_train"], result["n_test"]) == (100, 100)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "can't open"),
        (["h.csv", "--test-from", "tomorrow"], "not a date"),
        (["h.csv", "--test-from", "2030-01-01"], "both before and from 2030-01-01"),
        (["h.csv", "--preset", "outlook"], "invalid choice"),
    ],
)
def test_bad_input_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    write_history(tmp_path / "h.csv")
    args = [str(tmp_path / a) if a.endswith(".csv") else a for a in args]
    try:
        code = main(["risk", "evaluate", *args])
    except SystemExit as exit_:  # argparse refuses usage mistakes itself
        code = exit_.code
    err = capsys.readouterr().err
    assert code == 2
    assert message in err and len(err.strip().splitlines()) == 1


def test_policies_show_change_and_refuse(book, db_path: Path, capsys) -> None:
    db = ["--db", str(db_path)]
    assert main(["risk", "policies", *db, "high_from=0.3", "deposit_after=3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "medium_from": 0.1,
        "high_from": 0.3,
        "deposit_after": 3,
        "deposit_window_days": 365,
    }
    assert main(["risk", "policies", *db]) == 0
    assert "deposit_after = 3" in capsys.readouterr().out
    for bad, message in (("medium_from=0.5", "Risk levels need"), ("colour=red", "KEY=VALUE")):
        assert main(["risk", "policies", *db, bad]) == 2
        err = capsys.readouterr().err
        assert message in err and len(err.strip().splitlines()) == 1
