"""Booking: find the customer, tick services, pick who and when (or a free slot), repeat."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QObject,
    Qt,
    QTime,
    QTimer,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QWidget,
)

from shopfront.book import Book
from shopfront.core.booking import SOURCES, Appointment, BookingRequest, NeedsOverride
from shopfront.core.localtime import (
    AmbiguousLocalTime,
    LocalTimeError,
    first_instant_at_or_after,
    format_time,
    local_to_utc,
)
from shopfront.core.money import format_minor, parse_minor
from shopfront.errors import ConflictError, ShopfrontError, ValidationError
from shopfront.gui.booking_models import (
    CustomerPickModel,
    PlanModel,
    ServiceChecklistModel,
    confirm_skipping,
    fit_columns,
    to_local_naive,
)
from shopfront.gui.checkout_dialog import SlotTableModel, confirm_override, prepare_tree
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.forms.ui_booking_dialog import Ui_BookingDialog

SEARCH_LIMIT = 20
SLOT_COUNT = 8
REFRESH_DELAY_MS = 60  # coalesces a burst of changes (ticking three services) into one query
FIELDS = ("customer", "services", "staff", "start", "minutes", "price")


class BookingDialog(QDialog):
    """Use ``BookingDialog.ask(parent, book, staff_id, start, customer_id)`` -> Appointment."""

    def __init__(
        self,
        book: Book,
        staff_id: int | None = None,
        start: datetime | None = None,
        customer_id: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.book = book
        self.customer_id: int | None = None
        self.saved: Appointment | None = None
        self.booked: list[Appointment] = []
        self._staff_given = staff_id is not None
        self._auto_minutes, self._auto_price = 0, ""
        self._filling = False
        self.ui = Ui_BookingDialog()
        self.ui.setupUi(self)
        self.results = CustomerPickModel(self)
        self.services = ServiceChecklistModel(book.services(include_inactive=False), self)
        self.slots = SlotTableModel(book.zone(), book.staff_name, self)
        self.plan = PlanModel(book.zone(), self)
        self._search_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._slot_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._plan_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._prepare(staff_id, start)
        self._connect_signals()
        if customer_id is not None:
            self.pick_customer(customer_id)
            self.ui.serviceList.setFocus()  # the next thing to do
        self._services_changed()
        self._start_changed()
        self.refresh_slots()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        book: Book,
        staff_id: int | None = None,
        start: datetime | None = None,
        customer_id: int | None = None,
    ) -> Appointment | None:
        dialog = cls(book, staff_id, start, customer_id, parent)
        return dialog.saved if dialog.exec() == QDialog.DialogCode.Accepted else None

    # setting up --------------------------------------------------------------------------

    def _prepare(self, staff_id: int | None, start: datetime | None) -> None:
        ui = self.ui
        prepare_tree(ui.customerList, self.results)
        prepare_tree(ui.serviceList, self.services)
        prepare_tree(ui.slotList, self.slots)
        ui.planList.setModel(self.plan)
        ui.planList.setTextElideMode(Qt.TextElideMode.ElideNone)
        ui.customerList.hide()
        self.services.span_headers(ui.serviceList)
        header = ui.serviceList.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self._show_plan(False)
        ui.staffCombo.addItem("Anyone who does it", None)
        for person in self.book.staff(include_inactive=False):
            ui.staffCombo.addItem(person.name, person.id)
        ui.staffCombo.setCurrentIndex(max(0, ui.staffCombo.findData(staff_id)))
        ui.sourceCombo.addItems(SOURCES)
        ui.currencyLabel.setText(self.book.settings.currency)
        local = to_local_naive(start, self.book) if start else self._next_grid_time()
        self._set_start(local)
        ui.untilEdit.setDate(QDate(local.year, local.month, local.day).addMonths(6))
        save = ui.buttonBox.button(QDialogButtonBox.StandardButton.Save)
        save.setText("&Book")
        save.setDefault(True)
        for name in FIELDS:
            set_field_error(self._error_label(name), "")
        set_field_error(ui.formError, "")
        ui.flagLabel.hide()  # the customer's flags (deposit required): see _show_flags
        self._info("")
        ui.customerEdit.installEventFilter(self)
        ui.serviceList.installEventFilter(self)

    def _next_grid_time(self) -> datetime:
        now = self.book.clock().astimezone(self.book.zone()).replace(tzinfo=None)
        step = self.book.settings.slot_minutes
        rounded = now.replace(second=0, microsecond=0) + timedelta(minutes=step - 1)
        return rounded - timedelta(minutes=rounded.minute % step)

    def _connect_signals(self) -> None:
        ui = self.ui
        ui.buttonBox.accepted.connect(self.save)
        ui.buttonBox.rejected.connect(self.reject)
        ui.customerEdit.textChanged.connect(self._customer_typed)
        self._search_timer.timeout.connect(self.run_search)
        ui.customerList.clicked.connect(lambda index: self.pick_row(index.row()))
        ui.newCustomerButton.clicked.connect(self.new_customer)
        ui.serviceList.clicked.connect(lambda index: self.services.toggle(index.row()))
        self.services.changed.connect(self._services_changed)
        ui.staffCombo.currentIndexChanged.connect(self._staff_changed)
        ui.dateEdit.dateChanged.connect(self._date_changed)
        ui.timeEdit.timeChanged.connect(self._start_changed)
        ui.foldCombo.currentIndexChanged.connect(self._start_changed)
        ui.minutesSpin.valueChanged.connect(self._minutes_changed)
        ui.slotList.clicked.connect(lambda index: self.use_slot(index.row()))
        ui.slotList.activated.connect(lambda index: self.use_slot(index.row()))
        ui.laterButton.clicked.connect(self.later_slots)
        self._slot_timer.timeout.connect(self.refresh_slots)
        self._plan_timer.timeout.connect(self.refresh_plan)
        ui.repeatBox.toggled.connect(self._show_plan)
        for signal in (
            ui.repeatBox.toggled,
            ui.everySpin.valueChanged,
            ui.countSpin.valueChanged,
            ui.untilEdit.dateChanged,
            ui.countRadio.toggled,
        ):
            signal.connect(self._plan_timer.start)

    def _error_label(self, field: str) -> QLabel:
        return getattr(self.ui, f"{field}Error", self.ui.formError)

    # the customer -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if watched is self.ui.customerEdit:
                return self._customer_key(event.key())
            if watched is self.ui.serviceList and event.key() == Qt.Key.Key_Space:
                self.services.toggle(self.ui.serviceList.currentIndex().row())
                return True
        return super().eventFilter(watched, event)

    def _customer_key(self, key: int) -> bool:
        """Down/Up walk the matches, Enter picks one (the field keeps the focus)."""
        if self._search_timer.isActive():
            self.run_search()
        rows, row = self.results.rowCount(), self.ui.customerList.currentIndex().row()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and rows:
            step = 1 if key == Qt.Key.Key_Down else -1
            self._select_result(min(max(row + step, 0), rows - 1))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if rows and self.customer_id is None:
                self.pick_row(max(row, 0))
            else:
                self.ui.serviceList.setFocus()
            return True
        return False

    def _select_result(self, row: int) -> None:
        self.ui.customerList.setCurrentIndex(self.results.index(row, 0))

    def _customer_typed(self, text: str) -> None:
        if self.customer_id is not None:
            self.customer_id = None
            self._info("")
            self._show_flags(None)
            self._plan_timer.start()
        self._search_timer.start()

    def run_search(self) -> None:
        self._search_timer.stop()
        text = self.ui.customerEdit.text().strip()
        if self.customer_id is not None:
            return
        rows = self.book.search(text, limit=SEARCH_LIMIT) if text else []
        self.results.set_items(rows)
        fit_columns(self.ui.customerList)
        self.ui.customerList.setVisible(bool(rows))
        if rows:
            self._select_result(0)
        self._info(self._search_hint(text, len(rows)))

    def _info(self, text: str) -> None:
        self.ui.customerInfo.setText(text)
        self.ui.customerInfo.setVisible(bool(text))

    def _search_hint(self, text: str, count: int) -> str:
        if not text:
            return ""
        if count == 0:
            return f"Nobody matches “{text}”. Use New customer… to add them."
        if count >= SEARCH_LIMIT:
            return "Many match: keep typing, or ↓ and Enter to pick."
        return "↓ and Enter (or a click) picks the customer."

    def pick_row(self, row: int) -> None:
        summary = self.results.item(row)
        if summary is not None:
            self.pick_customer(summary.id)

    def pick_customer(self, customer_id: int) -> None:
        customer = self.book.customer(customer_id)
        self.customer_id = customer.id
        self.ui.customerEdit.blockSignals(True)
        self.ui.customerEdit.setText(customer.name)
        self.ui.customerEdit.blockSignals(False)
        self.results.set_items([])
        self.ui.customerList.hide()
        owner = self.book.staff_name(customer.owner_id)
        phone = customer.phones[0].typed if customer.phones else "no phone"
        looked_after = f"looked after by {owner}" if owner else "nobody looks after them yet"
        self._info(f"✓ {phone} · {looked_after}")
        self._show_flags(customer.id)
        set_field_error(self.ui.customerError, "")
        owner_index = self.ui.staffCombo.findData(customer.owner_id)
        if not self._staff_given and customer.owner_id is not None and owner_index >= 0:
            self.ui.staffCombo.setCurrentIndex(owner_index)
        self._plan_timer.start()

    def _show_flags(self, customer_id: int | None) -> None:
        """'Deposit required' (repeated unexcused no-shows): booking will ask to override."""
        flags = self.book.customer_flags(customer_id) if customer_id is not None else []
        text = "; ".join(flags).capitalize()
        self.ui.flagLabel.setText(f"⚠ {text}: booking needs your confirmation." if flags else "")
        self.ui.flagLabel.setStyleSheet("color: #B03A2E; font-weight: bold")
        self.ui.flagLabel.setVisible(bool(flags))

    def new_customer(self) -> None:
        from shopfront.gui.quick_add import QuickAddDialog

        text = self.ui.customerEdit.text().strip()
        looks_like_name = text and not any(ch.isdigit() for ch in text) and "@" not in text
        answer = QuickAddDialog.ask(self, self.book, text if looks_like_name else "")
        if answer is not None:
            self.pick_customer(answer[1])

    # services, staff, time -----------------------------------------------------------------

    def _services_changed(self) -> None:
        chosen = self.services.checked_services()
        minutes = sum(s.duration_min for s in chosen)
        price = format_minor(sum(s.price_minor for s in chosen))
        currency = self.book.settings.currency
        count = f"{len(chosen)} service{'s' * (len(chosen) != 1)}"
        self.ui.totalLabel.setText(
            f"{count} · {minutes} min · {price} {currency}"
            if chosen
            else "Tick one or more services (click or Space)."
        )
        if self.ui.minutesSpin.value() == self._auto_minutes:  # not changed by hand
            self.ui.minutesSpin.setValue(minutes)
        if self.ui.priceEdit.text().strip() in ("", self._auto_price):
            self.ui.priceEdit.setText(price if chosen else "")
        self._auto_minutes, self._auto_price = minutes, price
        if chosen:
            set_field_error(self.ui.servicesError, "")
        self._slot_timer.start()
        self._plan_timer.start()

    def staff_id(self) -> int | None:
        return self.ui.staffCombo.currentData()

    def _staff_changed(self) -> None:
        if self.staff_id() is not None:
            set_field_error(self.ui.staffError, "")
        if not self._filling:
            self._slot_timer.start()
        self._plan_timer.start()

    def _date_changed(self) -> None:
        self._start_changed()
        if not self._filling:
            self._slot_timer.start()

    def _minutes_changed(self) -> None:
        self._start_changed()
        self._slot_timer.start()

    def local_start(self) -> datetime:
        day = self.ui.dateEdit.date().toPython()
        moment = self.ui.timeEdit.time().toPython()
        return datetime.combine(day, time(moment.hour, moment.minute))

    def start_utc(self) -> datetime:
        """The start as an instant; LocalTimeError on a DST night (never shifted silently).

        On a fall-back night the user's choice in ``foldCombo`` says which of the two."""
        local, zone = self.local_start(), self.book.zone()
        try:
            return local_to_utc(local, zone)
        except AmbiguousLocalTime:
            fold = self.ui.foldCombo.currentData()
            if fold is None:
                raise
            return local_to_utc(local, zone, fold)

    def _set_start(self, local: datetime, fold: int = 0) -> None:
        self.ui.dateEdit.setDate(QDate(local.year, local.month, local.day))
        self.ui.timeEdit.setTime(QTime(local.hour, local.minute))
        if self.ui.foldCombo.count():  # a slot on the fall-back night names its own fold
            self.ui.foldCombo.setCurrentIndex(self.ui.foldCombo.findData(fold))

    def _start_changed(self) -> None:
        try:
            start = self.start_utc()
            local_to_utc(self.local_start(), self.book.zone())
        except AmbiguousLocalTime as exc:
            self._offer_folds(exc)
            if self.ui.foldCombo.currentData() is None:
                self._start_error(str(exc))
                return
        except LocalTimeError as exc:
            self._offer_folds(None)
            self._start_error(str(exc))
            return
        else:
            self._offer_folds(None)
        set_field_error(self.ui.startError, "")
        end = start + timedelta(minutes=self.ui.minutesSpin.value())
        self.ui.endLabel.setText(f"until {format_time(end.astimezone(self.book.zone()))}")
        self._plan_timer.start()

    def _start_error(self, message: str) -> None:
        set_field_error(self.ui.startError, message)
        self.ui.endLabel.setText("")

    def _offer_folds(self, exc: AmbiguousLocalTime | None) -> None:
        """Show "which of the two?" on a fall-back night; clear it on any other time."""
        combo, zone = self.ui.foldCombo, self.book.zone()
        if exc is not None and combo.count():
            return  # keep the user's choice
        combo.blockSignals(True)
        combo.clear()
        if exc is not None:
            combo.addItem("which one?", None)
            for fold, instant in ((0, exc.earlier), (1, exc.later)):
                local = instant.astimezone(zone)
                combo.addItem(f"{format_time(local)} {local.tzname()}", fold)
        combo.blockSignals(False)
        combo.setVisible(exc is not None)

    # free slots ---------------------------------------------------------------------------

    def _day_start(self) -> datetime:
        day = self.ui.dateEdit.date().toPython()
        return first_instant_at_or_after(datetime.combine(day, time()), self.book.zone())

    def refresh_slots(self, start_from: datetime | None = None) -> None:
        self._slot_timer.stop()
        ids = self.services.checked_ids()
        who = self.ui.staffCombo.currentText() if self.staff_id() else "anyone"
        if not ids:
            self.slots.set_items([])
            self.ui.laterButton.setEnabled(False)
            self.ui.slotsHint.setText("Tick a service to see the next free times.")
            return
        minutes = self.ui.minutesSpin.value() or None
        try:
            found = self.book.free_slots(
                ids, self.staff_id(), start_from or self._day_start(), SLOT_COUNT, minutes
            )
        except ShopfrontError as exc:
            found, hint = [], str(exc)
        else:
            hint = (
                f"{minutes} min with {who}. Click one to use it."
                if found
                else f"No free {minutes} min with {who} in the next 60 days. "
                "Are working hours set? (Settings › Staff › Working hours…)"
            )
        self.slots.set_items(found)
        fit_columns(self.ui.slotList)
        self.ui.laterButton.setEnabled(bool(found))
        self.ui.slotsHint.setText(hint)

    def later_slots(self) -> None:
        last = self.slots.item(self.slots.rowCount() - 1)
        self.refresh_slots(last.start + timedelta(minutes=1) if last else None)

    def use_slot(self, row: int) -> None:
        slot = self.slots.item(row)
        if slot is None:
            return
        self._filling = True
        try:
            self.ui.staffCombo.setCurrentIndex(max(0, self.ui.staffCombo.findData(slot.staff_id)))
            local = slot.start.astimezone(self.book.zone())
            self._set_start(local.replace(tzinfo=None), local.fold)
        finally:
            self._filling = False
        self._start_changed()

    # repeating ----------------------------------------------------------------------------

    def _show_plan(self, shown: bool) -> None:
        self.ui.planList.setVisible(shown)
        self.ui.planLabel.setVisible(shown)

    def series_rule(self) -> dict[str, Any]:
        ui = self.ui
        if ui.countRadio.isChecked():
            return {"every_weeks": ui.everySpin.value(), "count": ui.countSpin.value()}
        return {"every_weeks": ui.everySpin.value(), "until": ui.untilEdit.date().toPython()}

    def refresh_plan(self) -> list[tuple[datetime, str]]:
        self._plan_timer.stop()
        self.plan.set_items([])
        if not self.ui.repeatBox.isChecked():
            self.ui.planLabel.setText("")
            return []
        request = self.request({})
        if request is None:
            self.ui.planLabel.setText("Pick the customer, services, who and when to see the dates.")
            return []
        try:
            planned = self.book.plan_series(request, **self.series_rule())
        except ShopfrontError as exc:
            self.ui.planLabel.setText(str(exc))
            return []
        self.plan.set_items(planned)
        problems = sum(1 for _start, why in planned if why)
        if problems == len(planned):
            text = "None of these dates can be booked as they are: change the day or the time."
        elif problems:
            text = (
                f"{len(planned)} dates; {problems} can't be booked as they are (red): "
                "they are skipped if you confirm."
            )
        else:
            text = f"All {len(planned)} dates are free."
        self.ui.planLabel.setText(text)
        return planned

    # saving -------------------------------------------------------------------------------

    def request(self, errors: dict[str, str]) -> BookingRequest | None:
        """The booking as typed; field problems go into ``errors`` (and give None)."""
        ui = self.ui
        if self.customer_id is None:
            errors["customer"] = "Find the customer (type and pick), or use New customer…"
        if not self.services.checked_ids():
            errors["services"] = "Tick at least one service."
        if self.staff_id() is None:
            errors["staff"] = "Pick who does it, or click one of the free slots."
        try:
            start = self.start_utc()
        except LocalTimeError as exc:
            errors["start"] = str(exc)
        try:
            price = parse_minor(ui.priceEdit.text())
        except ValidationError as exc:
            errors["price"] = str(exc)
        if errors:
            return None
        return BookingRequest(
            self.customer_id,  # type: ignore[arg-type]
            self.staff_id(),  # type: ignore[arg-type]
            self.services.checked_ids(),
            start,
            price_minor=price,
            minutes=ui.minutesSpin.value(),
            notes=ui.notesEdit.toPlainText().strip(),
            source=ui.sourceCombo.currentText(),
        )

    def show_errors(self, errors: dict[str, str], summary: str = "") -> None:
        for name in FIELDS:
            set_field_error(self._error_label(name), errors.get(name, ""))
        other = [text for key, text in errors.items() if key not in FIELDS]
        summary = " ".join(other) or summary or "Fix the marked fields."
        set_field_error(self.ui.formError, f"Nothing was booked. {summary}" if errors else "")

    def save(self) -> None:
        errors: dict[str, str] = {}
        request = self.request(errors)
        self.show_errors(errors)
        if request is None:
            return
        if self.ui.repeatBox.isChecked():
            self._save_series(request)
        else:
            self._save_one(request, override=False)

    def _save_one(self, request: BookingRequest, override: bool) -> None:
        try:
            self.saved = self.book.book(request, override=override)
        except NeedsOverride as exc:
            if confirm_override(self, exc):
                self._save_one(request, override=True)
            return
        except Exception as exc:
            self._refused(exc)
            return
        self.booked = [self.saved]
        self.accept()

    def _refused(self, exc: Exception) -> None:
        if isinstance(exc, ConflictError):
            self.show_errors(
                {"start": str(exc)}, "That time is taken: pick another, or a free slot."
            )
        elif isinstance(exc, ValidationError):
            self.show_errors(exc.errors or {exc.field or "form": str(exc)})
        elif isinstance(exc, ShopfrontError):
            self.show_errors({"form": str(exc)})
        else:
            show_error(self, exc)

    def _save_series(self, request: BookingRequest) -> None:
        planned = self.refresh_plan()
        problems = [(start, why) for start, why in planned if why]
        if not planned or len(problems) == len(planned):
            self.show_errors({"form": "None of the repeat dates can be booked; see the list."})
            return
        if problems and not confirm_skipping(self, problems, len(planned), self.book):
            return
        self._book_series(request, bool(problems), override=False)

    def _book_series(self, request: BookingRequest, skip: bool, override: bool) -> None:
        try:
            self.booked = self.book.book_series(
                request, **self.series_rule(), skip_problems=skip, override=override
            )
        except NeedsOverride as exc:  # the customer's flag: asked once for the whole series
            if confirm_override(self, exc):
                self._book_series(request, skip, override=True)
            return
        except Exception as exc:
            self._refused(exc)
            return
        self.saved = self.booked[0] if self.booked else None
        self.accept()
