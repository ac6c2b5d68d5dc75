"""Command line: `shopfront <command> --db PATH|URL [--json]` over the same Book as the GUI.

Bad input exits 2 with one line on stderr; an unexpected error exits 1 with a short
apology and the log path. A user never sees a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from shopfront import __version__
from shopfront.errors import ShopfrontError

log = logging.getLogger(__name__)


def common_options(json_flag: bool = True) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        default=argparse.SUPPRESS,
        metavar="PATH|URL",
        help="the book: a SQLite file or postgresql:// URL (default: SHOPFRONT_DB, "
        "else the file in the user data folder)",
    )
    if json_flag:
        parent.add_argument(
            "--json",
            action="store_true",
            default=argparse.SUPPRESS,
            help="print machine-readable JSON",
        )
    return parent


class OneLineParser(argparse.ArgumentParser):
    """Usage mistakes are one line on stderr (exit 2), like every other refusal."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="shopfront",
        description="A customer book for salons, barbers and small shops. "
        "Without a command, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"shopfront {__version__}")
    parser.add_argument("--db", default=None, metavar="PATH|URL", help="the book to open")
    parser.add_argument("--json", action="store_true", default=False, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineParser)
    from shopfront.cli import (
        appointments,
        care,
        catalog,
        customers,
        demo,
        report,
        risk,
        safety,
        screenshot,
        series,
        share,
        transfer,
    )

    for module in (
        customers,
        catalog,
        appointments,
        series,
        demo,
        screenshot,
        safety,
        care,
        transfer,
        report,
        risk,
        share,
    ):
        module.register(sub, common_options)
    return parser


def window_request(argv: list[str]) -> tuple[bool, str | None]:
    """Plain `shopfront [--db X]` opens the window without loading any command's code."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--db":
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--db="):
        return True, argv[0].split("=", 1)[1]
    return False, None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    wants_window, db = window_request(argv)
    if wants_window:
        from shopfront.gui.app import run_gui  # Qt only when the window is wanted

        return run_gui(db)
    from shopfront import logs

    logs.setup()
    args = build_parser().parse_args(argv)
    try:
        if args.command is None:
            from shopfront.gui.app import run_gui

            return run_gui(args.db)
        return int(args.handler(args) or 0)
    except ShopfrontError as exc:
        print(f"shopfront: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("shopfront: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `shopfront followups | head`: the reader had enough
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # last line of defence: log it, apologise, no traceback
        log.exception("unexpected error in command %s", args.command)
        print(
            f"shopfront: sorry, something went wrong ({type(exc).__name__}). "
            f"Details are in {logs.log_file()}",
            file=sys.stderr,
        )
        return 1
