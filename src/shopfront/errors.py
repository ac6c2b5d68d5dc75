"""Errors a user can act on: each carries a one-line message meant for people."""

from __future__ import annotations


class ShopfrontError(Exception):
    """Something the user can fix; the message is shown as is."""


class ValidationError(ShopfrontError):
    """Input refused before anything was written.

    ``field`` names the form field the message belongs next to; ``errors`` holds every
    field's message when several are wrong at once.
    """

    def __init__(self, message: str, field: str = "", errors: dict[str, str] | None = None):
        super().__init__(message)
        self.field = field
        self.errors = dict(errors or ({field: message} if field else {}))

    @classmethod
    def from_errors(cls, errors: dict[str, str]) -> ValidationError:
        field, message = next(iter(errors.items()))
        return cls(message, field, errors)


class NotFoundError(ShopfrontError):
    """A record the user named does not exist."""


class DatabaseOpenError(ShopfrontError):
    """The book can't be opened (missing folder, foreign file, newer schema)."""


class ConflictError(ShopfrontError):
    """Someone else changed the record first, or the change clashes with another."""


class ServerUnreachableError(ShopfrontError):
    """The database server (PostgreSQL mode) can't be reached; nothing was saved."""


class DamagedBookError(DatabaseOpenError):
    """The book file is damaged; it was not written to. ``backup`` is the newest verified
    backup (a ``storage.backups.Backup``) to offer, if there is one."""

    def __init__(self, message: str, path: object = None, backup: object = None):
        super().__init__(message)
        self.path = path
        self.backup = backup
