"""The main window: navigation on the left, one page per area, menus and status bar.

The window paints before the book is open: ``MainWindow(None)`` shows the navigation and
an "Opening the book…" page, and ``attach(book)`` fills it in. Pages are built the first
time they are shown, so start-up pays only for the page the user lands on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QPaintEvent
from PySide6.QtWidgets import QListWidgetItem, QMainWindow, QMessageBox, QWidget

from shopfront import __version__
from shopfront.gui import safety_dialogs
from shopfront.gui.forms.ui_main_window import Ui_MainWindow
from shopfront.gui.placeholder_page import PlaceholderPage
from shopfront.gui.settings_store import WindowState

if TYPE_CHECKING:
    from shopfront.book import Book
    from shopfront.gui.appointments_page import AppointmentsPage
    from shopfront.gui.customers_page import CustomersPage
    from shopfront.gui.settings_page import SettingsPage


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    icon: str


AREAS = [
    Area("today", "Today", "today"),
    Area("appointments", "Appointments", "appointments"),
    Area("customers", "Customers", "customers"),
    Area("followups", "Follow-ups", "followups"),
    Area("cases", "Cases", "cases"),
    Area("reports", "Reports", "reports"),
    Area("settings", "Settings", "settings"),
]

COMING = {
    "cases": "Complaint and promise cases. Coming with the care workflows.",
    "reports": "The monthly service report, daily sheet and customer history printouts.",
}


class MainWindow(QMainWindow):
    first_painted = Signal()  # once, after the window first reached the screen

    def __init__(
        self,
        book: Book | None = None,
        state: WindowState | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.book: Book | None = None
        self.state = state or WindowState()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowIcon(QIcon(":/icons/shopfront.svg"))
        self.pages: dict[str, QWidget] = {}
        self._painted = False
        self._opening = PlaceholderPage("Opening the book…", "")
        self.ui.pages.addWidget(self._opening)
        self._build_navigation()
        self._connect_signals()
        if self.state.geometry:
            self.restoreGeometry(self.state.geometry)
        if self.state.window_state:
            self.restoreState(self.state.window_state)
        if book is not None:
            self.attach(book)

    def _build_navigation(self) -> None:
        for number, area in enumerate(AREAS, start=1):
            item = QListWidgetItem(QIcon(f":/icons/{area.icon}.svg"), area.title)
            item.setSizeHint(QSize(160, 38))
            item.setToolTip(f"{area.title} (Ctrl+{number})")
            self.ui.navList.addItem(item)
            action = self.ui.menuGo.addAction(area.title)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=area.key: self.show_area(key))
        self.ui.menuGo.addSeparator()
        mine = self.ui.menuGo.addAction("&My customers…")
        mine.setShortcut(QKeySequence("Ctrl+Shift+M"))
        mine.triggered.connect(self.my_customers)
        absent = self.ui.menuGo.addAction("&Not in today…")
        absent.triggered.connect(self._not_in_today)

    def _connect_signals(self) -> None:
        self.ui.navList.currentRowChanged.connect(self._area_selected)
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionNewCustomer.triggered.connect(self._new_customer)
        self.ui.actionAbout.triggered.connect(self._about)
        from shopfront.gui.export_dialog import add_transfer_actions

        add_transfer_actions(self, self.ui.menuFile, self.ui.actionQuit)
        safety_dialogs.install(self)  # File → Backup now, Restore…

    def attach(self, book: Book) -> None:
        """Show an opened book: build the page the user was on last, and the title."""
        self.book = book
        from shopfront.gui import server_banner

        server_banner.install(self, book)  # PostgreSQL books: a banner while it's unreachable
        self.backups = safety_dialogs.BackupScheduler(book, self)
        self.backups.status.connect(self._show_status)
        self._update_title()
        last = self.state.last_page
        self.show_area(last if any(a.key == last for a in AREAS) else "today")
        self._start_notifier(book)

    # pages -------------------------------------------------------------------------------

    def _factories(self) -> dict[str, Callable[[], QWidget]]:
        return {
            "appointments": self._make_appointments,
            "customers": self._make_customers,
            "settings": self._make_settings,
            "reports": self._make_reports,
            "cases": self._make_cases,
            "today": self._make_today,
            "followups": self._make_followups,
        }

    def page(self, key: str) -> QWidget:
        if key not in self.pages:
            make = self._factories().get(key)
            area = next(a for a in AREAS if a.key == key)
            widget = make() if make else PlaceholderPage(area.title, COMING.get(key, ""))
            self.pages[key] = widget
            self.ui.pages.addWidget(widget)
        return self.pages[key]

    def _make_customers(self) -> QWidget:
        from shopfront.gui.customers_page import CustomersPage  # built on first use

        assert self.book is not None
        page = CustomersPage(self.book, self.state, self)
        page.status.connect(self._show_status)
        return page

    def _make_appointments(self) -> QWidget:
        from shopfront.gui.appointments_page import AppointmentsPage

        assert self.book is not None
        page = AppointmentsPage(self.book, self.state, self)
        page.status.connect(self._show_status)
        page.find_customer.connect(self._find_customer)
        return page

    def _make_cases(self) -> QWidget:
        from shopfront.gui.cases_page import CasesPage

        assert self.book is not None
        page = CasesPage(self.book, self)
        page.status.connect(self._show_status)
        page.open_customer.connect(self._open_customer)
        return page

    def _make_today(self) -> QWidget:
        from shopfront.gui.today_page import TodayPage

        assert self.book is not None
        page = TodayPage(self.book, self)
        page.status.connect(self._show_status)
        page.open_customer.connect(self._open_customer)
        return page

    def _make_followups(self) -> QWidget:
        from shopfront.gui.followups_page import FollowupsPage

        assert self.book is not None
        page = FollowupsPage(self.book, self.state, self)
        page.status.connect(self._show_status)
        page.open_customer.connect(self._open_customer)
        return page

    def _start_notifier(self, book: Book) -> None:
        """Tray message when a follow-up falls due while the app is open (if a tray exists)."""
        from shopfront.gui.followup_notifier import FollowupNotifier

        self.notifier = FollowupNotifier(
            book, self, staff_id=lambda: self.state.followups_staff or None
        )
        self.notifier.clicked.connect(lambda: self.show_area("followups"))
        self.notifier.start()

    def my_customers(self) -> None:
        """One staff member's customers; Open card shows the card on the Customers page."""
        from shopfront.gui.ownership_dialogs import MyCustomersDialog

        if self.book is not None:
            MyCustomersDialog(self.book, None, self, open_card=self._open_customer).exec()

    def _not_in_today(self) -> None:
        from shopfront.gui.call_list_dialog import not_in_today

        if self.book is not None and not_in_today(self, self.book):
            self._show_status("Absence recorded; its call list was shown.")

    def _open_customer(self, customer_id: int) -> None:
        self.show_area("customers")
        self.customers.open_customer(customer_id)

    def _make_settings(self) -> QWidget:
        from shopfront.gui.settings_page import SettingsPage

        assert self.book is not None
        page = SettingsPage(self.book, self)
        page.status.connect(self._show_status)
        page.changed.connect(self._update_title)
        return page

    def _make_reports(self) -> QWidget:
        from shopfront.gui.reports_page import ReportsPage

        assert self.book is not None
        page = ReportsPage(self.book, self)
        page.status.connect(self._show_status)
        return page

    @property
    def appointments(self) -> AppointmentsPage:
        return self.page("appointments")  # type: ignore[return-value]

    @property
    def customers(self) -> CustomersPage:
        return self.page("customers")  # type: ignore[return-value]

    @property
    def settings(self) -> SettingsPage:
        return self.page("settings")  # type: ignore[return-value]

    # navigation --------------------------------------------------------------------------

    def show_area(self, key: str) -> None:
        row = next(i for i, area in enumerate(AREAS) if area.key == key)
        if self.ui.navList.currentRow() == row:
            self._area_selected(row)
        self.ui.navList.setCurrentRow(row)

    def current_area(self) -> str:
        return AREAS[self.ui.navList.currentRow()].key

    def _area_selected(self, row: int) -> None:
        if row < 0 or self.book is None:
            return
        area = AREAS[row]
        self.ui.pages.setCurrentWidget(self.page(area.key))
        self.state.last_page = area.key
        if area.key == "customers":
            self.customers.focus_search()
        elif area.key == "appointments":
            self.appointments.focus_view()  # its keys (arrows, T, Ctrl+N) work at once

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 6000)

    def _update_title(self) -> None:
        if self.book is None:
            return
        self.setWindowTitle(f"{self.book.settings.shop_name} — shopfront")
        self.statusBar().showMessage(f"Book: {self.book.location}", 8000)

    def _find_customer(self) -> None:
        self.show_area("customers")
        self.customers.focus_search()

    def _new_customer(self) -> None:
        if self.book is None:
            return
        self.show_area("customers")
        self.customers.quick_add()

    def _about(self) -> None:
        where = self.book.location if self.book else "not open"
        QMessageBox.about(
            self,
            "About shopfront",
            f"shopfront {__version__}\n\nA customer book for shops that live on repeat "
            f"customers.\n\nBook: {where}",
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self.first_painted.emit)

    def reload_pages(self) -> None:
        """Rebuild every page from the book (after a restore replaced its content)."""
        current = self.current_area() if self.ui.navList.currentRow() >= 0 else "customers"
        for widget in self.pages.values():
            self.ui.pages.removeWidget(widget)
            widget.deleteLater()
        self.pages.clear()
        self._update_title()
        self.show_area(current)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.book is not None:
            self.backups.at_close()
            self.notifier.stop()
        self.state.geometry = self.saveGeometry()
        self.state.window_state = self.saveState()
        self.state.sync()
        super().closeEvent(event)
