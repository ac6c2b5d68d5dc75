"""Calendar events in as appointments: plan (customer, staff, services per event) and write.

An event's customer is found like an imported contact (phone, email, similar name) or by
exactly the same name; otherwise a new card is created with it. The staff member is the
one named in the event (our export's ``X-SHOPFRONT-STAFF``, or the organizer), else the
first active staff member. An event already imported (same UID) is skipped, so
importing a calendar again changes nothing; one that overlaps an active appointment of
the same person is refused with the clash named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.localtime import Interval
from shopfront.core.search import fold
from shopfront.errors import ValidationError
from shopfront.io.calendars import ImportedEvent
from shopfront.io.matching import ContactIndex
from shopfront.storage import appointments as store
from shopfront.storage import bulk
from shopfront.usecases.import_plan import (
    ImportCancelledError,
    ImportPlan,
    ImportReport,
    PlannedRow,
)

if TYPE_CHECKING:
    from shopfront.book import Book
    from shopfront.usecases.importing import ImportSource

STATUSES = {s.value for s in AppointmentStatus}


def _index(book: Book) -> tuple[ContactIndex, dict[str, int]]:
    cards, external = bulk.contact_index()
    index = ContactIndex()
    names: dict[str, int] = {}
    for card in cards:
        index.add(card.id, card)
        names.setdefault(fold(card.name), card.id)
    index.external.update(external)
    return index, names


def plan_events(book: Book, source: ImportSource, choice: str) -> ImportPlan:
    plan = ImportPlan(source.name, source.label, "appointments")
    staff = [s for s in book.staff() if s.active]
    by_name = {fold(s.name): s.id for s in staff}
    services = {fold(s.name): s for s in book.services()}
    seen_uids = bulk.imported_uids()
    index, names = _index(book)
    planned: dict[int, list[Interval]] = defaultdict(list)
    for i, event in enumerate(source.events):
        label = event.customer.name or event.summary
        if event.skip or event.error:
            outcome = "skip" if event.skip else "error"
            plan.rows.append(PlannedRow(event.line, label, outcome, event.skip or event.error))
            continue
        if not staff:
            plan.rows.append(PlannedRow(event.line, label, "error", "add a staff member first"))
            continue
        if event.uid and event.uid in seen_uids:
            plan.rows.append(PlannedRow(event.line, label, "skip", "already imported (same UID)"))
            continue
        try:
            draft, _ = book.draft_from_import(event.customer)
        except ValidationError as exc:
            plan.rows.append(PlannedRow(event.line, label, "error", f"customer: {exc}"))
            continue
        staff_id = by_name.get(fold(event.staff_name), staff[0].id)
        interval = Interval(event.start, event.end)  # type: ignore[arg-type]
        clash = _clash(staff_id, interval, event, planned)
        if clash:
            plan.rows.append(PlannedRow(event.line, draft.name, "error", clash))
            continue
        match = index.find(draft)
        key = match.key if match else names.get(fold(draft.name))
        note = f"for {match.reasons[0]}" if match else ""
        if key is None:
            key = -(i + 1)
            index.add(key, draft)
            names[fold(draft.name)] = key
            note = "new customer"
        lines = [services[fold(n)] for n in event.services if fold(n) in services]
        missing = [n for n in event.services if fold(n) not in services]
        if missing:
            note += f"; services not on the menu: {', '.join(missing)}"
        planned[staff_id].append(interval)
        row = PlannedRow(event.line, draft.name, "new", note.strip("; "), draft)
        row.payload = (event, staff_id, key, lines)
        if event.uid:
            seen_uids.add(event.uid)
        plan.rows.append(row)
    return plan


def _clash(
    staff_id: int, interval: Interval, event: ImportedEvent, planned: dict[int, list[Interval]]
) -> str:
    if event.status in ("cancelled", "no_show"):
        return ""
    busy = store.busy(staff_id, interval)
    if busy:
        return f"overlaps appointment #{busy[0][0]} of the same staff member"
    for other in planned[staff_id]:
        if other.start < interval.end and interval.start < other.end:
            return "overlaps an earlier event in this file for the same staff member"
    return ""


def apply_events(
    book: Book,
    plan: ImportPlan,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
    dry_run: bool,
) -> ImportReport:
    now = book.clock()
    report = ImportReport(plan.source, dry_run=dry_run)
    rows = [r for r in plan.rows if r.outcome == "new"]
    for row in plan.rows:
        if row.outcome != "new":
            (report.failed if row.outcome == "error" else report.skipped).append(row.result())
    try:
        with book.db.atomic():
            new_cards = {r.payload[2]: r.customer for r in rows if r.payload[2] < 0}
            keys = sorted(new_cards, reverse=True)
            prepared = bulk.prepare_customers(
                [(new_cards[k], bulk.ImportIdentity()) for k in keys], now, "import"
            )
            ids = bulk.write_customers(prepared, now, f"Card created (import from {plan.source})")
            real = dict(zip(keys, ids, strict=True))
            for done, row in enumerate(rows, 1):
                if cancelled is not None and cancelled():
                    raise bulk.Cancelled
                new_id = _insert(row, real, now)
                report.created.append(row.result(row.reason, new_id))
                if progress is not None:
                    progress(done, len(rows))
            if dry_run:
                raise bulk.Cancelled
    except bulk.Cancelled:
        if not dry_run:
            raise ImportCancelledError("Import cancelled: nothing was written.") from None
    return report


def _insert(row: PlannedRow, real: dict[int, int], now) -> int:  # noqa: ANN001
    event, staff_id, key, services = row.payload
    customer_id = real.get(key, key)
    status = event.status if event.status in STATUSES else ""
    if not status:
        status = "completed" if event.end <= now else "booked"
    lines = [(s.id, s.duration_min, s.price_minor) for s in services]
    price = event.price_minor if event.price_minor is not None else sum(x[2] for x in lines)
    final = price if status == "completed" else None
    cancelled_by = "shop" if status == "cancelled" else None
    values = (
        customer_id,
        staff_id,
        event.start,
        event.end,
        now,
        status,
        price,
        final,
        event.notes,
        cancelled_by,
        event.uid or None,
    )
    return bulk.insert_appointment(values, lines, now)
