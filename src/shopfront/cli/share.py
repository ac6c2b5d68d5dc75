"""`shopfront share --to postgresql://…`: move this book onto a server for several desks."""

from __future__ import annotations

import argparse
import sys

from shopfront.cli.output import emit
from shopfront.cli.session import open_book


def register(sub, common) -> None:
    p = sub.add_parser(
        "share",
        parents=[common()],
        help="copy this book into an empty PostgreSQL database (several desks)",
        description="Copies every table of the SQLite book into an EMPTY PostgreSQL "
        "database, checks the row counts table by table, and leaves this file unchanged. "
        "Then open the book on every desk with --db postgresql://…",
    )
    p.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="postgresql://user@host/database ('-': read it from stdin, so that a password "
        "never shows in the process list)",
    )
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    target = sys.stdin.readline().strip() if args.to == "-" else args.to
    with open_book(args, create=False) as book:
        report = book.share_to(target)
    data = {
        "to": report.target,
        "customers": report.customers,
        "appointments": report.appointments,
        "tables": report.counts,
        "verified": True,
        "seconds": round(report.seconds, 2),
    }
    emit(
        data,
        args.json,
        f"Shared: {report.customers} customers and {report.appointments} appointments copied "
        f"to {report.target} in {report.seconds:.1f} s; every table's count checked. "
        f"Open it on each desk with --db {report.target}",
    )
    return 0
