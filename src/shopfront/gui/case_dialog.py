"""A complaint or promise case: the customer's words, apology, the promised fix, its owner,
and the steps from open to closed with a resolution. Refusals show next to their field."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import (
    CASE_NEXT,
    CASE_STATUS_TEXT,
    Case,
    CasePatch,
    CaseStatus,
    Severity,
)
from shopfront.errors import ConflictError, ShopfrontError, ValidationError
from shopfront.gui.checkout_dialog import local_text
from shopfront.gui.customer_dialog import fill_staff_combo
from shopfront.gui.errors import set_field_error, show_error

SEVERITY_TEXT = {Severity.LOW: "Low", Severity.MEDIUM: "Medium", Severity.HIGH: "High"}
# Which error label a ValidationError.field belongs next to.
FIELD_LABELS = {
    "words": "words",
    "severity": "severity",
    "apology_by": "apology",
    "fix": "fix",
    "fix_due": "fix",
    "owner_id": "owner",
    "status": "status",
    "resolution": "resolution",
    "outcome": "resolution",
}


def error_label() -> QLabel:
    """A hidden label for the message next to a field."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    set_field_error(label, "")
    return label


def stacked(*parts: QWidget | QHBoxLayout) -> QVBoxLayout:
    box = QVBoxLayout()
    box.setContentsMargins(0, 0, 0, 0)
    for part in parts:
        if isinstance(part, QWidget):
            box.addWidget(part)
        else:
            box.addLayout(part)
    return box


