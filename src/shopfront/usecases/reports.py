"""Report use cases: gather a month's rows, compute its KPIs, collect what the pages print.

Read-only; each report reads inside one transaction so its numbers agree with each other
even while another desk is booking.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from peewee import Database, SqliteDatabase

from shopfront.core.care_kpis import CareInput
from shopfront.core.kpis import (
    RETENTION_DAYS,
    LapsedCustomer,
    MonthCounts,
    MonthInput,
    MonthlySummary,
    Period,
    lapsed_customers,
    summarise,
)
from shopfront.core.localtime import day_bounds_utc
from shopfront.core.report_data import (
    CaseLine,
    ContactLine,
    CustomerHistory,
    DaySheet,
    MonthlyReport,
    Names,
)
from shopfront.errors import ValidationError
from shopfront.storage import appointments as appointment_store
from shopfront.storage import customers as customer_store
from shopfront.storage import reports as store
from shopfront.storage.convert import from_db

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
LAPSED_LOOKBACK_DAYS = 730  # the care policy's default: longer gone is not chased
LAPSED_BATCH = 200
TOP_LAPSED = 15


@contextmanager
def _server_snapshot(db: Database) -> Iterator[None]:
    """PostgreSQL: REPEATABLE READ, READ ONLY, opened by hand so no write lock is taken."""
    if db.in_transaction():
        yield
        return
    db.connect(reuse_if_open=True)  # first: a reconnect would drop manual_commit's state
    with db.manual_commit():
        db.execute_sql("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            yield
        finally:
            db.execute_sql("ROLLBACK")


def parse_month(text: str) -> tuple[int, int]:
    """'2026-10' -> (2026, 10); anything else is a ValidationError naming the format."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        if not (1 <= month <= 12 and 1900 <= year <= 9999):
            raise ValueError
    except ValueError:
        raise ValidationError(f"'{text}' is not a month such as 2026-10.", "month") from None
    return year, month


def _local_midnight(day: date, tz: ZoneInfo) -> datetime:
    return day_bounds_utc(day, tz).start


def from_db_day(value: object, tz: ZoneInfo) -> date:
    """A stored start (naive UTC string or datetime) as the shop's local date."""
    return from_db(value).astimezone(tz).date()  # type: ignore[arg-type, union-attr]


