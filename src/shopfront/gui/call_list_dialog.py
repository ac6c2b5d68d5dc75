"""The call list of an absence: every appointment it touches, who has been told, and the
actions a call ends in (same person later, a colleague now, cancel). Printable."""

from __future__ import annotations

import html
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.care import OUTCOME_TEXT, CallState, Channel, ContactOutcome, TemplateKey
from shopfront.core.localtime import format_time
from shopfront.core.workhours import Absence
from shopfront.errors import ShopfrontError
from shopfront.gui.absence_dialog import REASONS, absence_span, prepare_table
from shopfront.gui.case_dialog import error_label
from shopfront.gui.checkout_dialog import local_text, short_day, when_text
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.models import Column, ListTableModel
from shopfront.usecases.care import CallList, CallListRow

STATE_TEXT = {
    CallState.PENDING: "pending",
    CallState.TOLD: "told",
    CallState.NOT_REACHED: "not reached",
}
STATE_COLOURS = {
    CallState.PENDING: QColor("#8A5A00"),
    CallState.TOLD: QColor("#1E6B34"),
    CallState.NOT_REACHED: QColor("#B00020"),
}
CALL_OUTCOMES = (
    (ContactOutcome.REACHED, "&Reached"),
    (ContactOutcome.VOICEMAIL, "&Voicemail"),
    (ContactOutcome.NO_ANSWER, "&No answer"),
    (ContactOutcome.WRONG_NUMBER, "&Wrong number"),
)


def attempts_text(row: CallListRow, zone: ZoneInfo) -> str:
    """'2: no answer Mon 23 Nov 09:40, reached 10:05' — oldest first; the day when it changes."""
    if not row.attempts:
        return "—"
    parts, last_day = [], None
    for c in sorted(row.attempts, key=lambda c: c.at):
        how = OUTCOME_TEXT[c.outcome] or c.channel.value.replace("_", " ")
        local = c.at.astimezone(zone)
        day = "" if local.date() == last_day else f"{short_day(local.date())} "
        last_day = local.date()
        parts.append(f"{how} {day}{format_time(local)}")
    return f"{len(row.attempts)}: " + ", ".join(parts)


def booked_text(row: CallListRow, absent_staff: int) -> str:
    """What is booked, and what has already been done about it."""
    a = row.visit.appointment
    text = a.service_names
    if not a.active:
        return f"{text} — {a.status.label.lower()}"
    if a.staff_id != absent_staff:
        return f"{text} — now with {row.visit.staff_name}"
    return f"{text} with {row.visit.staff_name}"


