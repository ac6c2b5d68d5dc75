"""Printing results: plain text for people, JSON for scripts (keys are a stable contract)."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

from shopfront.core.customers import Customer, Service, Staff

if TYPE_CHECKING:
    from shopfront.book import Book


def emit(data: Any, as_json: bool, text: str | None = None) -> None:
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    elif text is not None:
        print(text)


def customer_json(c: Customer, staff_names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "call_name": c.call_name,
        "phones": [p.e164 for p in c.phones],
        "phones_typed": [p.typed for p in c.phones],
        "phone_labels": [p.label for p in c.phones],
        "emails": [e.address for e in c.emails],
        "birthday": str(c.birthday) if c.birthday else None,
        "notes": c.notes,
        "preferences": c.preferences,
        "tags": list(c.tags),
        "marketing_consent": c.marketing_consent,
        "owner": staff_names.get(c.owner_id) if c.owner_id else None,
        "owner_id": c.owner_id,
        "backup": staff_names.get(c.backup_id) if c.backup_id else None,
        "backup_id": c.backup_id,
        "created_at": c.created_at.isoformat() if c.created_at else None,
        "archived": c.archived,
        "merged_into": c.merged_into,
        "version": c.version,
    }


def staff_names(book: Book) -> dict[int, str]:
    return {s.id: s.name for s in book.staff()}


def customer_line(c: Customer, names: dict[int, str]) -> str:
    contact = ", ".join([p.typed for p in c.phones] + [e.address for e in c.emails])
    owner = f"  [{names[c.owner_id]}]" if c.owner_id in names else ""
    archived = "  (archived)" if c.archived else ""
    return f"{c.id:>7}  {c.name}  {contact}{owner}{archived}"


def staff_json(s: Staff) -> dict[str, Any]:
    return {"id": s.id, "name": s.name, "role": str(s.role), "colour": s.colour, "active": s.active}


def service_json(s: Service) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "category": s.category,
        "duration_min": s.duration_min,
        "price_minor": s.price_minor,
        "followup_days": s.followup_days,
        "active": s.active,
    }
