"""The demo's years of appointments, simulated as events in time order.

Customers call (or walk in, or rebook at checkout) at a moment; the diary as it stands at
that moment decides where they fit. Each booking's fate is drawn at once (``visits.plan``)
and its consequences are queued: a cancellation frees the slot when it happens, checkout
leads to the next visit in the customer's rhythm, a sick call cancels that day's visits.
Events after "now" are never run, so the future holds only what was booked by now.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from shopfront.demo import schedule
from shopfront.demo.diary import QUARTER, Diary
from shopfront.demo.visits import (
    Client,
    DemoVisit,
    cancel_by_shop,
    draw_lead,
    plan,
    services_for,
)

CALL, FOLLOW, RELEASE, SICK, SERIES = range(5)
NORMAL, REBOOK, WALK_IN = range(3)
OWNER_DAYS = (0, 1, -1, 2, 3, -2, 4, 5, 6, 7, 8, 9, 10)
OTHER_DAYS = (0, 1, 2, -1, 3, 4, 5, 6)
REBOOK_DAYS = (0, 1, -1, 2, -2, 3, 4, 5, 6, 7)
HORIZON_DAYS = 21  # ordinary bookings reach three weeks ahead; rebookings go further
MAX_LEAD_DAYS = 56  # nobody books more than eight weeks ahead
SERIES_LENGTH = 6  # at most; a block never reaches past eight weeks
MINUTE = timedelta(minutes=1)
Progress = Callable[[str, float], None]


class Simulation:
    def __init__(
        self,
        rng: random.Random,
        diary: Diary,
        clients: list[Client],
        prices: Callable[[str, int], tuple[int, int, int]],
        group_staff: dict[str, list[int]],
        now: datetime,
    ) -> None:
        self.rng, self.diary, self.clients = rng, diary, clients
        self.line = prices  # (service name, day) -> (service id, minutes, price)
        self.group_staff = group_staff
        self.now = now
        self.today = diary.day_of(now)
        self.visits: list[DemoVisit] = []
        self.series: list[tuple[int, int, str]] = []
        self.sick_days: dict[tuple[int, int], list[int]] = {}
        self._events: list[tuple] = []
        self._seq = 0

    def push(self, at: datetime, kind: int, *payload: int) -> None:
        self._seq += 1
        heapq.heappush(self._events, (at, self._seq, kind, *payload))

    # running ------------------------------------------------------------------------------

    def start(self) -> None:
        """Each customer's first call comes when their card was created."""
        for index, client in enumerate(self.clients):
            created = self._created[index]
            day = self.diary.day_of(created)
            mode = WALK_IN if self.rng.random() < client.walk_in else NORMAL
            target = day if mode == WALK_IN else day + draw_lead(self.rng, client)
            self.push(created, CALL, index, target, mode, -1)

    def run(self, created: list[datetime], report: Progress) -> None:
        self._created = created
        self.start()
        first = self._events[0][0] if self._events else self.now
        span = max((self.now - first).total_seconds(), 1.0)
        handlers = {
            CALL: self._call,
            FOLLOW: self._follow,
            RELEASE: self._release,
            SICK: self._sick,
            SERIES: self._series,
        }
        count = 0
        while self._events and self._events[0][0] <= self.now:
            event = heapq.heappop(self._events)
            handlers[event[2]](event[0], *event[3:])
            count += 1
            if count % 20000 == 0:
                done = (event[0] - first).total_seconds() / span
                report("appointments", 0.8 * min(1.0, done))  # writing is the last fifth

    # booking --------------------------------------------------------------------------------

    def _lines(self, names: tuple[str, ...], day: int) -> list[tuple[int, int, int]]:
        return [self.line(name, day) for name in names]

    def _call(self, at: datetime, ci: int, target: int, mode: int, origin: int) -> None:
        client = self.clients[ci]
        today = self.diary.day_of(at)
        if mode == NORMAL and target > self.today + HORIZON_DAYS:
            return  # they will book it later, after "now"
        names = services_for(self.rng, client)
        lines = self._lines(names, max(target, today))
        minutes = sum(line[1] for line in lines)
        n = -(-minutes // QUARTER)
        found = self._place(client, at, today, max(target, today), n, mode, origin)
        if found is None:
            self._failed(at, ci, target, mode, origin)
            return
        staff, day, quarter = found
        source = {REBOOK: "in person", WALK_IN: "walk-in"}.get(mode) or self._source(client)
        v = self._book(ci, staff, day, quarter, n, minutes, at, source, lines)
        if origin >= 0 and mode == REBOOK:
            self.visits[origin].rebooked = True
        client.fails = 0
        self._queue(v)

    def _source(self, client: Client) -> str:
        return "online" if self.rng.random() < (0.45 if client.visits == 0 else 0.3) else "phone"

    def _place(
        self, client: Client, at: datetime, today: int, target: int, n: int, mode: int, origin: int
    ) -> tuple[int, int, int] | None:
        diary, wanted = self.diary, (client.minute + self.rng.randint(-60, 60)) // QUARTER
        soonest = -(-(diary.local_minute(at, today) + 30) // QUARTER)
        if mode == WALK_IN:
            for staff in self._team(client, owner_first=True):
                q = diary.find(staff, today, n, soonest, soonest)
                if 0 <= q <= soonest + 8:
                    return staff, today, q
            return None
        if mode == REBOOK:
            return self._first_fit([self.visits[origin].staff_id], target, REBOOK_DAYS, n, wanted)
        if self.rng.random() < client.loyalty:
            found = self._first_fit([client.owner], target, OWNER_DAYS, n, wanted, today, soonest)
            if found or self.rng.random() < 0.4:
                return found
            return self._first_fit(
                self._team(client), target, OTHER_DAYS[:5], n, wanted, today, soonest
            )
        return self._first_fit(self._team(client), target, OTHER_DAYS, n, wanted, today, soonest)

    def _team(self, client: Client, owner_first: bool = False) -> list[int]:
        others = [s for s in self.group_staff[client.group] if s != client.owner]
        self.rng.shuffle(others)
        return [client.owner, *others] if owner_first else others + [client.owner]

    def _first_fit(
        self,
        staff: list[int],
        target: int,
        offsets: tuple[int, ...],
        n: int,
        wanted: int,
        today: int = -1,
        soonest: int = 0,
    ) -> tuple[int, int, int] | None:
        find = self.diary.find
        for offset in offsets:
            day = target + offset
            if day < today:
                continue
            for person in staff:
                q = find(person, day, n, wanted, soonest if day == today else 0)
                if q >= 0:
                    return person, day, q
        return None

    def _book(
        self,
        ci: int,
        staff: int,
        day: int,
        quarter: int,
        n: int,
        minutes: int,
        at: datetime,
        source: str,
        lines: list[tuple[int, int, int]],
        series_id: int | None = None,
    ) -> DemoVisit:
        client = self.clients[ci]
        start = self.diary.instant(day, quarter * QUARTER)
        note = self.rng.choice(schedule.VISIT_NOTES) if self.rng.random() < 0.03 else ""
        v = DemoVisit(
            len(self.visits) + 1,
            ci,
            client.id,
            staff,
            day,
            quarter,
            n,
            start,
            start + timedelta(minutes=minutes),
            at,
            source,
            lines,
            series_id,
            note,
        )
        plan(self.rng, client, v, first=client.visits == 0)
        self.diary.take(staff, day, quarter, n)
        self.visits.append(v)
        if (staff, day) in self.sick_days:
            self.sick_days[staff, day].append(v.id - 1)
        return v

    def _queue(self, v: DemoVisit, follow: bool = True) -> None:
        index = v.id - 1
        if v.outcome == "cancelled":
            self.push(v.outcome_at, RELEASE, index, v.tag)
        if follow:
            self.push(v.outcome_at, FOLLOW, index, v.tag)

    def _failed(self, at: datetime, ci: int, target: int, mode: int, origin: int) -> None:
        """No room: rebooking waits for a later call; others try again or go elsewhere."""
        client = self.clients[ci]
        client.fails += 1
        if mode != REBOOK and (client.fails >= 3 or self.rng.random() < 0.4):
            return
        day = self.diary.day_of(at)
        self._later(ci, max(target, day) + self.rng.randint(5, 14), day + 1)

    def _later(self, ci: int, target: int, after: int) -> None:
        """The customer calls again some days before `target` (or walks in that day)."""
        client, rng = self.clients[ci], self.rng
        walk_in = rng.random() < client.walk_in
        day = max(after, target if walk_in else target - draw_lead(rng, client))
        if day >= self.diary.days - 1:
            return
        minute = rng.randint(9 * 60, 17 * 60) if walk_in else rng.randint(8 * 60, 21 * 60)
        self.push(
            self.diary.instant(day, minute),
            CALL,
            ci,
            max(target, day),
            WALK_IN if walk_in else NORMAL,
            -1,
        )

    # what follows a visit -------------------------------------------------------------------

    def _follow(self, at: datetime, index: int, tag: int) -> None:
        v = self.visits[index]
        if v.tag != tag:
            return  # the shop cancelled it afterwards; that cancellation has its own event
        client, rng = self.clients[v.client], self.rng
        if v.outcome == "completed":
            client.visits += 1
            if client.series_weeks:
                self.push(at + rng.randint(1, 8) * MINUTE, SERIES, v.client, index)
                return
            if rng.random() < (0.3 if client.visits == 1 else client.churn):
                return  # lapsed
            target = v.day + round(client.rhythm * rng.uniform(0.85, 1.2))
            if target + REBOOK_DAYS[-1] - v.day <= MAX_LEAD_DAYS and rng.random() < client.rebook:
                self.push(at + rng.randint(1, 8) * MINUTE, CALL, v.client, target, REBOOK, index)
            else:
                self._later(v.client, target, v.day + 1)
        elif v.outcome == "no_show":
            if rng.random() < 0.65:
                self._later(v.client, v.day + rng.randint(3, 21), v.day + 1)
        else:
            u = rng.random()
            if v.cancelled_by == "shop" or u < 0.55:  # rearranged on the same call
                target = v.day + (
                    rng.randint(1, 7) if v.cancelled_by == "shop" else rng.randint(0, 10)
                )
                self.push(at + rng.randint(1, 5) * MINUTE, CALL, v.client, target, NORMAL, -1)
            elif u < 0.85:
                self._later(v.client, v.day + client.rhythm // 2, self.diary.day_of(at) + 1)

    def _release(self, at: datetime, index: int, tag: int) -> None:
        v = self.visits[index]
        if v.tag == tag:
            self.diary.release(v.staff_id, v.day, v.quarter, v.quarters)

    def _sick(self, at: datetime, staff: int, day: int) -> None:
        """Called in sick that morning: the day is blocked and its visits cancelled by the shop."""
        self.diary.block(staff, day)
        for index in self.sick_days.get((staff, day), []):
            v = self.visits[index]
            if cancel_by_shop(v, at, schedule.SICK_REASON) and v.series_id is None:
                self.push(at, FOLLOW, index, v.tag)

    def _series(self, at: datetime, ci: int, origin: int) -> None:
        """Book the next block of a standing appointment, same time every few weeks."""
        client, last = self.clients[ci], self.visits[origin]
        if last.series_id is not None and self.rng.random() < 0.15:
            self._later(ci, last.day + client.rhythm, last.day + 1)  # back to calling
            return
        names = schedule.PATTERNS[client.group][client.pattern][1]
        lines = self._lines(names, last.day)
        minutes = sum(line[1] for line in lines)
        n, every = -(-minutes // QUARTER), client.series_weeks
        series_id = len(self.series) + 1
        booked = []
        for k in range(1, SERIES_LENGTH + 1):
            day = last.day + k * every * 7
            if day >= self.diary.days or day - self.diary.day_of(at) > MAX_LEAD_DAYS:
                break
            if self.diary.fits(last.staff_id, day, last.quarter, n):
                booked.append(
                    self._book(
                        ci,
                        last.staff_id,
                        day,
                        last.quarter,
                        n,
                        minutes,
                        at,
                        "in person",
                        self._lines(names, day),
                        series_id,
                    )
                )
                self._queue(booked[-1], follow=False)
        if not booked:
            self._later(ci, last.day + every * 7, last.day + 1)
            return
        self.series.append((series_id, every, at.isoformat(" ")))
        last.rebooked = True
        self.push(booked[-1].end + 5 * MINUTE, SERIES, ci, booked[-1].id - 1)
