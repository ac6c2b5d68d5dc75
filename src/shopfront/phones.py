"""Phone numbers: parsed with `phonenumbers` into E.164, shown as the user typed them.

`phonenumbers` is imported on first use: it costs ~45 ms, and the window should paint
and list customers before anyone types a number.
"""

from __future__ import annotations

from functools import cache
from types import ModuleType

from shopfront.core.customers import Phone
from shopfront.errors import ValidationError


@cache
def _lib() -> ModuleType:
    import phonenumbers

    return phonenumbers


def supported_regions() -> list[str]:
    phonenumbers = _lib()
    return sorted(phonenumbers.SUPPORTED_REGIONS)


def check_region(region: str) -> str:
    phonenumbers = _lib()
    region = region.strip().upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(f"'{region}' is not a phone region code such as GB or US.", "region")
    return region


def parse_phone(typed: str, region: str, label: str = "mobile") -> Phone:
    """Parse a number typed in national or international form; refuse an invalid one."""
    phonenumbers = _lib()
    typed = typed.strip()
    if not typed:
        raise ValidationError("Enter a phone number.", "phone")
    try:
        number = phonenumbers.parse(typed, region)
    except phonenumbers.NumberParseException:
        raise ValidationError(f"'{typed}' is not a phone number.", "phone") from None
    if not phonenumbers.is_valid_number(number):
        where = phonenumbers.region_code_for_number(number) or region
        raise ValidationError(
            f"'{typed}' is not a valid phone number for {where}"
            f"{' (the shop’s phone region)' if where == region else ''}. Check the digits; "
            "for another country start with + and its country code.",
            "phone",
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    _remember_national(e164, national)
    return Phone(e164=e164, typed=typed, label=label)


# National forms of numbers parsed lately, from the same PhoneNumber object: an import's
# search index would otherwise parse every number a second time (~0.6 ms each).
_NATIONAL_CACHE: dict[str, str] = {}
_NATIONAL_CACHE_LIMIT = 250_000


def _remember_national(e164: str, national: str) -> None:
    if len(_NATIONAL_CACHE) >= _NATIONAL_CACHE_LIMIT:
        _NATIONAL_CACHE.clear()
    _NATIONAL_CACHE[e164] = national


def national_format(e164: str) -> str:
    """A stored number in the national style of its own country, for numbers never typed."""
    phonenumbers = _lib()
    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def e164_digits_for_query(query: str, region: str) -> str | None:
    """If a search looks like a whole phone number, its E.164 digits (national 0 dropped)."""
    phonenumbers = _lib()
    try:
        number = phonenumbers.parse(query, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)[1:]


def national_form(e164: str) -> str:
    """The number as people in its own country write it (with the trunk 0 or 8)."""
    if (known := _NATIONAL_CACHE.get(e164)) is not None:
        return known
    phonenumbers = _lib()
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
