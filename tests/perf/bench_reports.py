"""Monthly report benchmark (run on demand, not part of the test suite).

    .venv/bin/python tests/perf/bench_reports.py [--size 1000000] [--staff 75] [--db PATH]

Builds a book the way ``bench_appointments.py`` does (50,000 customers, packed days grown
backwards from three weeks after the pinned NOW) but with enough staff that one month holds
about 10,000 appointments, up to ``--size`` appointments in all. Then, for the last full
month and a month four years back, it times: the month's summary alone
(``book.monthly_summary``), gathering the whole report (three months' summaries, the
12-month trend, lapsed customers) and laying out the PDF. Median of three runs each.
Prints a table and writes tests/perf/results/reports.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_appointments as base  # noqa: E402  (the shared book builder)

RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn) -> tuple[float, object]:
    """Wall-clock ms (what a user waits); CPU ms are kept in CPU for a loaded machine."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    CPU.append((time.process_time() - cpu) * 1000)
    return (time.perf_counter() - started) * 1000, result


CPU: list[float] = []


def measure(book, year: int, month: int, runs: int = 3) -> dict:
    from shopfront.reports.monthly import write_monthly

    summary_ms, gather_ms, pdf_ms, cpu_ms, pages = [], [], [], [], 0
    summary = None
    for _ in range(runs):
        ms, summary = timed(lambda: book.monthly_summary(year, month))
        summary_ms.append(ms)
        ms, report = timed(lambda: book.monthly_report(year, month))
        gather_ms.append(ms)
        out = BytesIO()
        ms, pages = timed(lambda r=report, o=out: write_monthly(r, o))
        pdf_ms.append(ms)
        cpu_ms.append(CPU[-1] + CPU[-2])
    med = statistics.median
    return {
        "total_cpu_ms": round(med(cpu_ms), 1),
        "load_average": round(os.getloadavg()[0], 2),
        "month": f"{year:04d}-{month:02d}",
        "appointments_in_month": summary.appointments,  # type: ignore[union-attr]
        "summary_ms": round(med(summary_ms), 1),
        "gather_ms": round(med(gather_ms), 1),
        "pdf_ms": round(med(pdf_ms), 1),
        "total_ms": round(med(gather_ms) + med(pdf_ms), 1),
        "pages": pages,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--staff", type=int, default=75)
    parser.add_argument("--db", help="reuse a book built by an earlier run (--keep)")
    parser.add_argument("--keep", action="store_true", help="keep the book (path is printed)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="shopfront-bench-reports-"))
    os.environ["SHOPFRONT_HOME"] = str(work / "home")
    from shopfront.book import Book

    if args.db:
        book = Book.open(args.db, clock=lambda: base.NOW)
    else:
        base.STAFF = args.staff
        path = work / "reports.db"
        started = time.perf_counter()
        book = base.build_shop(path)
        history = base.History(book, random.Random(1))
        history.grow_to(args.size)
        print(f"built {history.count:,} appointments in {time.perf_counter() - started:.0f} s")
        if args.keep:
            print(f"book kept at {path}")
    total = book.db.execute_sql("SELECT COUNT(*) FROM appointment").fetchone()[0]
    rows = [measure(book, 2026, 10), measure(book, 2022, 10)]
    print(f"\nbook: {total:,} appointments, {args.staff} staff, {base.CUSTOMERS:,} customers")
    head = f"{'month':<9}{'appts':>8}{'summary':>10}{'gather':>10}{'pdf':>9}{'total':>9}"
    print(f"{head}{'(cpu)':>9}  pages  load")
    for r in rows:
        print(
            f"{r['month']:<9}{r['appointments_in_month']:>8,}{r['summary_ms']:>8.0f}ms"
            f"{r['gather_ms']:>8.0f}ms{r['pdf_ms']:>7.0f}ms{r['total_ms']:>7.0f}ms"
            f"{r['total_cpu_ms']:>7.0f}ms  {r['pages']:>5}  {r['load_average']}"
        )
    RESULTS.mkdir(exist_ok=True)
    out = {"appointments": total, "staff": args.staff, "customers": base.CUSTOMERS, "months": rows}
    (RESULTS / "reports.json").write_text(json.dumps(out, indent=2) + "\n")
    book.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
