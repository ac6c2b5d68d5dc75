"""Backups of a SQLite book: taken, verified, thinned, listed and restored.

A backup is made with SQLite's online backup API from a separate read-only connection,
never by copying the file (a copy of an open WAL book misses committed saves). Each copy
is written under a temporary name, checked with ``integrity_check`` and only then renamed
into place, so a half-made backup never looks like a backup. Old backups are thinned
grandfather-father-son style. A restore first backs up the current book, checks the
backup, and replaces the book's content in one transaction (or, for a book too damaged to
open, replaces the file with one atomic rename after keeping the damaged file aside).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from shopfront import paths
from shopfront.errors import ShopfrontError

log = logging.getLogger(__name__)
STAMP = "%Y%m%dT%H%M%SZ"
REASON = r"manual|auto|at-close|before-[a-z0-9]+"
NAME = re.compile(rf"^(?P<reason>{REASON})-(?P<stamp>\d{{8}}T\d{{6}}Z)(?:-(?P<n>\d+))?\.db$")
PARTIAL = ".partial"


class BackupError(ShopfrontError):
    """A backup could not be made, or a file offered for restore is not a usable backup."""


@dataclass(frozen=True)
class Backup:
    """One backup file, with what a person needs to pick it."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    customers: int | None = None
    appointments: int | None = None
    copies: tuple[Path, ...] = field(default=())

    def summary(self) -> str:
        counts = (
            f", {self.customers} customers, {self.appointments} appointments"
            if self.customers is not None
            else ""
        )
        return (
            f"{self.path} (taken {self.taken_at:%Y-%m-%d %H:%M} UTC, "
            f"{human_size(self.size)}{counts})"
        )


@dataclass(frozen=True)
class KeepPolicy:
    """How many backups thinning keeps: the newest few, then one per day/week/month."""

    recent: int = 12
    daily: int = 10
    weekly: int = 9
    monthly: int = 12


@dataclass(frozen=True)
class RestoreResult:
    restored: Backup
    safety: Backup | None  # the backup of the book as it was just before the restore
    kept_aside: Path | None  # a damaged book's original, when it could not be backed up


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


def folder_for(book: Path) -> Path:
    return paths.backup_dir_for(book)


def read_only(path: Path, immutable: bool = False, timeout: float = 10.0) -> sqlite3.Connection:
    """A connection that can't write to ``path`` (quoted: a folder may be "Salon #2")."""
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"file:{quote(str(path))}?{flags}", uri=True, timeout=timeout)


def problems(conn: sqlite3.Connection, full: bool = True, foreign_keys: bool = True) -> list[str]:
    """What ``integrity_check`` (or the faster ``quick_check``) and the foreign-key check
    find; an empty list means the book is sound. Backups are verified without the
    foreign-key check: it finds logical slips, not damage, and a copy of the book as it
    is must not be refused for one."""
    pragma = "integrity_check" if full else "quick_check"
    found = [row[0] for row in conn.execute(f"PRAGMA {pragma}(20)")]
    found = [] if found == ["ok"] else found
    if not foreign_keys:
        return found
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
        found.append(f"{table} row {rowid} points to a missing {parent} row")
    return found


def _fsync(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # folders can't be opened on Windows; the rename is durable enough there
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _free_name(folder: Path, stem: str, reason: str, now: datetime) -> Path:
    base = f"{stem}-{reason}-{now.astimezone(UTC).strftime(STAMP)}"
    target, n = folder / f"{base}.db", 1
    while target.exists():
        n += 1
        target = folder / f"{base}-{n}.db"
    return target


def _clear_partials(folder: Path, stem: str) -> None:
    """Half-made backups left by a crash or a kill: never offered, so remove them."""
    for stale in folder.glob(f"{stem}-*.db{PARTIAL}*"):
        stale.unlink(missing_ok=True)


def copy_verified(source: sqlite3.Connection, target: Path) -> None:
    """Write ``source`` to ``target`` via a temporary file, checked before it is renamed."""
    tmp = target.with_name(target.name + PARTIAL)
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    try:
        dest = sqlite3.connect(tmp)
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            found = problems(dest, full=True, foreign_keys=False)
        finally:
            dest.close()
        if found:
            raise BackupError(f"The copy failed its integrity check ({found[0]}).")
        _fsync(tmp)
        os.replace(tmp, target)
        _fsync(target.parent)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}-journal").unlink(missing_ok=True)


