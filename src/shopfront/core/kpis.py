"""Monthly KPIs: one definition each (DESIGN.md "KPIs"), computed from plain rows.

Storage hands over rows (appointments of the month, a little of each customer's history,
follow-ups, cases); this module counts. Nothing here reads a database or draws a page, so
every number can be checked against a hand-computed fixture. A rate whose denominator is
zero is ``None`` ("n/a" on paper), never a division error.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from shopfront.core.care import lapse_threshold
from shopfront.core.care_kpis import CareInput, CareNumbers, care_numbers
from shopfront.core.localtime import first_instant_at_or_after

COMPLETED, NO_SHOW, CANCELLED = "completed", "no_show", "cancelled"
REBOOK_WINDOW = timedelta(hours=24)
RETENTION_DAYS = 90


@dataclass(frozen=True)
class Period:
    """One shop-local calendar month as a UTC half-open interval."""

    year: int
    month: int
    start: datetime
    end: datetime

    @classmethod
    def month_of(cls, year: int, month: int, tz: ZoneInfo) -> Period:
        nxt = (year + month // 12, month % 12 + 1)
        begin = first_instant_at_or_after(datetime(year, month, 1), tz)
        finish = first_instant_at_or_after(datetime(nxt[0], nxt[1], 1), tz)
        return cls(year, month, begin.astimezone(UTC), finish.astimezone(UTC))

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def shifted(self, months: int, tz: ZoneInfo) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period.month_of(index // 12, index % 12 + 1, tz)

    def contains(self, moment: datetime) -> bool:
        return self.start <= moment < self.end

    def first_day(self, tz: ZoneInfo) -> date:
        return self.start.astimezone(tz).date()

    def last_day(self, tz: ZoneInfo) -> date:
        return (self.end - timedelta(microseconds=1)).astimezone(tz).date()


@dataclass(frozen=True)
class Rate:
    """A ratio kept as its two counts, so the page can say "3 of 40" and never divides by 0."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return None if self.denominator == 0 else self.numerator / self.denominator

    @property
    def percent(self) -> float | None:
        v = self.value
        return None if v is None else round(100 * v, 1)


@dataclass(frozen=True)
class VisitRow:
    """An appointment as the report needs it (times aware UTC; money in minor units)."""

    id: int
    customer_id: int
    staff_id: int
    start: datetime
    end: datetime
    booked_at: datetime
    status: str
    price_minor: int = 0
    final_price_minor: int | None = None
    late_cancel: bool = False
    excused: bool = False
    services: tuple[tuple[int, int], ...] = ()  # (service_id, price_minor as booked)
    checkout_at: datetime | None = None  # when it was marked completed, if recorded
    next_booked_at: datetime | None = None  # earliest booking of a later appointment of theirs

    @property
    def revenue(self) -> int:
        """What a completed visit earned: the final price, else the booked price."""
        if self.status != COMPLETED:
            return 0
        return self.price_minor if self.final_price_minor is None else self.final_price_minor

    @property
    def checkout(self) -> datetime:
        return self.checkout_at or self.end


@dataclass(frozen=True)
class MonthInput:
    """Everything a month's summary is computed from; storage fills it, tests write it."""

    period: Period
    visits: list[VisitRow]  # appointments starting in the period, any status
    previous_visit: dict[int, datetime]  # last completed visit before the period, per customer
    last_start: dict[int, datetime]  # each customer's latest appointment start (any status)
    cohort_first: dict[int, datetime]  # customers whose first completed visit is 90 days back
    cohort_visits: dict[int, list[datetime]]  # their completed visits after the first
    owned: dict[int, int] = field(default_factory=dict)  # staff_id -> customers owned
    care: CareInput | None = None  # None: the care tables are not there (older book)


@dataclass(frozen=True)
class Breakdown:
    """Visits and revenue for one staff member or one service."""

    key: int
    visits: int
    revenue_minor: int


@dataclass(frozen=True)
class StaffRow:
    staff_id: int
    visits: int
    revenue_minor: int
    owned_customers: int
    rebooking: Rate


@dataclass(frozen=True)
class MonthlySummary:
    period: Period
    appointments: int  # due in the period, any status
    bookings_made: int  # booked_at in the period (may start later)
    completed: int
    cancelled: int
    cancelled_late: int
    cancelled_on_time: int
    no_shows: int
    no_shows_excused: int
    no_show_rate: Rate
    late_cancel_rate: Rate
    revenue_minor: int
    by_staff: tuple[Breakdown, ...]
    by_service: tuple[Breakdown, ...]
    customers: int  # distinct customers with a completed visit
    new_customers: int
    returning_customers: int
    retention_90d: Rate
    rebooking_24h: Rate
    rebooking_any: Rate
    avg_days_between_visits: float | None
    staff: tuple[StaffRow, ...]
    care: CareNumbers | None = None

    @property
    def empty(self) -> bool:
        return self.appointments == 0 and self.bookings_made == 0


