"""Reports screen: pick a report and its month/day/customer, then Save PDF…, Open or Print….

The PDF is built off the GUI thread (gather through the Book, then lay out with reportlab)
with progress and Cancel; the widgets only ever see the finished file.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from shopfront.gui.errors import show_error
from shopfront.gui.workers import run_in_background

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
KINDS = (("monthly", "Monthly service report"), ("day", "Daily appointment sheet"),
         ("customer", "Customer history"))  # fmt: skip
ABOUT = {
    "monthly": "Cover, a one-page summary against the previous month and the same month "
    "last year, appointments with 12-month trends, revenue by staff and service, customers "
    "(new, returning, retention, rebooking), the staff care table, cases, lapsed customers "
    "and a page defining every number.",
    "day": "One page per staff member: times, customer, phone, services, notes, a risk "
    "column and a marker for customers with an open case. For printing in the morning.",
    "customer": "One customer's card, appointments, contacts and cases: also what to hand a "
    "customer who asks for their data.",
}
GATHERED = 0.3  # share of the progress bar for reading the book; the rest is layout


class Cancelled(Exception):
    """The user pressed Cancel."""


@dataclass(frozen=True)
class Request:
    kind: str
    month: tuple[int, int]
    day: date
    staff_id: int | None
    customer_id: int

    @property
    def file_name(self) -> str:
        if self.kind == "monthly":
            return f"service-report-{self.month[0]:04d}-{self.month[1]:02d}.pdf"
        if self.kind == "day":
            return f"day-sheet-{self.day.isoformat()}.pdf"
        return f"customer-{self.customer_id}.pdf"


class _Progress(QObject):
    moved = Signal(float)  # emitted from the worker thread, delivered on the GUI thread


def build_pdf(book: Book, request: Request, target: Path, progress: Callable[[float], bool]) -> int:
    """Gather and lay out one report (runs on a worker thread); returns its page count."""
    from shopfront.reports import layout
    from shopfront.reports.customer_history import write_customer_history
    from shopfront.reports.day_sheet import write_day_sheet
    from shopfront.reports.monthly import write_monthly

    if not progress(0.0):
        raise Cancelled
    if request.kind == "monthly":
        data, writer = book.monthly_report(*request.month), write_monthly
    elif request.kind == "day":
        data, writer = book.day_sheet(request.day, request.staff_id), write_day_sheet
    else:
        data, writer = book.customer_history(request.customer_id), write_customer_history
    try:
        return writer(data, target, lambda f: progress(GATHERED + (1 - GATHERED) * f))  # type: ignore[arg-type]
    except layout.Cancelled:
        raise Cancelled from None


class ReportsPage(QWidget):
    status = Signal(str)
    finished = Signal(str)  # "ready", "cancelled" or "failed": tests wait on it

    def __init__(self, book: Book, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book = book
        self._folder = tempfile.TemporaryDirectory(prefix="shopfront-reports-")
        self._ready: dict[Request, Path] = {}
        self._stop: threading.Event | None = None
        self._then: Callable[[Path], None] | None = None
        self._progress = _Progress(self)
        self._build()
        self._connect_signals()
        self._kind_changed()

    # layout --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = QComboBox()
        for key, title in KINDS:
            self.kind.addItem(title, key)
        today = self.book.today()
        self.month = QDateEdit(QDate(today.year, today.month, 1).addMonths(-1))
        self.month.setDisplayFormat("MMMM yyyy")
        self.month.setCalendarPopup(True)
        self.day = QDateEdit(QDate(today.year, today.month, today.day))
        self.day.setDisplayFormat("ddd d MMM yyyy")
        self.day.setCalendarPopup(True)
        self.staff = QComboBox()
        self.staff.addItem("Everyone", None)
        for person in self.book.staff(include_inactive=False):
            self.staff.addItem(person.name, person.id)
        self.customer = QSpinBox()
        self.customer.setRange(1, 2_000_000_000)
        self.customer_name = QLabel()
        form = QFormLayout()
        form.addRow("Report", self.kind)
        form.addRow("Month", self.month)
        form.addRow("Day", self.day)
        form.addRow("Staff", self.staff)
        self.customer_row = QWidget()
        row = QHBoxLayout(self.customer_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.customer)
        row.addWidget(self.customer_name, 1)
        form.addRow("Customer #", self.customer_row)
        self.form = form
        holder = QWidget()
        holder.setLayout(form)
        holder.setMaximumWidth(560)
        self.save_button = QPushButton("Save PDF…")
        self.open_button = QPushButton("Open")
        self.print_button = QPushButton("Print…")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.open_button, self.print_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self.bar.setVisible(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.setMaximumWidth(720)
        title = QLabel("<h2>Reports</h2>")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(holder)
        layout.addLayout(buttons)
        layout.addWidget(self.bar)
        layout.addWidget(self.message)
        layout.addSpacing(12)
        layout.addWidget(self.about)
        layout.addStretch(1)

    def _connect_signals(self) -> None:
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.customer.valueChanged.connect(self._show_customer)
        self.save_button.clicked.connect(self.save_pdf)
        self.open_button.clicked.connect(self.open_pdf)
        self.print_button.clicked.connect(self.print_pdf)
        self.cancel_button.clicked.connect(self.cancel)
        self._progress.moved.connect(lambda f: self.bar.setValue(round(100 * f)))

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        for widget, wanted in (
            (self.month, "monthly"),
            (self.day, "day"),
            (self.staff, "day"),
            (self.customer_row, "customer"),
        ):
            self.form.setRowVisible(widget, kind == wanted)
        self.about.setText(ABOUT[kind])
        self.message.setText(
            "Each report is a PDF: save it, open it in the system viewer, or print it."
        )
        self._show_customer()

    def _show_customer(self) -> None:
        if self.kind.currentData() != "customer":
            return
        try:
            self.customer_name.setText(self.book.customer(self.customer.value()).name)
        except Exception:  # no such card: say so instead of a name
            self.customer_name.setText("(no such customer)")

    # the request and its PDF -----------------------------------------------------------------

    def request(self) -> Request:
        month, day = self.month.date(), self.day.date()
        return Request(
            self.kind.currentData(),
            (month.year(), month.month()),
            date(day.year(), day.month(), day.day()),
            self.staff.currentData(),
            self.customer.value(),
        )

    def set_month(self, year: int, month: int) -> None:
        self.kind.setCurrentIndex(0)
        self.month.setDate(QDate(year, month, 1))

    @property
    def busy(self) -> bool:
        return self._stop is not None

    def generate(self, then: Callable[[Path], None] | None = None) -> None:
        """Build the current report in the background; ``then(path)`` runs when it is ready."""
        request = self.request()
        if request in self._ready and self._ready[request].exists():
            if then:
                then(self._ready[request])
            self.finished.emit("ready")
            return
        if self.busy:
            return
        stop = threading.Event()
        self._stop, self._then = stop, then
        target = Path(self._folder.name) / request.file_name
        self._set_busy(True)
        self.message.setText("Building the report…")
        book, relay = self.book, self._progress

        def progress(fraction: float) -> bool:
            relay.moved.emit(fraction)
            return not stop.is_set()

        run_in_background(
            lambda: (request, target, build_pdf(book, request, target, progress)),
            self._done,
            self._failed,
            owner=self,
        )

    def cancel(self) -> None:
        if self._stop is not None:
            self._stop.set()
            self.message.setText("Cancelling…")

    def _set_busy(self, busy: bool) -> None:
        self.bar.setVisible(busy)
        self.bar.setValue(0)
        self.cancel_button.setEnabled(busy)
        for button in (self.save_button, self.open_button, self.print_button, self.kind):
            button.setEnabled(not busy)

    def _done(self, result: tuple[Request, Path, int]) -> None:
        request, path, pages = result
        self._ready[request] = path
        then, self._then, self._stop = self._then, None, None
        self._set_busy(False)
        self.message.setText(
            f"Ready: {request.file_name}, {pages} page{'s' if pages != 1 else ''}."
        )
        log.info("report %s built (%s pages)", request.kind, pages)
        if then:
            then(path)
        self.finished.emit("ready")

    def _failed(self, exc: BaseException) -> None:
        self._then, self._stop = None, None
        self._set_busy(False)
        if isinstance(exc, Cancelled):
            self.message.setText("Cancelled; nothing was saved.")
            self.finished.emit("cancelled")
            return
        self.message.setText("The report could not be built.")
        show_error(self, exc, "Reports")
        self.finished.emit("failed")

    # actions -----------------------------------------------------------------------------------

    def save_pdf(self) -> None:
        self.generate(self._save_as)

    def _save_as(self, path: Path) -> None:
        target, _ = QFileDialog.getSaveFileName(
            self, "Save PDF", str(Path.home() / path.name), "PDF (*.pdf)"
        )
        if target:
            try:
                shutil.copyfile(path, target)
            except OSError as exc:
                show_error(self, exc, "Save PDF")
                return
            self.message.setText(f"Saved {target}")
            self.status.emit(f"Saved {Path(target).name}")

    def open_pdf(self) -> None:
        self.generate(lambda path: QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))

    def print_pdf(self) -> None:
        self.generate(self._print)

    def _print(self, path: Path) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(path.name)
        if QPrintDialog(printer, self).exec() != QPrintDialog.DialogCode.Accepted:
            return
        try:
            how = send_to_printer(path, printer)
        except Exception as exc:
            show_error(self, exc, "Print")
            return
        self.message.setText(how)
        self.status.emit(how)


def send_to_printer(path: Path, printer: QPrinter) -> str:
    """The PDF itself goes to the printer when the system can take it (print to file, or
    CUPS' ``lp``); otherwise its pages are rendered (poppler's pdftoppm) and painted."""
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        shutil.copyfile(path, printer.outputFileName())
        return f"Printed to {printer.outputFileName()}"
    lp = shutil.which("lp")
    if lp and printer.printerName():
        subprocess.run([lp, "-d", printer.printerName(), str(path)], check=True, timeout=60)
        return f"Sent to {printer.printerName()}"
    return _paint_pages(path, printer)


def _paint_pages(path: Path, printer: QPrinter) -> str:
    tool = shutil.which("pdftoppm")
    if tool is None:
        raise RuntimeError(
            "This computer can't print PDFs directly; use Open and print from the viewer."
        )
    dpi = min(300, max(150, printer.resolution()))
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([tool, "-png", "-r", str(dpi), str(path), f"{folder}/p"], check=True)
        pages = sorted(Path(folder).glob("p-*.png"))
        painter = QPainter(printer)
        try:
            for i, page in enumerate(pages):
                if i:
                    printer.newPage()
                image = QImage(str(page))
                area = painter.viewport()
                size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                painter.drawImage(area.x(), area.y(), image.scaled(size))
        finally:
            painter.end()
    return f"Printed {len(pages)} pages"
