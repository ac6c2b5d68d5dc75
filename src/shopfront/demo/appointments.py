"""Demo appointment book: working hours, absences and years of visits, written in bulk.

The history is simulated in ``demo.simulation`` over a bit-mask diary (``demo.diary``) that
never lets two active appointments of one staff member overlap; the rows then go through
``executemany`` on peewee's connection, inside the demo's one transaction.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import UTC, timedelta

from shopfront.book import Book
from shopfront.core.workhours import WorkingHours
from shopfront.demo import schedule
from shopfront.demo.customers import DemoCustomer
from shopfront.demo.diary import FULL, Diary
from shopfront.demo.simulation import SICK, Simulation
from shopfront.demo.visits import Client, make_client, rows, stamp

Progress = Callable[[str, float], None]
FUTURE_DAYS = 110  # rebooking at checkout reaches about three months ahead
CHUNK = 5000
MORNING = 7 * 60 + 30  # sick calls come in before opening

SQL_SERIES = "INSERT INTO appointment_series (id, every_weeks, created_at) VALUES (?,?,?)"
SQL_ABSENCE = "INSERT INTO absence (staff_id, start_at, end_at, reason, note, created_at) VALUES (?,?,?,?,?,?)"
SQL_APPOINTMENT = (
    "INSERT INTO appointment (id, customer_id, staff_id, start_at, end_at, booked_at, source,"
    " status, price_minor, final_price_minor, notes, cancelled_by, late_cancel, excused,"
    " excuse_reason, series_id, rebooked, version) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
)
SQL_LINE = (
    "INSERT INTO appointment_service (appointment_id, service_id, position, duration_min,"
    " price_minor) VALUES (?,?,?,?,?)"
)
SQL_CHANGE = (
    "INSERT INTO status_change (appointment_id, at, old, new, by_staff_id, reason)"
    " VALUES (?,?,?,?,?,?)"
)


def add_appointments(
    book: Book,
    people: list[DemoCustomer],
    staff_ids: list[int],
    seed: int,
    years: int,
    report: Progress,
) -> int:
    """Hours for the team, absences, and the appointment history; returns how many."""
    rng = random.Random(f"appointments:{seed}")
    now = book.clock().astimezone(UTC).replace(tzinfo=None, microsecond=0)
    hours = {sid: schedule.HOURS[i] for i, sid in enumerate(staff_ids)}
    for sid, week in hours.items():
        book.set_working_hours(sid, WorkingHours.from_mapping(week))
    tz = book.zone()
    today = book.today()
    first_day = today - timedelta(days=365 * years + 1)
    diary = Diary(first_day, (today - first_day).days + FUTURE_DAYS, tz, hours)
    clients = _clients(rng, people, staff_ids)
    sim = Simulation(rng, diary, clients, _prices(book, diary.day_of(now)), _teams(staff_ids), now)
    absences = _absences(rng, sim, staff_ids)
    sim.run([p.created_at.astimezone(UTC).replace(tzinfo=None) for p in people], report)
    absences += _sick_tomorrow(sim)
    _write(book, sim, absences, report)
    return len(sim.visits)


def _clients(rng: random.Random, people: list[DemoCustomer], staff_ids: list[int]) -> list[Client]:
    clients = [
        make_client(rng, p.id, p.owner_id, schedule.SKILLS[staff_ids.index(p.owner_id)], p.tags)
        for p in people
    ]
    regulars = [
        i
        for i, c in enumerate(clients)
        if schedule.PATTERNS[c.group][c.pattern][1] in schedule.SERIES_PATTERNS
    ]
    wanted = min(25, max(3, len(clients) // 250), len(regulars))
    for index in rng.sample(regulars, wanted):
        c = clients[index]
        c.series_weeks = rng.choice((2, 3, 4))
        c.rhythm, c.churn, c.no_show = c.series_weeks * 7, 0.01, min(c.no_show, 0.035)
    return clients


def _teams(staff_ids: list[int]) -> dict[str, list[int]]:
    return {
        group: [sid for i, sid in enumerate(staff_ids) if group in schedule.SKILLS[i]]
        for group in schedule.PATTERNS
    }


def _prices(book: Book, today: int) -> Callable[[str, int], tuple[int, int, int]]:
    """(service id, minutes, price) for a service on a day: prices rose ~3.5 % a year."""
    services = {s.name: s for s in book.services()}
    cache: dict[tuple[str, int], tuple[int, int, int]] = {}

    def line(name: str, day: int) -> tuple[int, int, int]:
        key = (name, max(0, (today - day) // 365))
        if key not in cache:
            s = services[name]
            price = int(round(s.price_minor * (1 - 0.035 * key[1]) / 50.0)) * 50
            cache[key] = (s.id, s.duration_min, price)
        return cache[key]

    return line


# absences -------------------------------------------------------------------------------------


def _absences(rng: random.Random, sim: Simulation, staff_ids: list[int]) -> list[tuple]:
    """A holiday and a training day a year, planned ahead; a few sick days, called in."""
    diary, found = sim.diary, []
    for sid in staff_ids:
        for year in range(0, diary.days, 365):
            first = year + rng.randrange(0, 351)
            last = min(first + rng.choice((7, 7, 10, 14)) - 1, diary.days - 1)
            if first < diary.days:
                found.append(_planned(rng, sim, sid, first, last, "holiday", (60, 120)))
            day = _working_day(rng, sim, sid, year, min(year + 365, diary.days))
            if day is not None:
                found.append(_planned(rng, sim, sid, day, day, "training", (30, 90)))
            for _ in range(rng.choice((1, 2, 2, 3))):
                day = _working_day(rng, sim, sid, year, min(year + 365, sim.today))
                if day is not None and (sid, day) not in sim.sick_days:
                    found.append(_sick(rng, sim, sid, day))
    return found


def _working_day(rng: random.Random, sim: Simulation, sid: int, low: int, high: int) -> int | None:
    for _ in range(20):
        if high <= low:
            return None
        day = rng.randrange(low, high)
        if sim.diary.works(sid, day) and sim.diary.busy[sid][day] != FULL:
            return day
    return None


def _planned(
    rng: random.Random, sim: Simulation, sid: int, first: int, last: int, reason: str, ahead: tuple
) -> tuple:
    for day in range(first, last + 1):
        sim.diary.block(sid, day)
    created = sim.diary.instant(first, 10 * 60) - timedelta(days=rng.randint(*ahead))
    notes = schedule.HOLIDAY_NOTES if reason == "holiday" else schedule.TRAINING_NOTES
    start, end = sim.diary.bounds(first, last)
    return (sid, stamp(start), stamp(end), reason, rng.choice(notes), stamp(min(created, sim.now)))


def _sick(rng: random.Random, sim: Simulation, sid: int, day: int) -> tuple:
    called = sim.diary.instant(day, MORNING)
    sim.sick_days[sid, day] = []
    sim.push(called, SICK, sid, day)
    start, end = sim.diary.bounds(day, day)
    return (sid, stamp(start), stamp(end), "sick", rng.choice(schedule.SICK_NOTES), stamp(called))


def _sick_tomorrow(sim: Simulation) -> list[tuple]:
    """Someone calls in sick for tomorrow (or the next day with bookings, after a Sunday):
    the busiest person that day, whose booked visits become today's call list."""
    upcoming: Counter[tuple[int, int]] = Counter()
    for v in sim.visits:
        if sim.today < v.day <= sim.today + 7:
            status = [c for c in v.changes if c[0] <= sim.now][-1][2]
            if status in ("booked", "confirmed"):
                upcoming[v.day, v.staff_id] += 1
    if not upcoming:
        return []
    day = min(d for d, _ in upcoming)
    staff = min((-n, sid) for (d, sid), n in upcoming.items() if d == day)[1]  # the busiest
    start, end = sim.diary.bounds(day, day)
    note = "Called this morning: off sick, please ring the customers"
    return [(staff, stamp(start), stamp(end), "sick", note, stamp(sim.now - timedelta(hours=1)))]


# writing ---------------------------------------------------------------------------------------


def _write(book: Book, sim: Simulation, absences: list[tuple], report: Progress) -> None:
    cursor = book.db.cursor()
    cursor.executemany(SQL_SERIES, sim.series)
    cursor.executemany(SQL_ABSENCE, sorted(absences, key=lambda a: (a[5], a[0])))
    visits = sim.visits
    for first in range(0, len(visits), CHUNK):
        appointments, lines, changes = [], [], []
        for v in visits[first : first + CHUNK]:
            row, services, history = rows(v, sim.now)
            appointments.append(row)
            lines += services
            changes += history
        cursor.executemany(SQL_APPOINTMENT, appointments)
        cursor.executemany(SQL_LINE, lines)
        cursor.executemany(SQL_CHANGE, changes)
        report("appointments", 0.8 + 0.2 * min(1.0, (first + CHUNK) / len(visits)))
