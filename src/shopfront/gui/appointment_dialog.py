"""One appointment: who, when and what; status buttons, undo, excuse, checkout and history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, QTime
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QHeaderView, QInputDialog, QMessageBox, QPushButton, QWidget

from shopfront.book import Book
from shopfront.core.appointments import AppointmentStatus, StatusChange, allowed_transitions
from shopfront.core.booking import Appointment, AppointmentDetail, NeedsOverride, Visit
from shopfront.core.localtime import LocalTimeError, format_time, local_to_utc
from shopfront.core.money import format_minor
from shopfront.errors import ShopfrontError
from shopfront.gui.checkout_dialog import CheckoutDialog, confirm_override, local_text
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.forms.ui_appointment_dialog import Ui_AppointmentDialog
from shopfront.gui.models import Column, ListTableModel
from shopfront.gui.services_dialog import ServicesChoice, ServicesDialog

S = AppointmentStatus
OPEN = (S.BOOKED, S.CONFIRMED)
SOURCE_WORDS = {"phone": "by phone", "walk-in": "as a walk-in", "online": "online"}
STATUS_COLOURS = {
    S.BOOKED: "#26394D",
    S.CONFIRMED: "#1E6B34",
    S.ARRIVED: "#0B6E8A",
    S.COMPLETED: "#1E6B34",
    S.CANCELLED: "#5F6B7A",
    S.NO_SHOW: "#B00020",
}


class StatusHistoryModel(ListTableModel[StatusChange]):
    """An appointment's status changes: when (shop time), from, to, who, why."""

    def __init__(self, zone: ZoneInfo, staff_name: Callable[[int | None], str], parent: Any = None):
        super().__init__(
            [
                Column("When", lambda c: local_text(c.at, self.zone)),
                Column("From", lambda c: c.old.label if c.old else "—"),
                Column("To", lambda c: c.new.label),
                Column("By", lambda c: self.staff_name(c.by_staff_id) or "—"),
                Column("Reason", lambda c: c.reason),
            ],
            parent,
        )
        self.zone, self.staff_name = zone, staff_name


