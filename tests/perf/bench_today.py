"""Today screen and follow-ups benchmark (run on demand, not part of the test suite).

    .venv/bin/python tests/perf/bench_today.py --db DEMO.db

Measures on a demo book (``shopfront demo --db DEMO.db``, then a care scan), in ms, the
reads the care screens make off the GUI thread: ``today_data`` (Today screen),
``followups`` due now (Follow-ups page), ``followup_counts`` (the tray timer, every 5
minutes) and ``with_last_told`` on one staff member's day (My day). Median and worst of
20 runs; prints a table and writes tests/perf/results/today.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from shopfront.book import Book

RESULTS = Path(__file__).resolve().parent / "results"
RUNS = 20


def timed(fn) -> dict[str, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(times), 2), "max_ms": round(max(times), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    args = parser.parse_args()
    book = Book.open(args.db)
    book.care_scan()
    today = book.today()
    busiest = max(book.day(today).columns, key=lambda c: len(c.visits))
    visits = list(busiest.visits)
    data = book.today_data()
    results = {
        "book": {
            "appointments_today": len(data.visits),
            "open_followups": sum(book.followup_counts().values()),
            "my_day_visits": len(visits),
        },
        "today_data": timed(book.today_data),
        "followups_due_now": timed(lambda: book.followups(due=today)),
        "followup_counts": timed(book.followup_counts),
        "with_last_told_my_day": timed(lambda: book.with_last_told(visits)),
    }
    book.close()
    for name, value in results.items():
        print(f"{name:24} {value}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "today.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
