"""Appointment book benchmark (run on demand, not part of the test suite).

    .venv/bin/python tests/perf/bench_appointments.py [--sizes 10000,100000,1000000]
        [--db postgresql://…/EMPTY_DATABASE]

Builds a book with 30 staff (Mon–Sat, lunch 13–14) and 50,000 customers, then grows the
appointment history backwards in time with bulk inserts (packed days, ~200 appointments a
day, like a busy 30-chair salon) to each size in turn. At every size it measures, on the
same recent dates: ``book.day(date)`` (the query), the day view's layout and paint offscreen
(``DayView`` + ``widget.grab()``, when PySide6 and gui/day_view.py are there), the whole
day switch (``show_day`` + paint: a jump to any date, and Right with the neighbours read in
the background) and ``book.free_slots``. Prints a table and writes tests/perf/results/appointments.json.
With ``--db URL`` every size is also copied into that PostgreSQL database (as "share this
book" does) and measured there the same way (results/appointments-postgresql.json).
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
RESULTS = Path(__file__).resolve().parent / "results"
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)  # a Monday; the clock is pinned
STAFF = 30
CUSTOMERS = 50_000
FUTURE_DAYS = 21
SPANS = ((9 * 60, 13 * 60), (14 * 60, 18 * 60))
CHUNK = 50_000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50), 2),
        "p95_ms": round(percentile(values, 95), 2),
        "max_ms": round(max(values), 2),
        "n": len(values),
    }


CLOCK = time.perf_counter  # --clock cpu: this thread's CPU time (a shared, busy machine)


def timed(fn) -> tuple[float, object]:
    started = CLOCK()
    result = fn()
    return (CLOCK() - started) * 1000, result


# building the book ---------------------------------------------------------------------------


def build_shop(path: Path):
    """The demo shop's customers and services, 30 staff with hours, no appointments yet."""
    from shopfront.book import Book
    from shopfront.core.customers import Staff
    from shopfront.core.workhours import WorkingHours
    from shopfront.demo import DemoOptions, generate

    book = Book.open(str(path), clock=lambda: NOW)
    generate(book, DemoOptions(customers=CUSTOMERS, years=1, seed=1))
    with book.db.atomic():
        for table in (
            "status_change",
            "appointment_service",
            "appointment",
            "appointment_series",
            "absence",
        ):
            book.db.execute_sql(f"DELETE FROM {table}")
        for n in range(len(book.staff()), STAFF):
            book.save_staff(Staff(f"Stylist {n + 1:02d}", colour="#5B8DEF"))
        hours = WorkingHours.from_mapping(
            {
                d: [
                    (f"{a // 60:02d}:{a % 60:02d}", f"{b // 60:02d}:{b % 60:02d}") for a, b in SPANS
                ]
                for d in range(6)
            }
        )
        for person in book.staff():
            book.set_working_hours(person.id, hours)
    return book


