"""Opening the book for one command, and closing it whatever happens."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from shopfront.book import Book


@contextmanager
def open_book(args: argparse.Namespace, create: bool = True) -> Iterator[Book]:
    """The book named by --db; commands that only read pass ``create=False`` so a mistyped
    path is reported instead of becoming a new, empty book."""
    from shopfront.book import Book  # imported per command: the window starts without it

    args.json = getattr(args, "json", False)
    book = Book.open(getattr(args, "db", None), create=create)
    try:
        yield book
    finally:
        book.close()
