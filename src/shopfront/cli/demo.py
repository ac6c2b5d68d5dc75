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

    with open_book(args) as book:
        started = time.perf_counter()
        show = sys.stderr.isatty() and not args.json

        def progress(stage: str, fraction: float) -> None:
            if show:
                print(f"\r{stage}: {fraction:4.0%}", end="", file=sys.stderr, flush=True)

        result = generate(book, DemoOptions(args.customers, args.years, args.seed), progress)
        if show:
            print(file=sys.stderr)
        seconds = round(time.perf_counter() - started, 2)
        data = {
            "customers": result.customers,
            "staff": result.staff,
            "services": result.services,
            "seconds": seconds,
            "db": book.location,
        }
        emit(
            data,
            args.json,
            f"Demo book ready in {seconds} s: {result.customers} customers, "
            f"{result.staff} staff, {result.services} services in {book.location}",
        )
    return 0
