"""Import benchmark (run on demand, not part of the test suite).

    .venv/bin/python tests/perf/bench_import.py [--customers 100000] [--runs 3]

Builds a CSV of N customers (names, a phone each, an email for half, tags, notes), then
measures on this machine:
  * the whole import through the Book (read + plan + write) into an empty book;
  * the write alone: ``storage.bulk.write_customers`` (customers, phones, emails, events
    and the FTS index in one transaction) against raw ``sqlite3.executemany`` of exactly
    the same prepared rows into the same tables, same pragmas, one transaction;
  * a re-import of the same file (everything is a duplicate: nothing is written).
Prints a table and writes tests/perf/results/import.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
RESULTS = Path(__file__).resolve().parent / "results"
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)

from shopfront.book import Book  # noqa: E402
from shopfront.storage import bulk  # noqa: E402
from shopfront.storage.database import SQLITE_PRAGMAS  # noqa: E402

SYLLABLES = [
    "an",
    "bel",
    "cor",
    "da",
    "el",
    "fi",
    "gra",
    "hu",
    "is",
    "jo",
    "ka",
    "lu",
    "mar",
    "nè",
    "ol",
    "pé",
    "qui",
    "ro",
    "sa",
    "tu",
    "vi",
    "wen",
    "xa",
    "yo",
]


def made_up_name(rng: random.Random) -> str:
    """Distinct-looking names (a fixed list would make real look-alikes by the thousand)."""

    def word(parts: int) -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

    return f"{word(rng.randint(2, 3))} {word(rng.randint(2, 4))}"


def make_csv(path: Path, count: int) -> None:
    rng = random.Random(7)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Name", "Mobile", "Email", "Notes", "Tags"])
        for i in range(count):
            name = made_up_name(rng)
            email = f"person{i}@example.com" if i % 2 else ""
            writer.writerow([name, f"+44 7400 {i:06d}", email, "likes tea" if i % 7 else "", "VIP"])


def clock() -> datetime:
    return NOW


def timed(fn):  # noqa: ANN001, ANN201
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def full_import(folder: Path, source_csv: Path) -> dict[str, float]:
    book = Book.open(str(folder / "full.db"), clock=clock)
    t_read, source = timed(lambda: book.read_import(source_csv))
    t_plan, plan = timed(lambda: book.plan_import(source))
    t_apply, report = timed(lambda: book.apply_import(plan))
    # A few made-up names do look alike and share last phone digits: merged, as the
    # card editor's duplicate rule says. Every row is accounted for.
    assert len(report.created) + len(report.merged) == len(source.contacts), report.summary()
    t_again, again = timed(
        lambda: book.apply_import(book.plan_import(book.read_import(source_csv)))
    )
    assert not again.created, again.summary()
    book.close()
    return {
        "read_s": t_read,
        "plan_s": t_plan,
        "apply_s": t_apply,
        "total_s": t_read + t_plan + t_apply,
        "reimport_s": t_again,
        "created": len(report.created),
        "merged_lookalikes": len(report.merged),
    }


def prepared_rows(folder: Path, source_csv: Path) -> bulk.PreparedCustomers:
    book = Book.open(str(folder / "prep.db"), clock=clock)
    plan = book.plan_import(book.read_import(source_csv))
    rows = [(r.customer, r.identity) for r in plan.rows if r.customer is not None]
    prepared = bulk.prepare_customers(rows, NOW, "import")
    book.close()
    return prepared


def bulk_write(path: Path, prepared: bulk.PreparedCustomers) -> float:
    book = Book.open(str(path), clock=clock)
    start = time.perf_counter()
    with book.db.atomic():
        bulk.write_customers(prepared, NOW, "Card created (import)")
    elapsed = time.perf_counter() - start
    book.close()
    return elapsed


def raw_write(path: Path, prepared: bulk.PreparedCustomers) -> float:
    """The same rows with the bare sqlite3 driver: the floor the bulk path is held to."""
    Book.open(str(path), clock=clock).close()  # same schema
    con = sqlite3.connect(str(path), isolation_level=None)
    for key, value in SQLITE_PRAGMAS.items():
        con.execute(f"PRAGMA {key} = {value}")
    stamp = str(NOW.replace(tzinfo=None))
    n = len(prepared)
    ids = list(range(1, n + 1))
    start = time.perf_counter()
    con.execute("BEGIN IMMEDIATE")
    con.executemany(bulk.CUSTOMER_SQL, ((ids[i], *prepared.customers[i]) for i in range(n)))
    con.executemany(bulk.PHONE_SQL, ((ids[i], *p) for i in range(n) for p in prepared.phones[i]))
    con.executemany(bulk.EMAIL_SQL, ((ids[i], *e) for i in range(n) for e in prepared.emails[i]))
    con.executemany(bulk.EVENT_SQL, ((ids[i], stamp, "created", "x") for i in range(n)))
    con.executemany(bulk.FTS_SQL, ((ids[i], *prepared.index[i]) for i in range(n)))
    con.execute("COMMIT")
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source_csv = folder / "customers.csv"
        make_csv(source_csv, args.customers)
        full = full_import(folder, source_csv)
        prepared = prepared_rows(folder, source_csv)
        ours, raw = [], []
        for run in range(args.runs):
            raw.append(raw_write(folder / f"raw{run}.db", prepared))
            ours.append(bulk_write(folder / f"bulk{run}.db", prepared))
    result = {
        "customers": args.customers,
        "full_import": full,
        "bulk_write_s": statistics.median(ours),
        "raw_executemany_s": statistics.median(raw),
        "ratio": statistics.median(ours) / statistics.median(raw),
        "runs": {"bulk": ours, "raw": raw},
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "import.json").write_text(json.dumps(result, indent=2))
    n = args.customers
    print(f"customers: {n:,}")
    for key in ("read_s", "plan_s", "apply_s", "total_s", "reimport_s"):
        print(f"  {key:<12} {full[key]:7.2f} s")
    print(f"  write, bulk path     {result['bulk_write_s']:6.2f} s (median of {args.runs})")
    print(f"  write, raw sqlite3   {result['raw_executemany_s']:6.2f} s")
    print(f"  ratio                {result['ratio']:6.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
