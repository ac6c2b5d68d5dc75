"""Shared fixtures: a real SQLite book in a temporary folder, a pinned clock, headless Qt.

With ``SHOPFRONT_TEST_DB=postgresql://…`` (see packaging/with_postgres.sh) the same
fixtures give each test a fresh PostgreSQL database instead; tests that never open a
book are skipped in that run (they already ran on SQLite), and ``@pytest.mark.sqlite_only``
skips tests about SQLite files (backups, damaged files, FTS5).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from shopfront.book import Book  # noqa: E402

NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
TEST_DB = os.environ.get("SHOPFRONT_TEST_DB", "")
ON_POSTGRES = TEST_DB.startswith(("postgresql://", "postgres://"))
# A test that asks for one of these opens a book through the fixtures below.
# GUI tests about the server itself; the other GUI tests run on PostgreSQL only with
# SHOPFRONT_PG_GUI=1 (widgets run no SQL; doing so doubles the CI time).
PG_GUI_TESTS = {"test_sharing.py"}
BOOK_FIXTURES = {"book", "db_path", "db_url", "db_target", "server"}
# Whole modules about SQLite files (backups, damaged files, the safety CLI on files);
# a single test says so with @pytest.mark.sqlite_only(reason=...).
SQLITE_ONLY_MODULES = {"test_backups.py", "test_damaged_books.py", "test_safety_cli.py"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): needs a SQLite file (skipped on PG)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not ON_POSTGRES:
        return
    all_gui = os.environ.get("SHOPFRONT_PG_GUI") == "1"
    for item in items:
        path = Path(str(item.fspath))
        if not all_gui and path.parent.name == "gui" and path.name not in PG_GUI_TESTS:
            # Widgets never run SQL (the layers test proves it): their engine-specific
            # behaviour is the book's, covered by the storage, use-case and CLI tests here.
            item.add_marker(pytest.mark.skip(reason="GUI: covered by the SQLite run"))
            continue
        marker = item.get_closest_marker("sqlite_only")
        if marker is None and item.path.name in SQLITE_ONLY_MODULES:
            marker = pytest.mark.sqlite_only(reason="book files and backups").mark
        if marker is not None:
            reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason or 'file-level'}"))
        elif not BOOK_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.skip(reason="opens no book: covered by the SQLite run"))


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


@pytest.fixture(scope="session")
def server() -> Iterator[object]:
    """PostgreSQL runs: the server, with a migrated template database to copy per test."""
    if not ON_POSTGRES:
        pytest.skip("needs SHOPFRONT_TEST_DB=postgresql://… (packaging/with_postgres.sh)")
    from tests.pg_server import TestServer

    with TestServer(TEST_DB) as running:
        yield running


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Where the test's book lives: a file path, or a fresh database on the test server."""
    if not ON_POSTGRES:
        yield str(tmp_path / "book.db")
        return
    running = request.getfixturevalue("server")
    url = running.fresh_database()  # type: ignore[attr-defined]
    yield url
    running.drop(url)  # type: ignore[attr-defined]


@pytest.fixture
def db_path(db_url: str) -> Path:
    """The book's location. On PostgreSQL runs a URL (``str()`` of it is what --db takes)."""
    if ON_POSTGRES:
        from tests.pg_server import ServerUrl

        return ServerUrl(db_url)  # type: ignore[return-value]
    return Path(db_url)


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