class History:
    """Packs whole days of appointments, walking backwards from three weeks after NOW."""

    def __init__(self, book, rng: random.Random) -> None:
        self.book, self.rng = book, rng
        self.tz = ZoneInfo(book.settings.timezone)
        self.staff = [s.id for s in book.staff()]
        self.services = [(s.id, s.duration_min, s.price_minor) for s in book.services()]
        self.today = NOW.astimezone(self.tz).date()
        self.next_day = self.today + timedelta(days=FUTURE_DAYS)
        self.next_id = 1
        self.count = 0

    def grow_to(self, target: int) -> None:
        with self.book.db.atomic():
            cursor = self.book.db.cursor()
            rows, lines, changes = [], [], []
            while self.count < target:
                self._day(self.next_day, rows, lines, changes)
                self.next_day -= timedelta(days=1)
                if len(rows) >= CHUNK or self.count >= target:
                    self._write(cursor, rows, lines, changes)
                    rows, lines, changes = [], [], []

    def _day(self, day: date, rows: list, lines: list, changes: list) -> None:
        if day.weekday() == 6:
            return
        noon = datetime.combine(day, datetime.min.time()) + timedelta(hours=12)
        offset = noon.replace(tzinfo=self.tz).utcoffset()
        midnight = datetime.combine(day, datetime.min.time()) - offset
        past = day < self.today
        for staff in self.staff:
            for first, last in SPANS:
                minute = first
                while True:
                    if self.rng.random() < 0.12:
                        minute += self.rng.choice((15, 30))
                    picked = self.rng.sample(self.services, self.rng.choice((1, 1, 1, 2)))
                    length = sum(p[1] for p in picked)
                    if minute + length > last:
                        break
                    start = midnight + timedelta(minutes=minute)
                    self._add(staff, start, length, picked, past, rows, lines, changes)
                    minute += -(-length // 15) * 15

    def _add(self, staff, start, length, picked, past, rows, lines, changes) -> None:
        aid, rng = self.next_id, self.rng
        self.next_id += 1
        self.count += 1
        u = rng.random()
        status = (
            ("completed" if u < 0.88 else "no_show" if u < 0.94 else "cancelled")
            if past
            else ("confirmed" if u < 0.3 else "booked")
        )
        active_price = sum(p[2] for p in picked)
        booked = start - timedelta(days=rng.randint(0, 40), minutes=rng.randint(0, 600))
        stamp = start.isoformat(" ")
        rows.append(
            (
                aid,
                rng.randint(1, CUSTOMERS),
                staff,
                stamp,
                (start + timedelta(minutes=length)).isoformat(" "),
                booked.isoformat(" "),
                "phone",
                status,
                active_price,
                active_price if status == "completed" else None,
                "",
                "customer" if status == "cancelled" else None,
                0,
                0,
                "",
                None,
                None if status != "completed" else int(u < 0.5),
                1,
            )
        )
        lines += [(aid, p[0], pos, p[1], p[2]) for pos, p in enumerate(picked)]
        changes.append((aid, booked.isoformat(" "), None, "booked", None, "phone"))

    @staticmethod
    def _write(cursor, rows, lines, changes) -> None:
        from shopfront.demo.appointments import SQL_APPOINTMENT, SQL_CHANGE, SQL_LINE

        cursor.executemany(SQL_APPOINTMENT, rows)
        cursor.executemany(SQL_LINE, lines)
        cursor.executemany(SQL_CHANGE, changes)


# measuring ---------------------------------------------------------------------------------


def sample_days(book, rng: random.Random, n: int) -> list[date]:
    """Working days from four weeks back to two weeks ahead: present at every size."""
    today = book.today()
    days = [today + timedelta(days=k) for k in range(-28, 14)]
    days = [d for d in days if d.weekday() != 6]
    return [rng.choice(days) for _ in range(n)]


def bench_day(book, days: list[date]) -> dict:
    for d in days[:5]:
        book.day(d)  # warm the page cache; the desk has been open all morning
    times, sizes = [], []
    for d in days:
        ms, schedule = timed(lambda d=d: book.day(d))
        times.append(ms)
        sizes.append(len(schedule.visits))
    return {**summary(times), "appointments_per_day": round(statistics.mean(sizes), 1)}


def make_view(book):
    try:
        from PySide6.QtWidgets import QApplication

        from shopfront.gui.day_view import DayView, day_columns
    except ImportError as exc:
        print(f"(no day view measurement: {exc})", file=sys.stderr)
        return None
    app = QApplication.instance() or QApplication([])
    view = DayView(book)
    view.resize(1600, 900)
    view.show()
    app.processEvents()
    return app, view, day_columns


def bench_view(book, made, days: list[date]) -> dict | None:
    if made is None:
        return None
    app, view, day_columns = made
    schedules = [book.day(d) for d in days]
    layout, paint, total = [], [], []
    for k, schedule in enumerate(schedules):
        ms_layout, _ = timed(lambda s=schedule: view.set_columns(day_columns(s), 15))
        ms_paint, image = timed(view.grab)
        assert not image.isNull()
        if k >= 3:  # the first paints build fonts and caches
            layout.append(ms_layout)
            paint.append(ms_paint)
            total.append(ms_layout + ms_paint)
        app.processEvents()
    return {
        "layout": summary(layout),
        "paint_grab": summary(paint),
        "layout_plus_paint": summary(total),
        "columns": len(view.specs),
        "size": "1600x900",
    }


def bench_switch(book, made, days: list[date]) -> dict | None:
    """The whole day switch as the desk sees it: ``DayView.show_day`` (query or kept day,
    layout) and a paint. "jump": to a date picked in the calendar (nothing kept); "arrow":
    the next day with Right, after the background read of the neighbours has landed (a
    person pressing keys, not a key held down)."""
    if made is None:
        return None
    from PySide6.QtCore import QThreadPool

    app, _view, _columns = made
    from shopfront.gui.day_view import DayView

    view = DayView(book)
    view.resize(1600, 900)
    view.show()
    app.processEvents()

    def settle() -> None:  # the neighbours are read DayView.PREFETCH_AFTER_MS after a switch
        until = time.perf_counter() + (DayView.PREFETCH_AFTER_MS + 20) / 1000
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.002)
        QThreadPool.globalInstance().waitForDone()
        for _ in range(3):  # the result arrives, then the off-screen paint runs
            app.processEvents()

    def switch(day: date) -> float:
        ms, image = timed(lambda: (view.show_day(day), view.grab())[1])
        assert not image.isNull()
        return ms

    jump, arrow = [], []
    for k, day in enumerate(days):
        view.kept.clear()
        ms = switch(day)
        if k >= 3:
            jump.append(ms)
        settle()
        ms = switch(day + timedelta(days=1))
        if k >= 3:
            arrow.append(ms)
        settle()
    view.close()
    return {"jump": summary(jump), "arrow": summary(arrow)}