def caption(text: str, buddy: QWidget) -> QLabel:
    """A form caption whose &-mnemonic focuses ``buddy`` (fields given as layouts need it)."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class CaseDialog(QDialog):
    """Use ``CaseDialog.ask(parent, book, customer_id=…, appointment_id=…, case_id=…)``:
    the saved Case, or None. A new case needs a customer or an appointment."""

    def __init__(
        self,
        book: Book,
        parent: QWidget | None = None,
        *,
        customer_id: int | None = None,
        appointment_id: int | None = None,
        case_id: int | None = None,
    ):
        super().__init__(parent)
        self.book = book
        self.case: Case | None = book.case(case_id) if case_id is not None else None
        self.appointment_id = appointment_id
        if appointment_id is not None and customer_id is None:
            customer_id = book.appointment(appointment_id).visit.appointment.customer_id
        self.customer_id = self.case.customer_id if self.case else customer_id
        if self.customer_id is None:
            raise ValueError("a case needs a customer, an appointment or a case id")
        self.saved: Case | None = None
        self.resize(560, 620)
        self._build()
        self._connect_signals()
        self._load()

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, **which: int | None) -> Case | None:
        dialog = cls(book, parent, **which)
        dialog.exec()
        return dialog.saved

    # building ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.who = QLabel()
        self.who.setTextFormat(Qt.TextFormat.PlainText)
        self.who.setProperty("role", "heading")
        self.who.setWordWrap(True)
        self.opened = QLabel()
        self.opened.setTextFormat(Qt.TextFormat.PlainText)
        self.words = QPlainTextEdit()
        self.words.setPlaceholderText("What happened, as the customer told it")
        self.words.setTabChangesFocus(True)
        self.severity = QComboBox()
        for value, text in SEVERITY_TEXT.items():
            self.severity.addItem(text, value.value)
        self.apology = QCheckBox("An &apology was given, by")
        self.apology_by = QComboBox()
        self.fix = QLineEdit()
        self.fix.setPlaceholderText("e.g. free colour correction")
        self.has_due = QCheckBox("&by")
        self.fix_due = QDateEdit()
        self.fix_due.setCalendarPopup(True)
        self.fix_due.setDisplayFormat("ddd d MMM yyyy")
        self.owner = QComboBox()
        self.status = QComboBox()
        self.resolution = QPlainTextEdit()
        self.resolution.setPlaceholderText("How it was put right (needed to close the case)")
        self.resolution.setTabChangesFocus(True)
        self.resolution.setMaximumHeight(80)
        self.outcome = QLineEdit()
        self.outcome.setPlaceholderText("e.g. happy, booked again")
        self.errors = {
            name: error_label()
            for name in ("words", "severity", "apology", "fix", "owner", "status", "resolution")
        }
        self.error = error_label()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout()
        form.addRow(self.who)
        form.addRow(self.opened)
        form.addRow(
            caption("&What happened", self.words), stacked(self.words, self.errors["words"])
        )
        form.addRow(
            caption("&Severity", self.severity), stacked(self.severity, self.errors["severity"])
        )
        apology = QHBoxLayout()
        apology.addWidget(self.apology)
        apology.addWidget(self.apology_by, 1)
        form.addRow("Apology", stacked(apology, self.errors["apology"]))
        fix = QHBoxLayout()
        fix.addWidget(self.fix, 1)
        fix.addWidget(self.has_due)
        fix.addWidget(self.fix_due)
        form.addRow(caption("&Fix promised", self.fix), stacked(fix, self.errors["fix"]))
        form.addRow(caption("&Owner", self.owner), stacked(self.owner, self.errors["owner"]))
        form.addRow(caption("S&tatus", self.status), stacked(self.status, self.errors["status"]))
        form.addRow(
            caption("&Resolution", self.resolution),
            stacked(self.resolution, self.outcome, self.errors["resolution"]),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.apology.toggled.connect(self.apology_by.setEnabled)
        self.has_due.toggled.connect(self.fix_due.setEnabled)
        self.status.currentIndexChanged.connect(self._status_changed)

    # showing -----------------------------------------------------------------------------

    def _load(self) -> None:
        c, book = self.case, self.book
        assert self.customer_id is not None
        name = book.customer(self.customer_id).name
        self.setWindowTitle(f"Case — {name}" if c else f"New case — {name}")
        self.who.setText(name)
        if c:
            by = book.staff_name(c.opened_by)
            self.opened.setText(
                f"Case #{c.id}, opened {local_text(c.opened_at, book.zone())}"
                + (f" by {by}" if by else "")
            )
        else:
            self.opened.setText("A complaint or a promise: write it down as the customer said it.")
        self.words.setPlainText(c.words if c else "")
        self.severity.setCurrentIndex(
            self.severity.findData((c.severity if c else Severity.MEDIUM).value)
        )
        self.apology.setChecked(bool(c and c.apology))
        fill_staff_combo(self.apology_by, book, c.apology_by if c else None, "— who? —")
        self.apology_by.setEnabled(self.apology.isChecked())
        self.fix.setText(c.fix if c else "")
        due = c.fix_due if c and c.fix_due else book.today() + timedelta(days=7)
        self.fix_due.setDate(qdate(due))
        self.has_due.setChecked(bool(c and c.fix_due))
        self.fix_due.setEnabled(self.has_due.isChecked())
        owner = c.owner_id if c else None
        fill_staff_combo(self.owner, book, owner, "— the customer's owner —")
        self._fill_status(c.status if c else CaseStatus.OPEN)
        self.resolution.setPlainText(c.resolution if c else "")
        self.outcome.setText(c.outcome if c else "")
        self.show_errors({})

    def _fill_status(self, current: CaseStatus) -> None:
        """The current status and the steps it may take next."""
        self.status.blockSignals(True)
        self.status.clear()
        steps = [current] + [s for s in CaseStatus if s in CASE_NEXT[current]]
        for step in steps:
            prefix = "" if step == current else "→ "
            self.status.addItem(prefix + CASE_STATUS_TEXT[step], step.value)
        self.status.setEnabled(self.case is not None and len(steps) > 1)
        self.status.blockSignals(False)
        self._status_changed()

    def _status_changed(self) -> None:
        closing = self.chosen_status() == CaseStatus.CLOSED
        closed = self.case is not None and not self.case.open
        for widget in (self.resolution, self.outcome):
            widget.setEnabled(closing or closed or bool(self.case and self.case.resolution))

    def chosen_status(self) -> CaseStatus:
        return CaseStatus(self.status.currentData() or CaseStatus.OPEN.value)

    def show_errors(self, errors: dict[str, str]) -> None:
        shown: dict[str, str] = {}
        rest = []
        for field, message in errors.items():
            label = FIELD_LABELS.get(field)
            if label:
                shown[label] = message
            else:
                rest.append(message)
        for name, label in self.errors.items():
            set_field_error(label, shown.get(name, ""))
        text = " ".join(rest)
        set_field_error(self.error, ("Not saved. " + text) if errors else "")

    # saving ------------------------------------------------------------------------------

    def due(self) -> date | None:
        return self.fix_due.date().toPython() if self.has_due.isChecked() else None

    def _apology_by(self) -> int | None:
        return self.apology_by.currentData() if self.apology.isChecked() else None

    def save(self) -> None:
        if self.apology.isChecked() and self._apology_by() is None:
            self.show_errors({"apology_by": "Say who apologised."})
            return
        try:
            self.saved = self._create() if self.case is None else self._update(self.case)
        except ValidationError as exc:
            self.show_errors(exc.errors or {"": str(exc)})
            return
        except ConflictError as exc:
            QMessageBox.warning(self, "Changed at another desk", str(exc))
            self.case = self.book.case(self.case.id)  # type: ignore[union-attr, arg-type]
            self._load()
            return
        except ShopfrontError as exc:
            self.show_errors({"": str(exc)})
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.accept()

    def _create(self) -> Case:
        assert self.customer_id is not None
        return self.book.open_case(
            self.customer_id,
            self.words.toPlainText(),
            severity=self.severity.currentData(),
            apology=self.apology.isChecked(),
            apology_by=self._apology_by(),
            fix=self.fix.text(),
            fix_due=self.due(),
            owner_id=self.owner.currentData(),
            appointment_id=self.appointment_id,
        )

    def _update(self, case: Case) -> Case:
        status = self.chosen_status()
        patch = CasePatch(
            status=None if status == case.status else status,
            severity=Severity(self.severity.currentData()),
            apology=self.apology.isChecked(),
            apology_by=self._apology_by(),
            fix=self.fix.text().strip(),
            fix_due=self.due(),
            owner_id=self.owner.currentData(),
            resolution=self.resolution.toPlainText().strip(),
            outcome=self.outcome.text().strip(),
            words=self.words.toPlainText().strip(),
        )
        assert case.id is not None
        return self.book.update_case(case.id, patch, version=case.version)