class CallListModel(ListTableModel[CallListRow]):
    WHEN, CUSTOMER, PHONE, BOOKED, STATE, ATTEMPTS = range(6)

    def __init__(self, zone: ZoneInfo, parent: Any = None):
        super().__init__(
            [
                Column("When", lambda r: self._when(r)),
                Column("Customer", lambda r: r.visit.customer_name),
                Column("Phone", lambda r: r.phone or "no phone"),
                Column("Booked", lambda r: booked_text(r, self.absent_staff)),
                Column("State", lambda r: STATE_TEXT[r.state]),
                Column("Attempts", lambda r: attempts_text(r, self.zone)),
            ],
            parent,
        )
        self.zone = zone
        self.absent_staff = 0

    def _when(self, row: CallListRow) -> str:
        a = row.visit.appointment
        return when_text(a.start, a.end, self.zone, year=True)

    def extra_data(self, item: CallListRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATE:
            return STATE_COLOURS[item.state]
        return None

    def call_list(self) -> str:
        """The list as tab-separated text (for the clipboard)."""
        return "\n".join("\t".join(c.text(r) for c in self.columns) for r in self.items)

    def row_of(self, appointment_id: int) -> int:
        ids = [r.visit.appointment.id for r in self.items]
        return ids.index(appointment_id) if appointment_id in ids else -1


def call_list_html(calls: CallList, zone: ZoneInfo, shop: str, printed: str) -> str:
    """The printable list; every customer string is escaped."""
    e = html.escape
    head = "".join(
        f"<th align='left'>{e(h)}</th>"
        for h in ("When", "Customer", "Phone", "Booked", "State", "Attempts", "Told ✓")
    )
    rows = []
    for row in calls.rows:
        a = row.visit.appointment
        cells = (
            when_text(a.start, a.end, zone, year=True),
            row.visit.customer_name,
            row.phone or "no phone",
            booked_text(row, calls.absence.staff_id),
            STATE_TEXT[row.state],
            attempts_text(row, zone),
            "",
        )
        rows.append("<tr>" + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>")
    return (
        f"<h2>{e(shop)} — call list</h2>"
        f"<p><b>{e(calls.staff_name)}</b> is away ({e(REASONS[calls.absence.reason].lower())}): "
        f"{e(span_text(calls.absence, zone))}"
        + (f"<br>{e(calls.absence.note)}" if calls.absence.note else "")
        + f"</p><p>{counts_text(calls)} · printed {e(printed)}</p>"
        "<table border='1' cellspacing='0' cellpadding='4' width='100%'>"
        f"<tr>{head}</tr>{''.join(rows)}</table>"
    )


def span_text(absence: Absence, zone: ZoneInfo) -> str:
    """'Tue 24 Nov 2026 (all day)' for one whole day, else 'from – until'."""
    start, end = absence_span(absence, zone)
    return end if end.startswith(start) else f"{start} – {end}"


def counts_text(calls: CallList) -> str:
    if not calls.rows:
        return "No appointments are affected."
    parts = [
        f"{calls.count(CallState.PENDING)} pending",
        f"{calls.count(CallState.TOLD)} told",
        f"{calls.count(CallState.NOT_REACHED)} not reached",
    ]
    return " · ".join(parts)


def choose(parent: QWidget, title: str, label: str, options: list[str]) -> int | None:
    """Pick one of ``options``; None when cancelled."""
    text, ok = QInputDialog.getItem(parent, title, label, options, 0, False)
    return options.index(text) if ok and text in options else None


class CallListPanel(QWidget):
    """The list with its actions; shown by CallListDialog and right after an absence is saved."""

    def __init__(self, book: Book, absence_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.absence_id = book, absence_id
        self.zone = book.zone()
        self.model = CallListModel(self.zone, self)
        self.calls: CallList | None = None
        self.changed = False
        self._build()
        self.reload()

    def _build(self) -> None:
        self.heading = QLabel()
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setProperty("role", "heading")
        self.heading.setWordWrap(True)
        self.counts = QLabel()
        self.table = QTableView()
        self.table.setAccessibleName("Customers to tell")
        prepare_table(self.table, self.model)
        self.error = error_label()
        self.call_buttons = {}
        record = QGroupBox("Record what happened")
        row = QHBoxLayout(record)
        for outcome, text in CALL_OUTCOMES:
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, o=outcome: self.record(o))
            self.call_buttons[outcome] = button
            row.addWidget(button)
        self.in_person = QPushButton("Told in &person")
        self.by_sms = QPushButton("Told by &SMS")
        self.in_person.clicked.connect(lambda: self.record(ContactOutcome.NONE, Channel.IN_PERSON))
        self.by_sms.clicked.connect(lambda: self.record(ContactOutcome.NONE, Channel.SMS))
        row.addWidget(self.in_person)
        row.addWidget(self.by_sms)
        change = QGroupBox("Change the booking")
        actions = QHBoxLayout(change)
        self.later_button = QPushButton("Same person &later…")
        self.colleague_button = QPushButton("&Colleague now…")
        self.cancel_button = QPushButton("Cancel by s&hop…")
        self.message_button = QPushButton("&Message…")
        for button, slot in (
            (self.later_button, self.move_later),
            (self.colleague_button, self.give_to_colleague),
            (self.cancel_button, self.cancel_by_shop),
            (self.message_button, self.message),
        ):
            button.clicked.connect(lambda _c=False, s=slot: s())
            actions.addWidget(button)
        actions.addStretch()
        self.print_button = QPushButton("&Print…")
        self.print_button.clicked.connect(self.print_list)
        actions.addWidget(self.print_button)
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.counts)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(record)
        layout.addWidget(change)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._enable())

    # showing -----------------------------------------------------------------------------

    def reload(self) -> None:
        keep = self.selected()
        self.calls = self.book.call_list(self.absence_id)
        absence = self.calls.absence
        self.model.absent_staff = absence.staff_id
        self.model.set_items(self.calls.rows)
        note = f" — {absence.note}" if absence.note else ""
        self.heading.setText(
            f"{self.calls.staff_name} is away ({REASONS[absence.reason].lower()}): "
            f"{span_text(absence, self.zone)}{note}"
        )
        self.counts.setText(counts_text(self.calls))
        row = self.model.row_of(keep.visit.appointment.id) if keep else -1  # type: ignore[arg-type]
        self.select(row if row >= 0 else self._first_open())

    def _first_open(self) -> int:
        states = [r.state for r in self.model.items]
        for wanted in (CallState.PENDING, CallState.NOT_REACHED):
            if wanted in states:
                return states.index(wanted)
        return 0 if states else -1

    def select(self, row: int) -> None:
        if row < 0:
            self.table.selectionModel().clear()
            self._enable()
            return
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._enable()

    def selected(self) -> CallListRow | None:
        return self.model.item(self.table.currentIndex().row())

    def _enable(self) -> None:
        row = self.selected()
        active = row is not None and row.visit.appointment.active
        for button in (*self.call_buttons.values(), self.in_person, self.by_sms):
            button.setEnabled(row is not None)
        self.message_button.setEnabled(row is not None)
        for button in (self.later_button, self.colleague_button, self.cancel_button):
            button.setEnabled(active)
        set_field_error(self.error, "")

    # actions -----------------------------------------------------------------------------

    def _attempt(self, action: Any, done: str) -> bool:
        try:
            action()
        except ShopfrontError as exc:
            set_field_error(self.error, str(exc))
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self.changed = True
        self.reload()
        self.counts.setText(f"{done} {counts_text(self.calls)}")  # type: ignore[arg-type]
        return True

    def record(self, outcome: ContactOutcome, channel: Channel = Channel.CALL) -> bool:
        row = self.selected()
        if row is None:
            return False
        aid = row.visit.appointment.id
        what = OUTCOME_TEXT[outcome] or channel.value.replace("_", " ")
        return self._attempt(
            lambda: self.book.record_call(self.absence_id, aid, outcome, channel=channel),
            f"{row.visit.customer_name}: {what}.",
        )

    def move_later(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        a = row.visit.appointment
        try:
            slots = self.book.later_slots_with_same_staff(a.id, self.absence_id, 6)
        except ShopfrontError as exc:
            set_field_error(self.error, str(exc))
            return False
        if not slots:
            set_field_error(self.error, f"{row.visit.staff_name} has no free time soon.")
            return False
        options = [when_text(s.start, s.end, self.zone) for s in slots]
        pick = choose(
            self, "Same person later", f"Move to a later time with {row.visit.staff_name}:", options
        )
        if pick is None:
            return False
        slot = slots[pick]
        return self._attempt(
            lambda: self.book.move(a.id, slot.start, a.staff_id, a.version),
            f"Moved to {options[pick]}.",
        )

    def give_to_colleague(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        a = row.visit.appointment
        free = self.book.colleagues_free_now(a.id)  # type: ignore[arg-type]
        if not free:
            set_field_error(self.error, "Nobody else is free at that time for these services.")
            return False
        names = [self.book.staff_name(staff_id) for staff_id in free]
        when = local_text(a.start, self.zone)
        pick = choose(self, "Colleague now", f"Who takes {when} instead?", names)
        if pick is None:
            return False
        return self._attempt(
            lambda: self.book.give_to_colleague(a.id, free[pick]),  # type: ignore[arg-type]
            f"Given to {names[pick]}.",
        )

    def cancel_by_shop(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        a = row.visit.appointment
        answer = QMessageBox.question(
            self,
            "Cancel by the shop",
            f"Cancel {row.visit.customer_name}'s appointment ({local_text(a.start, self.zone)})? "
            "It counts as cancelled by the shop, never against the customer.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._attempt(
            lambda: self.book.cancel_by_shop(a.id, "staff absence"),  # type: ignore[arg-type]
            "Cancelled by the shop.",
        )

    def message(self) -> None:
        from shopfront.gui.message_dialog import MessageDialog

        row = self.selected()
        if row is None:
            return
        aid = row.visit.appointment.id

        def log(message: Any, channel: Channel) -> None:
            # logged against the absence, so the call list counts the message as telling them
            self.book.record_call(
                self.absence_id,
                aid,  # type: ignore[arg-type]
                ContactOutcome.NONE,
                channel=channel,
                summary=f"{message.subject}: {message.body}",
            )

        dialog = MessageDialog(
            self.book, self, appointment_id=aid, key=TemplateKey.ABSENCE_NOTICE, log=log
        )
        dialog.exec()
        if dialog.sent:
            self.changed = True
            self.reload()

    # printing ----------------------------------------------------------------------------

    def document(self) -> QTextDocument:
        assert self.calls is not None
        printed = local_text(self.book.clock(), self.zone)
        doc = QTextDocument(self)
        doc.setHtml(call_list_html(self.calls, self.zone, self.book.settings.shop_name, printed))
        return doc

    def print_list(self) -> None:
        from PySide6.QtPrintSupport import QPrintPreviewDialog

        doc = self.document()
        preview = QPrintPreviewDialog(self)
        preview.setWindowTitle("Print the call list")
        preview.paintRequested.connect(doc.print_)
        preview.exec()


class CallListDialog(QDialog):
    """Use ``CallListDialog.ask(parent, book, absence_id)`` -> True if anything changed."""

    def __init__(self, book: Book, absence_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Call list")
        self.resize(960, 560)
        self.panel = CallListPanel(book, absence_id, self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget | None, book: Book, absence_id: int) -> bool:
        dialog = cls(book, absence_id, parent)
        dialog.exec()
        return dialog.panel.changed


def not_in_today(parent: QWidget, book: Book, staff_id: int | None = None) -> bool:
    """ "Not in today": ask who and why, record the absence from now to closing time, and
    open its call list at once. True if an absence was recorded."""
    people = book.staff(include_inactive=False)
    if staff_id is None:
        pick = choose(parent, "Not in today", "Who is not in today?", [p.name for p in people])
        if pick is None:
            return False
        staff_id = people[pick].id
    reasons = list(REASONS)
    name = book.staff_name(staff_id)
    why = choose(parent, "Not in today", f"Why is {name} not in?", list(REASONS.values()))
    if why is None:
        return False
    try:
        absence, _visits = book.absent_today(staff_id, reasons[why].value)
    except Exception as exc:
        show_error(parent, exc)
        return False
    CallListDialog.ask(parent, book, absence.id)
    return True
