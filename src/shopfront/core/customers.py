"""Customer, staff, service and shop-setting types with their validation rules."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from shopfront.errors import ValidationError

MAX_NAME = 200
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
PHONE_LABELS = ("mobile", "home", "work", "other")
EMAIL_LABELS = ("personal", "work", "other")


class Role(StrEnum):
    OWNER = "owner"
    MANAGER = "manager"
    STAFF = "staff"


@dataclass(frozen=True)
class Birthday:
    """A birthday; the year is optional because customers often give only day and month."""

    month: int
    day: int
    year: int | None = None

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def parse(cls, text: str, today: date) -> Birthday | None:
        """Read `1990-04-23`, `04-23` / `--04-23` (no year), or with the month's name:
        `23 April 1990`, `April 23`, `23 Apr`. Empty text means no birthday."""
        text = text.strip()
        if not text:
            return None
        if match := re.fullmatch(r"(?:(\d{4})-|--)?(\d{1,2})-(\d{1,2})", text):
            year = int(match.group(1)) if match.group(1) else None
            month, day = int(match.group(2)), int(match.group(3))
            if month > 12 and day <= 12:
                raise ValidationError(
                    f"There is no month {month}: write the month first ({day:02d}-{month:02d}) "
                    f"or use its name ({month} {_month_name(day)}).",
                    "birthday",
                )
            birthday = cls(month, day, year)
        elif named := _parse_named(text):
            birthday = named
        else:
            raise ValidationError(
                "Birthday must look like 1990-04-23 or 23 April 1990 (the year may be left out).",
                "birthday",
            )
        birthday.validate(today)
        return birthday

    def describe(self, today: date) -> str:
        """'23 April 1990 (36)', or '29 February' without a year: for people, not storage."""
        text = f"{self.day} {_month_name(self.month)}"
        if self.year is None:
            return text
        age = today.year - self.year - ((today.month, today.day) < (self.month, self.day))
        return f"{text} {self.year} ({age})"

    def validate(self, today: date) -> None:
        try:
            # 2000 is a leap year, so 29 February without a year is accepted.
            real = date(self.year or 2000, self.month, self.day)
        except ValueError:
            raise ValidationError(
                f"{self.day} {_month_name(self.month)} is not a date.", "birthday"
            ) from None
        if self.year is not None and real > today:
            raise ValidationError("Birthday can't be in the future.", "birthday")
        if self.year is not None and self.year < today.year - 130:
            raise ValidationError("Birthday is more than 130 years ago.", "birthday")


MONTHS = "January February March April May June July August September October November December"


def _parse_named(text: str) -> Birthday | None:
    """'23 April 1990', 'April 23, 1990', '23 apr' (English month names, any case)."""
    words = re.findall(r"[A-Za-z]+|\d+", text)
    names = [w for w in words if w.isalpha()]
    numbers = [int(w) for w in words if w.isdigit()]
    if len(names) != 1 or not 1 <= len(numbers) <= 2:
        return None
    month = next(
        (
            i
            for i, m in enumerate(MONTHS.split(), 1)
            if m.lower().startswith(names[0].lower()) and len(names[0]) >= 3
        ),
        None,
    )
    if month is None:
        return None
    day = next((n for n in numbers if n <= 31), None)
    years = [n for n in numbers if n > 31]
    if day is None or len(years) > 1:
        return None
    return Birthday(month, day, years[0] if years else None)


def _month_name(month: int) -> str:
    return MONTHS.split()[month - 1] if 1 <= month <= 12 else f"month {month}"


@dataclass(frozen=True)
class Phone:
    """A phone number: E.164 for matching, and the text as the user typed it for display."""

    e164: str
    typed: str
    label: str = "mobile"


@dataclass(frozen=True)
class Email:
    address: str
    label: str = "personal"

    @property
    def normalised(self) -> str:
        return normalise_email(self.address)


def normalise_email(address: str) -> str:
    return address.strip().casefold()


CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def check_single_line(text: str, field: str, what: str) -> str:
    """Names, emails and phones are one line of visible text (no tabs, escapes, breaks)."""
    if CONTROL_RE.search(text):
        raise ValidationError(
            f"{what} can't contain line breaks, tabs or control characters.", field
        )
    return text


def check_email(address: str) -> str:
    """Return the trimmed address or raise with a message for the email field."""
    address = check_single_line(address.strip(), "email", "An email address")
    if not EMAIL_RE.match(address):
        raise ValidationError(f"'{address}' is not an email address (name@domain).", "email")
    return address


@dataclass(frozen=True)
class Customer:
    """One customer card. ``id`` is 0 until saved."""

    name: str
    id: int = 0
    call_name: str = ""
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    birthday: Birthday | None = None
    notes: str = ""
    preferences: str = ""
    tags: tuple[str, ...] = ()
    marketing_consent: bool = False
    owner_id: int | None = None
    backup_id: int | None = None
    created_at: datetime | None = None
    archived_at: datetime | None = None
    version: int = 0
    merged_into: int | None = None

    @property
    def archived(self) -> bool:
        return self.archived_at is not None

    @property
    def first_name(self) -> str:
        """What to call the customer in a message."""
        return self.call_name or (self.name.split() or [""])[0]


def check_name(name: str) -> str:
    """Names are kept exactly as typed (markup, emoji and all) apart from outer spaces."""
    name = check_single_line(name.strip(), "name", "A name")
    if not name:
        raise ValidationError("A name is needed.", "name")
    if len(name) > MAX_NAME:
        raise ValidationError(f"A name can have at most {MAX_NAME} characters.", "name")
    return name


def parse_tags(text: str) -> tuple[str, ...]:
    """Comma-separated tags, trimmed, without repeats (first spelling wins)."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        tag = raw.strip()
        if tag and tag.casefold() not in seen:
            seen[tag.casefold()] = tag
    return tuple(seen.values())


