"""Shared fixtures: a real SQLite book in a temporary folder, a pinned clock, headless Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shopfront.book import Book  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)


class Clock:
    """A settable clock: tests move time explicitly instead of patching datetime."""

    def __init__(self, now: datetime = NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Logs, window state and default books go to a temporary folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SHOPFRONT_HOME", str(home))
    monkeypatch.delenv("SHOPFRONT_DB", raising=False)
    return home


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "book.db"


@pytest.fixture
def book(db_path: Path, clock: Clock) -> Iterator[Book]:
    opened = Book.open(str(db_path), clock=clock)
    yield opened
    opened.close()


@pytest.fixture
def shop(book: Book) -> Book:
    """A book with a shop in the UK, two staff members and a couple of services."""
    from shopfront.core.customers import Role, Service, ShopSettings, Staff

    book.save_settings(
        ShopSettings(
            shop_name="Test Salon", timezone="Europe/London", phone_region="GB", currency="GBP"
        )
    )
    book.save_staff(Staff("Maya Okafor", role=Role.OWNER, colour="#C0392B"))
    book.save_staff(Staff("Tom Brennan", colour="#2E86C1"))
    book.save_service(Service("Women's cut", 60, 5200, category="Cut"))
    book.save_service(Service("Full head colour", 90, 8500, category="Colour", followup_days=28))
    return book


def add(book: Book, name: str, phone: str = "", email: str = "", **extra: object):
    """Add a customer through the same path as the card editor."""
    from shopfront.book import CustomerForm

    form = CustomerForm(
        name=name,
        phones=[(phone, "mobile")] if phone else [],
        emails=[(email, "personal")] if email else [],
        **extra,
    )  # type: ignore[arg-type]
    return book.add_customer(book.build_customer(form))
