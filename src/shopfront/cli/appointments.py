"""`shopfront day|book|appointment|slots|hours|absence`: the appointment book from the shell."""

from __future__ import annotations

import argparse
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.core.money import format_minor, parse_minor
from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from shopfront.book import Book
    from shopfront.core.booking import AppointmentDetail, DaySchedule, Visit
    from shopfront.core.workhours import Absence, WorkingHours

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STATUSES = ("booked", "confirmed", "arrived", "completed", "cancelled", "no_show")


def register(sub, common) -> None:
    p = sub.add_parser("day", parents=[common()], help="one day's appointments, by staff member")
    p.add_argument("date", help="YYYY-MM-DD or 'today'")
    p.add_argument("--staff", type=int, help="only this staff member")
    p.set_defaults(handler=day)

    p = sub.add_parser("book", parents=[common()], help="book an appointment")
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--staff", type=int, required=True)
    p.add_argument("--service", type=int, action="append", required=True, help="repeatable")
    p.add_argument("--start", required=True, help="2026-11-24T09:30 (shop time) or with offset")
    p.add_argument("--price", help="e.g. 45.00 (default: the services' prices)")
    p.add_argument("--minutes", type=int, help="length (default: the services' durations)")
    p.add_argument("--source", default="phone", help="phone, walk-in, in person, online, imported")
    p.add_argument("--notes", default="")
    p.add_argument("--override", action="store_true", help="book despite soft problems")
    p.set_defaults(handler=book_one)

    p = sub.add_parser("appointment", parents=[common()], help="show or change one appointment")
    p.add_argument("id", type=int)
    change = p.add_mutually_exclusive_group()
    change.add_argument("--status", help=f"new status: {', '.join(STATUSES)}")
    change.add_argument("--undo", action="store_true", help="undo today's last status change")
    p.add_argument("--reason", default="", help="why (kept in the status history)")
    p.add_argument("--cancelled-by", choices=("customer", "shop"))
    p.add_argument("--price", help="final price when completing, e.g. 45.00")
    p.add_argument("--excuse", metavar="REASON", help="excuse a no-show")
    p.set_defaults(handler=appointment)

    p = sub.add_parser("slots", parents=[common()], help="the next free times for services")
    p.add_argument("--service", type=int, action="append", required=True, help="repeatable")
    p.add_argument("--staff", type=int, help="only this staff member (default: anyone)")
    p.add_argument("--from", dest="start_from", help="not before (default: now)")
    p.add_argument("--count", type=int, default=5)
    p.set_defaults(handler=slots)

    p = sub.add_parser("hours", parents=[common()], help="show or set a staff member's hours")
    p.add_argument("staff_id", type=int)
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="DAY=SPANS",
        help="e.g. 'mon=09:00-13:00,14:00-18:00', 'tue-sat=10:00-18:00', 'sun=off'",
    )
    p.set_defaults(handler=hours)

    p = sub.add_parser("absence", parents=[common()], help="record an absence (sick, holiday…)")
    p.add_argument("--staff", type=int, required=True)
    p.add_argument("--from", dest="start", required=True, help="ISO time, or a date (all day)")
    p.add_argument("--to", dest="end", required=True, help="ISO time, or a date (inclusive)")
    p.add_argument("--reason", required=True, help="sick, holiday, training or other")
    p.add_argument("--note", default="")
    p.set_defaults(handler=absence)


# reading what people type ------------------------------------------------------------------


def parse_day(text: str, book: Book) -> date:
    if text.strip().lower() == "today":
        return book.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShopfrontError(f"'{text}' is not a date such as 2026-11-24 (or 'today').") from None


def _parse_iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ShopfrontError(
            f"'{text}' is not a date and time such as 2026-11-24T09:30 or 2026-11-24T09:30+01:00."
        ) from None