def bench_slots(book, rng: random.Random, rounds: int) -> dict:
    services = [s.id for s in book.services()]
    long_one = max(book.services(), key=lambda s: s.duration_min).id
    staff = [s.id for s in book.staff()]
    anyone, one_person, long_service = [], [], []
    for _ in range(rounds):
        start = NOW + timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8))
        anyone.append(
            timed(lambda s=start: book.free_slots((rng.choice(services),), None, s, 5))[0]
        )
        one_person.append(
            timed(
                lambda s=start: book.free_slots((rng.choice(services),), rng.choice(staff), s, 5)
            )[0]
        )
        long_service.append(timed(lambda s=start: book.free_slots((long_one,), None, s, 5))[0])
    return {
        "anyone": summary(anyone),
        "one_staff_member": summary(one_person),
        "longest_service_anyone": summary(long_service),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--dates", type=int, default=200, help="dates measured per size")
    parser.add_argument("--keep", action="store_true", help="keep the book (path is printed)")
    parser.add_argument("--db", help="also measure on this EMPTY PostgreSQL database (URL)")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="cpu: time the GUI thread's CPU only, for machines shared with other work",
    )
    args = parser.parse_args()
    global CLOCK
    CLOCK = time.thread_time if args.clock == "cpu" else time.perf_counter
    work = Path(tempfile.mkdtemp(prefix="shopfront-bench-appointments-"))
    os.environ["SHOPFRONT_HOME"] = str(work / "home")
    path = work / "appointments.db"
    started = time.perf_counter()
    book = build_shop(path)
    print(
        f"shop with {CUSTOMERS} customers and {STAFF} staff: {time.perf_counter() - started:.1f} s"
    )
    history = History(book, random.Random(1))
    made = make_view(book)
    results, on_server = [], []
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        history.grow_to(size)
        built = time.perf_counter() - started
        rng = random.Random(size)
        days = sample_days(book, rng, args.dates)
        row = {
            "appointments": history.count,
            "history_days": (NOW.date() - history.next_day).days,
            "insert_s": round(built, 1),
            "db_size_mb": round(
                sum(f.stat().st_size for f in work.glob("appointments.db*")) / 1e6, 1
            ),
            "day_query": bench_day(book, days),
            "day_view": bench_view(book, made, days[: min(80, len(days))]),
            "day_switch": bench_switch(book, made, days[: min(80, len(days))]),
            "free_slots": bench_slots(book, rng, rounds=40),
        }
        results.append(row)
        print_row(row)
        if args.db:
            on_server.append(measure_on_server(book, args.db, row, days))
    out = {
        "staff": STAFF,
        "customers": CUSTOMERS,
        "now": NOW.isoformat(),
        "sizes": results,
        "clock": args.clock,
        "load_average": os.getloadavg()[0],
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "appointments.json").write_text(json.dumps(out, indent=2) + "\n")
    print_table(results)
    if on_server:
        out["sizes"] = on_server
        (RESULTS / "appointments-postgresql.json").write_text(json.dumps(out, indent=2) + "\n")
        print("\nPostgreSQL (same book, copied):")
        print_table(on_server)
    book.close()
    print(f"book: {path}" if args.keep else "", end="")
    if not args.keep:
        for file in work.glob("appointments.db*"):
            file.unlink()
    return 0


