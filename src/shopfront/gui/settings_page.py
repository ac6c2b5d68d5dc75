"""Settings: the shop (name, time zone, phone region, currency, policies), staff, services."""

from __future__ import annotations

import dataclasses
from zoneinfo import available_timezones

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QWidget,
)

from shopfront.book import Book
from shopfront.errors import ValidationError
from shopfront.gui.catalog_dialogs import ServiceDialog, StaffDialog
from shopfront.gui.errors import set_field_error, show_error
from shopfront.gui.forms.ui_settings_page import Ui_SettingsPage
from shopfront.gui.models import ENTITY_ROLE, ServiceTableModel, StaffTableModel
from shopfront.phones import supported_regions

SLOT_CHOICES = (5, 10, 15, 20, 30, 60)


def _prepare_table(table: QTableView) -> None:
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)


class SettingsPage(QWidget):
    status = Signal(str)
    changed = Signal()

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.ui = Ui_SettingsPage()
        self.ui.setupUi(self)
        self.staff_model = StaffTableModel(self)
        self.service_model = ServiceTableModel(book.settings.currency, self)
        self.ui.staffTable.setModel(self.staff_model)
        self.ui.servicesTable.setModel(self.service_model)
        for table in (self.ui.staffTable, self.ui.servicesTable):
            _prepare_table(table)
        zones = sorted(available_timezones())
        self.ui.timezoneCombo.addItems(zones)
        self.ui.timezoneCombo.setCompleter(QCompleter(zones, self))
        self.ui.regionCombo.addItems(supported_regions())
        for minutes in SLOT_CHOICES:
            self.ui.slotCombo.addItem(f"{minutes} minutes", minutes)
        self._connect_signals()
        self._add_care()
        self.load()

    def _connect_signals(self) -> None:
        self.ui.saveShopButton.clicked.connect(self.save_shop)
        self.ui.revertShopButton.clicked.connect(self.load)
        self.ui.addStaffButton.clicked.connect(lambda: self.edit_staff(new=True))
        self.ui.editStaffButton.clicked.connect(lambda: self.edit_staff(new=False))
        self.ui.staffTable.doubleClicked.connect(lambda _i: self.edit_staff(new=False))
        self.ui.hoursButton.clicked.connect(self.edit_hours)
        self.ui.absencesButton.clicked.connect(self.edit_absences)
        self.ui.addServiceButton.clicked.connect(lambda: self.edit_service(new=True))
        self.ui.editServiceButton.clicked.connect(lambda: self.edit_service(new=False))
        self.ui.servicesTable.doubleClicked.connect(lambda _i: self.edit_service(new=False))

    def _add_care(self) -> None:
        """Staff buttons for absences today and ownership; tabs for messages and policies."""
        from shopfront.gui.care_settings import PoliciesTab, TemplatesTab

        self.not_in_button = QPushButton("&Not in today…")
        self.my_customers_button = QPushButton("&My customers…")
        self.handover_button = QPushButton("Hand &over…")
        care_row = QHBoxLayout()  # a second row keeps the page's minimum width small
        for button, slot in (
            (self.not_in_button, self.not_in_today),
            (self.my_customers_button, self.my_customers),
            (self.handover_button, self.hand_over),
        ):
            care_row.addWidget(button)
            button.clicked.connect(slot)
        care_row.addStretch()
        self.ui.staffLayout.addLayout(care_row)
        self._add_sharing()
        self.templates_tab = TemplatesTab(self.book, self)
        self.policies_tab = PoliciesTab(self.book, self)
        self.ui.tabs.addTab(self.templates_tab, "&Messages")
        self.ui.tabs.addTab(self.policies_tab, "Care &policies")
        for tab in (self.templates_tab, self.policies_tab):
            tab.status.connect(self.status)

    def _add_sharing(self) -> None:
        """Shop tab: "Share this book between desks…" (SQLite books; a server book says so)."""
        self.share_button = QPushButton("S&hare this book between desks…")
        self.share_button.clicked.connect(self.share_book)
        if not self.book.on_sqlite:
            self.share_button.setEnabled(False)
            self.share_button.setToolTip(f"Already shared: {self.book.location}")
        row = QHBoxLayout()
        row.addWidget(self.share_button)
        row.addStretch()
        self.ui.shopLayout.addLayout(row)

    def share_book(self) -> None:
        from shopfront.gui.share_dialog import ShareDialog

        done = ShareDialog.ask(self, self.book)
        if done is not None:
            self.status.emit(f"Book copied to {done['to']}; open it there on every desk.")

    def _selected_staff_id(self) -> int | None:
        staff = self._selected(self.ui.staffTable)
        return staff.id if staff is not None else None  # type: ignore[attr-defined]

    def not_in_today(self) -> None:
        from shopfront.gui.call_list_dialog import not_in_today

        if not_in_today(self, self.book, self._selected_staff_id()):
            self.status.emit("Absence recorded; the call list was shown.")
            self.changed.emit()

    def my_customers(self) -> None:
        from shopfront.gui.ownership_dialogs import MyCustomersDialog

        MyCustomersDialog(self.book, self._selected_staff_id(), self).exec()

    def hand_over(self) -> None:
        from shopfront.gui.ownership_dialogs import HandoverDialog

        counts = HandoverDialog.ask(self, self.book, self._selected_staff_id())
        if counts is not None:
            self.status.emit(f"{counts['customers']} customers handed over.")

    def load(self) -> None:
        s = self.book.settings
        self.ui.shopNameEdit.setText(s.shop_name)
        self.ui.timezoneCombo.setCurrentText(s.timezone)
        self.ui.regionCombo.setCurrentText(s.phone_region)
        self.ui.currencyEdit.setText(s.currency)
        self.ui.slotCombo.setCurrentIndex(max(0, self.ui.slotCombo.findData(s.slot_minutes)))
        self.ui.lateCancelSpin.setValue(s.late_cancel_hours)
        self.ui.lapsedSpin.setValue(s.lapsed_default_days)
        set_field_error(self.ui.shopError, "")
        self.staff_model.set_items(self.book.staff())
        self.service_model.currency = s.currency
        self.service_model.set_items(self.book.services())

    def save_shop(self) -> None:
        new = dataclasses.replace(
            self.book.settings,
            shop_name=self.ui.shopNameEdit.text(),
            timezone=self.ui.timezoneCombo.currentText().strip(),
            phone_region=self.ui.regionCombo.currentText(),
            currency=self.ui.currencyEdit.text(),
            slot_minutes=int(self.ui.slotCombo.currentData()),
            late_cancel_hours=self.ui.lateCancelSpin.value(),
            lapsed_default_days=self.ui.lapsedSpin.value(),
        )
        try:
            self.book.save_settings(new)
        except ValidationError as exc:
            set_field_error(self.ui.shopError, "Not saved: " + " ".join(exc.errors.values()))
            return
        except Exception as exc:
            show_error(self, exc)
            return
        self.load()
        self.status.emit("Settings saved.")
        self.changed.emit()

    def _selected(self, table: QTableView) -> object | None:
        index = table.currentIndex()
        return table.model().data(index, ENTITY_ROLE) if index.isValid() else None

    def edit_staff(self, new: bool) -> None:
        current = None if new else self._selected(self.ui.staffTable)
        if not new and current is None:
            return
        if StaffDialog.ask(self, self.book, current) is not None:  # type: ignore[arg-type]
            self.load()
            self.status.emit("Staff saved.")
            self.changed.emit()

    def edit_hours(self) -> None:
        from shopfront.gui.hours_dialog import HoursDialog  # dialogs load on first use

        staff = self._selected(self.ui.staffTable)
        if staff is None:
            self.status.emit("Select a staff member first.")
            return
        if HoursDialog.ask(self, self.book, staff.id):  # type: ignore[attr-defined]
            self.status.emit(f"Working hours saved for {staff.name}.")  # type: ignore[attr-defined]
            self.changed.emit()

    def edit_absences(self) -> None:
        from shopfront.gui.absence_dialog import AbsencesDialog

        staff = self._selected(self.ui.staffTable)
        staff_id = staff.id if staff is not None else None  # type: ignore[attr-defined]
        if AbsencesDialog.ask(self, self.book, staff_id):
            self.status.emit("Absences changed.")
            self.changed.emit()

    def edit_service(self, new: bool) -> None:
        current = None if new else self._selected(self.ui.servicesTable)
        if not new and current is None:
            return
        if ServiceDialog.ask(self, self.book, current) is not None:  # type: ignore[arg-type]
            self.load()
            self.status.emit("Service saved.")
