"""Quick add: a name and a phone or email; likely duplicates shown before anything is saved."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QWidget

from shopfront.book import Book
from shopfront.core.customers import Customer
from shopfront.errors import ValidationError
from shopfront.gui.duplicates import describe
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.forms.ui_quick_add_dialog import Ui_QuickAddDialog


class QuickAddResult(Enum):
    ADDED = "added"
    OPEN_EXISTING = "open_existing"


class QuickAddDialog(QDialog):
    """Use ``QuickAddDialog.ask(parent, book, name)`` -> (result, customer id) or None."""

    def __init__(
        self,
        book: Book,
        name: str = "",
        parent: QWidget | None = None,
        phone: str = "",
        email: str = "",
    ):
        super().__init__(parent)
        self.book = book
        self.result_id: int | None = None
        self.outcome: QuickAddResult | None = None
        self.ui = Ui_QuickAddDialog()
        self.ui.setupUi(self)
        self.ui.nameEdit.setText(name)
        self.ui.phoneEdit.setText(phone)
        self.ui.emailEdit.setText(email)
        self.ui.phoneEdit.setPlaceholderText(
            f"local ({book.settings.phone_region}) or +country code"
        )
        for label in (self.ui.nameError, self.ui.phoneError, self.ui.emailError):
            set_field_error(label, "")
        self.ui.duplicatesBox.hide()
        self._check_timer = QTimer(self, singleShot=True, interval=250)
        self._connect_signals()
        if phone or email:
            self._check_timer.start()  # what was searched for may already be a customer

    @classmethod
    def ask(
        cls, parent: QWidget | None, book: Book, name: str = "", phone: str = "", email: str = ""
    ) -> tuple[QuickAddResult, int] | None:
        dialog = cls(book, name, parent, phone, email)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_id is None:
            return None
        assert dialog.outcome is not None
        return dialog.outcome, dialog.result_id

    def _connect_signals(self) -> None:
        self.ui.buttonBox.accepted.connect(lambda: self.save(allow_duplicates=False))
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.addAnywayButton.clicked.connect(lambda: self.save(allow_duplicates=True))
        self.ui.openExistingButton.clicked.connect(self.open_existing)
        self.ui.duplicatesList.itemDoubleClicked.connect(lambda _item: self.open_existing())
        for edit in (self.ui.nameEdit, self.ui.phoneEdit, self.ui.emailEdit):
            edit.textChanged.connect(self._check_timer.start)
        self._check_timer.timeout.connect(self.refresh_duplicates)

    def draft(self) -> Customer:
        form = self.book.quick_form(
            self.ui.nameEdit.text(), self.ui.phoneEdit.text(), self.ui.emailEdit.text()
        )
        return self.book.build_customer(form)

    def refresh_duplicates(self) -> bool:
        """Show likely duplicates as soon as the typed details are valid; True if any."""
        try:
            matches = self.book.find_duplicates(self.draft())
        except ValidationError:
            matches = []
        self.ui.duplicatesList.clear()
        for match in matches[:8]:
            item = QListWidgetItem(describe(match))
            item.setData(Qt.ItemDataRole.UserRole, match.customer_id)
            self.ui.duplicatesList.addItem(item)
        self.ui.duplicatesBox.setVisible(bool(matches))
        if matches:
            self.ui.duplicatesList.setCurrentRow(0)
        save = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not matches)  # with duplicates, the user picks one of the two buttons
        return bool(matches)

    def show_errors(self, errors: dict[str, str]) -> None:
        set_field_error(self.ui.nameError, errors.get("name", ""))
        set_field_error(self.ui.phoneError, errors.get("phone", "") or errors.get("phone:0", ""))
        set_field_error(self.ui.emailError, errors.get("email", "") or errors.get("email:0", ""))

    def save(self, allow_duplicates: bool) -> None:
        try:
            draft = self.draft()
        except ValidationError as exc:
            self.show_errors(exc.errors or {"name": str(exc)})
            return
        self.show_errors({})
        if not allow_duplicates and self.refresh_duplicates():
            return
        try:
            saved = self.book.add_customer(draft, source="quick add")
        except Exception as exc:
            show_error(self, exc)
            return
        self.result_id, self.outcome = saved.id, QuickAddResult.ADDED
        self.accept()

    def open_existing(self) -> None:
        item = self.ui.duplicatesList.currentItem()
        if item is None:
            return
        self.result_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.outcome = QuickAddResult.OPEN_EXISTING
        self.accept()