class ReportUseCases:
    """Mixed into Book; ``self`` is the Book (db, clock, settings, zone)."""

    def _snapshot(self: Book):  # noqa: ANN202 (a transaction context)
        """A read-only transaction: one consistent view for the whole report, taking no
        write lock (the book's write transactions, IMMEDIATE on SQLite and an advisory lock
        on PostgreSQL, would stop every other desk saving while a report is built)."""
        if isinstance(self.db, SqliteDatabase):
            return self.db.atomic(lock_type="DEFERRED")
        return _server_snapshot(self.db)

    def monthly_summary(self: Book, year: int, month: int) -> MonthlySummary:
        with self._snapshot():
            return summarise(self._month_input(Period.month_of(year, month, self.zone())))

    def monthly_report(
        self: Book, year: int, month: int, top_lapsed: int = TOP_LAPSED
    ) -> MonthlyReport:
        tz = self.zone()
        period = Period.month_of(year, month, tz)
        as_of = min(period.last_day(tz), self.today())
        # The trend and the lapsed totals are long aggregates that the database runs without
        # holding Python's lock: on a second connection they overlap the three summaries.
        with ThreadPoolExecutor(1, thread_name_prefix="report") as side:
            aside = side.submit(self._trend_and_lapsed, period, as_of, top_lapsed)
            with self._snapshot():
                owned = store.owned_counts()  # ownership now: the same for the three months
                summary = summarise(self._month_input(period, owned))
                previous = summarise(self._month_input(period.shifted(-1, tz), owned))
                last_year = summarise(self._month_input(period.shifted(-12, tz), owned))
                care = store.care_tables_present()
            trend, lapsed = aside.result()
            with self._snapshot():
                names = self._names(summary, [c.customer_id for c in lapsed])
        log.info("monthly report %s gathered", period.label)
        return MonthlyReport(
            self.settings,
            self.clock(),
            summary,
            previous,
            last_year,
            trend,
            lapsed,
            as_of,
            names,
            care,
        )

    def _trend_and_lapsed(
        self: Book, period: Period, as_of: date, top: int
    ) -> tuple[tuple[MonthCounts, ...], tuple[LapsedCustomer, ...]]:
        """Runs on the report's side thread, with its own connection (closed after)."""
        tz = self.zone()
        with self.db.connection_context(), self._snapshot():
            trend = tuple(store.month_counts(period.shifted(k, tz)) for k in range(-11, 1))
            return trend, tuple(self._lapsed(as_of, top))

    def _month_input(self: Book, period: Period, owned: dict[int, int] | None = None) -> MonthInput:
        visits = store.month_visits(period)
        completed = {v.customer_id for v in visits if v.status == "completed"}
        cohort_start = period.start - timedelta(days=RETENTION_DAYS)
        cohort_end = period.end - timedelta(days=RETENTION_DAYS)
        candidates = store.completed_customers(cohort_start, cohort_end)
        firsts = store.first_completed(candidates)
        cohort = {c: t for c, t in firsts.items() if cohort_start <= t < cohort_end}
        return MonthInput(
            period=period,
            visits=visits,
            previous_visit=store.previous_completed(completed, period.start),
            last_start=store.last_starts(completed),
            cohort_first=cohort,
            cohort_visits=store.completed_starts(
                cohort, cohort_start, cohort_end + timedelta(days=RETENTION_DAYS)
            ),
            owned=owned if owned is not None else store.owned_counts(),
            care=self._care_input(period),
        )

    def _care_input(self: Book, period: Period) -> CareInput | None:
        if not store.care_tables_present():
            return None
        tz = self.zone()
        first, last = period.first_day(tz), period.last_day(tz)
        return CareInput(
            tz,
            first,
            last,
            self.today(),
            store.followups_due(first, last),
            store.cases_for(period, first, last),
        )

    def _lapsed(self: Book, as_of: date, top: int) -> list[LapsedCustomer]:
        """The ``top`` most valuable lapsed customers. Totals per customer come from one
        GROUP BY; only customers in value order are checked (their visits read one by one)
        until ``top`` are found, so a big book costs a query plus a few dozen look-ups."""
        tz, default = self.zone(), self.settings.lapsed_default_days
        since = _local_midnight(as_of - timedelta(days=LAPSED_LOOKBACK_DAYS), tz)
        until = _local_midnight(as_of + timedelta(days=1), tz)
        totals = store.completed_totals(since, until)
        totals.sort(key=lambda t: (-t[3], t[2], t[0]))  # value, then longest away
        found: list[LapsedCustomer] = []
        for start in range(0, len(totals), LAPSED_BATCH):
            batch = totals[start : start + LAPSED_BATCH]
            live = store.live_customers(t[0] for t in batch)
            for customer, visits, last, value in batch:
                if customer not in live:
                    continue
                if visits == 1:
                    history = [(from_db_day(last, tz), value)]
                else:
                    rows = store.completed_visits(customer, since, until)
                    history = [(moment.astimezone(tz).date(), money) for moment, money in rows]
                found += lapsed_customers({customer: history}, as_of, default, 1)
                if len(found) >= top:
                    return found
        return found

    def _names(self: Book, summary: MonthlySummary, customer_ids: list[int]) -> Names:
        ids = set(customer_ids)
        if summary.care is not None:
            ids |= {c.customer_id for c in summary.care.open_cases}
        cards = store.customer_cards(ids)
        return Names(
            staff={s.id: s.name for s in self.staff()},
            services={s.id: s.name for s in self.services()},
            customers={c: name for c, (name, _) in cards.items()},
            owners={c: owner for c, (_, owner) in cards.items()},
        )

    def day_sheet(self: Book, day: date, staff_id: int | None = None) -> DaySheet:
        with self._snapshot():
            schedule = self.day(day, staff_id)
            customers = {v.appointment.customer_id for v in schedule.visits}
            cases = store.open_case_customers(customers)
        return DaySheet(self.settings, self.clock(), schedule, frozenset(cases))

    def customer_history(self: Book, customer_id: int) -> CustomerHistory:
        with self._snapshot():
            card = customer_store.load(customer_id)
            names = {s.id: s.name for s in self.staff()}
            visits = appointment_store.for_customer(customer_id)
            contacts = store.customer_contacts(customer_id)
            cases = store.customer_cases(customer_id)
        return CustomerHistory(
            self.settings,
            self.clock(),
            card,
            names.get(card.owner_id, "") if card.owner_id else "",
            names.get(card.backup_id, "") if card.backup_id else "",
            tuple((a, names.get(a.staff_id, "")) for a in visits),
            tuple(
                ContactLine(at, ch, d, o, s, names.get(st, "") if st else "")
                for at, ch, d, o, s, st in contacts
            ),
            tuple(
                CaseLine(c, w, f, res, names.get(c.owner_id, "") if c.owner_id else "")
                for c, w, f, res in cases
            ),
        )
