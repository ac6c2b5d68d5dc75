"""A contact as read from a file, before validation, and the value readers every source
shares: birthdays in the shapes exports use, yes/no flags, repeated values, apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from shopfront.core.customers import MONTHS, Birthday

#: Fields a column can be mapped to (``phone:home`` etc. carry a label).
FIELDS = (
    "name",
    "first_name",
    "middle_name",
    "last_name",
    "call_name",
    "phone",
    "phone:mobile",
    "phone:home",
    "phone:work",
    "phone:other",
    "email",
    "email:personal",
    "email:work",
    "email:other",
    "birthday",
    "notes",
    "preferences",
    "tags",
    "marketing_consent",
    "blocked",
    "blocked_reason",
    "external_id",
    "ignore",
)
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"1", "true", "yes", "y", "t", "x", "subscribed", "opted in", "ja", "oui", "wahr", "vrai"}
_FALSE = {"", "0", "false", "no", "n", "f", "unsubscribed", "opted out", "nein", "non", "faux"}
EXCEL_EPOCH = date(1899, 12, 30)


@dataclass
class ImportedContact:
    """One contact from a file: raw text, checked later by the Book (phones need the shop's
    region, birthdays need today). ``line`` is where it starts in the file."""

    line: int
    name: str = ""
    call_name: str = ""
    phones: list[tuple[str, str]] = field(default_factory=list)  # (typed, label)
    emails: list[tuple[str, str]] = field(default_factory=list)  # (address, label)
    birthday: str = ""
    notes: str = ""
    preferences: str = ""
    tags: list[str] = field(default_factory=list)
    marketing_consent: bool = False
    blocked: bool = False
    blocked_reason: str = ""
    external_id: str = ""
    problems: list[str] = field(default_factory=list)  # things read but not understood
    error: str = ""  # the entry can't be a customer at all (shown as failed)
    skip: str = ""  # the entry is not a customer on purpose (a contact group, say)


def unneutralise(text: str) -> str:
    """Undo the apostrophe that spreadsheet exports (ours, Square's) put before a cell
    that starts like a formula: ``'+44 7700…`` is ``+44 7700…``."""
    if len(text) > 1 and text[0] == "'" and (text[1] in FORMULA_TRIGGERS or text[1] == "'"):
        return text[1:]
    return text


def neutralise(text: str) -> str:
    """Protect a CSV cell against formula injection (``=cmd|…`` runs in Excel).

    The inverse of ``unneutralise``: a cell that already starts with the apostrophe and a
    trigger gets one more, so every text survives export and import unchanged."""
    if text and (text[0] in FORMULA_TRIGGERS or unneutralise(text) != text):
        return "'" + text
    return text


def flag(text: str) -> bool | None:
    """Yes/no cells as exports write them; None when it is neither."""
    value = text.strip().casefold()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return None


def split_multi(text: str) -> list[str]:
    """Google puts several values in one cell separated by ' ::: '."""
    return [part.strip() for part in text.split(":::") if part.strip()]


def _month(name: str) -> int | None:
    name = name.casefold()
    for number, full in enumerate(MONTHS.split(), 1):
        if len(name) >= 3 and full.casefold().startswith(name):
            return number
    return None


def excel_serial(text: str) -> date | None:
    """Excel's day numbers (45123 = 2023-07-16) that Fresha exports leave in CSV cells."""
    if re.fullmatch(r"\d{4,5}(\.0+)?", text.strip()):
        number = int(float(text))
        if 1 <= number < 80000:
            return EXCEL_EPOCH + timedelta(days=number)
    return None


def birthday_text(text: str, order: str = "mdy") -> str:
    """A birthday as exports write it, rewritten to ``YYYY-MM-DD`` or ``--MM-DD`` for
    ``Birthday.parse``. ``order`` says how to read ``4/5/1990`` (US mdy, European dmy).

    Understood: ISO dates, ``--MM-DD``, ``MM-DD`` (Square), Excel day numbers (Fresha),
    ``Jul 10, 2025`` (Vagaro), ``23.04.1990``, ``23 April``. Outlook's ``0/0/00`` is
    empty. Anything else is returned unchanged for ``Birthday.parse`` to judge."""
    text = text.strip()
    if text in ("", "0/0/00", "00.00.0000", "---", "1/1/0001", "0001-01-01"):
        return ""
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text):
        return f"{match[1]}-{int(match[2]):02d}-{int(match[3]):02d}"
    if serial := excel_serial(text):
        return serial.isoformat()
    if match := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\.?", text):
        a, b, year = int(match[1]), int(match[2]), match[3]
        month, day = (a, b) if order == "mdy" else (b, a)
        if year is None:
            return f"--{month:02d}-{day:02d}"
        full = int(year)
        if len(year) == 2:  # Outlook's 4/23/75: the century people mean
            full += 1900 if full > 30 else 2000
        return f"{full:04d}-{month:02d}-{day:02d}"
    match = re.fullmatch(r"([A-Za-z]+)\.? (\d{1,2}),? (\d{4})", text)
    if match and (month := _month(match[1])):
        return f"{match[3]}-{month:02d}-{int(match[2]):02d}"
    if re.fullmatch(r"\d{1,2}-\d{1,2}", text):
        return f"--{text}"
    return text


def parse_birthday(text: str, today: date, order: str = "mdy") -> Birthday | None:
    """Birthday or None; raises ValidationError with a message for the report."""
    return Birthday.parse(birthday_text(text, order), today)


def join_name(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())