def parse_instant(text: str, tz: ZoneInfo) -> datetime:
    """An offset-aware ISO time as given; a naive one is shop-local and must name one instant."""
    from shopfront.core.localtime import AmbiguousLocalTime, local_to_utc

    moment = _parse_iso(text)
    if moment.tzinfo is not None:
        return moment
    try:
        return local_to_utc(moment, tz)
    except AmbiguousLocalTime as exc:
        first, second = exc.earlier.astimezone(tz), exc.later.astimezone(tz)
        raise ShopfrontError(
            f"{exc} Give the offset: {first.isoformat()} or {second.isoformat()}."
        ) from None


def parse_bound(text: str, tz: ZoneInfo, end: bool) -> datetime:
    """Like parse_instant, but a bare date means the start of that day (or its end)."""
    from shopfront.core.localtime import day_bounds_utc

    if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text):
        bounds = day_bounds_utc(date.fromisoformat(text.strip()), tz)
        return bounds.end if end else bounds.start
    return parse_instant(text, tz)


def parse_hours(settings: list[str], current: WorkingHours | None) -> WorkingHours:
    """Apply 'DAY[-DAY]=HH:MM-HH:MM[,…]' or 'DAY=off' to the current hours."""
    from shopfront.core.workhours import WorkingHours

    spans = current.as_mapping() if current else {}
    for item in settings:
        days_text, sep, spans_text = item.partition("=")
        if not sep:
            raise ShopfrontError(f"'{item}' is not DAY=HH:MM-HH:MM (e.g. mon=09:00-17:00).")
        pairs = [] if spans_text.strip().lower() in ("", "off") else _spans(spans_text)
        for weekday in _weekdays(days_text):
            spans[weekday] = pairs
    return WorkingHours.from_mapping(spans)


def _weekdays(text: str) -> list[int]:
    names = [part.strip().lower()[:3] for part in text.split("-")]
    if not 1 <= len(names) <= 2 or any(n not in DAYS for n in names):
        raise ShopfrontError(f"'{text}' is not a weekday (mon … sun) or a range such as tue-sat.")
    first, last = DAYS.index(names[0]), DAYS.index(names[-1])
    if last < first:
        raise ShopfrontError(f"'{text}' runs backwards; write the days Monday first.")
    return list(range(first, last + 1))


