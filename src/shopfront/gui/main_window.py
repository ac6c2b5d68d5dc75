"""The main window: navigation on the left, one page per area, menus and status bar."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence
from PySide6.QtWidgets import QListWidgetItem, QMainWindow, QMessageBox, QWidget

from shopfront import __version__
from shopfront.book import Book
from shopfront.gui.customers_page import CustomersPage
from shopfront.gui.forms.ui_main_window import Ui_MainWindow
from shopfront.gui.placeholder_page import PlaceholderPage
from shopfront.gui.settings_page import SettingsPage
from shopfront.gui.settings_store import WindowState


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
    "today": "The start screen: today's appointments, follow-ups due, overdue promises and "
    "absences. It arrives with the care workflows.",
    "appointments": "The appointment book (day and week views) arrives with the next release.",
    "followups": "Follow-ups: every promise with a due date and an owner. Coming with the care "
    "workflows.",
    "cases": "Complaint and promise cases. Coming with the care workflows.",
    "reports": "The monthly service report, daily sheet and customer history printouts.",
}


class MainWindow(QMainWindow):
    def __init__(self, book: Book, state: WindowState | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.state = state or WindowState()
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowIcon(QIcon(":/icons/shopfront.svg"))
        self.customers = CustomersPage(book, self.state, self)
        self.settings = SettingsPage(book, self)
        self.pages: dict[str, QWidget] = {}
        self._build_areas()
        self._connect_signals()
        self._restore_state()
        self._update_title()

    def _build_areas(self) -> None:
        built = {"customers": self.customers, "settings": self.settings}
        for number, area in enumerate(AREAS, start=1):
            page = built.get(area.key) or PlaceholderPage(area.title, COMING.get(area.key, ""))
            self.pages[area.key] = page
            self.ui.pages.addWidget(page)
            item = QListWidgetItem(QIcon(f":/icons/{area.icon}.svg"), area.title)
            item.setSizeHint(QSize(160, 38))
            item.setToolTip(f"{area.title} (Ctrl+{number})")
            self.ui.navList.addItem(item)
            action = self.ui.menuGo.addAction(area.title)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, key=area.key: self.show_area(key))

    def _connect_signals(self) -> None:
        self.ui.navList.currentRowChanged.connect(self._area_selected)
        self.ui.actionQuit.triggered.connect(self.close)
        self.ui.actionNewCustomer.triggered.connect(self._new_customer)
        self.ui.actionAbout.triggered.connect(self._about)
        for page in (self.customers, self.settings):
            page.status.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.settings.changed.connect(self._update_title)

    def _restore_state(self) -> None:
        if self.state.geometry:
            self.restoreGeometry(self.state.geometry)
        if self.state.window_state:
            self.restoreState(self.state.window_state)
        self.show_area(self.state.last_page if self.state.last_page in self.pages else "customers")

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.book.settings.shop_name} — shopfront")
        self.statusBar().showMessage(f"Book: {self.book.location}", 8000)

    def show_area(self, key: str) -> None:
        row = next(i for i, area in enumerate(AREAS) if area.key == key)
        self.ui.navList.setCurrentRow(row)

    def current_area(self) -> str:
        return AREAS[self.ui.navList.currentRow()].key

    def _area_selected(self, row: int) -> None:
        if row < 0:
            return
        area = AREAS[row]
        self.ui.pages.setCurrentWidget(self.pages[area.key])
        self.state.last_page = area.key
        if area.key == "customers":
            self.customers.focus_search()

    def _new_customer(self) -> None:
        self.show_area("customers")
        self.customers.quick_add()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About shopfront",
            f"shopfront {__version__}\n\nA customer book for shops that live on repeat "
            f"customers.\n\nBook: {self.book.location}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.geometry = self.saveGeometry()
        self.state.window_state = self.saveState()
        self.state.sync()
        super().closeEvent(event)
