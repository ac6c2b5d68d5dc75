"""The Book: the one door to the use cases. The GUI, the CLI and the tests call this.

Each method is one use case; each change runs in one transaction (IMMEDIATE on SQLite,
so a read-then-write can't be overtaken by another desk between its read and its write).
Nothing here imports Qt.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from peewee import Database

from shopfront import phones as phone_rules
from shopfront.core import duplicates as dup_rules
from shopfront.core import search as search_rules
from shopfront.core.customers import (
    EMAIL_LABELS,
    PHONE_LABELS,
    Birthday,
    Customer,
    CustomerSummary,
    Email,
    Phone,
    Service,
    ShopSettings,
    Staff,
    TimelineEntry,
    check_email,
    check_name,
    parse_tags,
)
from shopfront.core.duplicates import DuplicateMatch
from shopfront.errors import NotFoundError, ShopfrontError, ValidationError
from shopfront.storage import care as care_rows
from shopfront.storage import catalog, customers
from shopfront.storage.database import open_database
from shopfront.storage.records import database as database_proxy
from shopfront.usecases.appointments import AppointmentUseCases
from shopfront.usecases.care import CareUseCases
from shopfront.usecases.exporting import ExportingUseCases
from shopfront.usecases.importing import ImportingUseCases
from shopfront.usecases.reports import ReportUseCases
from shopfront.usecases.risk import RiskUseCases
from shopfront.usecases.safety import SafetyUseCases
from shopfront.usecases.visits import VisitUseCases

if TYPE_CHECKING:
    from shopfront.storage.transfer import TransferReport

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
PAGE = 200
# Only this many matches are sorted and listed; past it the list says "keep typing".
# One or two letters match thousands of cards, and sorting them costs a keystroke's budget.
HIT_CAP = 2000
PAPER_SIZES = ("A4", "Letter")
SHORT_HIT_CAP = 500


def hit_cap(text: str) -> int:
    return SHORT_HIT_CAP if len(text.strip()) < 3 else HIT_CAP


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CustomerForm:
    """What a user typed on the customer card, before validation (all plain text)."""

    name: str = ""
    call_name: str = ""
    phones: list[tuple[str, str]] = field(default_factory=list)  # (typed, label)
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    birthday: str = ""
    notes: str = ""
    preferences: str = ""
    tags: str = ""
    marketing_consent: bool = False
    owner_id: int | None = None
    backup_id: int | None = None


class Book(
    CareUseCases,
    AppointmentUseCases,
    VisitUseCases,
    SafetyUseCases,
    ReportUseCases,
    RiskUseCases,
    ImportingUseCases,
    ExportingUseCases,
):
    """An open customer book. ``clock`` is injectable so tests pin time."""

    def __init__(self, db: Database, clock: Clock = utc_now):
        self.db = db
        self.clock = clock
        self._settings: ShopSettings | None = None

    @classmethod
    def open(cls, target: str | None = None, clock: Clock = utc_now, create: bool = True) -> Book:
        """Open a book; with ``create=False`` a missing file is an error, not a new book."""
        return cls(open_database(target, create=create), clock)

    def close(self) -> None:
        self.db.close()

    @property
    def location(self) -> str:
        return str(getattr(self.db, "location", ""))

    @property
    def on_sqlite(self) -> bool:
        return getattr(self.db, "location", None) is None or self.db.location.is_sqlite

    # several desks (PostgreSQL) ------------------------------------------------------

    def share_to(self, url: str) -> TransferReport:
        """Copy this SQLite book into an EMPTY PostgreSQL database, verified by per-table
        counts. This book stays open and unchanged; the desks then open ``url``."""
        if not self.on_sqlite:
            raise ValidationError("This book is already on a server.", "db")
        from shopfront.storage import transfer

        try:
            return transfer.copy_book(self.db.location.path, url)
        finally:
            database_proxy.initialize(self.db)  # the copy bound storage to the server

    def server_reachable(self) -> bool:
        """Does the book's server answer? (The window's banner asks while it is lost.)"""
        try:
            self.db.execute_sql("SELECT 1")
        except ShopfrontError:
            return False
        return True

    def copy_in(self, source: Path) -> TransferReport:
        """Fill this (empty, PostgreSQL) book from the SQLite book at ``source``."""
        from shopfront.storage import transfer

        try:
            return transfer.copy_book(source, self.db.location.url)
        finally:
            database_proxy.initialize(self.db)
            self._settings = None

    # settings ------------------------------------------------------------------------

    @property
    def settings(self) -> ShopSettings:
        if self._settings is None:
            self._settings = catalog.load_settings()
        return self._settings

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    def today(self) -> date:
        return self.clock().astimezone(self.zone()).date()

    def save_settings(self, new: ShopSettings) -> ShopSettings:
        new = validate_settings(new)
        with self.db.atomic():
            catalog.save_settings(new)
        self._settings = new
        return new

    # staff and services ---------------------------------------------------------------

    def staff(self, include_inactive: bool = True) -> list[Staff]:
        return catalog.list_staff(include_inactive)

    def get_staff(self, staff_id: int) -> Staff:
        return catalog.get_staff(staff_id)

    def save_staff(self, staff: Staff) -> Staff:
        staff = staff.validated()
        with self.db.atomic():
            return catalog.save_staff(staff)

    def services(self, include_inactive: bool = True) -> list[Service]:
        return catalog.list_services(include_inactive)

    def save_service(self, service: Service) -> Service:
        service = service.validated()
        with self.db.atomic():
            return catalog.save_service(service)

    # customers: reading -----------------------------------------------------------------

    def customer(self, customer_id: int) -> Customer:
        return customers.load(customer_id)

    def search(
        self, text: str, include_archived: bool = False, limit: int = PAGE, offset: int = 0
    ) -> list[CustomerSummary]:
        """Search-as-you-type; empty text lists everyone by name."""
        return customers.summaries(self.search_ids(text, include_archived, limit, offset))

    def search_ids(self, text: str, include_archived: bool, limit: int, offset: int) -> list[int]:
        """Ids for a search page. Empty text lists everyone A-Z; text with nothing
        searchable in it (only punctuation) finds nobody."""
        if not text.strip():
            return customers.list_ids(include_archived, limit, offset)
        expression = self._expression(text)
        if expression is None:
            return []
        name_expression = search_rules.match_expression(text, column="name")
        return customers.search_ids(
            expression,
            name_expression,
            include_archived,
            limit,
            offset,
            hit_cap(text),
            search_rules.first_word(text),
        )

    def _expression(self, text: str) -> str | None:
        expression = search_rules.match_expression(text)
        if expression and search_rules.is_phone_query(text):
            # A national number with a trunk 0 (07700 900123) is no run of the E.164 digits:
            # search both forms.
            e164 = phone_rules.e164_digits_for_query(text, self.settings.phone_region)
            if e164 and e164 != search_rules.digits(text):
                expression = f'{expression} OR phone : "{e164}"*'
        return expression

    def match_count(self, text: str, include_archived: bool = False) -> int:
        """How many cards match, up to one more than ``hit_cap(text)`` ("more than …")."""
        if not text.strip():
            return customers.count(include_archived)
        expression = self._expression(text)
        if expression is None:
            return 0
        return customers.match_count(expression, include_archived, hit_cap(text))

    def customer_count(self, include_archived: bool = False) -> int:
        return customers.count(include_archived)

    def timeline(self, customer_id: int) -> list[TimelineEntry]:
        """Card events, appointments (past and future) and their status changes, newest first."""
        from shopfront.usecases.timeline import appointment_entries

        entries = (
            customers.events(customer_id)
            + appointment_entries(self, customer_id)
            + self.care_entries(customer_id)
        )
        return sorted(entries, key=lambda e: e.at, reverse=True)

    def staff_name(self, staff_id: int | None) -> str:
        if staff_id is None:
            return ""
        try:
            return catalog.get_staff(staff_id).name
        except NotFoundError:
            return ""

    # customers: validating -------------------------------------------------------------

    def parse_phone(self, typed: str, label: str = "mobile") -> Phone:
        return phone_rules.parse_phone(typed, self.settings.phone_region, label)

    def build_customer(self, form: CustomerForm, base: Customer | None = None) -> Customer:
        """Validate every field at once; errors are keyed by field (``phone:0``, …)."""
        errors: dict[str, str] = {}

        def attempt(key: str, fn: Callable[[], object]) -> object:
            try:
                return fn()
            except ValidationError as exc:
                errors[key] = str(exc)
                return None

        name = attempt("name", lambda: check_name(form.name))
        phones = [
            attempt(
                f"phone:{i}",
                lambda t=typed, lb=label: self.parse_phone(t, _label(lb, PHONE_LABELS)),
            )
            for i, (typed, label) in enumerate(form.phones)
            if typed.strip()
        ]
        emails = [
            attempt(
                f"email:{i}",
                lambda a=address, lb=label: Email(check_email(a), _label(lb, EMAIL_LABELS)),
            )
            for i, (address, label) in enumerate(form.emails)
            if address.strip()
        ]
        birthday = attempt("birthday", lambda: Birthday.parse(form.birthday, self.today()))
        for key, staff_id in (("owner", form.owner_id), ("backup", form.backup_id)):
            if staff_id is not None:
                attempt(key, lambda s=staff_id, k=key: self._check_staff(s, k))
        if errors:
            raise ValidationError.from_errors(errors)
        base = base or Customer(name="")
        return dataclasses.replace(
            base,
            name=name,
            call_name=form.call_name.strip(),
            phones=_unique(phones, lambda p: p.e164),
            emails=_unique(emails, lambda e: e.normalised),
            birthday=birthday,
            notes=form.notes,
            preferences=form.preferences,
            tags=parse_tags(form.tags),
            marketing_consent=form.marketing_consent,
            owner_id=form.owner_id,
            backup_id=form.backup_id,
        )

    def _check_staff(self, staff_id: int, key: str) -> None:
        try:
            catalog.get_staff(staff_id)
        except NotFoundError as exc:
            raise ValidationError(str(exc), key) from None

    def quick_form(self, name: str, phone: str = "", email: str = "") -> CustomerForm:
        """Quick add needs a name and a phone or an email; the rest can come later."""
        if not phone.strip() and not email.strip():
            raise ValidationError("Give a phone number or an email address.", "phone")
        return CustomerForm(
            name=name,
            phones=[(phone, "mobile")] if phone.strip() else [],
            emails=[(email, "personal")] if email.strip() else [],
        )

    def find_duplicates(self, draft: Customer) -> list[DuplicateMatch]:
        tails = sorted(
            {search_rules.digits(p.e164)[-dup_rules.SUFFIX_DIGITS :] for p in draft.phones}
        )
        ids = customers.duplicate_candidate_ids(draft, tails)
        return dup_rules.rank_duplicates(draft, customers.load_many(ids))

    # customers: changing ---------------------------------------------------------------

    def add_customer(self, draft: Customer, source: str = "manual") -> Customer:
        with self.db.atomic():
            saved = customers.insert(draft, self.clock(), source)
        log.info("customer %s created", saved.id)
        return saved

    def save_customer(self, customer: Customer) -> Customer:
        if not customer.id:
            return self.add_customer(customer)
        with self.db.atomic():
            saved = customers.update(customer, self.clock())
        log.info("customer %s saved", saved.id)
        return saved

    def archive_customer(self, customer_id: int) -> None:
        self._set_archived(customer_id, True)

    def restore_customer(self, customer_id: int) -> None:
        self._set_archived(customer_id, False)

    def _set_archived(self, customer_id: int, archived: bool) -> None:
        now = self.clock()
        with self.db.atomic():
            card = customers.load(customer_id)
            if card.archived == archived or card.merged_into:
                state = (
                    "merged" if card.merged_into else ("archived" if archived else "not archived")
                )
                raise ValidationError(f"{card.name} is already {state}.", "archive")
            customers.set_archived(customer_id, now if archived else None)
            kind = "archived" if archived else "restored"
            customers.add_event(customer_id, now, kind, f"Card {kind}")
        log.info("customer %s %s", customer_id, "archived" if archived else "restored")

    def merge_customers(self, keep_id: int, other_id: int) -> Customer:
        """Combine two cards into ``keep_id``: contacts, notes, tags and all history."""
        if keep_id == other_id:
            raise ValidationError("Pick two different customers to merge.", "merge")
        self.backup_now("before-merge")  # a merge can't be undone by hand
        now = self.clock()
        with self.db.atomic():
            keep, other = customers.load(keep_id), customers.load(other_id)
            for card in (keep, other):
                if card.merged_into:
                    raise ValidationError(
                        f"Card #{card.id} was already merged into #{card.merged_into}.", "merge"
                    )
            merged = merge_cards(keep, other)
            customers.move_customer_rows(other_id, keep_id)
            care_rows.move_care_rows(other_id, keep_id)
            customers.mark_merged(other_id, keep_id, now)
            saved = customers.update(merged, now)
            customers.add_event(
                keep_id, now, "merged", f"Merged with card #{other_id} ({other.name})"
            )
        log.info("customer %s merged into %s", other_id, keep_id)
        return saved


def _label(label: str, allowed: tuple[str, ...]) -> str:
    return label if label in allowed else allowed[-1]


def _unique(items: list, key: Callable) -> tuple:
    seen: dict = {}
    for item in items:
        seen.setdefault(key(item), item)
    return tuple(seen.values())


def _join_text(a: str, b: str) -> str:
    """Both texts, unless one paragraph of ``a`` is already exactly ``b``."""
    paragraphs = {p.strip() for p in a.split("\n\n")}
    if not b.strip() or b.strip() in paragraphs:
        return a
    return f"{a}\n\n{b}" if a.strip() else b


def merge_cards(keep: Customer, other: Customer) -> Customer:
    """The combined card. Marketing consent stays only if both cards had it (conservative)."""
    return dataclasses.replace(
        keep,
        phones=_unique([*keep.phones, *other.phones], lambda p: p.e164),
        emails=_unique([*keep.emails, *other.emails], lambda e: e.normalised),
        birthday=keep.birthday or other.birthday,
        notes=_join_text(keep.notes, other.notes),
        preferences=_join_text(keep.preferences, other.preferences),
        tags=parse_tags(",".join([*keep.tags, *other.tags])),
        marketing_consent=keep.marketing_consent and other.marketing_consent,
        owner_id=keep.owner_id or other.owner_id,
        backup_id=keep.backup_id or other.backup_id,
        call_name=keep.call_name or other.call_name,
    )


def validate_settings(new: ShopSettings) -> ShopSettings:
    errors: dict[str, str] = {}
    if not new.shop_name.strip():
        errors["shop_name"] = "The shop needs a name (it is printed on reports)."
    try:
        if new.timezone not in available_timezones():
            raise ZoneInfoNotFoundError
        ZoneInfo(new.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["timezone"] = f"'{new.timezone}' is not a time zone such as Europe/London."
    try:
        region = phone_rules.check_region(new.phone_region)
    except ValidationError as exc:
        errors["phone_region"], region = str(exc), new.phone_region
    currency = new.currency.strip().upper()
    if not (len(currency) == 3 and currency.isalpha()):
        errors["currency"] = "Currency is a three-letter code such as GBP, EUR or USD."
    if not 5 <= new.slot_minutes <= 60 or 60 % new.slot_minutes:
        errors["slot_minutes"] = "The time grid must divide an hour: 5, 10, 15, 20, 30 or 60."
    if not 0 <= new.late_cancel_hours <= 168:
        errors["late_cancel_hours"] = "The late-cancel window is 0 to 168 hours (a week)."
    if not 14 <= new.lapsed_default_days <= 730:
        errors["lapsed_default_days"] = "Lapsed-after is 14 to 730 days."
    paper = {size.lower(): size for size in PAPER_SIZES}.get(new.paper_size.strip().lower())
    if paper is None:
        errors["paper_size"] = "Paper size is A4 or Letter."
    if errors:
        raise ValidationError.from_errors(errors)
    return dataclasses.replace(
        new,
        shop_name=new.shop_name.strip(),
        phone_region=region,
        currency=currency,
        paper_size=paper,
    )
