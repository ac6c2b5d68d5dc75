"""The PostgreSQL test server: a migrated template database, copied fresh for each test."""

from __future__ import annotations

import os
from itertools import count
from urllib.parse import urlsplit, urlunsplit

import psycopg2


class ServerUrl(str):
    """A book URL standing in for ``db_path`` on PostgreSQL runs (``str()`` gives the URL).

    It has no file methods on purpose: a test that stats or copies the book file fails
    loudly on PostgreSQL and should carry ``@pytest.mark.sqlite_only``.
    """


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


class TestServer:
    """Creates ``<prefix>_template`` once (schema migrated), then one database per test."""

    def __init__(self, url: str):
        self.url = url
        self.prefix = f"sf_test_{os.getpid()}"
        self.template = f"{self.prefix}_template"
        self._numbers = count(1)
        self._admin = None

    def __enter__(self) -> TestServer:
        from shopfront.book import Book

        self._admin = psycopg2.connect(self.url)
        self._admin.autocommit = True
        self._sql(f"DROP DATABASE IF EXISTS {self.template}")
        self._sql(f"CREATE DATABASE {self.template}")
        Book.open(with_database(self.url, self.template)).close()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sql(f"DROP DATABASE IF EXISTS {self.template} WITH (FORCE)")
        self._admin.close()  # type: ignore[union-attr]

    def _sql(self, statement: str) -> None:
        with self._admin.cursor() as cur:  # type: ignore[union-attr]
            cur.execute(statement)

    def fresh_database(self) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        self._sql(f"CREATE DATABASE {name} TEMPLATE {self.template}")
        return with_database(self.url, name)

    def empty_database(self) -> str:
        """A database with no tables at all (for moving a book in, or a first open)."""
        name = f"{self.prefix}_{next(self._numbers)}"
        self._sql(f"CREATE DATABASE {name}")
        return with_database(self.url, name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
