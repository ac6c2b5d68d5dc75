"""Demo customers' habits and one visit's life: confirmation, arrival, checkout or a miss.

Each visit's fate is drawn once, when it is booked, as a list of dated status changes; the
book shows the changes that happened before "now". No-shows and late cancellations get
likelier with a longer lead time and with the customer's own habits (a few customers are
repeat no-showers); a confirmation the day before makes a no-show less likely.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shopfront.demo import schedule

LATE_HOURS = 24
HOUR = timedelta(hours=1)


@dataclass(slots=True)
class Client:
    """A demo customer's habits, drawn once, and where they are in their visit rhythm."""

    id: int
    owner: int
    group: str
    pattern: int
    rhythm: int  # days between visits
    no_show: float
    late: float
    cancel: float
    rebook: float
    churn: float
    lead_days: float  # how far ahead they usually book
    minute: int  # preferred start, minutes after local midnight
    walk_in: float
    loyalty: float  # chance a visit is with their owner
    bridal: bool
    series_weeks: int = 0
    visits: int = 0
    fails: int = 0


@dataclass(slots=True)
class DemoVisit:
    """One appointment as generated; ``changes`` holds (at, old, new, by_staff, reason)."""

    id: int
    client: int  # index into the simulation's clients
    customer_id: int
    staff_id: int
    day: int
    quarter: int
    quarters: int
    start: datetime
    end: datetime
    booked_at: datetime
    source: str
    lines: list[tuple[int, int, int]]  # service id, minutes, price
    series_id: int | None = None
    notes: str = ""
    changes: list[tuple] = field(default_factory=list)
    outcome: str = "completed"
    outcome_at: datetime | None = None
    final_price: int | None = None
    cancelled_by: str | None = None
    late: bool = False
    excused: bool = False
    excuse_reason: str = ""
    rebooked: bool = False
    tag: int = 0  # bumped when the shop cancels it afterwards, so pending events go stale

    @property
    def price(self) -> int:
        return sum(line[2] for line in self.lines)


def _mix(rng: random.Random, options: list[tuple[float, float]]) -> float:
    """Pick a value from (weight, value) pairs."""
    return rng.choices([v for _, v in options], [w for w, _ in options])[0]


def make_client(
    rng: random.Random, cid: int, owner: int, skills: tuple[str, ...], tags: list[str]
) -> Client:
    group = rng.choices(skills, [schedule.GROUP_WEIGHT[g] for g in skills])[0]
    patterns = schedule.PATTERNS[group]
    pattern = rng.choices(range(len(patterns)), [p[0] for p in patterns])[0]
    low, high = patterns[pattern][2]
    walk_in = 0.5 if "walk-in regular" in tags else (0.1 if group == "men" else 0.02)
    minute = rng.choices(*zip(*schedule.TIMES_OF_DAY, strict=True))[0]
    return Client(
        id=cid,
        owner=owner,
        group=group,
        pattern=pattern,
        rhythm=rng.randint(low * 7, high * 7),
        no_show=_mix(rng, [(74, 0.05), (19, 0.12), (7, 0.4)]),
        late=_mix(rng, [(78, 0.02), (17, 0.06), (5, 0.2)]),
        cancel=_mix(rng, [(70, 0.04), (30, 0.1)]),
        rebook=_mix(rng, [(65, 0.95), (25, 0.5), (10, 0.15)]),
        churn=_mix(rng, [(70, 0.03), (30, 0.1)]),
        lead_days=_mix(rng, [(20, 1.0), (35, 5.0), (30, 12.0), (15, 25.0)]),
        minute=minute,
        walk_in=walk_in,
        loyalty=_mix(rng, [(70, 0.88), (30, 0.62)]),
        bridal="bridal" in tags,
    )


def draw_lead(rng: random.Random, client: Client) -> int:
    """Days between calling and the visit: same day to eight weeks."""
    return min(56, int(rng.expovariate(1 / client.lead_days)))


def services_for(rng: random.Random, client: Client) -> tuple[str, ...]:
    patterns = schedule.PATTERNS[client.group]
    if client.bridal and rng.random() < 0.3:
        return schedule.BRIDAL
    if rng.random() < 0.75:
        return patterns[client.pattern][1]
    return rng.choices(patterns, [p[0] for p in patterns])[0][1]


