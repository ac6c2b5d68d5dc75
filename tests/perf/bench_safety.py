"""Data-safety benchmark (run on demand, not part of the test suite).

    .venv/bin/python tests/perf/bench_safety.py [--db BOOK] [--customers 100000] [--runs 3]
        [--kills 200]

On a large demo book (made with `shopfront demo` unless --db names one) measures:
  * the checks at every open (identity, quick_check) and the whole Book.open;
  * `shopfront check` quick and full (integrity_check + foreign keys);
  * a verified backup (online API + integrity_check on the copy) and a restore (safety
    backup of the current book + check of the backup + copy into the live book);
  * the kill test: how many SIGKILLs, how long, how many acknowledged saves, the result.
Prints a table and writes tests/perf/results/safety.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def make_book(folder: Path, customers: int) -> Path:
    path = folder / "big.db"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "shopfront",
            "demo",
            "--db",
            str(path),
            "--customers",
            str(customers),
        ],
        check=True,
        capture_output=True,
    )
    return path


def kill_test(kills: int) -> dict[str, object]:
    env = dict(os.environ, SHOPFRONT_KILLS=str(kills), QT_QPA_PLATFORM="offscreen")
    began = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "tests/storage/test_crash_kill.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - began
    line = next((x for x in run.stdout.splitlines() if "kills," in x), "")
    return {
        "kills": kills,
        "seconds": round(seconds, 1),
        "passed": run.returncode == 0,
        "summary": line.strip(),
    }


def concurrency() -> list[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-s",
            "-p",
            "no:cacheprovider",
            "tests/storage/test_concurrency.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    lines = [x.strip() for x in run.stdout.splitlines() if x.startswith(("edits:", "bookings:"))]
    return lines if run.returncode == 0 else [*lines, "FAILED"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, help="an existing large book (copied, not changed)")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kills", type=int, default=200)
    args = parser.parse_args()

    from shopfront.book import Book
    from shopfront.storage import backups, health, migrations

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SHOPFRONT_HOME"] = str(folder / "home")
        if args.db:
            path = folder / "big.db"
            source = backups.read_only(args.db)
            backups.copy_verified(source, path)
            source.close()
        else:
            path = make_book(folder, args.customers)
        book = Book.open(str(path))
        book.close()  # upgraded, WAL; now measure opening as a user would
        out: dict[str, object] = {
            "book_mb": round(path.stat().st_size / 2**20, 1),
            "customers": None,
            "appointments": None,
        }
        out["open_identity_ms"], _ = timed(lambda: migrations.sqlite_identity(path), args.runs)
        out["open_quick_check_ms"], _ = timed(lambda: health.check_book_file(path), args.runs)
        out["book_open_ms"], _ = timed(lambda: Book.open(str(path)).close(), args.runs)
        out["check_quick_s"], report = timed(lambda: health.check_report(path, False), args.runs)
        out["check_full_s"], report = timed(lambda: health.check_report(path, True), args.runs)
        counts = report["counts"]  # type: ignore[index]
        out["customers"], out["appointments"] = counts["customer"], counts["appointment"]
        now = datetime.now(UTC)
        out["backup_s"], made = timed(
            lambda: backups.take(path, "manual", now, policy=None), args.runs
        )
        out["restore_s"], _ = timed(
            lambda: backups.restore(path, made.path, now, policy=None),
            args.runs,  # type: ignore[union-attr]
        )
        for key in ("open_identity_ms", "open_quick_check_ms", "book_open_ms"):
            out[key] = round(out[key] * 1000, 1)  # type: ignore[operator]
        for key in ("check_quick_s", "check_full_s", "backup_s", "restore_s"):
            out[key] = round(out[key], 2)  # type: ignore[arg-type]
    if args.kills:
        out["kill_test"] = kill_test(args.kills)
        out["two_processes"] = concurrency()
    width = max(map(len, out))
    for key, value in out.items():
        print(f"{key:<{width}}  {value}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "safety.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
