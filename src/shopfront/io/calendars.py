"""iCalendar (.ics) in and out, via the ``icalendar`` library.

Reading: every VEVENT becomes an ``ImportedEvent`` with aware UTC times (the file's
VTIMEZONEs, Windows zone names and UTC are honoured by the library); recurring events
are expanded inside a window; all-day events are skipped with a note. The customer is
taken from the event (``X-SHOPFRONT-*`` from our own export, else the attendee or the
summary, and a phone number found in the description).

Writing: one VEVENT per appointment in the shop's zone with its VTIMEZONE, so Google
Calendar, Outlook and Apple Calendar show the local times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from shopfront.errors import ShopfrontError
from shopfront.io.contacts import ImportedContact
from shopfront.io.tables import ImportFileError

PHONE_IN_TEXT = re.compile(r"(?<![\w+])(\+?\d[\d ()./-]{6,}\d)")
PRODID = "-//shopfront//shopfront customer book//EN"
MAX_OCCURRENCES = 2000


@dataclass
class ImportedEvent:
    line: int
    uid: str = ""
    start: datetime | None = None  # aware, UTC
    end: datetime | None = None
    summary: str = ""
    status: str = ""  # shopfront status from our own export, else from STATUS
    notes: str = ""
    staff_name: str = ""
    services: list[str] = field(default_factory=list)
    price_minor: int | None = None
    customer: ImportedContact = field(default_factory=lambda: ImportedContact(0))
    error: str = ""
    skip: str = ""


@dataclass(frozen=True)
class CalendarEntry:
    """One appointment as it goes into an .ics file."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    status: str  # shopfront status
    customer_name: str
    customer_phone: str = ""
    customer_email: str = ""
    staff_name: str = ""
    services: tuple[str, ...] = ()
    price_minor: int = 0
    notes: str = ""


def _event_lines(text: str) -> list[int]:
    return [
        n for n, line in enumerate(text.splitlines(), 1) if line.strip().upper() == "BEGIN:VEVENT"
    ]


def _text(event, name: str) -> str:  # noqa: ANN001 (an icalendar Event)
    value = event.get(name)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0]
    return str(value)


def _texts(event, name: str) -> list[str]:  # noqa: ANN001
    value = event.get(name)
    if value is None:
        return []
    return [str(v) for v in (value if isinstance(value, list) else [value])]


def _aware(value: datetime, default_zone: tzinfo) -> datetime:
    moment = value if value.tzinfo else value.replace(tzinfo=default_zone)
    return moment.astimezone(UTC)


def _customer(event, line: int) -> ImportedContact:  # noqa: ANN001
    c = ImportedContact(line)
    attendees = _texts(event, "attendee")
    c.name = _text(event, "x-shopfront-customer")
    if not c.name and attendees:
        first = event.get("attendee")
        first = first[0] if isinstance(first, list) else first
        c.name = str(first.params.get("CN", "")).strip()
    summary = _text(event, "summary").strip()
    if not c.name:
        # "Anna Smith – Cut" or "Cut: Anna Smith" are common; take the longer part with letters.
        parts = [p.strip() for p in re.split(r"\s[-–—:|]\s|:\s", summary) if p.strip()]
        c.name = max(parts, key=len) if parts else summary
    for email in _texts(event, "x-shopfront-email") or [
        a.removeprefix("mailto:").removeprefix("MAILTO:") for a in attendees
    ]:
        if "@" in email:
            c.emails.append((email.strip(), "personal"))
    phones = _texts(event, "x-shopfront-phone")
    if not phones:
        found = PHONE_IN_TEXT.search(_text(event, "description"))
        phones = [found.group(1)] if found else []
    c.phones = [(p.strip(), "mobile") for p in phones if p.strip()]
    return c


def _status(event) -> str:  # noqa: ANN001
    own = _text(event, "x-shopfront-status")
    if own:
        return own
    return "cancelled" if _text(event, "status").upper() == "CANCELLED" else ""


def _occurrences(event, start: datetime, window: tuple[datetime, datetime]) -> list[datetime]:  # noqa: ANN001
    """Start times of a recurring event inside ``window`` (EXDATEs left out)."""
    from dateutil.rrule import rrulestr

    rule = event.get("rrule")
    if isinstance(rule, list):
        rule = rule[0]
    # A rule icalendar couldn't type (Exchange writes "BYDAY=MO, TU") arrives as text.
    text = str(rule) if isinstance(rule, str) else rule.to_ical().decode()
    text = re.sub(r"\s+", "", text).replace("\\", "")
    local = start if start.tzinfo else start.replace(tzinfo=UTC)
    times = rrulestr(text, dtstart=local, forceset=True, ignoretz=False)
    excluded: set[datetime] = set()
    for ex in (
        event.get("exdate", [])
        if isinstance(event.get("exdate"), list)
        else ([event.get("exdate")] if event.get("exdate") is not None else [])
    ):
        excluded |= {d.dt.astimezone(UTC) for d in ex.dts if isinstance(d.dt, datetime)}
    out = []
    for moment in times.between(window[0], window[1], inc=True):
        if moment.astimezone(UTC) not in excluded:
            out.append(moment)
        if len(out) >= MAX_OCCURRENCES:
            break
    return out


