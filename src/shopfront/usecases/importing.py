"""Import use cases: read a file, plan every row, then write what the user accepted.

``read_import`` detects the kind of file and its source; ``plan_import`` validates every
row and finds duplicates (in the book and within the file) without writing anything;
``apply_import`` writes the plan in ONE transaction — customers through the bulk path —
so a cancel or an error leaves the book exactly as it was.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from shopfront.core.customers import Customer, Email, check_email, check_name, parse_tags
from shopfront.errors import ShopfrontError, ValidationError
from shopfront.io import calendars, presets, tables, vcards
from shopfront.io.contacts import ImportedContact, parse_birthday
from shopfront.io.matching import ContactIndex, Match
from shopfront.storage import bulk, customers
from shopfront.usecases.import_plan import (
    CHOICES,
    ImportCancelledError,
    ImportPlan,
    ImportReport,
    PlannedRow,
)

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
KINDS = ("auto", *presets.BY_KEY, "vcard", "ics", "json")
PRESET_CHOICES = ("auto", "google", "outlook", "square", "fresha", "vagaro", "vcard", "ics")
PRESET_CHOICES += ("generic", "shopfront", "json")


@dataclass
class ImportSource:
    """A file read and understood, before any decision: what the wizard previews."""

    name: str
    kind: str  # table, vcard, ics, json
    preset: presets.Preset = presets.GENERIC
    table: tables.Table | None = None
    mapping: list[str] = field(default_factory=list)
    contacts: list[ImportedContact] = field(default_factory=list)
    events: list[calendars.ImportedEvent] = field(default_factory=list)
    data: bytes = b""

    @property
    def label(self) -> str:
        if self.kind == "vcard":
            return "vCard contacts"
        if self.kind == "ics":
            return "iCalendar appointments"
        if self.kind == "json":
            return "shopfront book (JSON)"
        return self.preset.label


def _kind_of(name: str, data: bytes, wanted: str) -> str:
    if wanted in ("vcard", "ics", "json"):
        return wanted
    head = data[:4096].lstrip(b"\xef\xbb\xbf \r\n\t").upper()
    if name.lower().endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return "xlsx"
    if head.startswith(b"BEGIN:VCARD") or name.lower().endswith(".vcf"):
        return "vcard"
    if head.startswith(b"BEGIN:VCALENDAR") or name.lower().endswith(".ics"):
        return "ics"
    if name.lower().endswith(".json") or head.startswith(b"{"):
        return "json"
    return "csv"


class ImportingUseCases:
    """Mixed into Book; ``self`` is the Book."""

    def read_import(
        self: Book,
        path: str | Path,
        preset: str = "auto",
        overrides: dict[str, str] | None = None,
        encoding: str = "auto",
        window: tuple[datetime, datetime] | None = None,
    ) -> ImportSource:
        path = Path(path)
        if preset not in PRESET_CHOICES:
            raise ValidationError(f"Preset must be one of: {', '.join(PRESET_CHOICES)}.", "preset")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ShopfrontError(f"Can't read {path}: {exc.strerror or exc}.") from None
        return self.read_import_data(path.name, data, preset, overrides, encoding, window)

    def read_import_data(
        self: Book,
        name: str,
        data: bytes,
        preset: str = "auto",
        overrides: dict[str, str] | None = None,
        encoding: str = "auto",
        window: tuple[datetime, datetime] | None = None,
    ) -> ImportSource:
        kind = _kind_of(name, data, preset)
        if kind == "vcard":
            text, _ = tables.decode(data, encoding)
            return ImportSource(name, "vcard", contacts=vcards.read_vcards(text))
        if kind == "ics":
            events = calendars.read_events(data, self.zone(), window)
            return ImportSource(name, "ics", events=events)
        if kind == "json":
            return ImportSource(name, "json", data=data)
        table = tables.read_xlsx(data) if kind == "xlsx" else tables.read_text_table(data, encoding)
        if not table.headers:
            raise ShopfrontError(f"{name} has no header row: there is nothing to import.")
        chosen = presets.detect(table.headers) if preset == "auto" else presets.BY_KEY[preset]
        chosen = presets.for_headers(chosen, table.headers)
        mapping = presets.default_mapping(table.headers, chosen)
        if overrides:
            mapping = presets.apply_overrides(table.headers, mapping, overrides)
        source = ImportSource(name, "table", chosen, table, mapping)
        source.contacts = presets.read_contacts(table, chosen, mapping)
        return source

    def remap(self: Book, source: ImportSource, mapping: list[str]) -> ImportSource:
        """The same table read again with the user's corrected mapping."""
        assert source.table is not None
        contacts = presets.read_contacts(source.table, source.preset, mapping)
        return dataclasses.replace(source, mapping=list(mapping), contacts=contacts)

    # planning ---------------------------------------------------------------------------

    def draft_from_import(self: Book, c: ImportedContact) -> tuple[Customer, list[str]]:
        """Validate one imported contact like the card editor would.

        Only a missing name makes the row fail. A phone, email or birthday that doesn't
        read is left off the card and kept in its notes, with a warning for the report:
        one odd number in a phone's contacts shouldn't cost the whole customer."""
        warnings: list[str] = []
        kept: list[str] = []

        def attempt(fn: Callable[[], object], what: str, text: str) -> object:
            try:
                return fn()
            except ValidationError as exc:
                warnings.append(f"{exc} (kept in the notes)")
                kept.append(f"{what} from the import, not understood: {text}")
                return None

        name = check_name(c.name or _name_from_contacts(c))
        phones = [
            attempt(lambda t=t, lb=lb: self.parse_phone(t, lb), "Phone", t) for t, lb in c.phones
        ]
        emails = [
            attempt(lambda a=a, lb=lb: Email(check_email(a), lb), "Email", a) for a, lb in c.emails
        ]
        birthday = attempt(lambda: parse_birthday(c.birthday, self.today()), "Birthday", c.birthday)
        notes = "\n".join([c.notes, *kept]) if c.notes and kept else c.notes or "\n".join(kept)
        draft = Customer(
            name=name,
            call_name=c.call_name.strip(),
            phones=tuple(_unique([p for p in phones if p], lambda p: p.e164)),  # type: ignore[union-attr]
            emails=tuple(_unique([e for e in emails if e], lambda e: e.normalised)),  # type: ignore[union-attr]
            birthday=birthday,  # type: ignore[arg-type]
            notes=notes,
            preferences=c.preferences,
            tags=parse_tags(",".join(c.tags)),
            marketing_consent=c.marketing_consent,
        )
        return draft, warnings

    def plan_import(
        self: Book,
        source: ImportSource,
        on_duplicate: str = "merge",
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportPlan:
        """What would happen to every row; nothing is written."""
        if on_duplicate not in CHOICES:
            raise ValidationError(f"--on-duplicate must be one of: {', '.join(CHOICES)}.", "dup")
        if source.kind == "ics":
            from shopfront.usecases.import_events import plan_events

            return plan_events(self, source, on_duplicate)
        if source.kind == "json":
            from shopfront.usecases.book_json import plan_book_json

            return plan_book_json(self, source)
        cards, external = bulk.contact_index()
        index = ContactIndex()
        for card in cards:
            index.add(card.id, card)
        index.external.update(external)
        plan = ImportPlan(source.name, source.label, "customers")
        total = len(source.contacts)
        for i, contact in enumerate(source.contacts):
            plan.rows.append(self._plan_row(i, contact, index, on_duplicate))
            if progress is not None and i % 1000 == 0:
                progress(i, total)
        return plan

    def _plan_row(
        self: Book, i: int, c: ImportedContact, index: ContactIndex, choice: str
    ) -> PlannedRow:
        if c.skip:
            return PlannedRow(c.line, c.name, "skip", c.skip)
        if c.error:
            return PlannedRow(c.line, c.name, "error", c.error)
        try:
            draft, warnings = self.draft_from_import(c)
        except ValidationError as exc:
            return PlannedRow(c.line, c.name, "error", str(exc))
        identity = bulk.ImportIdentity(c.blocked, c.blocked_reason, c.external_id or None)
        note = "; ".join([*c.problems, *warnings])
        match: Match | None = index.find(draft, identity.external_id)
        row = PlannedRow(c.line, draft.name, "new", note, draft, identity=identity)
        if match is not None:
            row.outcome, row.choice, row.reason = "duplicate", choice, "; ".join(match.reasons)
            if match.key > 0:
                row.match_id, row.match_name = match.key, index.cards[match.key].name
            else:
                row.match_row = -match.key - 1
                row.match_name = index.cards[match.key].name
        index.add(-(i + 1), draft, identity.external_id)
        return row

    # writing ----------------------------------------------------------------------------

    def apply_import(
        self: Book,
        plan: ImportPlan,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        dry_run: bool = False,
    ) -> ImportReport:
        """Write the plan in one transaction; ``cancelled()`` returning True rolls it back."""
        if not dry_run and any(r.outcome in ("new", "duplicate") for r in plan.rows):
            self.backup_now("before-import")  # a verified copy to go back to, just in case
        if plan.target == "appointments":
            from shopfront.usecases.import_events import apply_events

            return apply_events(self, plan, progress, cancelled, dry_run)
        if plan.target == "book":
            from shopfront.usecases.book_json import apply_book_json

            return apply_book_json(self, plan, progress, cancelled, dry_run)
        now = self.clock()
        report = ImportReport(plan.source, dry_run=dry_run)
        try:
            with self.db.atomic():
                _write_customers(self, plan, report, now, progress, cancelled)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except bulk.Cancelled:
            log.info("import cancelled; nothing written")
            raise ImportCancelledError("Import cancelled: nothing was written.") from None
        log.info(
            "import: %s created, %s merged, %s skipped, %s failed%s",
            len(report.created),
            len(report.merged),
            len(report.skipped),
            len(report.failed),
            " (dry run)" if dry_run else "",
        )
        return report


class _DryRun(Exception):
    """Rolls the transaction back after a dry run computed the report."""


def _name_from_contacts(c: ImportedContact) -> str:
    """A row with no name but an email is named after the email's local part."""
    if c.emails:
        return c.emails[0][0].split("@")[0]
    return ""


def _unique(items: list, key: Callable) -> list:
    seen: dict = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())