def _spans(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", part)
        if not match:
            raise ShopfrontError(f"'{part}' is not a span such as 09:00-13:00.")
        pairs.append((match.group(1).zfill(5), match.group(2).zfill(5)))
    for clock in (c for pair in pairs for c in pair):
        if int(clock[:2]) > 23 or int(clock[3:]) > 59:
            raise ShopfrontError(f"'{clock}' is not a time of day.")
    return pairs


# JSON shapes (a contract: add keys, never rename or drop) ----------------------------------


def visit_json(v: Visit, tz: ZoneInfo) -> dict[str, Any]:
    a = v.appointment
    return {
        "id": a.id,
        "start": a.start.astimezone(tz).isoformat(),
        "end": a.end.astimezone(tz).isoformat(),
        "minutes": a.minutes,
        "staff": v.staff_name,
        "staff_id": a.staff_id,
        "customer": v.customer_name,
        "customer_id": a.customer_id,
        "services": [s.name for s in a.services],
        "service_ids": [s.service_id for s in a.services],
        "status": a.status.value,
        "price": a.price_minor,
        "final_price": a.final_price_minor,
        "risk": v.risk,  # filled in by the no-show risk issue
        "risk_reasons": list(v.risk_reasons),
        "first_visit": v.first_visit,
        "notes": a.notes,
        "source": a.source,
        "booked_at": a.booked_at.astimezone(tz).isoformat(),
        "cancelled_by": a.cancelled_by,
        "late_cancel": a.late_cancel,
        "excused": a.excused,
        "excuse_reason": a.excuse_reason,
        "series_id": a.series_id,
        "rebooked": a.rebooked,
        "version": a.version,
    }


def detail_json(detail: AppointmentDetail, tz: ZoneInfo) -> dict[str, Any]:
    data = visit_json(detail.visit, tz)
    data["history"] = [
        {
            "at": c.at.astimezone(tz).isoformat(),
            "old": c.old.value if c.old else None,
            "new": c.new.value,
            "by_staff_id": c.by_staff_id,
            "reason": c.reason,
        }
        for c in detail.history
    ]
    return data


def absence_json(a: Absence, staff: str, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "staff_id": a.staff_id,
        "staff": staff,
        "start": a.interval.start.astimezone(tz).isoformat(),
        "end": a.interval.end.astimezone(tz).isoformat(),
        "reason": a.reason.value,
        "note": a.note,
    }


def hours_json(staff_id: int, staff: str, working: WorkingHours | None) -> dict[str, Any]:
    mapping = working.as_mapping() if working else {}
    return {
        "staff_id": staff_id,
        "staff": staff,
        "hours": None if working is None else {d: mapping.get(i, []) for i, d in enumerate(DAYS)},
    }


# text for people ----------------------------------------------------------------------------


def _clock(moment: datetime, tz: ZoneInfo) -> str:
    from shopfront.core.localtime import format_time  # lazy: zoneinfo costs every command

    return format_time(moment.astimezone(tz))


def visit_line(v: Visit, tz: ZoneInfo, currency: str, with_staff: bool = False) -> str:
    a = v.appointment
    marks = [a.status.label]
    if v.first_visit:
        marks.append("first visit")
    if a.late_cancel:
        marks.append("late")
    staff = f"  with {v.staff_name}" if with_staff else ""
    return (
        f"{_clock(a.start, tz)}–{_clock(a.end, tz)}  #{a.id}  {v.customer_name}  "
        f"{a.service_names}  {format_minor(a.price_minor)} {currency}{staff}  [{', '.join(marks)}]"
    )


def day_text(book: Book, schedule: DaySchedule) -> str:
    from shopfront.core.localtime import format_date, weekday_name

    tz, currency = schedule.zone, book.settings.currency
    lines = [f"{weekday_name(schedule.day.weekday())} {format_date(schedule.day)}"]
    for column in schedule.columns:
        hours = ", ".join(f"{_clock(i.start, tz)}–{_clock(i.end, tz)}" for i in column.working)
        lines += ["", f"{column.staff.name}  {hours or 'day off'}"]
        lines += [
            f"  absent {_clock(b.interval.start, tz)}–{_clock(b.interval.end, tz)} ({b.reason})"
            for b in column.absences
        ]
        lines += [f"  {visit_line(v, tz, currency)}" for v in column.visits]
        if not column.visits:
            lines.append("  no appointments")
    if not schedule.columns:
        lines.append("Nobody works this day.")
    return "\n".join(lines)


def detail_text(book: Book, detail: AppointmentDetail) -> str:
    tz, v = book.zone(), detail.visit
    a = v.appointment
    lines = [
        f"{a.start.astimezone(tz):%a %d %b %Y}  "
        + visit_line(v, tz, book.settings.currency, with_staff=True)
    ]
    if a.notes:
        lines.append(f"    notes: {a.notes}")
    if a.excused:
        lines.append(f"    excused: {a.excuse_reason}")
    for c in detail.history:
        old = f"{c.old.label} → " if c.old else ""
        reason = f"  ({c.reason})" if c.reason else ""
        lines.append(f"    {c.at.astimezone(tz):%Y-%m-%d %H:%M}  {old}{c.new.label}{reason}")
    return "\n".join(lines)


# handlers -----------------------------------------------------------------------------------


def day(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        schedule = book.day(parse_day(args.date, book), args.staff)
        tz = schedule.zone
        emit([visit_json(v, tz) for v in schedule.visits], args.json, day_text(book, schedule))
    return 0


def book_one(args: argparse.Namespace) -> int:
    from shopfront.core.booking import BookingRequest, NeedsOverride

    with open_book(args, create=False) as book:
        request = BookingRequest(
            customer_id=args.customer,
            staff_id=args.staff,
            service_ids=tuple(args.service),
            start=parse_instant(args.start, book.zone()),
            price_minor=None if args.price is None else parse_minor(args.price),
            minutes=args.minutes,
            notes=args.notes,
            source=args.source,
        )
        try:
            booked = book.book(request, override=args.override)
        except NeedsOverride as exc:
            text = " ".join(w.message for w in exc.warnings)
            raise ShopfrontError(f"{text} Pass --override to book anyway.") from None
        detail = book.appointment(booked.id)
        emit(visit_json(detail.visit, book.zone()), args.json, str(booked.id))
    return 0


def _status(text: str) -> str:
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    if value not in STATUSES:
        raise ShopfrontError(f"'{text}' is not a status; use one of {', '.join(STATUSES)}.")
    return value


def _check_change_options(args: argparse.Namespace, status: str | None) -> None:
    if status is None and (args.reason or args.cancelled_by or args.price):
        raise ShopfrontError("--reason, --cancelled-by and --price go with --status.")
    if args.cancelled_by and status != "cancelled":
        raise ShopfrontError("--cancelled-by goes with --status cancelled.")
    if args.price and status != "completed":
        raise ShopfrontError("--price goes with --status completed.")


def appointment(args: argparse.Namespace) -> int:
    status = None if args.status is None else _status(args.status)
    _check_change_options(args, status)
    with open_book(args, create=False) as book:
        if args.undo:
            book.undo_status(args.id)
        if status is not None:
            book.set_status(
                args.id,
                status,
                reason=args.reason,
                cancelled_by=args.cancelled_by,
                final_price_minor=None if args.price is None else parse_minor(args.price),
            )
        if args.excuse is not None:
            book.excuse_no_show(args.id, args.excuse)
        detail = book.appointment(args.id)
        emit(detail_json(detail, book.zone()), args.json, detail_text(book, detail))
    return 0


def slots(args: argparse.Namespace) -> int:
    if not 1 <= args.count <= 200:
        raise ShopfrontError("--count must be between 1 and 200.")
    with open_book(args, create=False) as book:
        tz = book.zone()
        names = {s.id: s.name for s in book.staff()}
        if args.staff is not None:
            book.get_staff(args.staff)  # an unknown id is an error, not "no slots"
        start = None if args.start_from is None else parse_bound(args.start_from, tz, end=False)
        found = book.free_slots(tuple(args.service), args.staff, start, args.count)
        data = [
            {
                "staff_id": s.staff_id,
                "staff": names.get(s.staff_id, ""),
                "start": s.start.astimezone(tz).isoformat(),
                "end": s.end.astimezone(tz).isoformat(),
            }
            for s in found
        ]
        text = "\n".join(
            f"{s.start.astimezone(tz):%a %d %b %Y} {_clock(s.start, tz)}–{_clock(s.end, tz)}  "
            f"{names.get(s.staff_id, '')} (staff {s.staff_id})"
            for s in found
        )
        emit(data, args.json, text or "No free time in the next 60 days.")
    return 0


def hours(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        person = book.get_staff(args.staff_id)
        working = book.working_hours(person.id)
        if args.set:
            book.set_working_hours(person.id, parse_hours(args.set, working))
            working = book.working_hours(person.id)
        if working is None:
            text = f"{person.name}: no working hours set (bookable any time)."
        else:
            text = "\n".join([person.name] + [f"  {working.describe(d)}" for d in range(7)])
        emit(hours_json(person.id, person.name, working), args.json, text)
    return 0


def absence(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        tz = book.zone()
        person = book.get_staff(args.staff)
        start = parse_bound(args.start, tz, end=False)
        end = parse_bound(args.end, tz, end=True)
        saved, affected = book.add_absence(person.id, start, end, args.reason, args.note)
        from shopfront.cli.care import call_list_json

        data = {
            "absence": absence_json(saved, person.name, tz),
            "affected": [visit_json(v, tz) for v in affected],
            "call_list": call_list_json(book.call_list(saved.id), tz),
        }
        head = (
            f"Absence #{saved.id}: {person.name}, {saved.reason}, "
            f"{start.astimezone(tz):%a %d %b %Y %H:%M} – {end.astimezone(tz):%a %d %b %Y %H:%M}. "
            f"{len(affected)} appointment(s) to rearrange."
        )
        lines = [head] + [
            f"  {v.appointment.start.astimezone(tz):%a %d %b}  "
            f"{visit_line(v, tz, book.settings.currency)}"
            for v in affected
        ]
        emit(data, args.json, "\n".join(lines))
    return 0
