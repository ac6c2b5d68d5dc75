"""Waiting for the write lock fairly: BEGIN IMMEDIATE that tries again instead of failing.

SQLite's busy handler polls with growing sleeps (up to 100 ms apart), which is unfair:
while another desk commits in a loop, one desk can miss every free moment for the whole
busy timeout and get "database is locked". Measured here on a loaded machine: 1–2 of
1,000 bookings by two processes. A failed BEGIN has done nothing yet, so it is safe to
try again at once (the busy handler's polls start short again), with a little jitter,
for up to ``WAIT_SECONDS`` in all. Only then does the user hear that the book is busy.
"""

from __future__ import annotations

import logging
import random
import time

from peewee import OperationalError, SqliteDatabase

from shopfront.errors import ShopfrontError

log = logging.getLogger(__name__)
WAIT_SECONDS = 60.0


class BookBusyError(ShopfrontError):
    """Another desk held the book's write lock for longer than we wait."""


class PatientSqliteDatabase(SqliteDatabase):
    """A SqliteDatabase whose transactions wait their turn for the write lock."""

    def begin(self, lock_type: str | None = None) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        attempts = 0
        while True:
            try:
                super().begin(lock_type)
                return
            except OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                attempts += 1
                log.warning("write lock busy; trying again (%d)", attempts)
                if time.monotonic() >= deadline:
                    raise BookBusyError(
                        "The book is busy at another desk; nothing was saved. Try again."
                    ) from None
                time.sleep(random.uniform(0.0, 0.01))
