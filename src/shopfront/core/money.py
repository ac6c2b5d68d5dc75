"""Money as integer minor units (pence, cents): parsing what people type, never floats."""

from __future__ import annotations

import re

from shopfront.errors import ValidationError

AMOUNT_RE = re.compile(r"^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$")


def parse_minor(text: str, field: str = "price") -> int:
    """'45', '45.5', '45,50' -> 4550 (two-decimal currencies)."""
    match = AMOUNT_RE.match(text)
    if not match:
        raise ValidationError(f"'{text}' is not an amount such as 45.00.", field)
    whole, cents = match.group(1), (match.group(2) or "0").ljust(2, "0")
    return int(whole) * 100 + int(cents)


def format_minor(amount: int) -> str:
    sign = "-" if amount < 0 else ""
    return f"{sign}{abs(amount) // 100}.{abs(amount) % 100:02d}"
