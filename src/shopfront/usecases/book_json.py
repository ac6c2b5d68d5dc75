"""The whole book as one JSON document, for moving to another machine, and back in.

Out: settings, staff, services, every customer (with import identities) and every
appointment with its service lines. In: only into an empty book (no customers and no
appointments yet); staff and services are matched by name or created, and every id is
mapped to the new book's ids. All in one transaction.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from shopfront.core.booking import Appointment
from shopfront.core.customers import Birthday, Customer, Email, Phone, Role, Service, Staff
from shopfront.core.localtime import Interval
from shopfront.core.search import fold
from shopfront.errors import ShopfrontError
from shopfront.storage import appointments as store
from shopfront.storage import bulk, catalog
from shopfront.usecases.import_plan import (
    ImportCancelledError,
    ImportPlan,
    ImportReport,
    PlannedRow,
    RowResult,
)

if TYPE_CHECKING:
    from shopfront.book import Book
    from shopfront.usecases.importing import ImportSource

FORMAT = "shopfront-book"


def dump(document: dict[str, Any]) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def customer_json(c: Customer, extra: bulk.ImportIdentity) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "call_name": c.call_name,
        "phones": [{"e164": p.e164, "typed": p.typed, "label": p.label} for p in c.phones],
        "emails": [{"address": e.address, "label": e.label} for e in c.emails],
        "birthday": str(c.birthday) if c.birthday else None,
        "notes": c.notes,
        "preferences": c.preferences,
        "tags": list(c.tags),
        "marketing_consent": c.marketing_consent,
        "owner_id": c.owner_id,
        "backup_id": c.backup_id,
        "created_at": c.created_at.isoformat() if c.created_at else None,
        "archived_at": c.archived_at.isoformat() if c.archived_at else None,
        "blocked": extra.blocked,
        "blocked_reason": extra.blocked_reason,
        "external_id": extra.external_id,
    }


def appointment_json(a: Appointment) -> dict[str, Any]:
    return {
        "id": a.id,
        "customer_id": a.customer_id,
        "staff_id": a.staff_id,
        "start": a.start.isoformat(),
        "end": a.end.isoformat(),
        "booked_at": a.booked_at.isoformat(),
        "status": a.status.value,
        "price": a.price_minor,
        "final_price": a.final_price_minor,
        "source": a.source,
        "notes": a.notes,
        "services": [
            {
                "service_id": s.service_id,
                "name": s.name,
                "minutes": s.duration_min,
                "price": s.price_minor,
            }
            for s in a.services
        ],
    }


def book_document(book: Book, appointments: bool = True) -> dict[str, Any]:
    from shopfront.usecases.exporting import ALL_TIME, all_customers

    cards = all_customers()
    extras = bulk.identities([c.id for c in cards])
    settings = dataclasses.asdict(book.settings)
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": 1,
        "exported_at": book.clock().isoformat(),
        "settings": {k: v for k, v in settings.items() if k != "extra"},
        "staff": [
            {
                "id": s.id,
                "name": s.name,
                "role": str(s.role),
                "colour": s.colour,
                "active": s.active,
            }
            for s in book.staff()
        ],
        "services": [dataclasses.asdict(s) for s in book.services()],
        "customers": [customer_json(c, extras.get(c.id, bulk.ImportIdentity())) for c in cards],
    }
    if appointments:
        found = store.in_window(Interval(*ALL_TIME))
        document["appointments"] = [appointment_json(a) for a in found]
    return document


def _load(source: ImportSource) -> dict[str, Any]:
    try:
        document = json.loads(source.data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ShopfrontError(f"{source.name} is not a shopfront book export ({exc}).") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ShopfrontError(f"{source.name} is not a shopfront book export.")
    return document


def _customer(d: dict[str, Any]) -> Customer:
    birthday = None
    if d.get("birthday"):
        text = d["birthday"]
        year = None if text.startswith("--") else int(text[:4])
        month, day = int(text[-5:-3]), int(text[-2:])
        birthday = Birthday(month, day, year)
    return Customer(
        name=d["name"],
        call_name=d.get("call_name", ""),
        phones=tuple(Phone(p["e164"], p["typed"], p["label"]) for p in d.get("phones", [])),
        emails=tuple(Email(e["address"], e["label"]) for e in d.get("emails", [])),
        birthday=birthday,
        notes=d.get("notes", ""),
        preferences=d.get("preferences", ""),
        tags=tuple(d.get("tags", [])),
        marketing_consent=bool(d.get("marketing_consent")),
    )


def plan_book_json(book: Book, source: ImportSource) -> ImportPlan:
    document = _load(source)
    from shopfront.usecases.exporting import ALL_TIME

    if book.customer_count(include_archived=True) or store.in_window(Interval(*ALL_TIME)):
        raise ShopfrontError(
            "A whole-book export can only be imported into an empty book; "
            "open a new book file for it (--db NEW.db)."
        )
    plan = ImportPlan(source.name, "shopfront book (JSON)", "book", payload=document)
    for n, d in enumerate(document.get("customers", []), 1):
        try:
            card = _customer(d)
        except (KeyError, ValueError, TypeError) as exc:
            plan.rows.append(PlannedRow(n, str(d.get("name", "")), "error", f"unreadable: {exc}"))
            continue
        identity = bulk.ImportIdentity(
            bool(d.get("blocked")), d.get("blocked_reason", ""), d.get("external_id")
        )
        row = PlannedRow(n, card.name, "new", "", card, identity)
        row.payload = d
        plan.rows.append(row)
    return plan


def _catalog(book: Book, document: dict[str, Any]) -> tuple[dict[int, int], dict[int, int]]:
    staff_ids, service_ids = {}, {}
    have = {fold(s.name): s.id for s in book.staff()}
    for s in document.get("staff", []):
        if fold(s["name"]) not in have:
            saved = catalog.save_staff(
                Staff(s["name"], role=Role(s["role"]), colour=s["colour"], active=s["active"])
            )
            have[fold(s["name"])] = saved.id
        staff_ids[s["id"]] = have[fold(s["name"])]
    menu = {fold(s.name): s.id for s in book.services()}
    for s in document.get("services", []):
        if fold(s["name"]) not in menu:
            fields = {k: v for k, v in s.items() if k != "id"}
            menu[fold(s["name"])] = catalog.save_service(Service(**fields)).id
        service_ids[s["id"]] = menu[fold(s["name"])]
    return staff_ids, service_ids


def apply_book_json(
    book: Book,
    plan: ImportPlan,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    dry_run: bool,
) -> ImportReport:
    document = plan.payload
    report = ImportReport(plan.source, dry_run=dry_run)
    now = book.clock()
    try:
        with book.db.atomic():
            staff_ids, service_ids = _catalog(book, document)
            rows = [r for r in plan.rows if r.outcome == "new"]
            report.failed += [r.result() for r in plan.rows if r.outcome == "error"]
            cards = [
                dataclasses.replace(
                    r.customer,
                    owner_id=staff_ids.get(r.payload.get("owner_id")),
                    backup_id=staff_ids.get(r.payload.get("backup_id")),
                )
                for r in rows
            ]
            prepared = bulk.prepare_customers(
                [(c, r.identity) for c, r in zip(cards, rows, strict=True)], now, "import"
            )
            ids = bulk.write_customers(
                prepared, now, f"Card created (import from {plan.source})", None, cancelled
            )
            customer_ids = {r.payload["id"]: new for r, new in zip(rows, ids, strict=True)}
            report.created += [r.result("", new) for r, new in zip(rows, ids, strict=True)]
            _appointments(document, customer_ids, staff_ids, service_ids, now, report)
            if dry_run:
                raise bulk.Cancelled
    except bulk.Cancelled:
        if not dry_run:
            raise ImportCancelledError("Import cancelled: nothing was written.") from None
    return report


def _appointments(
    document: dict[str, Any],
    customer_ids: dict[int, int],
    staff_ids: dict[int, int],
    service_ids: dict[int, int],
    now: datetime,
    report: ImportReport,
) -> None:
    for n, a in enumerate(document.get("appointments", []), 1):
        customer = customer_ids.get(a["customer_id"])
        staff = staff_ids.get(a["staff_id"])
        if customer is None or staff is None:
            reason = "its customer or staff member is not in the file"
            report.failed.append(RowResult(n, f"appointment #{a.get('id')}", reason))
            continue
        lines = [
            (service_ids[s["service_id"]], s["minutes"], s["price"])
            for s in a.get("services", [])
            if s["service_id"] in service_ids
        ]
        values = (
            customer,
            staff,
            datetime.fromisoformat(a["start"]),
            datetime.fromisoformat(a["end"]),
            datetime.fromisoformat(a["booked_at"]),
            a["status"],
            a["price"],
            a.get("final_price"),
            a.get("notes", ""),
            "shop" if a["status"] == "cancelled" else None,
            f"shopfront-appointment-{a['id']}",
        )
        bulk.insert_appointment(values, lines, now)
