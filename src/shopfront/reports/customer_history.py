"""A customer's history printout: the card, visits, contacts and cases.

It is also what the privacy export hands to a customer who asks for their data, so every
field on the card is printed, as typed.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.platypus import Flowable, Spacer

from shopfront.core.report_data import CustomerHistory
from shopfront.reports import format as fmt
from shopfront.reports.layout import Document, Progress, keep_going


def write_customer_history(
    history: CustomerHistory, target: Path | BytesIO, progress: Progress | None = None
) -> int:
    tz = ZoneInfo(history.settings.timezone)
    c = history.customer
    footer = f"{history.settings.shop_name} · printed {fmt.local_stamp(history.generated_at, tz)}"
    doc = Document(history.settings.paper_size, f"Customer #{c.id}", footer)
    keep_going(progress, 0.1)
    story: list[Flowable] = [
        doc.p(doc.t(c.name), doc.styles.h1),
        doc.p(f"Customer #{c.id} at {doc.t(history.settings.shop_name)}", doc.styles.note),
        Spacer(1, 6),
        doc.table(["Field", "Value"], _card_rows(history, tz), widths=(0.25, 0.75)),
    ]
    keep_going(progress, 0.4)
    story += _appointments(doc, history, tz)
    story += _contacts(doc, history, tz)
    story += _cases(doc, history, tz)
    pages = doc.build(story, target, author=history.settings.shop_name)
    keep_going(progress, 1.0)
    return pages


def _card_rows(h: CustomerHistory, tz: ZoneInfo) -> list[list[str]]:
    c = h.customer
    rows = [
        ["Name", c.name],
        ["Called", c.call_name],
        ["Phones", "\n".join(f"{p.typed} ({p.label})" for p in c.phones)],
        ["E-mail", "\n".join(f"{e.address} ({e.label})" for e in c.emails)],
        ["Birthday", str(c.birthday) if c.birthday else ""],
        ["Looked after by", h.owner + (f" (backup: {h.backup})" if h.backup else "")],
        ["Tags", ", ".join(c.tags)],
        ["Notes", c.notes],
        ["Preferences / formula", c.preferences],
        ["Marketing consent", "yes" if c.marketing_consent else "no"],
        ["Card created", fmt.local_stamp(c.created_at, tz) if c.created_at else ""],
    ]
    if c.archived_at:
        rows.append(["Archived", fmt.local_stamp(c.archived_at, tz)])
    return rows


def _appointments(doc: Document, h: CustomerHistory, tz: ZoneInfo) -> list[Flowable]:
    cur = h.settings.currency
    rows = [
        [
            fmt.local_stamp(a.start, tz),
            staff,
            a.service_names,
            a.status.label
            + (" (excused)" if a.excused else "")
            + (" (late)" if a.late_cancel else ""),
            fmt.money(
                a.final_price_minor if a.final_price_minor is not None else a.price_minor, cur
            ),
            a.notes,
        ]
        for a, staff in h.appointments
    ]
    story: list[Flowable] = [doc.p(f"Appointments ({len(rows)})", doc.styles.h2)]
    if not rows:
        return [*story, doc.p("None.", doc.styles.note)]
    header = ["When", "With", "Services", "Status", "Price", "Notes"]
    widths = (0.22, 0.14, 0.2, 0.13, 0.1, 0.21)
    return [*story, doc.table(header, rows, widths, align_right=[4])]


def _contacts(doc: Document, h: CustomerHistory, tz: ZoneInfo) -> list[Flowable]:
    rows = [
        [fmt.local_stamp(k.at, tz), k.channel, k.direction, k.outcome, k.summary, k.staff]
        for k in h.contacts
    ]
    story: list[Flowable] = [doc.p(f"Contacts ({len(rows)})", doc.styles.h2)]
    if not rows:
        return [*story, doc.p("None recorded.", doc.styles.note)]
    header = ["When", "How", "Direction", "Outcome", "Summary", "Who"]
    return [*story, doc.table(header, rows, (0.22, 0.09, 0.1, 0.12, 0.33, 0.14))]


def _cases(doc: Document, h: CustomerHistory, tz: ZoneInfo) -> list[Flowable]:
    rows = [
        [
            line.case.opened_at.astimezone(tz).date().isoformat(),
            line.words,
            line.fix + (f" (by {line.case.fix_due.isoformat()})" if line.case.fix_due else ""),
            line.case.status.replace("_", " "),
            line.resolution,
            line.owner,
        ]
        for line in h.cases
    ]
    story: list[Flowable] = [doc.p(f"Cases ({len(rows)})", doc.styles.h2)]
    if not rows:
        return [*story, doc.p("None.", doc.styles.note)]
    header = ["Opened", "In their words", "Promised fix", "Status", "Resolution", "Owner"]
    return [*story, doc.table(header, rows, (0.13, 0.26, 0.2, 0.11, 0.18, 0.12))]
