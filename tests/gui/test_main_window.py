"""Main window: navigation, keyboard, remembered state, settings page, error dialogs."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from shopfront.book import Book
from shopfront.gui.main_window import AREAS, MainWindow
from shopfront.gui.settings_store import WindowState


def test_every_area_is_reachable_with_ctrl_number(qtbot, window) -> None:
    for number, area in enumerate(AREAS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.current_area() == area.key


def test_window_state_is_remembered(qtbot, shop: Book, tmp_path, answers) -> None:
    path = str(tmp_path / "state.ini")
    first = MainWindow(shop, WindowState(QSettings(path, QSettings.Format.IniFormat)))
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 520)
    first.show_area("settings")
    first.close()
    second = MainWindow(shop, WindowState(QSettings(path, QSettings.Format.IniFormat)))
    qtbot.addWidget(second)
    second.show()
    assert second.current_area() == "settings"
    assert (second.width(), second.height()) == (700, 520)


def test_settings_page_refuses_bad_values_next_to_the_form(qtbot, window, shop: Book) -> None:
    page = window.settings
    page.ui.timezoneCombo.setCurrentText("Mars/Base")
    page.ui.saveShopButton.click()
    assert "not a time zone" in page.ui.shopError.text()
    assert shop.settings.timezone == "Europe/London"
    page.ui.timezoneCombo.setCurrentText("Europe/Paris")
    page.ui.shopNameEdit.setText("Salon Zoë")
    page.ui.saveShopButton.click()
    assert shop.settings.timezone == "Europe/Paris" and shop.settings.shop_name == "Salon Zoë"
    assert window.windowTitle().startswith("Salon Zoë")


def test_staff_and_service_dialogs_save(qtbot, shop: Book) -> None:
    from shopfront.gui.catalog_dialogs import ServiceDialog, StaffDialog

    staff = StaffDialog(shop, None)
    qtbot.addWidget(staff)
    staff.name.setText("Priya Raman")
    staff.save()
    assert "Priya Raman" in [s.name for s in shop.staff()]
    service = ServiceDialog(shop, None)
    qtbot.addWidget(service)
    service.name.setText("Beard trim")
    service.price.setText("abc")
    service.save()
    assert "not an amount" in service.error.text()
    service.price.setText("15.50")
    service.save()
    assert [s.price_minor for s in shop.services() if s.name == "Beard trim"] == [1550]


def test_unexpected_error_shows_an_apology_with_the_log_path(qtbot, answers, private_home) -> None:
    from shopfront import logs
    from shopfront.gui.errors import show_error

    logs.setup()
    try:
        raise KeyError("Ann Lee")
    except KeyError as exc:
        show_error(None, exc)
    assert "Sorry" in answers[-1] and "shopfront.log" in answers[-1]
    assert "Traceback" in (private_home / "logs" / "shopfront.log").read_text()
