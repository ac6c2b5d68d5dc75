"""`shopfront customers …`: search, list, show, add, archive, restore, merge."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from shopfront.cli.output import customer_json, customer_line, emit, staff_names
from shopfront.cli.session import open_book
from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from shopfront.book import Book


def register(sub, common) -> None:
    top = sub.add_parser("customers", help="search, list and change customer cards")
    actions = top.add_subparsers(dest="action", metavar="ACTION", required=True)

    p = actions.add_parser("search", parents=[common()], help="find customers by any text")
    p.add_argument("text", help="part of a name, any run of phone digits, email or tag")
    p.add_argument("--archived", action="store_true", help="include archived customers")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(handler=search)

    p = actions.add_parser("list", parents=[common()], help="list customers A-Z")
    p.add_argument("--archived", action="store_true", help="include archived customers")
    p.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")
    p.set_defaults(handler=list_all)

    p = actions.add_parser("show", parents=[common()], help="one customer's card")
    p.add_argument("id", type=int)
    p.set_defaults(handler=show)

    p = actions.add_parser("add", parents=[common()], help="add a customer (name + phone or email)")
    p.add_argument("--name", required=True)
    p.add_argument("--phone", action="append", default=[], help="may be given several times")
    p.add_argument("--email", action="append", default=[], help="may be given several times")
    p.add_argument("--birthday", default="", help="YYYY-MM-DD or MM-DD")
    p.add_argument("--tags", default="", help="comma-separated")
    p.add_argument("--notes", default="")
    p.add_argument("--owner", type=int, help="staff id of the owning staff member")
    p.add_argument(
        "--allow-duplicate", action="store_true", help="add even when a likely duplicate exists"
    )
    p.set_defaults(handler=add)

    for name, helptext in (
        ("archive", "hide a customer (history kept)"),
        ("restore", "bring an archived customer back"),
    ):
        p = actions.add_parser(name, parents=[common()], help=helptext)
        p.add_argument("id", type=int)
        p.set_defaults(handler=set_archived, archive=name == "archive")

    p = actions.add_parser("merge", parents=[common()], help="merge OTHER into KEEP")
    p.add_argument("keep", type=int)
    p.add_argument("other", type=int)
    p.set_defaults(handler=merge)


def _print_customers(book: Book, ids: list[int], as_json: bool) -> None:
    from shopfront.storage.customers import load_many

    names = staff_names(book)
    found = [c for start in range(0, len(ids), 500) for c in load_many(ids[start : start + 500])]
    text = "\n".join(customer_line(c, names) for c in found) or "No customers found."
    emit([customer_json(c, names) for c in found], as_json, text)


def search(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        ids = book.search_ids(args.text, args.archived, max(1, args.limit), 0)
        _print_customers(book, ids, args.json)
    return 0


def list_all(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        limit = args.limit if args.limit > 0 else book.customer_count(include_archived=True)
        ids = book.search_ids("", args.archived, max(1, limit), 0)
        _print_customers(book, ids, args.json)
    return 0


def show(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        c = book.customer(args.id)
        names = staff_names(book)
        data = customer_json(c, names)
        data["timeline"] = [
            {"at": e.at.isoformat(), "kind": e.kind, "summary": e.summary}
            for e in book.timeline(c.id)
        ]
        zone = book.zone()
        lines = [customer_line(c, names)] + [
            f"    {e.at.astimezone(zone):%Y-%m-%d %H:%M}  {e.summary}" for e in book.timeline(c.id)
        ]
        if c.merged_into:
            lines.insert(1, f"    (merged into card #{c.merged_into})")
        emit(data, args.json, "\n".join(lines))
    return 0


def add(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        from shopfront.book import CustomerForm

        if not args.phone and not args.email:
            raise ShopfrontError("give --phone or --email (or both) with --name")
        form = CustomerForm(
            name=args.name,
            phones=[(p, "mobile") for p in args.phone],
            emails=[(e, "personal") for e in args.email],
            birthday=args.birthday,
            tags=args.tags,
            notes=args.notes,
            owner_id=args.owner,
        )
        draft = book.build_customer(form)
        matches = book.find_duplicates(draft)
        if matches and not args.allow_duplicate:
            m = matches[0]
            archived = " (archived)" if book.customer(m.customer_id).archived else ""
            raise ShopfrontError(
                f"likely duplicate of #{m.customer_id} {m.name}{archived} ({', '.join(m.reasons)}); "
                "use --allow-duplicate to add anyway"
            )
        saved = book.add_customer(draft, source="cli")
        emit(customer_json(saved, staff_names(book)), args.json, str(saved.id))
    return 0


def set_archived(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        if args.archive:
            book.archive_customer(args.id)
        else:
            book.restore_customer(args.id)
        emit(
            {"id": args.id, "archived": args.archive},
            args.json,
            f"{'Archived' if args.archive else 'Restored'} customer #{args.id}.",
        )
    return 0


def merge(args: argparse.Namespace) -> int:
    with open_book(args) as book:
        saved = book.merge_customers(args.keep, args.other)
        emit(
            customer_json(saved, staff_names(book)),
            args.json,
            f"Merged #{args.other} into #{args.keep}.",
        )
    return 0
