"""A book on a network share or in a cloud-synced folder is refused, pointing to PostgreSQL."""

from __future__ import annotations

from pathlib import Path, PureWindowsPath

import pytest

from shopfront.errors import DatabaseOpenError
from shopfront.storage.database import open_database
from shopfront.storage.places import cloud_service, filesystem_type, refuse_unsafe_place

pytestmark = pytest.mark.sqlite_only("where a SQLite file may live")

MOUNTS = """\
/dev/vda / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
server:/export /mnt/salon nfs4 rw,vers=4.2 0 0
//nas/share /mnt/nas cifs rw 0 0
me@host:/srv /home/me/remote fuse.sshfs rw 0 0
hostshare /mnt/host 9p rw 0 0
/dev/sdb1 /mnt/nas/usb ext4 rw 0 0
//nas/x /mnt/with\\040space smb3 rw 0 0
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/mnt/salon/book.db", "nfs4"),
        ("/mnt/nas/book.db", "cifs"),
        ("/home/me/remote/shop/book.db", "fuse.sshfs"),
        ("/mnt/host/book.db", "9p"),
        ("/mnt/with space/book.db", "smb3"),
    ],
)
def test_network_filesystems_are_refused(path: str, kind: str) -> None:
    assert filesystem_type(Path(path), MOUNTS) == kind
    with pytest.raises(DatabaseOpenError, match="network share") as caught:
        refuse_unsafe_place(Path(path), MOUNTS, platform="linux")
    assert "PostgreSQL" in str(caught.value)


@pytest.mark.parametrize(
    "path", ["/home/me/book.db", "/mnt/nas/usb/book.db", "/mnt/salonette/book.db"]
)
def test_local_disks_are_fine(path: str) -> None:
    refuse_unsafe_place(Path(path), MOUNTS, platform="linux")  # nested local mount wins


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/home/me/Dropbox/salon/book.db", "Dropbox"),
        ("/home/me/Dropbox (Personal)/book.db", "Dropbox"),
        ("/Users/me/OneDrive - Salon Ltd/book.db", "OneDrive"),
        ("/home/me/onedrive/book.db", "OneDrive"),
        ("/Users/me/Google Drive/My Drive/book.db", "Google Drive"),
        ("/home/me/GoogleDrive/book.db", "Google Drive"),
        ("/Users/me/Library/Mobile Documents/com~apple~CloudDocs/book.db", "iCloud Drive"),
        ("/Users/me/iCloud Drive/book.db", "iCloud Drive"),
    ],
)
def test_cloud_synced_folders_are_refused(path: str, service: str) -> None:
    assert cloud_service(Path(path)) == service
    with pytest.raises(DatabaseOpenError, match=service) as caught:
        refuse_unsafe_place(Path(path), MOUNTS, platform="linux")
    assert "PostgreSQL" in str(caught.value)


@pytest.mark.parametrize("name", ["dropbox-notes.db", "my-onedrive-book.db"])
def test_a_file_merely_named_like_a_service_is_fine(name: str) -> None:
    assert cloud_service(Path("/home/me") / name) is None


def test_windows_unc_paths_are_refused() -> None:
    path = PureWindowsPath(r"\\server\salon\book.db")
    with pytest.raises(DatabaseOpenError, match="network share"):
        refuse_unsafe_place(path, "", platform="win32")  # type: ignore[arg-type]


def test_opening_a_book_in_a_synced_folder_creates_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "Dropbox" / "salon"
    folder.mkdir(parents=True)
    with pytest.raises(DatabaseOpenError, match="Dropbox"):
        open_database(str(folder / "book.db"))
    assert list(folder.iterdir()) == []
