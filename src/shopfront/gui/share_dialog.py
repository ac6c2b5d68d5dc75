"""Settings → "Share this book between desks…": move the book onto a PostgreSQL server.

The copy runs as ``shopfront share --to -`` in a child process, in the background: the
storage layer serves one book per process, and this window keeps its own open meanwhile.
The address goes to the child on stdin, so a password never shows in the process list.
"""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shopfront import desks
from shopfront.book import Book
from shopfront.errors import ShopfrontError
from shopfront.gui.workers import run_in_background

INTRO = (
    "Several desks (or rooms, or shops) can work in one book at the same time when it lives "
    "on a PostgreSQL server. This copies the whole book into an <b>empty</b> database, checks "
    "every table's row count, and leaves this file as it is. Then every desk opens the "
    "server book."
)


def copy_with_cli(book_path: str, url: str) -> dict:
    """Run ``shopfront share`` in a child process; its JSON, or its one-line refusal."""
    done = subprocess.run(
        [sys.executable, "-m", "shopfront", "share", "--db", book_path, "--to", "-", "--json"],
        input=url + "\n",
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if done.returncode != 0:
        message = done.stderr.strip().removeprefix("shopfront: ") or "The copy failed."
        raise ShopfrontError(message)
    return json.loads(done.stdout)


class ShareDialog(QDialog):
    """Asks for the server, copies in the background, remembers the address."""

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.result_data: dict | None = None
        self.setWindowTitle("Share this book between desks")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.host = QLineEdit("localhost")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(5432)
        self.database = QLineEdit("shopfront")
        self.user = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring, never in a file")
        form = QFormLayout()
        for label, widget in (
            ("&Server", self.host),
            ("P&ort", self.port),
            ("&Database", self.database),
            ("&User", self.user),
            ("&Password", self.password),
        ):
            form.addRow(label, widget)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.share_button = self.buttons.addButton(
            "&Copy the book to the server", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def address(self) -> desks.ServerAddress:
        return desks.ServerAddress(
            self.host.text().strip(),
            self.database.text().strip(),
            self.user.text().strip(),
            self.password.text(),
            self.port.value(),
        )

    def start(self) -> None:
        address = self.address()
        if not (address.host and address.database and address.user):
            self.message.setText("Give the server, the database and the user.")
            return
        self.share_button.setEnabled(False)
        self.message.setText("Copying the book… this window can stay open; nothing is lost.")
        path = str(self.book.db.location.path)
        run_in_background(
            lambda: copy_with_cli(path, address.url()),
            lambda data: self._done(address, data),
            self._failed,
            owner=self,
        )

    def _done(self, address: desks.ServerAddress, data: dict) -> None:
        kept = desks.remember(address)
        self.result_data = dict(data, password_in_keyring=kept)
        where = "the system keyring" if kept else "nowhere (no keyring here: asked at start)"
        self.message.setText(
            f"Done: {data['customers']} customers and {data['appointments']} appointments "
            f"copied, every table checked. Password kept in {where}. Open the book on each "
            f"desk with: shopfront --db {address.url(with_password=False)}"
        )
        self.buttons.clear()
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close).clicked.connect(self.accept)

    def _failed(self, exc: BaseException) -> None:
        """Keep everything typed; say what went wrong."""
        self.share_button.setEnabled(True)
        self.message.setText(f"Not copied: {exc}")

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book) -> dict | None:
        dialog = cls(book, parent)
        dialog.exec()
        return dialog.result_data
