"""Data safety use cases: backups now and on a schedule, the backup list, restore, check.

Mixed into Book. A SQLite book is backed up with the online backup API into ``backups``
beside it (and optionally a second folder, such as a USB disk); a PostgreSQL book is the
server's to back up, so these calls return nothing there.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from shopfront.errors import ValidationError
from shopfront.storage import backups, health
from shopfront.storage.database import open_database

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
SECOND_FOLDER = "backup_second_folder"
EVERY_HOURS = "backup_every_hours"
DEFAULT_EVERY_HOURS = 4


class SafetyUseCases:
    """``self`` is the Book."""

    def book_path(self: Book) -> Path | None:
        """The SQLite file, or None for a server book."""
        location = getattr(self.db, "location", None)
        return getattr(location, "path", None)

    def second_backup_folder(self: Book) -> Path | None:
        text = self.settings.extra.get(SECOND_FOLDER, "").strip()
        return Path(text) if text else None

    def backup_every_hours(self: Book) -> int:
        try:
            return max(1, int(self.settings.extra.get(EVERY_HOURS, DEFAULT_EVERY_HOURS)))
        except ValueError:
            return DEFAULT_EVERY_HOURS

    def set_backup_options(
        self: Book, second_folder: str | None = None, every_hours: int | None = None
    ) -> None:
        """Remember a second backup folder ("" forgets it) and the automatic interval."""
        extra = dict(self.settings.extra)
        if second_folder is not None:
            folder = Path(second_folder).expanduser() if second_folder.strip() else None
            if folder is not None and not folder.is_dir():
                raise ValidationError(f"The folder {folder} does not exist.", "second_folder")
            extra[SECOND_FOLDER] = str(folder.absolute()) if folder else ""
        if every_hours is not None:
            if not 1 <= every_hours <= 168:
                raise ValidationError("Back up every 1 to 168 hours.", "every_hours")
            extra[EVERY_HOURS] = str(every_hours)
        self.save_settings(dataclasses.replace(self.settings, extra=extra))

    def backup_now(
        self: Book, reason: str = "manual", folder: Path | None = None
    ) -> backups.Backup | None:
        """A verified backup of the book (before a merge, an import, an erase; on demand)."""
        path = self.book_path()
        if path is None:
            return None
        extra = [f for f in (self.second_backup_folder(),) if f and f != folder]
        made = backups.take(path, reason, self.clock(), folder=folder, extra_folders=extra)
        log.info("backup taken: %s", reason)
        return made

    def backup_if_changed(self: Book, reason: str = "auto") -> backups.Backup | None:
        """The automatic backup (timer, closing): only when something was saved since."""
        path = self.book_path()
        if path is None:
            return None
        newest = backups.listing(path)
        if not backups.changed_since(path, newest[0] if newest else None):
            return None
        return self.backup_now(reason)

    def backup_job(
        self: Book, reason: str, only_if_changed: bool = False
    ) -> Callable[[], backups.Backup | None]:
        """A backup as a plain function of plain data, safe to run on a worker thread
        (it opens its own read-only connection; the book's connection stays here)."""
        path, now = self.book_path(), self.clock()
        extra = [f for f in (self.second_backup_folder(),) if f]

        def job() -> backups.Backup | None:
            if path is None:
                return None
            if only_if_changed:
                newest = backups.listing(path)
                if not backups.changed_since(path, newest[0] if newest else None):
                    return None
            return backups.take(path, reason, now, extra_folders=extra)

        return job

    def backups(self: Book) -> list[backups.Backup]:
        path = self.book_path()
        return backups.listing(path) if path else []

    def restore(self: Book, backup: Path) -> backups.RestoreResult:
        """Replace the book's content with ``backup`` (after backing up the current book),
        then reopen it (an older backup is upgraded like any older book)."""
        path = self.book_path()
        if path is None:
            raise ValidationError("A server book is restored with the server's own tools.")
        self.db.close()
        try:
            result = backups.restore(path, backup, self.clock())
        finally:
            self.db = open_database(str(path))
            self._settings = None
        log.info("book restored from a backup")
        return result

    def check(self: Book, full: bool = False) -> dict[str, object]:
        """Integrity (quick or full), foreign keys and counts; see ``health.check_report``."""
        path = self.book_path()
        if path is not None:
            return health.check_report(path, full)
        counts = {
            t: self.db.execute_sql(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in health.COUNTED
            if t in set(self.db.get_tables())
        }
        return {"ok": True, "check": "server", "problems": [], "counts": counts, "seconds": 0}


def restore_file(
    target: str | None, backup: Path, clock: Callable[[], datetime]
) -> tuple[Book, backups.RestoreResult]:
    """Restore a book that may be too damaged to open, then open it."""
    from shopfront.book import Book
    from shopfront.storage.database import resolve

    path = resolve(target).path
    if path is None:
        raise ValidationError("A server book is restored with the server's own tools.")
    if not path.parent.is_dir():
        raise ValidationError(f"The folder {path.parent} does not exist.")
    result = backups.restore(path, backup, clock())
    return Book(open_database(str(path)), clock), result