def measure_on_server(book, url: str, sqlite_row: dict, days: list[date]) -> dict:
    """Copy the book as it is now into the (emptied) server database and measure there."""
    from shopfront.book import Book
    from shopfront.storage import records

    empty_server(url)
    started = time.perf_counter()
    book.share_to(url)
    copied = time.perf_counter() - started
    server = Book.open(url, clock=lambda: NOW)
    try:
        made = make_view(server)
        size = server.db.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
        row = {
            **{k: sqlite_row[k] for k in ("appointments", "history_days")},
            "insert_s": round(copied, 1),  # here: the whole copy, search rows included
            "db_size_mb": round(size / 1e6, 1),
            "day_query": bench_day(server, days),
            "day_view": bench_view(server, made, days[: min(80, len(days))]),
            "day_switch": bench_switch(server, made, days[: min(80, len(days))]),
            "free_slots": bench_slots(server, random.Random(sqlite_row["appointments"]), 40),
        }
        if made is not None:
            made[1].close()
    finally:
        server.close()
        records.database.initialize(book.db)
    print("  on PostgreSQL: ", end="")
    print_row(row)
    return row


def empty_server(url: str) -> None:
    """Drop what an earlier size copied (tables stay: the copy wants an empty book)."""
    import psycopg2

    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        tables = [t for (t,) in cur.fetchall() if t != "shopfront_meta"]
        if tables:
            cur.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    conn.close()


def print_row(row: dict) -> None:
    print(
        f"{row['appointments']:>9,} appointments ({row['history_days']} days, "
        f"{row['db_size_mb']} MB, inserted in {row['insert_s']} s)",
        flush=True,
    )


def print_table(results: list[dict]) -> None:
    head = (
        f"{'appointments':>12} | {'day() p50/p95 ms':>17} | {'view layout+paint p50/p95':>26} | "
        f"{'free_slots anyone p50/p95':>26} | {'one staff':>12} | {'longest svc':>12}"
    )
    print("\n" + head + "\n" + "-" * len(head))
    switch_rows = []
    for r in results:
        d, v, s = r["day_query"], r["day_view"], r["free_slots"]
        view = (
            f"{v['layout_plus_paint']['p50_ms']} / {v['layout_plus_paint']['p95_ms']}"
            if v
            else "n/a"
        )
        print(
            f"{r['appointments']:>12,} | {d['p50_ms']:>7} / {d['p95_ms']:<7} | {view:>26} | "
            f"{s['anyone']['p50_ms']:>11} / {s['anyone']['p95_ms']:<12} | "
            f"{s['one_staff_member']['p50_ms']:>5} / {s['one_staff_member']['p95_ms']:<5}| "
            f"{s['longest_service_anyone']['p50_ms']:>5} / {s['longest_service_anyone']['p95_ms']:<5}"
        )
        if r.get("day_switch"):
            j, a = r["day_switch"]["jump"], r["day_switch"]["arrow"]
            switch_rows.append(
                f"{r['appointments']:>12,} | {j['p50_ms']:>7} / {j['p95_ms']:<7} | "
                f"{a['p50_ms']:>7} / {a['p95_ms']:<7}"
            )
    if switch_rows:
        head = f"{'appointments':>12} | {'switch: jump p50/p95':>17} | {'arrow p50/p95':>17}"
        print("\n" + head + "\n" + "-" * len(head) + "\n" + "\n".join(switch_rows))


if __name__ == "__main__":
    raise SystemExit(main())