def take(
    book: Path,
    reason: str,
    now: datetime,
    folder: Path | None = None,
    extra_folders: Iterable[Path] = (),
    policy: KeepPolicy | None = KeepPolicy(),
) -> Backup:
    """Back up the book at ``book`` into ``folder`` (default: ``backups`` beside it)."""
    if not re.fullmatch(REASON, reason):
        raise ValueError(f"unknown backup reason {reason!r}")
    folder = folder or folder_for(book)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"Can't make the backup folder {folder}: {exc.strerror}.") from None
    _clear_partials(folder, book.stem)
    target = _free_name(folder, book.stem, reason, now)
    try:
        source = read_only(book)
        try:
            copy_verified(source, target)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The book {book} could not be backed up ({exc}).") from None
    except OSError as exc:
        raise BackupError(f"Can't write the backup {target}: {exc.strerror}.") from None
    if policy is not None:
        thin(folder, book.stem, policy)
    copies = tuple(_second_copy(target, extra, book.stem, policy) for extra in extra_folders)
    log.info("backup %s taken (%s)", target.name, reason)
    return describe(target, copies=tuple(c for c in copies if c))


def _second_copy(made: Path, folder: Path, stem: str, policy: KeepPolicy | None) -> Path | None:
    """A finished, verified backup is a closed file: a plain copy of it is safe."""
    target = folder / made.name
    tmp = target.with_name(target.name + PARTIAL)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(made, tmp)
        _fsync(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        log.warning("second backup copy failed: %s", exc.strerror)
        tmp.unlink(missing_ok=True)
        return None
    if policy is not None:
        thin(folder, stem, policy)
    return target


def parse_name(path: Path, stem: str) -> tuple[str, datetime] | None:
    """(reason, taken_at) of a backup file of the book named ``stem``, else None."""
    if not path.name.startswith(f"{stem}-"):
        return None
    match = NAME.match(path.name[len(stem) + 1 :])
    if not match:
        return None
    taken = datetime.strptime(match["stamp"], STAMP).replace(tzinfo=UTC)
    return match["reason"], taken


def counts(path: Path) -> tuple[int | None, int | None]:
    """Customers (not merged away) and appointments in a closed backup file."""
    try:
        conn = read_only(path, immutable=True)
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            columns = {row[1] for row in conn.execute("PRAGMA table_info(customer)")}
            where = " WHERE merged_into IS NULL" if "merged_into" in columns else ""
            people = conn.execute(f"SELECT count(*) FROM customer{where}").fetchone()[0]
            visits = (
                conn.execute("SELECT count(*) FROM appointment").fetchone()[0]
                if "appointment" in tables
                else 0
            )
        finally:
            conn.close()
    except sqlite3.Error:
        return None, None
    return people, visits


def describe(path: Path, stem: str | None = None, copies: tuple[Path, ...] = ()) -> Backup:
    parsed = parse_name(path, stem or path.name.split("-")[0])
    if parsed is None:
        for candidate in range(len(path.name)):  # a book stem with dashes in it
            if path.name[candidate] == "-":
                parsed = parse_name(path, path.name[:candidate])
                if parsed:
                    break
    reason, taken = parsed or (
        "file",
        datetime.fromtimestamp(path.stat().st_mtime, UTC),
    )
    customers, appointments = counts(path)
    return Backup(path, taken, reason, path.stat().st_size, customers, appointments, copies)


def listing(book: Path, folder: Path | None = None) -> list[Backup]:
    """The book's backups in ``folder``, newest first."""
    folder = folder or folder_for(book)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        parsed = parse_name(path, book.stem)
        if parsed and path.is_file():
            found.append(describe(path, book.stem))
    return sorted(found, key=lambda b: (b.taken_at, b.path.stat().st_mtime_ns), reverse=True)


def newest_verified(book: Path, folder: Path | None = None) -> Backup | None:
    """The newest backup that still passes a check (a backup can rot on a failing disk)."""
    for backup in listing(book, folder):
        try:
            conn = read_only(backup.path, immutable=True)
            try:
                if not problems(conn, full=False, foreign_keys=False):
                    return backup
            finally:
                conn.close()
        except sqlite3.Error:
            continue
    return None


def to_keep(backups: list[Backup], policy: KeepPolicy) -> set[Path]:
    """Grandfather-father-son: the newest few, plus the newest of each recent day/week/month."""
    newest = sorted(backups, key=lambda b: (b.taken_at, b.path.name), reverse=True)
    keep = {b.path for b in newest[: policy.recent]}
    buckets = (
        (policy.daily, lambda t: t.date()),
        (policy.weekly, lambda t: t.isocalendar()[:2]),
        (policy.monthly, lambda t: (t.year, t.month)),
    )
    for count, key in buckets:
        seen: list[object] = []
        for backup in newest:
            bucket = key(backup.taken_at)
            if bucket not in seen:
                seen.append(bucket)
                if len(seen) > count:
                    break
                keep.add(backup.path)
    return keep


def thin(folder: Path, stem: str, policy: KeepPolicy = KeepPolicy()) -> list[Path]:
    """Delete the backups the policy does not keep; returns what was removed."""
    found = [
        Backup(p, parsed[1], parsed[0], 0)
        for p in folder.iterdir()
        if (parsed := parse_name(p, stem)) is not None
    ]
    keep = to_keep(found, policy)
    removed = [b.path for b in found if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def keep_aside(book: Path, now: datetime) -> Path:
    """Copy a damaged book (and its WAL, if any) to ``<name>.corrupt-<timestamp>``."""
    stamp = now.astimezone(UTC).strftime(STAMP)
    target = book.with_name(f"{book.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = book.with_name(f"{book.name}.corrupt-{stamp}-{n}")
    shutil.copy2(book, target)
    wal = Path(f"{book}-wal")
    if wal.exists():
        shutil.copy2(wal, Path(f"{target}-wal"))
    os.chmod(target, 0o600)
    log.warning("damaged book kept aside as %s", target.name)
    return target


def check_backup(path: Path) -> Backup:
    """Refuse a file that is not a sound shopfront backup this version can read."""
    from shopfront.storage.migrations import sqlite_identity  # identity rules live there

    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        version = sqlite_identity(path)
    except ShopfrontError as exc:
        raise BackupError(f"{path} can't be restored: {exc}") from None
    if version is None:
        raise BackupError(f"{path} is empty; it is not a backup of a book.")
    try:
        conn = read_only(path, immutable=True)
        try:
            found = problems(conn, full=True, foreign_keys=False)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{path} is damaged ({exc}); pick another backup.") from None
    if found:
        raise BackupError(f"{path} is damaged ({found[0]}); pick another backup.")
    return describe(path)


def restore(
    book: Path, backup: Path, now: datetime, policy: KeepPolicy | None = KeepPolicy()
) -> RestoreResult:
    """Put ``backup``'s content in place of the book at ``book``.

    The current book is backed up first. A sound book gets the backup's pages in one
    transaction through the backup API (other open connections see the old book or the
    new one, never a mix). A book too damaged to back up is kept aside as a
    ``.corrupt-…`` copy and the file is replaced by one atomic rename.
    """
    chosen = check_backup(backup)
    safety: Backup | None = None
    aside: Path | None = None
    if book.exists() and book.stat().st_size > 0:
        try:
            safety = take(book, "before-restore", now, policy=policy)
        except BackupError:
            aside = keep_aside(book, now)
    try:
        source = read_only(backup, immutable=True)
        try:
            if safety is not None:
                _into_live(source, book)
            else:
                _replace_file(source, book)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The restore failed ({exc}); the book was not changed.") from None
    log.info("book restored from %s", backup.name)
    return RestoreResult(chosen, safety, aside)


def _into_live(source: sqlite3.Connection, book: Path) -> None:
    dest = sqlite3.connect(book, timeout=30)
    try:
        dest.execute("PRAGMA synchronous=FULL")
        source.backup(dest)
        found = problems(dest, full=False, foreign_keys=False)
    finally:
        dest.close()
    if found:
        raise BackupError(f"The restored book failed its check ({found[0]}).")


def _replace_file(source: sqlite3.Connection, book: Path) -> None:
    tmp = book.with_name(f".{book.name}.restoring")
    copy_verified(source, tmp)
    for side in ("-wal", "-shm", "-journal"):  # they belong to the damaged file
        Path(f"{book}{side}").unlink(missing_ok=True)
    os.replace(tmp, book)
    _fsync(book.parent)


def changed_since(book: Path, backup: Backup | None) -> bool:
    """Has anything been saved since ``backup`` was taken? (Any commit touches the WAL or
    the book file; file times are the real clock, whatever clock the book runs on.)"""
    if backup is None:
        return True
    made = backup.path.stat().st_mtime
    files = [book, Path(f"{book}-wal")]
    return any(f.exists() and f.stat().st_mtime > made for f in files)
