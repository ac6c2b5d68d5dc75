"""Reading what people type on the appointment commands: dates, times, hours, statuses."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import TYPE_CHECKING

from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from shopfront.book import Book
    from shopfront.core.workhours import WorkingHours

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STATUSES = ("booked", "confirmed", "arrived", "completed", "cancelled", "no_show")


def parse_day(text: str, book: Book) -> date:
    if text.strip().lower() == "today":
        return book.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShopfrontError(f"'{text}' is not a date such as 2026-11-24 (or 'today').") from None


def _parse_iso(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise ShopfrontError(
            f"'{text}' is not a date and time such as 2026-11-24T09:30 or 2026-11-24T09:30+01:00."
        ) from None


def parse_instant(text: str, tz: ZoneInfo) -> datetime:
    """An offset-aware ISO time as given; a naive one is shop-local and must name one instant."""
    from shopfront.core.localtime import AmbiguousLocalTime, local_to_utc

    moment = _parse_iso(text)
    if moment.tzinfo is not None:
        return moment
    try:
        return local_to_utc(moment, tz)
    except AmbiguousLocalTime as exc:
        first, second = exc.earlier.astimezone(tz), exc.later.astimezone(tz)
        raise ShopfrontError(
            f"{exc} Give the offset: {first.isoformat()} or {second.isoformat()}."
        ) from None


def parse_bound(text: str, tz: ZoneInfo, end: bool) -> datetime:
    """Like parse_instant, but a bare date means the start of that day (or its end)."""
    from shopfront.core.localtime import day_bounds_utc

    if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text):
        bounds = day_bounds_utc(date.fromisoformat(text.strip()), tz)
        return bounds.end if end else bounds.start
    return parse_instant(text, tz)


def parse_hours(settings: list[str], current: WorkingHours | None) -> WorkingHours:
    """Apply 'DAY[-DAY]=HH:MM-HH:MM[,…]' or 'DAY=off' to the current hours."""
    from shopfront.core.workhours import WorkingHours

    spans = current.as_mapping() if current else {}
    for item in settings:
        days_text, sep, spans_text = item.partition("=")
        if not sep:
            raise ShopfrontError(f"'{item}' is not DAY=HH:MM-HH:MM (e.g. mon=09:00-17:00).")
        pairs = [] if spans_text.strip().lower() in ("", "off") else _spans(spans_text)
        for weekday in _weekdays(days_text):
            spans[weekday] = pairs
    return WorkingHours.from_mapping(spans)


def _weekdays(text: str) -> list[int]:
    names = [part.strip().lower()[:3] for part in text.split("-")]
    if not 1 <= len(names) <= 2 or any(n not in DAYS for n in names):
        raise ShopfrontError(f"'{text}' is not a weekday (mon … sun) or a range such as tue-sat.")
    first, last = DAYS.index(names[0]), DAYS.index(names[-1])
    if last < first:
        raise ShopfrontError(f"'{text}' runs backwards; write the days Monday first.")
    return list(range(first, last + 1))


def _spans(text: str) -> list[tuple[str, str]]:
    pairs = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*", part)
        if not match:
            raise ShopfrontError(f"'{part}' is not a span such as 09:00-13:00.")
        pairs.append((match.group(1).zfill(5), match.group(2).zfill(5)))
    for clock in (c for pair in pairs for c in pair):
        if int(clock[:2]) > 23 or int(clock[3:]) > 59:
            raise ShopfrontError(f"'{clock}' is not a time of day.")
    return pairs


def parse_status(text: str) -> str:
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    if value not in STATUSES:
        raise ShopfrontError(f"'{text}' is not a status; use one of {', '.join(STATUSES)}.")
    return value
