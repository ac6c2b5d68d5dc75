"""The customer card editor: every field, errors shown next to the field they belong to."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book, CustomerForm
from shopfront.core.care import CASE_STATUS_TEXT
from shopfront.core.customers import EMAIL_LABELS, PHONE_LABELS, Customer
from shopfront.errors import ConflictError, ValidationError
from shopfront.gui.contact_rows import ContactRows
from shopfront.gui.duplicates import confirm_despite_duplicates
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.forms.ui_customer_dialog import Ui_CustomerDialog


def fill_staff_combo(combo: QComboBox, book: Book, selected: int | None, empty: str) -> None:
    combo.clear()
    combo.addItem(empty, None)
    for staff in book.staff():
        if staff.active or staff.id == selected:
            combo.addItem(staff.name, staff.id)
    combo.setCurrentIndex(max(0, combo.findData(selected)))


class CustomerDialog(QDialog):
    """Use ``CustomerDialog.ask(parent, book, customer)``: returns the saved card or None."""

    def __init__(self, book: Book, customer: Customer | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.customer, self.saved = book, customer, None
        self.ui = Ui_CustomerDialog()
        self.ui.setupUi(self)
        self.phones = ContactRows(PHONE_LABELS, "e.g. 07400 123456 or +33 6 12 34 56 78")
        self.emails = ContactRows(EMAIL_LABELS, "name@example.com")
        self.ui.phonesLayout.addWidget(self.phones)
        self.ui.emailsLayout.addWidget(self.emails)
        self._load(customer)
        self._connect_signals()
        if customer is not None:
            self._add_cases_row(customer.id)
            from shopfront.gui.contact_dialog import add_log_call_shortcut

            add_log_call_shortcut(self, self.log_call)

    @classmethod
    def ask(
        cls, parent: QWidget | None, book: Book, customer: Customer | None = None
    ) -> Customer | None:
        dialog = cls(book, customer, parent)
        return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None

    def log_call(self) -> None:
        """Ctrl+L: log a call with this customer without leaving the card."""
        from shopfront.gui.contact_dialog import ContactDialog

        if self.customer is not None:
            ContactDialog.ask(self, self.book, self.customer.id)

    def _connect_signals(self) -> None:
        self.ui.buttonBox.accepted.connect(self.save)
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.addPhoneButton.clicked.connect(lambda: self.phones.add_row().setFocus())
        self.ui.addEmailButton.clicked.connect(lambda: self.emails.add_row().setFocus())

    def _load(self, c: Customer | None) -> None:
        self.setWindowTitle(f"Customer card — {c.name}" if c else "New customer")
        self.ui.nameEdit.setText(c.name if c else "")
        self.ui.callNameEdit.setText(c.call_name if c else "")
        for p in c.phones if c else ():
            self.phones.add_row(p.typed, p.label)
        for e in c.emails if c else ():
            self.emails.add_row(e.address, e.label)
        if not self.phones.rows:
            self.phones.add_row()
        if not self.emails.rows:
            self.emails.add_row()
        self.ui.birthdayEdit.setText(str(c.birthday) if c and c.birthday else "")
        fill_staff_combo(self.ui.ownerCombo, self.book, c.owner_id if c else None, "— nobody yet —")
        fill_staff_combo(self.ui.backupCombo, self.book, c.backup_id if c else None, "— none —")
        self.ui.tagsEdit.setText(", ".join(c.tags) if c else "")
        self.ui.consentCheck.setChecked(bool(c and c.marketing_consent))
        self.ui.notesEdit.setPlainText(c.notes if c else "")
        self.ui.preferencesEdit.setPlainText(c.preferences if c else "")
        for label in (
            self.ui.nameError,
            self.ui.birthdayError,
            self.ui.ownerError,
            self.ui.formError,
        ):
            set_field_error(label, "")
        self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Save).setDefault(True)

    # cases -------------------------------------------------------------------------------

    def _add_cases_row(self, customer_id: int) -> None:
        """The customer's open complaints and promises, and a way to open a new one."""
        self.cases_label = QLabel()
        self.cases_label.setTextFormat(Qt.TextFormat.PlainText)
        self.cases_label.setWordWrap(True)
        self.open_case_button = QPushButton("Open &case…")
        self.open_case_button.setAutoDefault(False)
        self.open_case_button.clicked.connect(self.open_case)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.cases_label)
        row = QHBoxLayout()
        row.addWidget(self.open_case_button)
        row.addStretch()
        layout.addLayout(row)
        self.ui.form.addRow("Cases", box)
        self.show_cases(customer_id)

    def show_cases(self, customer_id: int) -> None:
        today = self.book.today()
        lines = []
        for case in self.book.cases(open_only=True, customer_id=customer_id):
            promise = ""
            if case.fix:
                due = f" by {case.fix_due:%d %b}" if case.fix_due else ""
                late = " — OVERDUE" if case.promise_overdue(today) else ""
                promise = f"; promised: {case.fix}{due}{late}"
            words = case.words if len(case.words) <= 80 else case.words[:79] + "…"
            lines.append(f"#{case.id} {CASE_STATUS_TEXT[case.status]}: {words}{promise}")
        self.cases_label.setText("\n".join(lines) or "No open cases.")

    def open_case(self) -> None:
        from shopfront.gui.case_dialog import CaseDialog

        assert self.customer is not None
        if CaseDialog.ask(self, self.book, customer_id=self.customer.id) is not None:
            self.show_cases(self.customer.id)

    def form(self) -> CustomerForm:
        return CustomerForm(
            name=self.ui.nameEdit.text(),
            call_name=self.ui.callNameEdit.text(),
            phones=self.phones.values(),
            emails=self.emails.values(),
            birthday=self.ui.birthdayEdit.text(),
            notes=self.ui.notesEdit.toPlainText(),
            preferences=self.ui.preferencesEdit.toPlainText(),
            tags=self.ui.tagsEdit.text(),
            marketing_consent=self.ui.consentCheck.isChecked(),
            owner_id=self.ui.ownerCombo.currentData(),
            backup_id=self.ui.backupCombo.currentData(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        set_field_error(self.ui.nameError, errors.get("name", ""))
        set_field_error(self.ui.birthdayError, errors.get("birthday", ""))
        set_field_error(self.ui.ownerError, errors.get("owner", "") or errors.get("backup", ""))
        self.phones.show_errors(errors, "phone")
        self.emails.show_errors(errors, "email")
        count = len(errors)
        set_field_error(
            self.ui.formError,
            f"Nothing was saved: {count} field{'s' * (count > 1)} need attention."
            if errors
            else "",
        )

    def save(self) -> None:
        try:
            draft = self.book.build_customer(self.form(), self.customer)
        except ValidationError as exc:
            self.show_errors(exc.errors or {"name": str(exc)})
            return
        self.show_errors({})
        if not draft.id and not confirm_despite_duplicates(self, self.book.find_duplicates(draft)):
            return
        try:
            self.saved = self.book.save_customer(draft)
        except ConflictError:
            self._conflict(draft)
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def _conflict(self, draft: Customer) -> None:
        """Show what the other desk changed; reload theirs, or keep mine once confirmed."""
        from shopfront.core.conflicts import customer_changes
        from shopfront.gui.conflict_dialog import KEEP_MINE, RELOAD, ConflictDialog

        assert self.customer is not None
        theirs = self.book.customer(self.customer.id)
        changes = customer_changes(self.customer, theirs, draft, self.book.staff_name)
        choice = ConflictDialog.ask(self, theirs.name, changes)
        if choice == RELOAD:
            self.customer = theirs
            for rows in (self.phones, self.emails):
                for entry in list(rows.rows):
                    rows._remove(entry)
            self._load(self.customer)
        elif choice == KEEP_MINE:
            self.customer = dataclasses.replace(self.customer, version=theirs.version)
            self.save()
