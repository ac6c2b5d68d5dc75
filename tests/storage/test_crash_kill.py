"""Crash safety: a writer doing real use cases is SIGKILLed at random moments, many times.

After every kill the book must pass ``integrity_check`` and the foreign-key check, hold
every save the writer had seen acknowledged, and hold no half-saved use case (a card
without its phone or its "created" event, an appointment without its service line or
first status, a merge without its event). Half-made backups must never be listed.

A "zygote" process imports shopfront once and forks a fresh writer for each round, so
a round costs milliseconds, not an interpreter start. ``SHOPFRONT_KILLS`` sets the number
of kills (default 200); ``SHOPFRONT_KILL_SEED`` replays a run.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.core.customers import Service, Staff
from shopfront.storage import backups

pytestmark = [
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL"),
    pytest.mark.sqlite_only("kills a SQLite writer"),
]
KILLS = int(os.environ.get("SHOPFRONT_KILLS", "200"))
SEED = int(os.environ.get("SHOPFRONT_KILL_SEED", str(int(time.time()))))

ZYGOTE = textwrap.dedent("""
    import os, random, signal, sys
    from datetime import datetime, timedelta, UTC
    from shopfront.book import Book, CustomerForm
    from shopfront.core.booking import BookingRequest

    target, acks = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # killed writers are reaped by the kernel
    START = datetime(2027, 1, 4, 9, tzinfo=UTC)

    def ack(fd, text):
        os.write(fd, (text + "\\n").encode())  # a kill can't lose what the kernel has

    def writer(seed):
        rng = random.Random(seed)
        fd = os.open(acks, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        book = Book.open(target)
        for _ in range(100000):
            n = rng.randrange(10**9)
            form = CustomerForm(name=f"Kill Test {n}", phones=[(f"07400 {n % 1000000:06d}", "mobile")])
            card = book.add_customer(book.build_customer(form))
            ack(fd, f"C {card.id}")
            start = START + timedelta(minutes=30 * card.id)
            visit = book.book(BookingRequest(card.id, 1, (1,), start), override=True)
            ack(fd, f"A {visit.id}")
            if rng.random() < 0.3:
                book.set_status(visit.id, "cancelled", cancelled_by="customer")
                ack(fd, f"X {visit.id}")
            if rng.random() < 0.05 and card.id > 2:
                other = book.add_customer(book.build_customer(form))
                book.merge_customers(card.id, other.id)
                ack(fd, f"M {other.id} {card.id}")

    from shopfront import phones
    phones.parse_phone("07400 123456", "GB", "mobile")  # load phone metadata once, before forking
    print("ready", flush=True)
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            try:
                writer(int(line))
            except BaseException:
                import traceback
                traceback.print_exc()
                os._exit(1)
            os._exit(0)
        print(pid, flush=True)
""")


def one(conn: sqlite3.Connection, sql: str, *args: object) -> int:
    return conn.execute(sql, args).fetchone()[0]


def check_book(path: Path, acked: list[list[str]]) -> None:
    conn = sqlite3.connect(path, timeout=30)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        customers = {row[0] for row in conn.execute("SELECT id FROM customer")}
        visits = dict(conn.execute("SELECT id, status FROM appointment"))
        merged = dict(conn.execute("SELECT id, merged_into FROM customer WHERE merged_into > 0"))
        for kind, *ids in acked:
            if kind == "C":
                assert int(ids[0]) in customers, f"acknowledged card {ids[0]} lost"
            elif kind == "A":
                assert int(ids[0]) in visits, f"acknowledged appointment {ids[0]} lost"
            elif kind == "X":
                assert visits[int(ids[0])] == "cancelled", f"cancellation {ids[0]} lost"
            elif kind == "M":
                assert merged.get(int(ids[0])) == int(ids[1]), f"merge {ids} lost"
        half = {
            "card without a phone": "SELECT count(*) FROM customer c WHERE merged_into IS NULL "
            "AND NOT EXISTS (SELECT 1 FROM customer_phone p WHERE p.customer_id = c.id)",
            "card without its created event": "SELECT count(*) FROM customer c WHERE merged_into "
            "IS NULL AND NOT EXISTS (SELECT 1 FROM customer_event e WHERE e.customer_id = c.id "
            "AND e.kind = 'created')",
            "card missing from search": "SELECT count(*) FROM customer c WHERE merged_into IS "
            "NULL AND c.id NOT IN (SELECT rowid FROM customer_fts)",
            "appointment without a service": "SELECT count(*) FROM appointment a WHERE NOT "
            "EXISTS (SELECT 1 FROM appointment_service s WHERE s.appointment_id = a.id)",
            "appointment without history": "SELECT count(*) FROM appointment a WHERE NOT EXISTS "
            "(SELECT 1 FROM status_change s WHERE s.appointment_id = a.id)",
            "cancellation without history": "SELECT count(*) FROM appointment a WHERE "
            "status = 'cancelled' AND NOT EXISTS (SELECT 1 FROM status_change s WHERE "
            "s.appointment_id = a.id AND s.new = 'cancelled')",
        }
        for what, sql in half.items():
            assert one(conn, sql) == 0, what
        merge_events = one(conn, "SELECT count(*) FROM customer_event WHERE kind = 'merged'")
        assert merge_events == len(merged), "merge without its event"
    finally:
        conn.close()
    for made in backups.listing(path):  # a killed backup never shows up half-made
        copy = backups.read_only(made.path, immutable=True)
        try:
            assert backups.problems(copy, full=False) == [], made.path.name
        finally:
            copy.close()


def test_sigkill_at_random_moments_loses_no_acknowledged_save(tmp_path: Path) -> None:
    path, acks = tmp_path / "book.db", tmp_path / "acks.txt"
    acks.touch()  # a writer killed before its first save has not created it yet
    book = Book.open(str(path))
    book.save_staff(Staff("Maya Okafor"))
    book.save_service(Service("Cut", 30, 3000))
    book.close()
    rng = random.Random(SEED)
    zygote = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE, str(path), str(acks)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        assert zygote.stdout.readline().strip() == "ready"
        for kill in range(KILLS):
            zygote.stdin.write(f"{rng.randrange(10**9)}\n")
            zygote.stdin.flush()
            pid = int(zygote.stdout.readline())
            if kill % 2:  # once it has saved something: a kill in the middle of the work
                _wait_for_more(acks, pid)
                time.sleep(rng.uniform(0.0, 0.03))
            else:  # any moment from the start: opening, checking, first saves
                time.sleep(rng.uniform(0.0, 0.2))
            os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)
            acked = [line.split() for line in acks.read_text().splitlines() if line.strip()]
            try:
                check_book(path, acked)
            except AssertionError as exc:
                raise AssertionError(f"after kill {kill + 1} (seed {SEED}): {exc}") from None
    finally:
        zygote.kill()
        zygote.wait()
    saves = acks.read_text().count("\n")
    assert saves >= KILLS // 2  # every other writer was killed only after a save
    print(f"\n{KILLS} kills, {saves} acknowledged saves, all present (seed {SEED})")


def _wait_for_more(acks: Path, pid: int) -> None:
    """Wait until the writer acknowledges one more save (it may be slow on a busy machine)."""
    before = acks.read_text().count("\n") if acks.exists() else 0
    for _ in range(30_000):
        if acks.exists() and acks.read_text().count("\n") > before:
            return
        time.sleep(0.001)
    raise AssertionError(f"writer {pid} saved nothing in 30 s")


def _wait_gone(pid: int) -> None:
    """The killed writer is reaped by the zygote's kernel; wait until it has vanished so
    no file lock of it can still be held."""
    for _ in range(2000):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.001)
    raise AssertionError(f"writer {pid} did not die")
