"""`shopfront report monthly|day|customer`: printable PDFs from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.errors import ShopfrontError


def register(sub, common) -> None:
    report = sub.add_parser("report", help="printable reports (PDF)")
    kinds = report.add_subparsers(dest="kind", metavar="KIND", required=True)

    p = kinds.add_parser("monthly", parents=[common()], help="the monthly service report")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("-o", "--output", type=Path, help="the PDF to write (optional with --json)")
    p.add_argument("--top-lapsed", type=int, default=15, help="lapsed customers listed")
    p.set_defaults(handler=monthly)

    p = kinds.add_parser("day", parents=[common()], help="the daily appointment sheet")
    p.add_argument("--date", required=True, help="YYYY-MM-DD or 'today'")
    p.add_argument("--staff", type=int, help="only this staff member")
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=day)

    p = kinds.add_parser("customer", parents=[common()], help="one customer's history")
    p.add_argument("id", type=int)
    p.add_argument("-o", "--output", type=Path, required=True)
    p.set_defaults(handler=customer)


def _write(writer, data, target: Path) -> int:  # noqa: ANN001
    """Write a PDF through a temporary file, so a failed run leaves no half-written file."""
    partial = target.with_name(target.name + ".part")
    try:
        pages = writer(data, partial)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ShopfrontError(f"can't write {target}: {exc.strerror or exc}") from None
    return pages


def _done(args: argparse.Namespace, path: Path, pages: int) -> None:
    emit({"file": str(path), "pages": pages}, args.json, f"Wrote {path} ({pages} pages)")


def monthly(args: argparse.Namespace) -> int:
    from shopfront.reports.monthly import write_monthly
    from shopfront.reports.numbers import monthly_json
    from shopfront.usecases.reports import parse_month

    year, month = parse_month(args.month)
    if args.output is None and not getattr(args, "json", False):
        raise ShopfrontError("give -o FILE.pdf (or --json for the numbers only)")
    if args.top_lapsed < 0:
        raise ShopfrontError("--top-lapsed can't be negative")
    with open_book(args, create=False) as book:
        report = book.monthly_report(year, month, args.top_lapsed)
    pages = _write(write_monthly, report, args.output) if args.output else 0
    if args.json:
        data = monthly_json(report) | ({"file": str(args.output)} if args.output else {})
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(f"Wrote {args.output} ({pages} pages)")
    return 0


def _day(text: str, today: date) -> date:
    if text.strip().lower() == "today":
        return today
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShopfrontError(f"'{text}' is not a date such as 2026-11-23 or 'today'") from None


def day(args: argparse.Namespace) -> int:
    from shopfront.reports.day_sheet import write_day_sheet

    with open_book(args, create=False) as book:
        sheet = book.day_sheet(_day(args.date, book.today()), args.staff)
    _done(args, args.output, _write(write_day_sheet, sheet, args.output))
    return 0


def customer(args: argparse.Namespace) -> int:
    from shopfront.reports.customer_history import write_customer_history

    with open_book(args, create=False) as book:
        history = book.customer_history(args.id)
    _done(args, args.output, _write(write_customer_history, history, args.output))
    return 0
