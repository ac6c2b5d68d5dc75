"""Exports: CSV safe for Excel, vCard 3.0/4.0, .ics that parses back, the book as JSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import icalendar
import pytest
import vobject

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.errors import ValidationError
from shopfront.io.contacts import neutralise, unneutralise
from tests.conftest import add


@pytest.mark.parametrize(
    "text, safe",
    [
        ("=1+1", "'=1+1"),
        ("+44 7400 123456", "'+44 7400 123456"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("Anna", "Anna"),
        ("'Tis", "'Tis"),
        ("", ""),
    ],
)
def test_formula_injection_is_neutralised_and_reversible(text: str, safe: str) -> None:
    assert neutralise(text) == safe
    assert unneutralise(neutralise(text)) == text


def booked(shop: Book, customer_id: int, start: datetime, staff: int = 1, **extra: object):
    request = BookingRequest(customer_id, staff, (1,), start, **extra)  # type: ignore[arg-type]
    return shop.book(request, override=True)


def test_customers_csv_opens_in_excel_and_is_injection_safe(shop: Book) -> None:
    add(shop, '=HYPERLINK("http://evil","x")', "07400 123456", notes="@cmd\nsecond line")
    data = shop.export_customers("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, row = rows[0], rows[1]
    assert row[header.index("Name")] == '\'=HYPERLINK("http://evil","x")'
    assert row[header.index("Phone 1")] == "07400 123456"
    assert row[header.index("Notes")] == "'@cmd\nsecond line"
    for cell in (c for r in rows for c in r):
        assert not cell or cell[0] not in "=+-@\t\r"


@pytest.mark.parametrize("fmt, version", [("vcard", "3.0"), ("vcard4", "4.0")])
def test_vcards_parse_back(shop: Book, fmt: str, version: str) -> None:
    add(shop, "Anna Smith", "07400 123456", email="anna@example.com", birthday="04-23")
    text = shop.export_customers(fmt).decode("utf-8")
    cards = list(vobject.readComponents(text))
    assert [c.version.value for c in cards] == [version]
    assert cards[0].fn.value == "Anna Smith"
    assert cards[0].tel.value == "07400 123456"
    assert cards[0].bday.value == "--0423"


def test_ics_has_the_shop_zone_and_parses_back(shop: Book) -> None:
    anna = add(shop, "Anna Smith", "07400 123456")
    booked(shop, anna.id, datetime(2026, 11, 24, 10, tzinfo=UTC), notes="fringe, trim")
    booked(shop, anna.id, datetime(2026, 11, 25, 10, tzinfo=UTC), staff=2)
    booked(shop, anna.id, datetime(2026, 12, 30, 10, tzinfo=UTC))
    data = shop.export_appointments("ics", date(2026, 11, 24), date(2026, 11, 30))
    calendar = icalendar.Calendar.from_ical(data)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2
    start = events[0].decoded("dtstart")
    assert start == datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert start.tzinfo.key == "Europe/London"  # type: ignore[union-attr]
    assert "Anna Smith" in str(events[0]["summary"])
    tom = shop.export_appointments("ics", staff_id=2)
    assert len(icalendar.Calendar.from_ical(tom).walk("VEVENT")) == 1


def test_appointments_csv(shop: Book) -> None:
    anna = add(shop, "Anna Smith", "07400 123456")
    booked(shop, anna.id, datetime(2026, 11, 24, 10, tzinfo=UTC))
    text = shop.export_appointments("csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["Customer"] == "Anna Smith"
    assert rows[0]["Start"] == "2026-11-24T10:00:00+00:00"
    assert (rows[0]["Price"], rows[0]["Staff"]) == ("52.00", "Maya Okafor")


def test_wrong_format_or_dates_are_refused(shop: Book) -> None:
    with pytest.raises(ValidationError, match="Customers export as one of"):
        shop.export_customers("ics")
    with pytest.raises(ValidationError, match="before the start"):
        shop.export_appointments("ics", date(2026, 12, 2), date(2026, 12, 1))


def test_whole_book_json(shop: Book) -> None:
    anna = add(shop, "Anna Smith", "07400 123456", tags="VIP")
    booked(shop, anna.id, datetime(2026, 11, 24, 10, tzinfo=UTC))
    document = json.loads(shop.export_customers("json"))
    assert document["format"] == "shopfront-book"
    assert document["customers"][0]["tags"] == ["VIP"]
    assert "appointments" not in document
    assert len(json.loads(shop.export_appointments("json"))["appointments"]) == 1
