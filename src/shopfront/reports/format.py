"""How numbers read on paper: money in the shop currency, rates, counts, shop-local times.

The PDF and ``report monthly --json`` show the same numbers; these functions only decide
how they look (``None`` is "n/a": a rate with nothing to divide by).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from shopfront.core.kpis import Rate

SYMBOLS = {
    "GBP": "£",
    "EUR": "€",
    "USD": "$",
    "AUD": "A$",
    "CAD": "C$",
    "NZD": "NZ$",
    "JPY": "¥",
    "CHF": "CHF ",
    "PLN": "zł ",
    "SEK": "kr ",
    "NOK": "kr ",
    "DKK": "kr ",
    "INR": "₹",
}
NO_DECIMALS = {"JPY", "KRW", "HUF", "ISK"}
NA = "n/a"


def money(minor: int | None, currency: str) -> str:
    """12345 GBP -> '£123.45'; grouped thousands; a code when no symbol is known."""
    if minor is None:
        return NA
    sign = "−" if minor < 0 else ""
    amount = abs(minor)
    whole = currency in NO_DECIMALS
    number = f"{amount:,}" if whole else f"{amount // 100:,}.{amount % 100:02d}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{number}" if symbol else f"{sign}{number} {currency}"


def pct(value: float | None) -> str:
    return NA if value is None else f"{value:.1f} %"


def rate(r: Rate) -> str:
    """'25.0 % (1 of 4)', or 'n/a (0 of 0)'."""
    return f"{pct(r.percent)} ({r.numerator} of {r.denominator})"


def number(value: float | int | None) -> str:
    if value is None:
        return NA
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def local_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    local = moment.astimezone(tz)
    return f"{local:%H:%M}"


def local_stamp(moment: datetime, tz: ZoneInfo) -> str:
    """'Mon 23 Nov 2026 10:30 GMT': a moment as the shop's clock showed it."""
    local = moment.astimezone(tz)
    return f"{local_day(local.date())} {local:%H:%M} {local.tzname()}"


def month_title(year: int, month: int) -> str:
    return f"{date(year, month, 1):%B %Y}"


def change(now: float | int | None, before: float | int | None, points: bool = False) -> str:
    """The difference to a comparison month: '+3', '−1.5 pts', '—' when either is missing."""
    if now is None or before is None:
        return "—"
    delta = now - before
    if isinstance(delta, float):
        delta = round(delta, 1)
    if delta == 0:
        return "±0"
    sign = "+" if delta > 0 else "−"
    shown = f"{abs(delta):,.1f}" if isinstance(delta, float) else f"{abs(delta):,}"
    return f"{sign}{shown}{' pts' if points else ''}"
