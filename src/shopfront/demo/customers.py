"""Demo customers: deterministic rows built in memory, written through the bulk path."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime

import phonenumbers

from shopfront.core.search import fold, index_text
from shopfront.demo.names import CULTURES, FORMULAS, GENDERED, NOTES, TAGS


@dataclass(frozen=True)
class PhoneTemplate:
    national: str  # as a local would type it
    international: str


def phone_templates() -> dict[str, PhoneTemplate]:
    out = {}
    for _, region, *_ in CULTURES:
        ex = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        out[region] = PhoneTemplate(
            phonenumbers.format_number(ex, phonenumbers.PhoneNumberFormat.NATIONAL),
            phonenumbers.format_number(ex, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        )
    return out


def put_digits(template: str, tail: list[str]) -> str:
    """Replace the last digits of a formatted example number with ``tail``."""
    chars = list(template)
    for k, digit in zip(
        [i for i, c in enumerate(chars) if c.isdigit()][-len(tail) :], tail, strict=True
    ):
        chars[k] = digit
    return "".join(chars)


# How many trailing digits of the example number can vary and stay valid (checked by a test).
TAIL_DIGITS = {"GB": 8}


def random_tail(rng: random.Random, region: str) -> list[str]:
    return [str(rng.randint(0, 9)) for _ in range(TAIL_DIGITS.get(region, 6))]


def e164_of(international: str) -> str:
    return "+" + "".join(c for c in international if c.isdigit())


@dataclass
class DemoCustomer:
    id: int
    name: str
    phones: list[tuple[str, str, str]]  # e164, typed, label
    emails: list[str]
    birthday: tuple[int | None, int, int] | None
    notes: str
    preferences: str
    tags: list[str]
    consent: bool
    owner_id: int
    created_at: datetime
    nationals: list[str] = field(default_factory=list)  # each phone as locals write it


def _ascii(text: str) -> str:
    """An email-safe spelling (Łukasz Groß -> lukasz, gross); empty for CJK and Cyrillic."""
    return "".join(c for c in fold(text) if c.isascii() and c.isalnum())


def make_customer(
    cid: int,
    rng: random.Random,
    shop_region: str,
    templates: dict[str, PhoneTemplate],
    staff_ids: list[int],
    start: datetime,
    end: datetime,
) -> DemoCustomer:
    weights = [c[0] for c in CULTURES]
    _, region, given, family, family_first = rng.choices(CULTURES, weights)[0]
    if region in GENDERED:  # Slavic surnames agree with the person (Nowak/Nowakowa, Волков/Волкова)
        given, family = GENDERED[region][rng.random() < 0.7]
    first, last = rng.choice(given), rng.choice(family)
    name = f"{last}{first}" if family_first else f"{first} {last}"
    template = templates[region]
    tail = random_tail(rng, region)
    international = put_digits(template.international, tail)
    # Locals type their national form; visitors give the international one.
    typed = put_digits(template.national, tail) if region == shop_region else international
    phones = [(e164_of(international), typed, "mobile")]
    nationals = [put_digits(template.national, tail)]
    if rng.random() < 0.12:
        second_tail = random_tail(rng, shop_region)
        second = put_digits(templates[shop_region].international, second_tail)
        phones.append((e164_of(second), second, rng.choice(["home", "work"])))
        nationals.append(put_digits(templates[shop_region].national, second_tail))
    emails = []
    if rng.random() < 0.7:
        handle = _ascii(first) + rng.choice([".", "_", ""]) + _ascii(last)
        if not handle.strip("._"):
            handle = f"client{cid}"
        emails.append(
            f"{handle}{rng.randint(1, 99)}@{rng.choice(['example.com', 'example.org', 'mail.example.net'])}"
        )
    birthday = None
    if rng.random() < 0.4:
        year = rng.randint(1945, 2008) if rng.random() < 0.7 else None
        birthday = (year, rng.randint(1, 12), rng.randint(1, 28))
    created = start + (end - start) * rng.random() ** 0.8
    return DemoCustomer(
        id=cid,
        name=name,
        phones=phones,
        emails=emails,
        birthday=birthday,
        notes=rng.choice(NOTES) if rng.random() < 0.15 else "",
        preferences=rng.choice(FORMULAS) if rng.random() < 0.2 else "",
        tags=rng.sample(TAGS, rng.choice([0, 0, 0, 1, 1, 2])),
        consent=rng.random() < 0.6,
        owner_id=rng.choice(staff_ids),
        created_at=created.replace(microsecond=0),
        nationals=nationals,
    )


def customer_rows(c: DemoCustomer) -> tuple[tuple, list[tuple], list[tuple], tuple]:
    """(customer row, phone rows, email rows, search row) for executemany."""
    when = c.created_at.replace(tzinfo=None)
    year, month, day = c.birthday or (None, None, None)
    row = (
        c.id,
        c.name,
        fold(c.name),
        "",
        year,
        month,
        day,
        c.notes,
        c.preferences,
        "\n".join(c.tags),
        int(c.consent),
        c.owner_id,
        None,
        "demo",
        when,
        when,
        None,
        1,
    )
    phones = [(c.id, e164, typed, label, pos) for pos, (e164, typed, label) in enumerate(c.phones)]
    emails = [(c.id, e, e.casefold(), "personal", pos) for pos, e in enumerate(c.emails)]
    forms = [(p[0], p[1], national) for p, national in zip(c.phones, c.nationals, strict=True)]
    text = index_text(c.name, "", forms, c.emails, c.tags)
    return row, phones, emails, (c.id, text.name, text.phone, text.email, text.tags)


def generate(
    rng: random.Random,
    count: int,
    shop_region: str,
    staff_ids: list[int],
    start: datetime,
    end: datetime,
    first_id: int = 1,
) -> list[DemoCustomer]:
    templates = phone_templates()
    return [
        make_customer(first_id + i, rng, shop_region, templates, staff_ids, start, end)
        for i in range(count)
    ]
