"""`shopfront import FILE …` and `shopfront export customers|appointments …`."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.errors import ShopfrontError

PRESETS = ("auto", "google", "outlook", "square", "fresha", "vagaro", "vcard", "ics", "generic")
PRESETS += ("shopfront", "json")


def register(sub, common) -> None:
    p = sub.add_parser(
        "import",
        parents=[common()],
        help="import customers (CSV, Excel, vCard) or appointments (.ics)",
    )
    p.add_argument("file", help="the file to import")
    p.add_argument("--preset", choices=PRESETS, default="auto", help="the file's source")
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="map a column (header or number) to a field, e.g. 'Mobile=phone:mobile'",
    )
    p.add_argument("--dry-run", action="store_true", help="report what would happen only")
    p.add_argument("--on-duplicate", choices=("merge", "skip", "create"), default="merge")
    p.add_argument("--encoding", default="auto", help="the file's encoding (default: detect)")
    p.add_argument("--report", metavar="CSV", help="also save the report as CSV")
    p.add_argument("--from", dest="first", help="repeating events: expand from DATE")
    p.add_argument("--to", dest="last", help="repeating events: expand until DATE")
    p.set_defaults(handler=run_import)

    p = sub.add_parser(
        "export", parents=[common()], help="export customers, appointments or the whole book"
    )
    p.add_argument("what", choices=("customers", "appointments", "book"))
    p.add_argument(
        "--format", dest="fmt", required=True, choices=("csv", "vcard", "vcard4", "ics", "json")
    )
    p.add_argument("-o", "--output", required=True, metavar="FILE")
    p.add_argument("--from", dest="first", help="first day (YYYY-MM-DD)")
    p.add_argument("--to", dest="last", help="last day (YYYY-MM-DD)")
    p.add_argument("--staff", type=int, help="only this staff member's appointments")
    p.set_defaults(handler=run_export)


def _date(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ShopfrontError(f"{option} must be a date like 2026-11-23, not '{text}'.") from None


def _overrides(pairs: list[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        if not sep or not column:
            raise ShopfrontError(f"--map takes COLUMN=FIELD, not '{pair}'.")
        out[column] = target.strip()
    return out


def run_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise ShopfrontError(f"There is no file {path}.")
    first, last = _date(args.first, "--from"), _date(args.last, "--to")
    with open_book(args) as book:
        window = None
        if first or last:
            interval = book.export_window(first, last)
            window = (interval.start, interval.end)
        source = book.read_import(
            path, args.preset, _overrides(args.map), args.encoding, window=window
        )
        plan = book.plan_import(source, args.on_duplicate)
        report = book.apply_import(plan, dry_run=args.dry_run)
    if args.report:
        Path(args.report).write_bytes(report.to_csv())
    data = report.as_json() | {"format": source.label}
    text = [f"{source.name} ({source.label}): {report.summary()}."]
    for word, rows in (("skipped", report.skipped), ("failed", report.failed)):
        text += [f"  line {r.line}: {word}: {r.name}: {r.reason}" for r in rows[:50]]
        if len(rows) > 50:
            text.append(f"  … and {len(rows) - 50} more {word} (see --report or --json)")
    emit(data, args.json, "\n".join(text))
    return 0


def run_export(args: argparse.Namespace) -> int:
    first, last = _date(args.first, "--from"), _date(args.last, "--to")
    with open_book(args, create=False) as book:
        if args.what == "book":
            if args.fmt != "json":
                raise ShopfrontError("The whole book exports as --format json.")
            data = book.export_book()
        elif args.what == "customers":
            data = book.export_customers(args.fmt)
        else:
            data = book.export_appointments(args.fmt, first, last, args.staff)
    target = Path(args.output)
    try:
        target.write_bytes(data)
    except OSError as exc:
        raise ShopfrontError(f"Can't write {target}: {exc.strerror or exc}.") from None
    emit(
        {"file": str(target), "bytes": len(data), "format": args.fmt, "what": args.what},
        getattr(args, "json", False),
        f"Wrote {target} ({len(data):,} bytes).",
    )
    return 0
