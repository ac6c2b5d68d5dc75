"""Export → import into an empty book gives the same customers and appointments; any
text in any field survives the trip, and no input crashes the importer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.customers import MAX_NAME, Customer, Role, Service, ShopSettings, Staff
from shopfront.errors import ShopfrontError
from tests.conftest import Clock, add

FORMATS = ("csv", "vcard", "vcard4")


def fresh(path: Path, same_catalog: bool = True) -> Book:
    book = Book.open(str(path), clock=Clock())
    if same_catalog:
        book.save_settings(ShopSettings(shop_name="New", timezone="Europe/London"))
        book.save_staff(Staff("Maya Okafor", role=Role.OWNER, colour="#C0392B"))
        book.save_staff(Staff("Tom Brennan", colour="#2E86C1"))
        book.save_service(Service("Women's cut", 60, 5200, category="Cut"))
        book.save_service(Service("Full head colour", 90, 8500, category="Colour"))
    return book


def view(c: Customer) -> tuple:
    """What a round trip must keep (ids and timestamps belong to the book)."""
    return (
        c.name,
        c.call_name,
        tuple((p.e164, p.typed, p.label) for p in c.phones),
        tuple((e.address, e.label) for e in c.emails),
        c.birthday,
        c.notes,
        c.preferences,
        c.tags,
        c.marketing_consent,
    )


def customers_of(book: Book) -> list[tuple]:
    from shopfront.usecases.exporting import all_customers

    return sorted(view(c) for c in all_customers())


def appointments_of(book: Book) -> list[tuple]:
    staff = {s.id: s.name for s in book.staff()}
    out = []
    for summary in book.search("", True, 1000):
        for a in book.customer_appointments(summary.id):
            out.append(
                (
                    summary.name,
                    staff[a.staff_id],
                    a.start,
                    a.end,
                    a.status.value,
                    a.price_minor,
                    a.service_names,
                    a.notes,
                )
            )
    return sorted(out)


@pytest.fixture
def filled(shop: Book) -> Book:
    anna = add(
        shop,
        "Anna Smith",
        "07400 123456",
        email="anna@example.com",
        birthday="1990-04-23",
        notes="Likes tea\nno sugar",
        tags="VIP, Colour",
    )
    add(shop, "Élodie Durand", "+33 6 12 34 56 78", birthday="--11-02", preferences="6.1 + 20 vol")
    add(shop, "=cmd|' /C calc'!A0", email="x@example.com")
    add(shop, "山田太郎", "07400 123457", notes="")
    for day, staff, notes in ((24, 1, "fringe"), (25, 2, ""), (30, 1, "a, b; c")):
        request = BookingRequest(
            anna.id, staff, (1,), datetime(2026, 11, day, 10, tzinfo=UTC), notes=notes
        )
        shop.book(request, override=True)
    shop.set_status(1, "cancelled", reason="ill", cancelled_by="customer")
    return shop


def test_whole_book_json_round_trip(filled: Book, tmp_path: Path) -> None:
    path = tmp_path / "book.json"
    path.write_bytes(filled.export_book())
    target = fresh(tmp_path / "new.db", same_catalog=False)
    report = target.apply_import(target.plan_import(target.read_import(path)))
    assert not report.failed
    assert customers_of(target) == customers_of(filled)
    assert appointments_of(target) == appointments_of(filled)
    assert [s.name for s in target.staff()] == [s.name for s in filled.staff()]
    again = target.read_import(path)
    with pytest.raises(ShopfrontError, match="empty book"):
        target.plan_import(again)


@pytest.mark.parametrize("fmt", FORMATS)
def test_customer_files_round_trip(filled: Book, tmp_path: Path, fmt: str) -> None:
    path = tmp_path / ("people.csv" if fmt == "csv" else "people.vcf")
    path.write_bytes(filled.export_customers(fmt))
    target = fresh(tmp_path / "new.db")
    report = target.apply_import(target.plan_import(target.read_import(path)))
    assert (len(report.created), report.failed) == (4, [])
    assert customers_of(target) == customers_of(filled)
    again = target.apply_import(target.plan_import(target.read_import(path)))
    assert (len(again.created), len(again.skipped)) == (0, 4)


def test_calendar_round_trip(filled: Book, tmp_path: Path) -> None:
    people, calendar = tmp_path / "people.csv", tmp_path / "visits.ics"
    people.write_bytes(filled.export_customers("csv"))
    calendar.write_bytes(filled.export_appointments("ics"))
    target = fresh(tmp_path / "new.db")
    target.apply_import(target.plan_import(target.read_import(people)))
    report = target.apply_import(target.plan_import(target.read_import(calendar)))
    assert (len(report.created), report.failed) == (3, [])
    assert appointments_of(target) == appointments_of(filled)
    assert customers_of(target) == customers_of(filled)  # no card was added for them


# property tests ---------------------------------------------------------------------

NO_CONTROL = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\x85")
LINE = st.text(NO_CONTROL, min_size=1, max_size=40).map(str.strip).filter(bool)
NAME = LINE.filter(lambda n: len(n) <= MAX_NAME)
TAG = LINE.map(lambda t: t.replace(",", " ").strip()).filter(bool)
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@st.composite
def cards(draw: st.DrawFn) -> dict:
    return {
        "name": draw(NAME),
        "call_name": draw(st.one_of(st.just(""), LINE)),
        "notes": draw(ANY_TEXT),
        "preferences": draw(ANY_TEXT),
        "tags": draw(st.lists(TAG, max_size=3, unique_by=str.casefold)),
    }


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    yield tmp_path_factory.mktemp("roundtrip")


_counter = iter(range(10**6))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(card=cards(), fmt=st.sampled_from(FORMATS))
@example(
    card={
        "name": "=1+1",
        "call_name": "@x",
        "notes": "'=a\\r\\nb\\rc\\n",
        "preferences": "\x00",
        "tags": ["-t"],
    },
    fmt="csv",
)
@example(
    card={
        "name": "=1+1",
        "call_name": "@x",
        "notes": "a;b,c\\\\n\\x1f",
        "preferences": "\x00",
        "tags": ["-t"],
    },
    fmt="vcard",
)
@example(
    card={
        "name": "=1+1",
        "call_name": "@x",
        "notes": "\\t lead",
        "preferences": "\x00",
        "tags": ["-t"],
    },
    fmt="vcard4",
)
def test_any_text_survives_export_and_import(workdir: Path, card: dict, fmt: str) -> None:
    n = next(_counter)
    source = fresh(workdir / f"src{n}.db", same_catalog=False)
    target = fresh(workdir / f"dst{n}.db", same_catalog=False)
    try:
        draft = Customer(
            card["name"],
            call_name=card["call_name"],
            notes=card["notes"],
            preferences=card["preferences"],
            tags=tuple(card["tags"]),
        )
        source.add_customer(draft)
        path = workdir / f"file{n}.{'csv' if fmt == 'csv' else 'vcf'}"
        path.write_bytes(source.export_customers(fmt))
        report = target.apply_import(target.plan_import(target.read_import(path)))
        assert report.failed == []
        assert customers_of(target) == customers_of(source)
    finally:
        source.close()
        target.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.lists(st.lists(ANY_TEXT, max_size=5), max_size=5).map(
            lambda rows: "\n".join(",".join(r) for r in [["Name", "Phone", "Notes"], *rows]).encode(
                "utf-8", "surrogatepass"
            )
        ),
    ),
    name=st.sampled_from(["x.csv", "x.vcf", "x.ics", "x.json", "x.xlsx", "x.txt"]),
)
def test_no_input_crashes_the_importer(workdir: Path, data: bytes, name: str) -> None:
    book = fresh(workdir / "crash.db", same_catalog=True)
    try:
        source = book.read_import_data(name, data)
        book.apply_import(book.plan_import(source), dry_run=True)
    except ShopfrontError:
        pass  # a message for the user is the right answer to garbage
    finally:
        book.close()
