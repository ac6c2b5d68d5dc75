"""`shopfront demo`: create a realistic demo shop in an empty book."""

from __future__ import annotations

import argparse
import sys
import time

from shopfront.cli.output import emit
from shopfront.cli.session import open_book


def register(sub, common) -> None:
    p = sub.add_parser("demo", parents=[common()], help="fill an empty book with a demo shop")
    p.add_argument("--customers", type=int, default=3000)
    p.add_argument("--years", type=int, default=2)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from shopfront.demo import DemoOptions, generate
    from shopfront.errors import ShopfrontError

    # Refuse silly sizes before a book file is created for them.
    if not 1 <= args.customers <= 1_000_000:
        raise ShopfrontError("--customers must be between 1 and 1,000,000")
    if not 1 <= args.years <= 20:
        raise ShopfrontError("--years must be between 1 and 20")
    with open_book(args) as book:
        started = time.perf_counter()
        show = sys.stderr.isatty() and not args.json

        def progress(stage: str, fraction: float) -> None:
            if show:
                # Pad: a shorter stage name must not leave the old one's tail behind.
                print(f"\r{stage}: {fraction:4.0%}".ljust(40), end="", file=sys.stderr, flush=True)

        result = generate(book, DemoOptions(args.customers, args.years, args.seed), progress)
        if show:
            print(file=sys.stderr)
        seconds = round(time.perf_counter() - started, 2)
        data = {
            "customers": result.customers,
            "staff": result.staff,
            "services": result.services,
            "appointments": getattr(result, "appointments", 0),
            "seconds": seconds,
            "db": book.location,
        }
        emit(
            data,
            args.json,
            f"Demo book ready in {seconds} s: {result.customers} customers, "
            f"{result.staff} staff, {result.services} services, "
            f"{getattr(result, 'appointments', 0)} appointments in {book.location}",
        )
    return 0