def _seconds(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(seconds=int(rng.uniform(low, high)))


def plan(rng: random.Random, client: Client, v: DemoVisit, first: bool) -> None:
    """Draw the visit's fate and its dated status changes (some may lie after "now")."""
    v.changes = [(v.booked_at, None, "booked", None, v.source)]
    if v.source == "walk-in":
        _complete(rng, v, "booked")
        return
    lead = (v.start - v.booked_at).total_seconds() / 86400
    factor = 0.45 + 1.5 * min(lead, 56.0) / 56.0  # longer lead, more misses
    confirm_at = v.start - _seconds(rng, 16 * 3600, 30 * 3600)
    confirmed = confirm_at > v.booked_at + HOUR and rng.random() < 0.7
    no_show = client.no_show * factor * (1.5 if first else 1.0) * (0.55 if confirmed else 1.0)
    odds = [
        ("shop", 0.005),
        ("late", client.late * factor if lead > 0.1 else 0.0),
        ("cancel", client.cancel * factor if lead > 1.2 else 0.0),
        ("no_show", no_show),
    ]
    u, fate = rng.random(), "completed"
    for name, p in odds:
        if u < p:
            fate = name
            break
        u -= p
    _apply(rng, v, fate, confirm_at if confirmed else None)


def _apply(rng: random.Random, v: DemoVisit, fate: str, confirm_at: datetime | None) -> None:
    if fate == "shop":
        at = v.booked_at + (v.start - 2 * HOUR - v.booked_at) * rng.random()
        at = max(at, v.booked_at + timedelta(minutes=5))
        reason = rng.choice(schedule.SHOP_CANCEL_REASONS)
        _cancel(v, _confirm(v, confirm_at, at), at, "shop", reason)
    elif fate == "late":
        at = max(v.start - _seconds(rng, 1800, (LATE_HOURS - 0.5) * 3600), v.booked_at + HOUR / 6)
        _cancel(v, _confirm(v, confirm_at, at), at, "customer", rng.choice(schedule.CANCEL_REASONS))
    elif fate == "cancel":
        latest = v.start - (LATE_HOURS + 1) * HOUR
        at = v.booked_at + HOUR + (latest - v.booked_at - HOUR) * rng.random()
        _cancel(v, _confirm(v, confirm_at, at), at, "customer", rng.choice(schedule.CANCEL_REASONS))
    elif fate == "no_show":
        at = v.start + _seconds(rng, 20 * 60, 45 * 60)
        status = _confirm(v, confirm_at, at)
        v.changes.append((at, status, "no_show", None, ""))
        v.outcome, v.outcome_at = "no_show", at
        if rng.random() < 0.12:
            v.excused, v.excuse_reason = True, rng.choice(schedule.EXCUSES)
    else:
        _complete(rng, v, _confirm(v, confirm_at, v.start))


def _confirm(v: DemoVisit, confirm_at: datetime | None, before: datetime) -> str:
    """Add the confirmation if it came before `before`; returns the status it leaves."""
    if confirm_at is None or confirm_at >= before:
        return "booked"
    reason = schedule.CONFIRM_REASONS[v.id % len(schedule.CONFIRM_REASONS)]
    v.changes.append((confirm_at, "booked", "confirmed", None, reason))
    return "confirmed"


def _cancel(v: DemoVisit, status: str, at: datetime, by: str, reason: str) -> None:
    v.changes.append((at, status, "cancelled", None, reason))
    v.outcome, v.outcome_at, v.cancelled_by = "cancelled", at, by
    v.late = by == "customer" and v.start - at < LATE_HOURS * HOUR


def _complete(rng: random.Random, v: DemoVisit, status: str) -> None:
    arrived = max(v.start - _seconds(rng, 0, 12 * 60), v.booked_at + timedelta(minutes=1))
    done = v.end + _seconds(rng, 0, 12 * 60)
    v.changes += [
        (arrived, status, "arrived", v.staff_id, ""),
        (done, "arrived", "completed", v.staff_id, ""),
    ]
    v.outcome, v.outcome_at = "completed", done
    u = rng.random()
    extra = 1.15 if u < 0.1 else (0.9 if u < 0.15 else 1.0)  # add-ons, or a goodwill discount
    v.final_price = int(round(v.price * extra / 50.0)) * 50


def cancel_by_shop(v: DemoVisit, at: datetime, reason: str) -> bool:
    """The shop cancels afterwards (a sick call); False if the visit was already over."""
    before = [c for c in v.changes if c[0] < at]
    if before[-1][2] not in ("booked", "confirmed"):
        return False
    v.changes = before + [(at, before[-1][2], "cancelled", None, reason)]
    v.outcome, v.outcome_at, v.cancelled_by, v.late = "cancelled", at, "shop", False
    v.excused, v.final_price, v.tag = False, None, v.tag + 1
    return True


def stamp(moment: datetime) -> str:
    return moment.isoformat(" ")


def rows(v: DemoVisit, now: datetime) -> tuple[tuple, list[tuple], list[tuple]]:
    """(appointment row, service rows, status-change rows) as the book shows them at `now`."""
    seen = [c for c in v.changes if c[0] <= now]
    status = seen[-1][2]
    done, cancelled, missed = status == "completed", status == "cancelled", status == "no_show"
    row = (
        v.id,
        v.customer_id,
        v.staff_id,
        stamp(v.start),
        stamp(v.end),
        stamp(v.booked_at),
        v.source,
        status,
        v.price,
        v.final_price if done else None,
        v.notes,
        v.cancelled_by if cancelled else None,
        int(cancelled and v.late),
        int(missed and v.excused),
        v.excuse_reason if missed and v.excused else "",
        v.series_id,
        int(v.rebooked) if done else None,
        len(seen) + (1 if done else 0),  # checkout also records `rebooked`
    )
    services = [
        (v.id, sid, pos, minutes, price) for pos, (sid, minutes, price) in enumerate(v.lines)
    ]
    history = [(v.id, stamp(at), old, new, by, reason) for at, old, new, by, reason in seen]
    return row, services, history
