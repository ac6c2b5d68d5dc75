"""Places where a SQLite book must not be written: network shares and cloud-synced folders.

SQLite's locking and WAL need a local disk: on NFS/SMB shares locks are unreliable, and a
sync client (Dropbox, OneDrive, Google Drive, iCloud) copies the file while it is being
written and can hand a half-written copy back. Several desks share a book with PostgreSQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

from shopfront.errors import DatabaseOpenError

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb3",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "ncpfs",
        "glusterfs",
        "fuse.glusterfs",
        "ceph",
        "fuse.ceph",
        "davfs",
        "fuse.davfs2",
        "fuse.rclone",
        "fuse.s3fs",
        "lustre",
        "gpfs",
        "virtiofs",
        "vboxsf",
        "fuse.vmhgfs-fuse",
    }
)
# Folder names that sync clients create; compared without case.
CLOUD_FOLDERS = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "icloud drive": "iCloud Drive",
    "icloud": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "icloudrive": "iCloud Drive",
}
ADVICE = (
    "Move the book to a folder on this computer's own disk, or share it between desks "
    "with PostgreSQL mode (--db postgresql://…)."
)


def _unescape(field: str) -> str:
    """/proc/mounts writes spaces and tabs in mount points as octal escapes."""
    return (field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n")).replace(
        "\\134", "\\"
    )


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem holding ``path`` (Linux, from /proc/mounts), or None."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = str(path)
    best, kind = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def _is_unc(text: str) -> bool:
    return text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\"))


def cloud_service(path: Path) -> str | None:
    """The sync service whose folder holds ``path`` (Dropbox, OneDrive, …), or None."""
    for part in path.parts[:-1]:
        name = part.casefold()
        if name in CLOUD_FOLDERS:
            return CLOUD_FOLDERS[name]
        # "OneDrive - Contoso", "Dropbox (Personal)", "GoogleDrive-me@example.com"
        for key, service in CLOUD_FOLDERS.items():
            if key in ("icloud", "my drive"):
                continue
            if name.startswith((f"{key} ", f"{key}-", f"{key} (")):
                return service
        if name.startswith("com~apple~clouddocs"):
            return "iCloud Drive"
    return None


def refuse_unsafe_place(path: Path, mounts: str | None = None, platform: str = "") -> None:
    """Raise DatabaseOpenError if ``path`` is on a network share or in a synced folder."""
    platform = platform or sys.platform
    text = str(path)
    if _is_unc(text) and (platform.startswith("win") or text.startswith("\\\\")):
        raise DatabaseOpenError(
            f"{path} is on a network share. A shopfront book file must be on a local disk: "
            f"shared files lose saves when two computers write at once. {ADVICE}"
        )
    service = cloud_service(path)
    if service:
        raise DatabaseOpenError(
            f"{path} is inside a {service} folder. Sync tools copy the file while it is "
            f"being written, which can damage the book or bring back old data. {ADVICE} "
            f"(Backups may go to {service}: they are finished files.)"
        )
    if platform.startswith("linux"):
        kind = filesystem_type(path.resolve(), mounts)
        if kind and kind.lower() in NETWORK_FILESYSTEMS:
            raise DatabaseOpenError(
                f"{path} is on a network share ({kind}). A shopfront book file must be on a "
                f"local disk: file locks on shares are unreliable and saves get lost. {ADVICE}"
            )
