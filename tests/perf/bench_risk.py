"""No-show risk benchmark (run on demand, not part of the test suite).

    .venv/bin/python tests/perf/bench_risk.py [--db DEMO.db]

Uses a demo book (created in a temporary folder with the default demo shop when no --db
is given; the clock is the demo's "now"). Measures, in milliseconds:

* ``score 300``: core.risk.score() for 300 upcoming appointments with their customers'
  real histories (pure arithmetic, what happens per day once the rows are read), in wall
  and in CPU time (``score_300_cpu``: what other processes on the machine don't inflate);
* ``with_risk 300``: Book.with_risk() for the same 300 visits (the history and contact
  queries plus scoring);
* ``day() with / without risk``: book.day() on the next 20 shop days, with the risk score
  and with it switched off (the cost the day view sees);
* ``model build``: fitting the shop's own model and its base rate (once per shop day).

Prints a table and writes tests/perf/results/risk.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from shopfront.book import Book
from shopfront.core.risk import RiskInput, score
from shopfront.storage import risk as risk_store
from shopfront.usecases.risk import SCORED

RESULTS = Path(__file__).resolve().parent / "results"


def timed(fn, repeat: int, clock=time.perf_counter) -> list[float]:
    out = []
    for _ in range(repeat):
        started = clock()
        fn()
        out.append((clock() - started) * 1000)
    return out


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))], 2),
        "n": len(ordered),
    }


def demo_book(folder: Path) -> Book:
    from shopfront.demo import DemoOptions, generate

    book = Book.open(str(folder / "demo.db"))
    generate(book, DemoOptions())
    return book


def upcoming(book: Book, count: int) -> list:
    visits: list = []
    day = book.today() + timedelta(days=1)
    while len(visits) < count and day < book.today() + timedelta(days=60):
        visits += [v for v in book.day(day).visits if v.appointment.status in SCORED]
        day += timedelta(days=1)
    return visits[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="an existing demo book (default: build one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Book.open(args.db) if args.db else demo_book(Path(tmp))
        started = time.perf_counter()
        shop = book.risk_model(refresh=True)
        build_ms = (time.perf_counter() - started) * 1000
        visits = upcoming(book, 300)
        zone = book.zone()
        latest = max(v.appointment.start for v in visits)
        histories = risk_store.histories(
            {v.appointment.customer_id for v in visits}, latest, zone=zone
        )
        inputs = [
            RiskInput(
                starts_at=v.appointment.start.astimezone(zone),
                booked_at=v.appointment.booked_at,
                history=tuple(histories.get(v.appointment.customer_id, ())),
            )
            for v in visits
        ]
        pure = timed(lambda: [score(i, shop.model, shop.base_rate) for i in inputs], 30)
        # CPU time as well: on a shared machine the wall clock also counts other people's work.
        pure_cpu = timed(
            lambda: [score(i, shop.model, shop.base_rate) for i in inputs], 30, time.process_time
        )
        whole = timed(lambda: book.with_risk(visits), 30)
        whole_cpu = timed(lambda: book.with_risk(visits), 30, time.process_time)
        days = [book.today() + timedelta(days=k) for k in range(1, 21)]
        with_risk = [timed(lambda d=d: book.day(d), 3)[-1] for d in days]
        book.with_risk = lambda found: found  # type: ignore[method-assign]
        without = [timed(lambda d=d: book.day(d), 3)[-1] for d in days]
        per_day = statistics.mean(len(book.day(d).visits) for d in days)
        result = {
            "appointments_scored": len(visits),
            "model_source": shop.source,
            "finished_in_fit_window": shop.n_finished,
            "model_build_ms": round(build_ms, 1),
            "score_300": summary(pure),
            "score_300_cpu": summary(pure_cpu),
            "with_risk_300": summary(whole),
            "with_risk_300_cpu": summary(whole_cpu),
            "day_with_risk": summary(with_risk),
            "day_without_risk": summary(without),
            "appointments_per_day": round(per_day, 1),
        }
        book.close()
    print(f"{'what':32} {'p50 ms':>8} {'p95 ms':>8}")
    for key in (
        "score_300",
        "score_300_cpu",
        "with_risk_300",
        "with_risk_300_cpu",
        "day_with_risk",
        "day_without_risk",
    ):
        print(f"{key:32} {result[key]['p50_ms']:8} {result[key]['p95_ms']:8}")
    print(f"model build (once per shop day): {result['model_build_ms']} ms ({shop.source})")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "risk.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