@dataclass(frozen=True)
class CustomerSummary:
    """One row of a customer list: enough to recognise the customer on the phone."""

    id: int
    name: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    tags: tuple[str, ...]
    owner: str
    archived: bool


@dataclass(frozen=True)
class TimelineEntry:
    """Something that happened to a customer, for the card's timeline."""

    at: datetime
    kind: str
    summary: str


@dataclass(frozen=True)
class Staff:
    name: str
    id: int = 0
    role: Role = Role.STAFF
    colour: str = "#5B8DEF"
    active: bool = True

    def validated(self) -> Staff:
        name = check_name(self.name)
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", self.colour):
            raise ValidationError("Colour must look like #5B8DEF.", "colour")
        return Staff(name, self.id, Role(self.role), self.colour.upper(), self.active)


@dataclass(frozen=True)
class Service:
    """A service on the menu; price in minor units of the shop currency."""

    name: str
    duration_min: int
    price_minor: int
    id: int = 0
    category: str = ""
    followup_days: int | None = None
    active: bool = True

    def validated(self) -> Service:
        errors = {}
        if not self.name.strip():
            errors["name"] = "A service needs a name."
        if not 5 <= self.duration_min <= 12 * 60:
            errors["duration"] = "Duration must be between 5 minutes and 12 hours."
        if self.price_minor < 0:
            errors["price"] = "Price can't be negative."
        if self.followup_days is not None and not 1 <= self.followup_days <= 730:
            errors["followup"] = "Follow-up interval must be 1 to 730 days, or empty."
        if errors:
            raise ValidationError.from_errors(errors)
        return Service(
            self.name.strip(),
            self.duration_min,
            self.price_minor,
            self.id,
            self.category.strip(),
            self.followup_days,
            self.active,
        )


@dataclass(frozen=True)
class ShopSettings:
    """Business settings; stored in the database so every desk applies the same rules."""

    shop_name: str = "My shop"
    timezone: str = "Europe/London"
    phone_region: str = "GB"
    currency: str = "GBP"
    slot_minutes: int = 15
    late_cancel_hours: int = 24
    lapsed_default_days: int = 120
    paper_size: str = "A4"  # printed reports: A4 or Letter
    extra: dict[str, str] = field(default_factory=dict, compare=False)
