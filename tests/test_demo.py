"""The demo book: realistic, deterministic, valid, and only written into an empty book."""

from __future__ import annotations

from pathlib import Path

import phonenumbers
import pytest

from shopfront.book import Book
from shopfront.demo import DemoOptions, generate
from shopfront.errors import ValidationError
from shopfront.storage import records as r
from tests.conftest import Clock


def _snapshot(path: Path) -> list[tuple]:
    book = Book.open(str(path), clock=Clock())
    try:
        rows = list(
            r.CustomerRecord.select(r.CustomerRecord.name, r.CustomerRecord.created_at).tuples()
        )
        rows += list(r.PhoneRecord.select(r.PhoneRecord.e164, r.PhoneRecord.typed).tuples())
        return rows
    finally:
        book.close()


def _make(path: Path, seed: int, customers: int = 300) -> None:
    book = Book.open(str(path), clock=Clock())
    try:
        generate(book, DemoOptions(customers=customers, years=2, seed=seed))
    finally:
        book.close()


def test_same_seed_same_book_other_seed_other_book(tmp_path: Path) -> None:
    _make(tmp_path / "a.db", 7)
    _make(tmp_path / "b.db", 7)
    _make(tmp_path / "c.db", 8)
    assert _snapshot(tmp_path / "a.db") == _snapshot(tmp_path / "b.db")
    assert _snapshot(tmp_path / "a.db") != _snapshot(tmp_path / "c.db")


def test_demo_shop_is_realistic_and_every_phone_is_valid(book: Book) -> None:
    result = generate(book, DemoOptions(customers=2000, years=2, seed=3))
    assert (result.staff, result.customers) == (8, 2000)
    assert len(book.services()) == 25
    assert book.customer_count() == 2000
    all_names = [c.name for c in r.CustomerRecord.select(r.CustomerRecord.name)]
    joined = "".join(all_names)
    assert any(ch in joined for ch in "éèüöł"), "accented names"
    assert any("\u0400" <= ch <= "\u04ff" for ch in joined), "Cyrillic names"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in joined), "CJK names"
    regions = set()
    for phone in r.PhoneRecord.select():
        number = phonenumbers.parse(phone.e164, None)
        assert phonenumbers.is_valid_number(number), phone.e164
        assert phonenumbers.parse(phone.typed, "GB") == number
        regions.add(phonenumbers.region_code_for_number(number))
    assert len(regions) >= 8
    assert len(book.search("ma")) > 0  # the search index was filled by the bulk path
    index = "customer_fts" if book.on_sqlite else "customer_search"  # FTS5 / PostgreSQL
    fts = book.db.execute_sql(f"SELECT count(*) FROM {index}").fetchone()[0]
    assert fts == 2000


def test_demo_refuses_a_book_with_data(book: Book) -> None:
    generate(book, DemoOptions(customers=10, years=1, seed=1))
    with pytest.raises(ValidationError, match="empty book"):
        generate(book, DemoOptions(customers=10, years=1, seed=1))
    assert book.customer_count() == 10


@pytest.mark.parametrize("options", [DemoOptions(customers=0), DemoOptions(years=0)])
def test_demo_refuses_silly_sizes(book: Book, options: DemoOptions) -> None:
    with pytest.raises(ValidationError):
        generate(book, options)
