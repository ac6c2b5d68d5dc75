"""Care KPIs for the monthly report: follow-ups kept and promises kept, per staff member.

Counted from plain rows of the follow-up and case tables; dates are shop-local dates, and
"today" is an argument so a report printed twice on the same day says the same thing.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

DONE, OPEN, SKIPPED, CLOSED = "done", "open", "skipped", "closed"
PROMISE_PENDING = ("open", "fix_promised")


@dataclass(frozen=True)
class FollowupRow:
    id: int
    staff_id: int | None
    due: date
    status: str  # open, done, skipped
    done_at: datetime | None = None


@dataclass(frozen=True)
class CaseRow:
    id: int
    customer_id: int
    owner_id: int | None
    opened_at: datetime
    status: str
    fix_due: date | None = None
    fixed_at: datetime | None = None
    closed_at: datetime | None = None
    severity: str = "medium"

    @property
    def resolved_at(self) -> datetime | None:
        """The fix, or the close when no fix was recorded: whichever came first."""
        moments = [m for m in (self.fixed_at, self.closed_at) if m is not None]
        return min(moments) if moments else None


@dataclass(frozen=True)
class CareInput:
    zone: ZoneInfo
    first_day: date
    last_day: date
    today: date
    followups: list[FollowupRow]  # due in the month
    cases: list[CaseRow]  # opened, resolved, promised or open in the month, and all open ones


@dataclass(frozen=True)
class FollowupCounts:
    due: int = 0
    done_on_time: int = 0
    done_late: int = 0
    overdue: int = 0
    open_not_due: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class PromiseCounts:
    due: int = 0  # promises whose date fell in the month and is decided (kept or passed)
    kept_on_time: int = 0

    @property
    def percent(self) -> float | None:
        return None if self.due == 0 else round(100 * self.kept_on_time / self.due, 1)


@dataclass(frozen=True)
class OpenCase:
    case_id: int
    customer_id: int
    owner_id: int | None
    opened: date
    fix_due: date | None
    status: str
    severity: str
    overdue: bool


@dataclass(frozen=True)
class CareNumbers:
    followups: FollowupCounts
    followups_by_staff: dict[int | None, FollowupCounts]
    cases_opened: int
    cases_resolved: int
    median_days_to_resolve: float | None
    promises: PromiseCounts
    promises_by_owner: dict[int | None, PromiseCounts]
    cases_owned: dict[int | None, int]
    open_cases: tuple[OpenCase, ...] = field(default_factory=tuple)


def _day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return None if moment is None else moment.astimezone(zone).date()


def _followup_counts(rows: list[FollowupRow], zone: ZoneInfo, today: date) -> FollowupCounts:
    counts = defaultdict(int)
    for f in rows:
        counts["due"] += 1
        done = _day(f.done_at, zone)
        if f.status == DONE:
            counts["done_on_time" if done is not None and done <= f.due else "done_late"] += 1
        elif f.status == SKIPPED:
            counts["skipped"] += 1
        elif f.due < today:
            counts["overdue"] += 1
        else:
            counts["open_not_due"] += 1
    return FollowupCounts(**counts)


def _in_month(day: date | None, data: CareInput) -> bool:
    return day is not None and data.first_day <= day <= data.last_day


def _promises(cases: list[CaseRow], data: CareInput) -> PromiseCounts:
    due = kept = 0
    for c in cases:
        if not _in_month(c.fix_due, data):
            continue
        resolved = _day(c.resolved_at, data.zone)
        if resolved is None and c.fix_due >= data.today:  # type: ignore[operator]
            continue  # its day has not come yet: neither kept nor broken
        due += 1
        kept += resolved is not None and resolved <= c.fix_due  # type: ignore[operator]
    return PromiseCounts(due, kept)


def _open_during(c: CaseRow, data: CareInput) -> bool:
    opened = _day(c.opened_at, data.zone)
    closed = _day(c.closed_at, data.zone)
    return opened <= data.last_day and (closed is None or closed >= data.first_day)  # type: ignore[operator]


def _open_case(c: CaseRow, data: CareInput) -> OpenCase:
    overdue = c.status in PROMISE_PENDING and c.fix_due is not None and c.fix_due < data.today
    return OpenCase(
        c.id,
        c.customer_id,
        c.owner_id,
        _day(c.opened_at, data.zone),  # type: ignore[arg-type]
        c.fix_due,
        c.status,
        c.severity,
        overdue,
    )


def care_numbers(data: CareInput) -> CareNumbers:
    zone = data.zone
    due = [f for f in data.followups if _in_month(f.due, data)]
    per_staff: dict[int | None, list[FollowupRow]] = defaultdict(list)
    for f in due:
        per_staff[f.staff_id].append(f)
    resolved = [c for c in data.cases if _in_month(_day(c.resolved_at, zone), data)]
    durations = [(c.resolved_at - c.opened_at).total_seconds() / 86400 for c in resolved]  # type: ignore[operator]
    owners: dict[int | None, list[CaseRow]] = defaultdict(list)
    for c in data.cases:
        owners[c.owner_id].append(c)
    open_now = [c for c in data.cases if c.status != CLOSED]
    open_now.sort(key=lambda c: (not _open_case(c, data).overdue, c.opened_at, c.id))
    return CareNumbers(
        followups=_followup_counts(due, zone, data.today),
        followups_by_staff={k: _followup_counts(v, zone, data.today) for k, v in per_staff.items()},
        cases_opened=sum(_in_month(_day(c.opened_at, zone), data) for c in data.cases),
        cases_resolved=len(resolved),
        median_days_to_resolve=round(statistics.median(durations), 1) if durations else None,
        promises=_promises(data.cases, data),
        promises_by_owner={k: _promises(v, data) for k, v in owners.items()},
        cases_owned={k: sum(_open_during(c, data) for c in v) for k, v in owners.items()},
        open_cases=tuple(_open_case(c, data) for c in open_now),
    )
