"""File → Import…: pick a file, check what was recognised, fix the mapping, decide about
duplicates, then import in the background with progress and cancel.

Nothing is written before the last page's Import button; the import is one transaction,
so Cancel leaves the book as it was. The report can be saved as CSV at the end.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from shopfront.errors import ShopfrontError
from shopfront.gui.import_models import ContactPreviewModel, PlanModel
from shopfront.gui.workers import run_in_background
from shopfront.io.contacts import FIELDS, ImportedContact
from shopfront.io.tables import ENCODINGS
from shopfront.usecases.import_plan import CHOICES, ImportCancelledError, ImportPlan, ImportReport
from shopfront.usecases.importing import PRESET_CHOICES, ImportSource

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
PREVIEW_ROWS = 50
FILE_FILTER = "Contacts and calendars (*.csv *.tsv *.txt *.xlsx *.vcf *.ics *.json);;All files (*)"


class _Progress(QObject):
    """Carries progress from the worker thread to the GUI thread (queued signal)."""

    changed = Signal(int, int)


class ChoiceDelegate(QStyledItemDelegate):
    """Merge / skip / import anyway, as a drop-down in the plan table."""

    def createEditor(self, parent: QWidget, option, index):  # noqa: ANN001, ANN201, N802
        box = QComboBox(parent)
        box.addItems(CHOICES)
        return box

    def setEditorData(self, editor: QComboBox, index) -> None:  # noqa: ANN001, N802
        editor.setCurrentText(index.data(Qt.ItemDataRole.EditRole) or CHOICES[0])

    def setModelData(self, editor: QComboBox, model, index) -> None:  # noqa: ANN001, N802
        model.setData(index, editor.currentText())


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Choose the file")
        self.setSubTitle(
            "A contacts export (Google, Outlook, Square, Fresha, Vagaro, any CSV or Excel "
            "sheet), a vCard file, a calendar (.ics) or a shopfront book export."
        )
        self.path = QLineEdit()
        self.path.setObjectName("importPath")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path)
        row.addWidget(browse)
        self.preset = QComboBox()
        self.preset.addItems(PRESET_CHOICES)
        self.encoding = QComboBox()
        self.encoding.addItems(ENCODINGS)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #C0392B")
        form = QFormLayout(self)
        form.addRow("File", row)
        form.addRow("Source", self.preset)
        form.addRow("Encoding", self.encoding)
        form.addRow(self.error)
        self.path.textChanged.connect(self.completeChanged)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Import from", "", FILE_FILTER)
        if name:
            self.path.setText(name)

    def isComplete(self) -> bool:  # noqa: N802
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:  # noqa: N802
        """Read the file now (fast, and the next page needs it); errors stay on this page."""
        try:
            self.owner.source = self.owner.book.read_import(
                self.path.text().strip(),
                self.preset.currentText(),
                encoding=self.encoding.currentText(),
            )
        except ShopfrontError as exc:
            self.error.setText(str(exc))
            return False
        self.error.clear()
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Check what was recognised")
        self.detected = QLabel()
        self.detected.setObjectName("detectedLabel")
        self.detected.setWordWrap(True)
        self.columns = QTableWidget(0, 3)
        self.columns.setHorizontalHeaderLabels(["Column in the file", "First value", "Goes to"])
        self.columns.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.preview_model = ContactPreviewModel()
        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.detected)
        layout.addWidget(QLabel("Columns (change where a column goes if it was guessed wrong):"))
        layout.addWidget(self.columns, 3)
        layout.addWidget(QLabel("The first rows as they will be imported:"))
        layout.addWidget(self.preview, 2)
        self.boxes: list[QComboBox] = []

    def initializePage(self) -> None:  # noqa: N802
        source = self.owner.source
        assert source is not None
        count = len(source.events) if source.kind == "ics" else len(source.contacts)
        what = "events" if source.kind == "ics" else "entries"
        encoding = f", {source.table.encoding}" if source.table and source.table.encoding else ""
        size = "" if source.kind == "json" else f" — {count} {what}{encoding}"
        self.detected.setText(f"Recognised: <b>{source.label}</b>{size}.")
        self._fill_columns(source)
        self.preview_model.set_contacts(_preview(source))

    def _fill_columns(self, source: ImportSource) -> None:
        self.boxes = []
        table = source.table
        headers = table.headers if table else []
        self.columns.setRowCount(len(headers))
        self.columns.setVisible(bool(headers))
        for i, header in enumerate(headers):
            sample = next((r.get(i) for r in table.rows if r.get(i).strip()), "") if table else ""
            self.columns.setItem(i, 0, QTableWidgetItem(header))
            self.columns.setItem(i, 1, QTableWidgetItem(sample[:60]))
            box = QComboBox()
            current = source.mapping[i]
            box.addItems([*FIELDS, *([current] if current not in FIELDS else [])])
            box.setCurrentText(current)
            box.currentTextChanged.connect(self._remap)
            self.columns.setCellWidget(i, 2, box)
            self.boxes.append(box)

    def set_field(self, column: int, field: str) -> None:
        """What a user does with the drop-down (tests call it too)."""
        self.boxes[column].setCurrentText(field)

    def _remap(self) -> None:
        source = self.owner.source
        assert source is not None
        self.owner.source = self.owner.book.remap(source, [b.currentText() for b in self.boxes])
        self.preview_model.set_contacts(_preview(self.owner.source))


def _preview(source: ImportSource) -> list[ImportedContact]:
    """Contacts as they will be imported; for a calendar, each event's customer with its
    time and title in the notes column."""
    if source.kind != "ics":
        return source.contacts[:PREVIEW_ROWS]
    rows = []
    for event in source.events[:PREVIEW_ROWS]:
        when = f"{event.start:%Y-%m-%d %H:%M} UTC – " if event.start else ""
        row = dataclasses.replace(event.customer, line=event.line, notes=when + event.summary)
        row.skip, row.error = event.skip, event.error
        rows.append(row)
    return rows


class PlanPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("What will happen to each row")
        self.setSubTitle("Nothing has been written yet.")
        self.counts = QLabel()
        self.counts.setObjectName("planCounts")
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.all_choice = QComboBox()
        self.all_choice.addItems(CHOICES)
        self.all_choice.currentTextChanged.connect(self._choose_all)
        self.model = PlanModel()
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(PlanModel.CHOICE, ChoiceDelegate(self.table))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PlanModel.DETAIL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(PlanModel.NAME, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.counts, 1)
        top.addWidget(QLabel("Every duplicate:"))
        top.addWidget(self.all_choice)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.busy)
        layout.addWidget(self.table, 1)

    def initializePage(self) -> None:  # noqa: N802
        self.owner.plan = None
        self.model.set_plan(None)
        self.busy.show()
        self.counts.setText("Checking every row against the book…")
        source, book = self.owner.source, self.owner.book
        choice = self.all_choice.currentText()
        run_in_background(
            lambda: book.plan_import(source, choice), self._planned, self._failed, owner=self
        )

    def _planned(self, plan: ImportPlan) -> None:
        self.owner.plan = plan
        self.model.set_plan(plan)
        self.busy.hide()
        self.counts.setText(
            f"{plan.count('new')} new, {plan.count('duplicate')} duplicates, "
            f"{plan.count('error')} errors, {plan.count('skip')} not imported"
        )
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.counts.setText(str(exc) if isinstance(exc, ShopfrontError) else "Checking failed.")
        if not isinstance(exc, ShopfrontError):
            log.error("import planning failed: %s", type(exc).__name__)

    def _choose_all(self, choice: str) -> None:
        self.model.set_all_choices(choice)

    def isComplete(self) -> bool:  # noqa: N802
        return self.owner.plan is not None


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle("Import")
        self.summary = QLabel()
        self.summary.setObjectName("runSummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar()
        self.start = QPushButton("Import now")
        self.start.setObjectName("startImport")
        self.cancel = QPushButton("Cancel import")
        self.save = QPushButton("Save report as CSV…")
        self.save.setObjectName("saveReport")
        self.start.clicked.connect(self.run)
        self.cancel.clicked.connect(self.owner.cancel_flag.set)
        self.save.clicked.connect(self._save_dialog)
        buttons = QHBoxLayout()
        for button in (self.start, self.cancel, self.save):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        layout.addStretch(1)
        self.relay = _Progress()
        self.relay.changed.connect(self._tick)

    def initializePage(self) -> None:  # noqa: N802
        plan = self.owner.plan
        assert plan is not None
        dup = [r for r in plan.rows if r.outcome == "duplicate"]
        choices = ", ".join(f"{sum(r.choice == c for r in dup)} {c}" for c in CHOICES)
        self.summary.setText(
            f"Ready to import from {plan.source}: {plan.count('new')} new, {len(dup)} "
            f"duplicates ({choices}), {plan.count('error')} rows with errors (reported, not "
            "imported). Nothing has been written yet; the import is all or nothing."
        )
        self.progress.setValue(0)
        self.cancel.setEnabled(False)
        self.save.setEnabled(False)
        self.start.setEnabled(True)

    def run(self) -> None:
        plan, book, flag = self.owner.plan, self.owner.book, self.owner.cancel_flag
        flag.clear()
        self.owner.running = True
        self.start.setEnabled(False)
        self.cancel.setEnabled(True)
        self.owner.button(QWizard.WizardButton.BackButton).setEnabled(False)
        relay = self.relay

        def work() -> ImportReport:
            return book.apply_import(
                plan,  # type: ignore[arg-type]
                progress=lambda done, total: relay.changed.emit(done, total),
                cancelled=flag.is_set,
            )

        run_in_background(work, self._done, self._failed, owner=self)

    def _tick(self, done: int, total: int) -> None:
        self.progress.setMaximum(max(1, total))
        self.progress.setValue(done)

    def _done(self, report: ImportReport) -> None:
        self.owner.running = False
        self.owner.report = report
        self.progress.setMaximum(1)
        self.progress.setValue(1)
        self.summary.setText(f"Done: {report.summary()}.")
        self.cancel.setEnabled(False)
        self.save.setEnabled(True)
        # Written: going back to import the same plan again makes no sense any more.
        self.owner.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.owner.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.owner.running = False
        self.cancel.setEnabled(False)
        self.start.setEnabled(True)
        self.owner.button(QWizard.WizardButton.BackButton).setEnabled(True)
        if isinstance(exc, ImportCancelledError | ShopfrontError):
            self.summary.setText(str(exc))
        else:
            log.error("import failed: %s", type(exc).__name__)
            self.summary.setText("The import failed; nothing was written. Details are in the log.")
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # noqa: N802
        return self.owner.report is not None

    def _save_dialog(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the import report", "import-report.csv", "CSV (*.csv)"
        )
        if name:
            self.save_report(Path(name))

    def save_report(self, path: Path) -> None:
        assert self.owner.report is not None
        path.write_bytes(self.owner.report.to_csv())
        self.summary.setText(self.summary.text() + f"\nReport saved to {path}.")


class ImportWizard(QWizard):
    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self.source: ImportSource | None = None
        self.plan: ImportPlan | None = None
        self.report: ImportReport | None = None
        self.running = False
        self.cancel_flag = threading.Event()
        self.setWindowTitle("Import")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.resize(900, 620)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.plan_page = PlanPage(self)
        self.run_page = RunPage(self)
        for page in (self.file_page, self.mapping_page, self.plan_page, self.run_page):
            self.addPage(page)

    def reject(self) -> None:
        """Closing while the import runs cancels it (the worker rolls back) first."""
        if self.running:
            self.cancel_flag.set()
            return
        super().reject()

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book) -> ImportReport | None:
        wizard = cls(book, parent)
        wizard.exec()
        return wizard.report