def _same_card(a: Customer, b: Customer) -> bool:
    def view(c: Customer) -> tuple:
        return (
            {p.e164 for p in c.phones},
            {e.normalised for e in c.emails},
            c.birthday,
            c.notes,
            c.preferences,
            {t.casefold() for t in c.tags},
            c.marketing_consent,
            c.call_name,
        )

    return view(a) == view(b)


def _write_customers(
    book: Book,
    plan: ImportPlan,
    report: ImportReport,
    now: datetime,
    progress: Callable[[int, int], None] | None,
    cancelled: Callable[[], bool] | None,
) -> None:
    """Resolve merges (into the book or into earlier rows), then bulk-insert the rest."""
    from shopfront.book import merge_cards

    inserts: dict[int, Customer] = {}  # row index -> card to insert
    into_book: dict[int, Customer] = {}  # customer id -> merged card
    target_of: dict[int, tuple[str, int]] = {}  # row index -> ("row"|"book", key)
    existing = customers.load_many(sorted({r.match_id for r in plan.rows if r.match_id}))
    loaded = {c.id: c for c in existing}
    for i, row in enumerate(plan.rows):
        if row.outcome in ("error", "skip"):
            (report.failed if row.outcome == "error" else report.skipped).append(row.result())
            continue
        assert row.customer is not None
        if row.outcome == "new" or row.choice == "create":
            inserts[i] = row.customer
            target_of[i] = ("row", i)
            continue
        if row.choice == "skip":
            report.skipped.append(row.result(f"duplicate of {row.match_label}: {row.reason}"))
            continue
        kind, key = (
            ("book", row.match_id)
            if row.match_id
            else target_of.get(row.match_row if row.match_row is not None else -1, ("", 0))
        )
        if kind == "row":
            inserts[key] = merge_cards(inserts[key], row.customer)
            report.merged.append(row.result(f"merged into row {plan.rows[key].line}"))
            target_of[i] = ("row", key)
        elif kind == "book":
            if key not in loaded:
                loaded.update({c.id: c for c in customers.load_many([key])})
            base = into_book.get(key) or loaded.get(key)
            if base is None:
                report.failed.append(row.result(f"customer #{key} is gone"))
                continue
            into_book[key] = merge_cards(base, row.customer)
            target_of[i] = ("book", key)
            row.merged_into = key
        else:
            inserts[i] = row.customer
            target_of[i] = ("row", i)
    by_card: dict[int, list[PlannedRow]] = {}
    for r in plan.rows:
        if r.merged_into is not None:
            by_card.setdefault(r.merged_into, []).append(r)
    for customer_id, merged in into_book.items():
        rows = by_card.get(customer_id, [])
        if _same_card(merged, loaded[customer_id]):
            for r in rows:
                report.skipped.append(r.result(f"already in the book as #{customer_id}"))
            continue
        saved = customers.update(merged, now)
        customers.add_event(customer_id, now, "merged", f"Updated from import ({plan.source})")
        for r in rows:
            bulk.set_identity(saved.id, r.identity)
            report.merged.append(r.result(f"merged into #{customer_id}", customer_id))
    order = sorted(inserts)
    prepared = bulk.prepare_customers(
        [(inserts[i], plan.rows[i].identity) for i in order], now, "import"
    )
    total = len(order)

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, total)

    ids = bulk.write_customers(
        prepared, now, f"Card created (import from {plan.source})", tick, cancelled
    )
    for i, new_id in zip(order, ids, strict=True):
        report.created.append(plan.rows[i].result("", new_id))