def _share(total: int, parts: list[int]) -> list[int]:
    """Split ``total`` over parts in proportion to their weights, in whole minor units."""
    weight = sum(parts)
    if weight <= 0:
        shares = [0] * len(parts)
        if shares:
            shares[0] = total
        return shares
    shares = [total * p // weight for p in parts]
    shares[-1] += total - sum(shares)
    return shares


def _by_service(completed: list[VisitRow]) -> tuple[Breakdown, ...]:
    visits: dict[int, int] = defaultdict(int)
    money: dict[int, int] = defaultdict(int)
    for v in completed:
        ids = [sid for sid, _ in v.services]
        for sid, amount in zip(ids, _share(v.revenue, [p for _, p in v.services]), strict=True):
            money[sid] += amount
        for sid in set(ids):
            visits[sid] += 1
    rows = [Breakdown(k, visits[k], money[k]) for k in visits]
    return tuple(sorted(rows, key=lambda b: (-b.revenue_minor, b.key)))


def _by_staff(completed: list[VisitRow]) -> tuple[Breakdown, ...]:
    visits: dict[int, int] = defaultdict(int)
    money: dict[int, int] = defaultdict(int)
    for v in completed:
        visits[v.staff_id] += 1
        money[v.staff_id] += v.revenue
    rows = [Breakdown(k, visits[k], money[k]) for k in visits]
    return tuple(sorted(rows, key=lambda b: (-b.revenue_minor, b.key)))


def rebooked_within_24h(visit: VisitRow) -> bool:
    """A later appointment (any status) booked no later than 24 h after checkout: the
    earliest booking among the customer's later appointments is early enough."""
    booked = visit.next_booked_at
    return booked is not None and booked <= visit.checkout + REBOOK_WINDOW


def _rebooked(completed: list[VisitRow]) -> dict[int, bool]:
    """Visit id -> rebooked within 24 h (computed once; the staff table reuses it)."""
    return {v.id: rebooked_within_24h(v) for v in completed}


def _rebooking(
    data: MonthInput, completed: list[VisitRow], flags: dict[int, bool]
) -> tuple[Rate, Rate]:
    strict = sum(flags.values())
    loose = sum(data.last_start.get(v.customer_id, v.start) > v.start for v in completed)
    return Rate(strict, len(completed)), Rate(loose, len(completed))


def _retention(data: MonthInput) -> Rate:
    back = 0
    for customer, first in data.cohort_first.items():
        limit = first + timedelta(days=RETENTION_DAYS)
        back += any(first < t <= limit for t in data.cohort_visits.get(customer, []))
    return Rate(back, len(data.cohort_first))


def _gaps(data: MonthInput, completed: list[VisitRow]) -> float | None:
    """Mean days from each completed visit to the same customer's previous completed one."""
    previous = dict(data.previous_visit)
    gaps: list[float] = []
    for v in sorted(completed, key=lambda v: (v.start, v.id)):
        before = previous.get(v.customer_id)
        if before is not None:
            gaps.append((v.start - before).total_seconds() / 86400)
        previous[v.customer_id] = v.start
    return round(statistics.fmean(gaps), 1) if gaps else None


def summarise(data: MonthInput) -> MonthlySummary:
    """The month's numbers, exactly as DESIGN.md defines them (see ``DEFINITIONS``)."""
    period, visits = data.period, data.visits
    completed = [v for v in visits if v.status == COMPLETED]
    no_shows = [v for v in visits if v.status == NO_SHOW]
    cancelled = [v for v in visits if v.status == CANCELLED]
    late = sum(v.late_cancel for v in cancelled)
    customers = {v.customer_id for v in completed}
    returning = {c for c in customers if c in data.previous_visit}
    flags = _rebooked(completed)
    strict, loose = _rebooking(data, completed, flags)
    by_staff = _by_staff(completed)
    return MonthlySummary(
        period=period,
        appointments=len(visits),
        bookings_made=sum(period.contains(v.booked_at) for v in visits),
        completed=len(completed),
        cancelled=len(cancelled),
        cancelled_late=late,
        cancelled_on_time=len(cancelled) - late,
        no_shows=len(no_shows),
        no_shows_excused=sum(v.excused for v in no_shows),
        no_show_rate=Rate(len(no_shows), len(completed) + len(no_shows)),
        late_cancel_rate=Rate(late, len(visits)),
        revenue_minor=sum(v.revenue for v in completed),
        by_staff=by_staff,
        by_service=_by_service(completed),
        customers=len(customers),
        new_customers=len(customers) - len(returning),
        returning_customers=len(returning),
        retention_90d=_retention(data),
        rebooking_24h=strict,
        rebooking_any=loose,
        avg_days_between_visits=_gaps(data, completed),
        staff=_staff_rows(data, completed, by_staff, flags),
        care=None if data.care is None else care_numbers(data.care),
    )


def _staff_rows(
    data: MonthInput,
    completed: list[VisitRow],
    by_staff: tuple[Breakdown, ...],
    flags: dict[int, bool],
) -> tuple[StaffRow, ...]:
    money = {b.key: b for b in by_staff}
    rebooked: dict[int, int] = defaultdict(int)
    for v in completed:
        rebooked[v.staff_id] += flags[v.id]
    rows = []
    for sid in sorted(set(money) | set(data.owned)):
        b = money.get(sid, Breakdown(sid, 0, 0))
        rate = Rate(rebooked[sid], b.visits)
        rows.append(StaffRow(sid, b.visits, b.revenue_minor, data.owned.get(sid, 0), rate))
    return tuple(rows)


# trend: a light count per month for the charts --------------------------------------------


@dataclass(frozen=True)
class MonthCounts:
    """The counts a 12-month trend needs; storage aggregates them per month in SQL."""

    label: str
    appointments: int
    completed: int
    no_shows: int
    cancelled_late: int
    revenue_minor: int

    @property
    def no_show_rate(self) -> Rate:
        return Rate(self.no_shows, self.completed + self.no_shows)

    @property
    def late_cancel_rate(self) -> Rate:
        return Rate(self.cancelled_late, self.appointments)


# lapsed customers -------------------------------------------------------------------------


@dataclass(frozen=True)
class LapsedCustomer:
    customer_id: int
    last_visit: date
    days_away: int
    threshold_days: float
    visits: int
    value_minor: int  # revenue of the completed visits considered


def lapsed_customers(
    history: dict[int, list[tuple[date, int]]], as_of: date, default_days: int, top: int
) -> list[LapsedCustomer]:
    """Lapsed customers as of ``as_of``, most valuable first (ties: longest away)."""
    found = []
    for customer, visits in history.items():
        days = [d for d, _ in visits if d <= as_of]
        if not days:
            continue
        last = max(days)
        threshold = lapse_threshold(days, default_days)
        away = (as_of - last).days
        if away > threshold:
            value = sum(amount for d, amount in visits if d <= as_of)
            found.append(LapsedCustomer(customer, last, away, threshold, len(days), value))
    found.sort(key=lambda c: (-c.value_minor, -c.days_away, c.customer_id))
    return found[:top]


def summary_numbers(s: MonthlySummary) -> dict[str, object]:
    """The headline numbers keyed by KPI name: what the JSON prints and the PDF shows."""
    numbers: dict[str, object] = {
        "month": s.period.label,
        "appointments": s.appointments,
        "bookings_made": s.bookings_made,
        "completed": s.completed,
        "cancelled": s.cancelled,
        "cancelled_late": s.cancelled_late,
        "cancelled_on_time": s.cancelled_on_time,
        "no_shows": s.no_shows,
        "no_shows_excused": s.no_shows_excused,
        "no_show_rate": s.no_show_rate.percent,
        "late_cancel_rate": s.late_cancel_rate.percent,
        "revenue_minor": s.revenue_minor,
        "customers": s.customers,
        "new_customers": s.new_customers,
        "returning_customers": s.returning_customers,
        "first_visit_retention_90d": s.retention_90d.percent,
        "rebooking_rate_24h": s.rebooking_24h.percent,
        "rebooking_rate_any": s.rebooking_any.percent,
        "avg_days_between_visits": s.avg_days_between_visits,
    }
    if s.care is not None:
        f, c = s.care.followups, s.care
        numbers |= {
            "followups_due": f.due,
            "followups_done_on_time": f.done_on_time,
            "followups_done_late": f.done_late,
            "followups_overdue": f.overdue,
            "cases_opened": c.cases_opened,
            "cases_resolved": c.cases_resolved,
            "median_days_to_resolve": c.median_days_to_resolve,
            "promises_kept_on_time": c.promises.percent,
        }
    return numbers
