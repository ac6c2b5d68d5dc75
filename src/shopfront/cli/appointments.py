"""`shopfront day|book|appointment|slots|hours|absence`: the appointment book from the shell.

Parsing what people type is in appointment_input.py, what is printed in appointment_output.py,
and the repeating-visit commands in series.py.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from shopfront.cli.appointment_input import (
    STATUSES,
    parse_bound,
    parse_day,
    parse_hours,
    parse_instant,
    parse_status,
)
from shopfront.cli.appointment_output import (
    absence_json,
    clock_text,
    day_text,
    detail_json,
    detail_text,
    hours_json,
    visit_json,
    visit_line,
)
from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.core.money import parse_minor
from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from shopfront.core.booking import NeedsOverride


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
    p.add_argument(
        "--override",
        action="store_true",
        help="check in before the appointment's day, or mark a no-show before its start",
    )
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
            raise ShopfrontError(override_hint(exc, "book")) from None
        detail = book.appointment(booked.id)
        emit(visit_json(detail.visit, book.zone()), args.json, str(booked.id))
    return 0


def override_hint(exc: NeedsOverride, action: str) -> str:
    """A soft refusal on the command line: the problems, then how to go ahead anyway."""
    text = " ".join(w.message for w in exc.warnings)
    return f"{text} Pass --override to {action} anyway."


def _check_change_options(args: argparse.Namespace, status: str | None) -> None:
    if status is None and (args.reason or args.cancelled_by or args.price):
        raise ShopfrontError("--reason, --cancelled-by and --price go with --status.")
    if args.cancelled_by and status != "cancelled":
        raise ShopfrontError("--cancelled-by goes with --status cancelled.")
    if args.price and status != "completed":
        raise ShopfrontError("--price goes with --status completed.")


def appointment(args: argparse.Namespace) -> int:
    status = None if args.status is None else parse_status(args.status)
    _check_change_options(args, status)
    with open_book(args, create=False) as book:
        if args.undo:
            book.undo_status(args.id)
        if status is not None:
            from shopfront.core.booking import NeedsOverride

            try:
                book.set_status(
                    args.id,
                    status,
                    reason=args.reason,
                    cancelled_by=args.cancelled_by,
                    final_price_minor=None if args.price is None else parse_minor(args.price),
                    override=args.override,
                )
            except NeedsOverride as exc:
                raise ShopfrontError(override_hint(exc, "change it")) from None
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
            f"{s.start.astimezone(tz):%a %d %b %Y} {clock_text(s.start, tz)}–{clock_text(s.end, tz)}  "
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
