"""`shopfront settings|staff|services …`: the shop's business settings and catalogues."""

from __future__ import annotations

import argparse
import dataclasses

from shopfront.cli.output import emit, service_json, staff_json
from shopfront.cli.session import open_book
from shopfront.core.customers import Role, Service, ShopSettings, Staff
from shopfront.core.money import parse_minor
from shopfront.errors import ShopfrontError

SETTING_NAMES = [f.name for f in dataclasses.fields(ShopSettings) if f.name != "extra"]


def register(sub, common) -> None:
    p = sub.add_parser("settings", parents=[common()], help="show or change shop settings")
    p.add_argument(
        "assignments",
        nargs="*",
        metavar="KEY=VALUE",
        help=f"change settings; keys: {', '.join(SETTING_NAMES)}",
    )
    p.set_defaults(handler=settings)

    staff = sub.add_parser("staff", help="list and add staff members")
    actions = staff.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("list", parents=[common()])
    p.set_defaults(handler=staff_list)
    p = actions.add_parser("add", parents=[common()])
    p.add_argument("--name", required=True)
    p.add_argument("--role", choices=[r.value for r in Role], default="staff")
    p.add_argument("--colour", default="#5B8DEF")
    p.set_defaults(handler=staff_add)

    services = sub.add_parser("services", help="list and add services")
    actions = services.add_subparsers(dest="action", metavar="ACTION", required=True)
    p = actions.add_parser("list", parents=[common()])
    p.set_defaults(handler=service_list)
    p = actions.add_parser("add", parents=[common()])
    p.add_argument("--name", required=True)
    p.add_argument("--minutes", type=int, required=True)
    p.add_argument("--price", required=True, help="e.g. 45.00 (in the shop currency)")
    p.add_argument("--category", default="")
    p.add_argument("--followup-days", type=int)
    p.set_defaults(handler=service_add)


def settings(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        current = book.settings
        if args.assignments:
            changes: dict[str, object] = {}
            for item in args.assignments:
                key, sep, value = item.partition("=")
                if not sep or key not in SETTING_NAMES:
                    raise ShopfrontError(f"'{item}' is not KEY=VALUE with a known key")
                kind = type(getattr(current, key))
                try:
                    changes[key] = kind(value)
                except ValueError:
                    raise ShopfrontError(f"{key} needs a whole number, not '{value}'") from None
            current = book.save_settings(dataclasses.replace(current, **changes))
        data = {name: getattr(current, name) for name in SETTING_NAMES}
        emit(data, args.json, "\n".join(f"{k} = {v}" for k, v in data.items()))
    return 0


def staff_list(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        people = book.staff()
        text = (
            "\n".join(
                f"{s.id:>4}  {s.name}  ({s.role}{'' if s.active else ', inactive'})" for s in people
            )
            or "No staff yet."
        )
        emit([staff_json(s) for s in people], args.json, text)
    return 0


def staff_add(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        saved = book.save_staff(Staff(args.name, role=Role(args.role), colour=args.colour))
        emit(staff_json(saved), args.json, str(saved.id))
    return 0


def service_list(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        items = book.services()
        currency = book.settings.currency
        text = (
            "\n".join(
                f"{s.id:>4}  {s.name}  {s.duration_min} min  {s.price_minor / 100:.2f} {currency}"
                for s in items
            )
            or "No services yet."
        )
        emit([service_json(s) for s in items], args.json, text)
    return 0


def service_add(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        price = parse_minor(args.price)
        saved = book.save_service(
            Service(
                args.name,
                args.minutes,
                price,
                category=args.category,
                followup_days=args.followup_days,
            )
        )
        emit(service_json(saved), args.json, str(saved.id))
    return 0