def _from_vevent(event, line: int, zone: tzinfo, window) -> list[ImportedEvent]:  # noqa: ANN001
    base = ImportedEvent(line, uid=_text(event, "uid"))
    base.summary = _text(event, "summary")
    try:
        start = event.decoded("dtstart")
    except Exception:
        base.error = "the event has no readable start time"
        return [base]
    if not isinstance(start, datetime):
        base.skip = f"an all-day event ({start}) is not an appointment"
        return [base]
    try:
        if event.get("dtend") is not None:
            length = event.decoded("dtend") - start
        elif event.get("duration") is not None:
            length = event.decoded("duration")
        else:
            length = timedelta(0)
    except Exception:
        base.error = "the event's end or duration can't be read"
        return [base]
    if length <= timedelta(0) or length > timedelta(hours=24):
        base.error = "an appointment lasts from one minute to 24 hours"
        return [base]
    base.customer = _customer(event, line)
    base.status = _status(event)
    own = event.get("x-shopfront-customer") is not None  # our export: notes are exact
    base.notes = _text(event, "x-shopfront-notes") if own else _text(event, "description")
    base.staff_name = _text(event, "x-shopfront-staff")
    if not base.staff_name and event.get("organizer") is not None:
        base.staff_name = str(event.get("organizer").params.get("CN", ""))
    base.services = _texts(event, "x-shopfront-service")
    if price := _text(event, "x-shopfront-price"):
        base.price_minor = int(price) if price.strip().lstrip("-").isdigit() else None
    starts = [start]
    if event.get("rrule") is not None:
        try:
            starts = _occurrences(event, start, window)
        except Exception:
            base.error = "the event's repeat rule can't be read"
            return [base]
        if not starts:
            base.skip = "a repeating event with no dates inside the chosen window"
            return [base]
    events = []
    for moment in starts:
        one = ImportedEvent(**{**base.__dict__})
        one.start = _aware(moment, zone)
        one.end = one.start + length
        if base.uid and event.get("rrule") is not None:
            one.uid = f"{base.uid}/{one.start:%Y%m%dT%H%M%SZ}"
        events.append(one)
    return events


def read_events(
    data: bytes, zone: tzinfo, window: tuple[datetime, datetime] | None = None
) -> list[ImportedEvent]:
    """Every VEVENT of the file (occurrences of repeating ones inside ``window``)."""
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as exc:
        raise ImportFileError(f"This calendar file can't be read ({exc}).") from None
    text = data.decode("utf-8", errors="replace")
    lines = _event_lines(text)
    now = datetime.now(UTC)
    window = window or (now - timedelta(days=365), now + timedelta(days=365))
    events: list[ImportedEvent] = []
    for index, event in enumerate(calendar.walk("VEVENT")):
        line = lines[index] if index < len(lines) else 0
        events.extend(_from_vevent(event, line, zone, window))
    return events


def write_ics(entries: list[CalendarEntry], zone: tzinfo, name: str = "shopfront") -> bytes:
    """A calendar in the shop's zone with its VTIMEZONE (covering the entries' dates)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    zone_id = getattr(zone, "key", str(zone))
    calendar.add("x-wr-timezone", zone_id)
    if entries:
        first = min(e.start for e in entries).date() - timedelta(days=1)
        last = max(e.end for e in entries).date() + timedelta(days=366)
        calendar.add_component(icalendar.Timezone.from_tzinfo(zone, zone_id, first, last))
    stamp = datetime.now(UTC)
    for entry in entries:
        calendar.add_component(_vevent(entry, zone, stamp))
    return calendar.to_ical()


def _vevent(entry: CalendarEntry, zone: tzinfo, stamp: datetime):  # noqa: ANN202
    import icalendar

    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", entry.start.astimezone(zone))
    event.add("dtend", entry.end.astimezone(zone))
    event.add("summary", entry.summary)
    event.add("status", "CANCELLED" if entry.status == "cancelled" else "CONFIRMED")
    lines = [f"Customer: {entry.customer_name}"]
    lines += [f"Phone: {entry.customer_phone}"] if entry.customer_phone else []
    lines += [f"With: {entry.staff_name}"] if entry.staff_name else []
    lines += [f"Notes: {entry.notes}"] if entry.notes else []
    event.add("description", "\n".join(lines))
    for key, value in (
        ("x-shopfront-customer", entry.customer_name),
        ("x-shopfront-phone", entry.customer_phone),
        ("x-shopfront-email", entry.customer_email),
        ("x-shopfront-staff", entry.staff_name),
        ("x-shopfront-status", entry.status),
        ("x-shopfront-price", str(entry.price_minor)),
        ("x-shopfront-notes", entry.notes),
    ):
        if value:
            event.add(key, icalendar.vText(value))
    for service in entry.services:
        event.add("x-shopfront-service", icalendar.vText(service))
    return event


def check_ics(data: bytes) -> int:
    """Parse our own output back; the number of events (raises if it doesn't parse)."""
    import icalendar

    try:
        return len(icalendar.Calendar.from_ical(data).walk("VEVENT"))
    except Exception as exc:
        raise ShopfrontError(f"The calendar written is not valid iCalendar ({exc}).") from exc


def date_window(first: date, last: date, zone: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return start.astimezone(UTC), end.astimezone(UTC)