class AppointmentDialog(QDialog):
    """Use ``AppointmentDialog.ask(parent, book, appointment_id)`` -> True if anything changed.

    "Open card" closes the dialog with ``open_card_requested`` set; ``ask`` then calls
    ``open_card(customer_id)`` when the caller passed one.
    """

    def __init__(self, book: Book, appointment_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.book, self.appointment_id = book, appointment_id
        self.changed = False
        self.open_card_requested = False
        self.ui = Ui_AppointmentDialog()
        self.ui.setupUi(self)
        self.history = StatusHistoryModel(book.zone(), book.staff_name, self)
        self._prepare()
        self._connect_signals()
        self.reload()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        book: Book,
        appointment_id: int,
        open_card: Callable[[int], None] | None = None,
    ) -> bool:
        dialog = cls(book, appointment_id, parent)
        dialog.exec()
        if dialog.open_card_requested and open_card is not None:
            open_card(dialog.appointment.customer_id)
        return dialog.changed

    @property
    def appointment(self) -> Appointment:
        return self.detail.visit.appointment

    def _prepare(self) -> None:
        ui = self.ui
        ui.historyTable.setModel(self.history)
        ui.historyTable.verticalHeader().hide()
        ui.historyTable.verticalHeader().setDefaultSectionSize(
            ui.historyTable.fontMetrics().height() + 8
        )
        header = ui.historyTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        ui.nameLabel.setProperty("role", "heading")
        font = QFont(ui.statusLabel.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        ui.statusLabel.setFont(font)
        ui.flagLabel.hide()  # no-show risk and customer flags: see _show_flags
        self.case_button = QPushButton("Open c&ase…")
        self.message_button = QPushButton("Messa&ge…")
        for button in (self.case_button, self.message_button):
            button.setAutoDefault(False)
            ui.headerRow.addWidget(button)
        for label in (ui.timeError, ui.statusError):
            set_field_error(label, "")

    def _connect_signals(self) -> None:
        ui = self.ui
        ui.buttonBox.rejected.connect(self.reject)
        ui.openCardButton.clicked.connect(self.open_card)
        self.case_button.clicked.connect(self.open_case)
        self.message_button.clicked.connect(self.send_message)
        ui.confirmButton.clicked.connect(lambda: self.set_status(S.CONFIRMED))
        ui.arrivedButton.clicked.connect(lambda: self.set_status(S.ARRIVED))
        ui.cancelCustomerButton.clicked.connect(lambda: self.set_status(S.CANCELLED, "customer"))
        ui.cancelShopButton.clicked.connect(lambda: self.set_status(S.CANCELLED, "shop"))
        ui.noShowButton.clicked.connect(lambda: self.set_status(S.NO_SHOW))
        ui.checkoutButton.clicked.connect(self.check_out)
        ui.excuseButton.clicked.connect(lambda: self.excuse_no_show())
        ui.undoButton.clicked.connect(self.undo)
        ui.cancelSeriesButton.clicked.connect(self.cancel_series)
        ui.moveButton.clicked.connect(lambda: self.move_here())
        ui.servicesButton.clicked.connect(lambda: self.change_services())
        for signal in (
            ui.staffCombo.currentIndexChanged,
            ui.dateEdit.dateChanged,
            ui.timeEdit.timeChanged,
            ui.minutesSpin.valueChanged,
        ):
            signal.connect(self._time_edited)

    # showing --------------------------------------------------------------------------------

    def reload(self) -> None:
        self.detail: AppointmentDetail = self.book.appointment(self.appointment_id)
        v, a, zone = self.detail.visit, self.appointment, self.book.zone()
        ui = self.ui
        self.setWindowTitle(f"{v.customer_name} — {local_text(a.start, zone)}")
        ui.nameLabel.setText(v.customer_name)
        ui.phoneLabel.setText(v.customer_phone or "no phone on the card")
        ui.servicesLabel.setText(f"{a.service_names} ({a.minutes} min)")
        ui.priceLabel.setText(self._price_text(a))
        series = " · part of a repeating series" if a.series_id else ""
        how = SOURCE_WORDS.get(a.source, a.source)
        ui.sourceLabel.setText(f"{how}, {local_text(a.booked_at, zone)}{series}")
        ui.notesLabel.setText(a.notes or "—")
        self._load_time(a)
        self._show_status(a)
        self._show_flags(v)
        self.history.set_items(self.detail.history)

    def _show_flags(self, v: Visit) -> None:
        """The no-show risk with its reasons, and the customer's flags (deposit required)."""
        lines = [
            f"{flag.capitalize()}." for flag in self.book.customer_flags(v.appointment.customer_id)
        ]
        if v.risk is not None:
            reasons = "; ".join(v.risk_reasons)
            lines.append(f"No-show risk: {v.risk_level} ({v.risk:.0%}) — {reasons}".rstrip(" —"))
        self.ui.flagLabel.setText("\n".join(lines))
        self.ui.flagLabel.setVisible(bool(lines))
        high = v.risk_level == "high" or len(lines) > (v.risk is not None)
        self.ui.flagLabel.setStyleSheet("color: #B03A2E" if high else "")

    def _price_text(self, a: Appointment) -> str:
        currency = self.book.settings.currency
        text = f"{format_minor(a.price_minor)} {currency}"
        if a.final_price_minor is not None:
            text += f" · paid {format_minor(a.final_price_minor)} {currency}"
        return text

    def _load_time(self, a: Appointment) -> None:
        ui, local = self.ui, a.start.astimezone(self.book.zone())
        widgets = (ui.staffCombo, ui.dateEdit, ui.timeEdit, ui.minutesSpin)
        for widget in widgets:
            widget.blockSignals(True)
        ui.staffCombo.clear()
        for person in self.book.staff():
            if person.active or person.id == a.staff_id:
                ui.staffCombo.addItem(person.name, person.id)
        ui.staffCombo.setCurrentIndex(max(0, ui.staffCombo.findData(a.staff_id)))
        ui.dateEdit.setDate(QDate(local.year, local.month, local.day))
        ui.timeEdit.setTime(QTime(local.hour, local.minute))
        ui.minutesSpin.setValue(a.minutes)
        for widget in widgets:
            widget.blockSignals(False)
        editable = a.active and a.status != S.COMPLETED
        for widget in widgets:
            widget.setEnabled(editable)
        ui.servicesButton.setVisible(editable)
        self._time_edited()

    def _show_status(self, a: Appointment) -> None:
        ui, allowed = self.ui, allowed_transitions(a.status)
        ui.statusLabel.setText(a.status.label)
        ui.statusDetail.setText(self._status_detail(a))
        ui.statusDetail.setVisible(bool(ui.statusDetail.text()))
        shown = {
            ui.confirmButton: S.CONFIRMED in allowed,
            ui.arrivedButton: S.ARRIVED in allowed,
            ui.cancelCustomerButton: S.CANCELLED in allowed,
            ui.cancelShopButton: S.CANCELLED in allowed,
            ui.noShowButton: S.NO_SHOW in allowed,
            ui.checkoutButton: S.COMPLETED in allowed,
            ui.excuseButton: a.status == S.NO_SHOW and not a.excused,
            ui.undoButton: len(self.detail.history) > 1,
            ui.cancelSeriesButton: a.series_id is not None and a.status in OPEN,
        }
        self._arrange_buttons([button for button, visible in shown.items() if visible])
        ui.statusLabel.setStyleSheet(f"color: {STATUS_COLOURS[a.status]}")
        ui.reasonEdit.setVisible(bool(allowed) or shown[ui.excuseButton])

    def _arrange_buttons(self, visible: list[QPushButton]) -> None:
        """Visible actions fill the grid two to a row, without holes."""
        grid = self.ui.statusButtons
        for button in self.ui.statusBox.findChildren(QPushButton):
            grid.removeWidget(button)
            button.setVisible(button in visible)
        for position, button in enumerate(visible):
            wide = button is self.ui.cancelSeriesButton
            row, column = (position // 2 + 1, 0) if wide else divmod(position, 2)
            grid.addWidget(button, row, column, 1, 2 if wide else 1)

    def _status_detail(self, a: Appointment) -> str:
        if a.status == S.CANCELLED:
            who = "the shop" if a.cancelled_by == "shop" else "the customer"
            late = self.book.settings.late_cancel_hours
            late_text = f" — late (less than {late} h before)" if a.late_cancel else ""
            return f"by {who}{late_text}"
        if a.status == S.NO_SHOW:
            return f"excused: {a.excuse_reason}" if a.excused else "not excused"
        if a.status == S.COMPLETED:
            rebooked = {True: "next visit booked", False: "did not rebook", None: ""}[a.rebooked]
            return rebooked
        return ""

    # changing the time ------------------------------------------------------------------------

    def local_start(self) -> datetime:
        day = self.ui.dateEdit.date().toPython()
        moment = self.ui.timeEdit.time().toPython()
        return datetime.combine(day, time(moment.hour, moment.minute))

    def _time_edited(self) -> None:
        ui, a, zone = self.ui, self.appointment, self.book.zone()
        local = self.local_start()
        end = local + timedelta(minutes=ui.minutesSpin.value())
        ui.endLabel.setText(f"until {format_time(end)}")
        current = a.start.astimezone(zone).replace(tzinfo=None)
        moved = (local, ui.staffCombo.currentData(), ui.minutesSpin.value()) != (
            current,
            a.staff_id,
            a.minutes,
        )
        ui.moveButton.setVisible(moved and ui.dateEdit.isEnabled())
        set_field_error(ui.timeError, "")

    def move_here(self, override: bool = False) -> None:
        """Move and/or resize to what the time fields say (asks before soft problems)."""
        a, zone = self.appointment, self.book.zone()
        unchanged = self.local_start() == a.start.astimezone(zone).replace(tzinfo=None)
        try:  # an unchanged start keeps its instant, even on a fall-back night
            start = a.start if unchanged else local_to_utc(self.local_start(), zone)
        except LocalTimeError as exc:
            set_field_error(self.ui.timeError, str(exc))
            return
        staff, minutes = self.ui.staffCombo.currentData(), self.ui.minutesSpin.value()
        try:
            current = self.book.appointment(self.appointment_id).visit.appointment
            if (start, staff) != (current.start, current.staff_id):
                if current.series_id is not None and self._whole_series():
                    self.book.move_series(self.appointment_id, start, staff, override)
                    current = self.book.appointment(self.appointment_id).visit.appointment
                else:
                    current = self.book.move(
                        self.appointment_id, start, staff, current.version, override
                    )
            if minutes != current.minutes:
                self.book.resize(self.appointment_id, minutes, current.version, override)
        except NeedsOverride as exc:
            if confirm_override(self, exc):
                self.move_here(override=True)
            return
        except ShopfrontError as exc:
            set_field_error(self.ui.timeError, f"Not moved: {exc}")
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self._done()

    def change_services(self, choice: ServicesChoice | None = None, override: bool = False) -> bool:
        """Pick the services again (for this visit, or it and the later ones of its series);
        the length and price follow. Refusals show next to the time, soft problems ask."""
        if choice is None:
            choice = ServicesDialog.ask(self, self.book, self.appointment)
            if choice is None:
                return False
        try:
            self.book.change_services(
                self.appointment_id,
                choice.service_ids,
                later_too=choice.later_too,
                version=self.appointment.version,
                override=override,
            )
        except NeedsOverride as exc:
            return confirm_override(self, exc) and self.change_services(choice, override=True)
        except ShopfrontError as exc:
            set_field_error(self.ui.timeError, f"Services not changed: {exc}")
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self._done()
        return True

    def _whole_series(self) -> bool:
        """Ask whether a move of a repeating visit applies to the later ones too."""
        answer = QMessageBox.question(
            self,
            "Repeating appointment",
            "Move the later appointments of this series the same way too?\n\n"
            "Yes: this and every later open one. No: only this one.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # changing the status ------------------------------------------------------------------------

    def _done(self) -> None:
        self.changed = True
        self.ui.reasonEdit.clear()
        set_field_error(self.ui.statusError, "")
        self.reload()

    def _attempt(self, action: Callable[[], object], quiet: type[Exception] | None = None) -> bool:
        """Run a change; refusals go next to the status (``quiet`` ones to the caller)."""
        try:
            action()
        except ShopfrontError as exc:
            if quiet is not None and isinstance(exc, quiet):
                raise
            set_field_error(self.ui.statusError, str(exc))
            return False
        except Exception as exc:
            show_error(self, exc)
            return False
        self._done()
        return True

    def set_status(self, status: AppointmentStatus, cancelled_by: str | None = None) -> bool:
        """Change the status; checking in before the day or a no-show before the start is
        asked about first."""
        reason = self.ui.reasonEdit.text().strip()

        def change(override: bool) -> object:
            return self.book.set_status(
                self.appointment_id,
                status,
                reason=reason,
                cancelled_by=cancelled_by,
                override=override,
            )

        try:
            return self._attempt(lambda: change(False), quiet=NeedsOverride)
        except NeedsOverride as exc:
            answer = QMessageBox.question(
                self,
                "Are you sure?",
                str(exc),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
            return self._attempt(lambda: change(True))

    def excuse_no_show(self, reason: str | None = None) -> bool:
        if reason is None:
            reason = self.ui.reasonEdit.text().strip()
        if not reason:
            reason, ok = QInputDialog.getText(
                self, "Excuse no-show", "Why is this no-show excused? (e.g. in hospital)"
            )
            if not ok:
                return False
        return self._attempt(lambda: self.book.excuse_no_show(self.appointment_id, reason))

    def undo(self) -> bool:
        return self._attempt(lambda: self.book.undo_status(self.appointment_id))

    def cancel_series(self) -> bool:
        answer = QMessageBox.question(
            self,
            "Cancel the series",
            "Cancel this appointment and every later one in its series that is still booked? "
            "(Earlier visits stay as they are.)",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._attempt(lambda: self.book.cancel_series(self.appointment_id, "customer"))

    def check_out(self) -> None:
        if CheckoutDialog.ask(self, self.book, self.appointment_id):
            self._done()

    def open_case(self) -> None:
        """A complaint about this visit: the case remembers the appointment."""
        from shopfront.gui.case_dialog import CaseDialog

        if CaseDialog.ask(self, self.book, appointment_id=self.appointment_id) is not None:
            self.changed = True  # the day view shows the open-case marker

    def send_message(self) -> None:
        from shopfront.gui.message_dialog import MessageDialog

        MessageDialog(self.book, self, appointment_id=self.appointment_id).exec()

    def open_card(self) -> None:
        self.open_card_requested = True
        self.accept()
