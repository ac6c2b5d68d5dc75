"""CSV files out: customers and appointments, safe to open in Excel.

UTF-8 with a BOM (so Excel picks the right encoding), CRLF line ends, and every cell that
starts like a formula (``=``, ``+``, ``-``, ``@``, tab, CR) prefixed with an apostrophe:
a customer named ``=HYPERLINK(…)`` stays text. Our importer removes the apostrophe again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from shopfront.core.customers import Customer
from shopfront.io.contacts import neutralise


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([neutralise(str(h)) for h in headers])
    for row in rows:
        writer.writerow([neutralise("" if v is None else str(v)) for v in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def customer_headers(phones: int, emails: int) -> list[str]:
    headers = ["Shopfront id", "Name", "Call name"]
    for i in range(1, phones + 1):
        headers += [f"Phone {i}", f"Phone {i} label"]
    for i in range(1, emails + 1):
        headers += [f"Email {i}", f"Email {i} label"]
    return headers + [
        "Birthday",
        "Notes",
        "Preferences",
        "Tags",
        "Marketing consent",
        "Owner",
        "Archived",
    ]


def customers_csv(customers: list[Customer], owners: dict[int, str]) -> bytes:
    """One row per customer; as many phone/email column pairs as the busiest card needs."""
    phones = max((len(c.phones) for c in customers), default=1) or 1
    emails = max((len(c.emails) for c in customers), default=1) or 1
    rows = []
    for c in customers:
        row: list[object] = [c.id, c.name, c.call_name]
        for i in range(phones):
            p = c.phones[i] if i < len(c.phones) else None
            row += [p.typed, p.label] if p else ["", ""]
        for i in range(emails):
            e = c.emails[i] if i < len(c.emails) else None
            row += [e.address, e.label] if e else ["", ""]
        row += [
            str(c.birthday) if c.birthday else "",
            c.notes,
            c.preferences,
            ", ".join(c.tags),
            "yes" if c.marketing_consent else "no",
            owners.get(c.owner_id or 0, ""),
            "yes" if c.archived else "no",
        ]
        rows.append(row)
    return write_csv(customer_headers(phones, emails), rows)


APPOINTMENT_HEADERS = (
    "Appointment id",
    "Start",
    "End",
    "Minutes",
    "Staff",
    "Customer",
    "Customer id",
    "Phone",
    "Services",
    "Status",
    "Price",
    "Final price",
    "Source",
    "Notes",
)


def appointments_csv(rows: Iterable[Sequence[object]]) -> bytes:
    return write_csv(APPOINTMENT_HEADERS, rows)
