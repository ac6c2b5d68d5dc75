"""`shopfront backup`, `shopfront restore FILE`, `shopfront check`: the book's safety net.

JSON keys are a contract: backup -> ``path, taken_at, reason, size, customers,
appointments, copies``; restore -> ``restored`` (a backup), ``safety_backup`` (the backup of
the book as it was, or null), ``kept_aside`` (a damaged book's copy, or null),
``customers``, ``appointments``; check -> ``ok, check, problems, counts, seconds``.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from shopfront.storage.backups import Backup


def register(sub, common) -> None:
    p = sub.add_parser(
        "backup",
        parents=[common()],
        help="make a verified backup of the book now",
        description="Copies the book with SQLite's online backup API (safe while it is open), "
        "checks the copy, and thins old backups (12 recent, 10 daily, 9 weekly, 12 monthly).",
    )
    p.add_argument("--to", metavar="DIR", type=Path, help="put the backup here instead")
    p.add_argument(
        "--second-folder",
        metavar="DIR",
        help="from now on also copy every backup to DIR (e.g. a USB disk); '' to stop",
    )
    p.add_argument("--list", action="store_true", help="list the backups instead of making one")
    p.set_defaults(handler=backup)

    p = sub.add_parser(
        "restore",
        parents=[common()],
        help="replace the book with a backup (the current book is backed up first)",
    )
    p.add_argument("file", type=Path, help="the backup file")
    p.set_defaults(handler=restore)

    p = sub.add_parser(
        "check",
        parents=[common()],
        help="check the book: integrity, foreign keys, counts (exit 1 on a problem)",
    )
    p.add_argument(
        "--full", action="store_true", help="integrity_check instead of the quicker quick_check"
    )
    p.set_defaults(handler=check)


def backup_json(b: Backup) -> dict[str, Any]:
    return {
        "path": str(b.path),
        "taken_at": b.taken_at.isoformat(),
        "reason": b.reason,
        "size": b.size,
        "customers": b.customers,
        "appointments": b.appointments,
        "copies": [str(c) for c in b.copies],
    }


def backup(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        if book.book_path() is None:
            raise ShopfrontError("a PostgreSQL book is backed up with the server's tools (pg_dump)")
        if args.second_folder is not None:
            book.set_backup_options(second_folder=args.second_folder)
        if args.list:
            found = book.backups()
            lines = [
                f"{b.taken_at:%Y-%m-%d %H:%M}  {b.reason:<15} {b.customers!s:>7} customers "
                f"{b.appointments!s:>8} appointments  {b.size:>11,} bytes  {b.path}"
                for b in found
            ]
            emit([backup_json(b) for b in found], args.json, "\n".join(lines) or "No backups yet.")
            return 0
        made = book.backup_now(
            "manual", folder=args.to.expanduser().absolute() if args.to else None
        )
        assert made is not None
        copies = "".join(f"\nAlso copied to {c}" for c in made.copies)
        emit(backup_json(made), args.json, f"Backup made and checked: {made.summary()}{copies}")
    return 0


def restore(args: argparse.Namespace) -> int:
    from shopfront.usecases.safety import restore_file

    args.json = getattr(args, "json", False)
    book, result = restore_file(
        getattr(args, "db", None), args.file.expanduser().absolute(), lambda: datetime.now(UTC)
    )
    try:
        people, visits = book.customer_count(include_archived=True), book.check()["counts"]
    finally:
        book.close()
    data = {
        "restored": backup_json(result.restored),
        "safety_backup": backup_json(result.safety) if result.safety else None,
        "kept_aside": str(result.kept_aside) if result.kept_aside else None,
        "customers": people,
        "appointments": visits.get("appointment", 0),  # type: ignore[union-attr]
    }
    before = (
        f"The book as it was is saved as {result.safety.path}."
        if result.safety
        else f"The damaged book was kept as {result.kept_aside}."
        if result.kept_aside
        else ""
    )
    emit(data, args.json, f"Restored {result.restored.summary()}. {before}".strip())
    return 0


def check(args: argparse.Namespace) -> int:
    """Reads only: a SQLite book is checked through a read-only connection (not opened,
    so not upgraded); a damaged one is reported, not refused."""
    from shopfront.storage.database import resolve
    from shopfront.storage.health import check_report

    args.json = getattr(args, "json", False)
    path = resolve(getattr(args, "db", None)).path
    if path is not None:
        if not path.is_file():
            raise ShopfrontError(f"There is no book at {path}.")
        report = check_report(path, full=args.full)
    else:
        with open_book(args, create=False) as book:
            report = book.check(full=args.full)
    counts = ", ".join(f"{n} {t}" for t, n in report["counts"].items())  # type: ignore[union-attr]
    problems = "\n".join(f"  {p}" for p in report["problems"])  # type: ignore[union-attr]
    verdict = "ok" if report["ok"] else "PROBLEMS FOUND"
    text = f"{report['check']} check: {verdict} ({report['seconds']} s)\n{counts}"
    emit(report, args.json, f"{text}\n{problems}" if problems else text)
    return 0 if report["ok"] else 1
