"""`shopfront series book|cancel|move|services`: repeating visits from the shell.

Each change is all or nothing, like in the window: a series is booked only when every date
can be (or with --skip-problems, the others), and a change to "this and all later ones"
happens to all of them or to none, naming every date that stands in the way.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any

from shopfront.cli.appointment_input import parse_instant
from shopfront.cli.appointment_output import visit_json, visit_line
from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.core.money import parse_minor
from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from shopfront.book import Book
    from shopfront.core.booking import Appointment


def register(sub, common) -> None:
    series = sub.add_parser("series", help="repeating appointments: book, cancel, move, services")
    actions = series.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("book", parents=[common()], help="book every N weeks")
    p.add_argument("--customer", type=int, required=True)
    p.add_argument("--staff", type=int, required=True)
    p.add_argument("--service", type=int, action="append", required=True, help="repeatable")
    p.add_argument("--start", required=True, help="the first visit: 2026-11-24T09:30 (shop time)")
    p.add_argument("--every", type=int, required=True, metavar="WEEKS", help="every N weeks")
    until = p.add_mutually_exclusive_group(required=True)
    until.add_argument("--count", type=int, help="this many visits")
    until.add_argument("--until", help="the last possible date, YYYY-MM-DD")
    p.add_argument("--price", help="each visit's price, e.g. 45.00 (default: the services')")
    p.add_argument("--minutes", type=int, help="length (default: the services' durations)")
    p.add_argument("--source", default="phone")
    p.add_argument("--notes", default="")
    p.add_argument("--skip-problems", action="store_true", help="book the dates that are free")
    p.add_argument("--dry-run", action="store_true", help="only list the dates and problems")
    p.set_defaults(handler=book_series)

    p = actions.add_parser("cancel", parents=[common()], help="cancel this and all later ones")
    p.add_argument("id", type=int, help="an appointment of the series")
    p.add_argument("--cancelled-by", choices=("customer", "shop"), default="customer")
    p.set_defaults(handler=cancel)

    p = actions.add_parser("move", parents=[common()], help="move this and all later ones")
    p.add_argument("id", type=int, help="an appointment of the series")
    p.add_argument("--start", required=True, help="its new start; the later ones move alike")
    p.add_argument("--staff", type=int, help="to this staff member too")
    p.add_argument("--override", action="store_true", help="despite hours or absences")
    p.set_defaults(handler=move)

    p = actions.add_parser(
        "services", parents=[common()], help="change the services of this and all later ones"
    )
    p.add_argument("id", type=int, help="an appointment of the series")
    p.add_argument("--service", type=int, action="append", required=True, help="repeatable")
    p.add_argument("--price", help="each visit's price (default: the services')")
    p.add_argument("--override", action="store_true", help="despite hours or absences")
    p.set_defaults(handler=services)


def _check_counts(args: argparse.Namespace) -> date | None:
    if not 1 <= args.every <= 52:
        raise ShopfrontError("--every must be between 1 and 52 weeks.")
    if args.count is not None and not 1 <= args.count <= 200:
        raise ShopfrontError("--count must be between 1 and 200.")
    if args.until is None:
        return None
    try:
        return date.fromisoformat(args.until.strip())
    except ValueError:
        raise ShopfrontError(f"'{args.until}' is not a date such as 2027-03-31.") from None


def _plan_json(plan: list[tuple[datetime, str]], tz: ZoneInfo) -> list[dict[str, Any]]:
    return [{"start": s.astimezone(tz).isoformat(), "problem": why or None} for s, why in plan]


def _problems_text(problems: list[tuple[datetime, str]], tz: ZoneInfo) -> str:
    return " ".join(f"{s.astimezone(tz):%a %d %b %Y %H:%M}: {why}" for s, why in problems)


def book_series(args: argparse.Namespace) -> int:
    from shopfront.core.booking import BookingRequest

    until = _check_counts(args)
    with open_book(args, create=False) as book:
        tz = book.zone()
        request = BookingRequest(
            customer_id=args.customer,
            staff_id=args.staff,
            service_ids=tuple(args.service),
            start=parse_instant(args.start, tz),
            price_minor=None if args.price is None else parse_minor(args.price),
            minutes=args.minutes,
            notes=args.notes,
            source=args.source,
        )
        plan = book.plan_series(request, args.every, until=until, count=args.count)
        problems = [(start, why) for start, why in plan if why]
        if problems and not (args.skip_problems or args.dry_run):
            raise ShopfrontError(
                f"{len(problems)} of {len(plan)} dates can't be booked, so none was. "
                f"{_problems_text(problems, tz)} "
                f"Pass --skip-problems to book the other {len(plan) - len(problems)}."
            )
        booked: list[Appointment] = []
        if not args.dry_run:
            booked = book.book_series(
                request, args.every, until=until, count=args.count, skip_problems=True
            )
        visits = [book.appointment(a.id).visit for a in booked]
        data = {
            "series_id": booked[0].series_id if booked else None,
            "plan": _plan_json(plan, tz),
            "booked": [visit_json(v, tz) for v in visits],
        }
        lines = [
            f"{s.astimezone(tz):%a %d %b %Y %H:%M}  {why or ('free' if args.dry_run else 'booked')}"
            for s, why in plan
        ]
        if booked:
            lines.insert(0, f"Series #{booked[0].series_id}: {len(booked)} appointment(s) booked.")
        emit(data, args.json, "\n".join(lines))
    return 0


def _in_series(book: Book, appointment_id: int) -> None:
    a = book.appointment(appointment_id).visit.appointment
    if a.series_id is None:
        raise ShopfrontError(
            f"Appointment #{appointment_id} is not part of a series; "
            f"change it with 'shopfront appointment {appointment_id}'."
        )


def _emit_changed(book: Book, args: argparse.Namespace, changed: list[Appointment]) -> None:
    tz, currency = book.zone(), book.settings.currency
    visits = [book.appointment(a.id).visit for a in changed]
    text = "\n".join(
        f"{v.appointment.start.astimezone(tz):%a %d %b %Y}  {visit_line(v, tz, currency)}"
        for v in visits
    )
    emit([visit_json(v, tz) for v in visits], args.json, text or "Nothing to change.")


def cancel(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        _in_series(book, args.id)
        _emit_changed(book, args, book.cancel_series(args.id, args.cancelled_by))
    return 0


def move(args: argparse.Namespace) -> int:
    from shopfront.cli.appointments import override_hint
    from shopfront.core.booking import NeedsOverride

    with open_book(args, create=False) as book:
        _in_series(book, args.id)
        start = parse_instant(args.start, book.zone())
        try:
            moved = book.move_series(args.id, start, args.staff, override=args.override)
        except NeedsOverride as exc:
            raise ShopfrontError(override_hint(exc, "move them")) from None
        _emit_changed(book, args, moved)
    return 0


def services(args: argparse.Namespace) -> int:
    from shopfront.cli.appointments import override_hint
    from shopfront.core.booking import NeedsOverride

    with open_book(args, create=False) as book:
        _in_series(book, args.id)
        price = None if args.price is None else parse_minor(args.price)
        try:
            changed = book.change_services(
                args.id,
                tuple(args.service),
                later_too=True,
                price_minor=price,
                override=args.override,
            )
        except NeedsOverride as exc:
            raise ShopfrontError(override_hint(exc, "change them")) from None
        _emit_changed(book, args, changed)
    return 0
