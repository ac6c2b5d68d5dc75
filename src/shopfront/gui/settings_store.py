"""Window state (not business settings): one typed wrapper over QSettings, one file."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings

from shopfront import paths


class WindowState:
    """Every key is declared here once, with its type and default."""

    def __init__(self, settings: QSettings | None = None):
        if settings is None:
            target = paths.config_dir() / "window.ini"
            target.parent.mkdir(parents=True, exist_ok=True)
            settings = QSettings(str(target), QSettings.Format.IniFormat)
        self._s = settings

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._s.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    @property
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self._s.setValue("window/state", value)

    @property
    def customers_splitter(self) -> QByteArray | None:
        return self._bytes("customers/splitter")

    @customers_splitter.setter
    def customers_splitter(self, value: QByteArray) -> None:
        self._s.setValue("customers/splitter", value)

    @property
    def last_page(self) -> str:
        return str(self._s.value("window/last_page", "today"))

    @last_page.setter
    def last_page(self, value: str) -> None:
        self._s.setValue("window/last_page", value)

    @property
    def show_archived(self) -> bool:
        return str(self._s.value("customers/show_archived", "false")).lower() == "true"

    @show_archived.setter
    def show_archived(self, value: bool) -> None:
        self._s.setValue("customers/show_archived", "true" if value else "false")

    @property
    def appointments_view(self) -> str:
        """'day', 'week' or 'myday': the appointment book's last view."""
        value = str(self._s.value("appointments/view", "day"))
        return value if value in ("day", "week", "myday") else "day"

    @appointments_view.setter
    def appointments_view(self, value: str) -> None:
        self._s.setValue("appointments/view", value)

    @property
    def appointments_staff(self) -> int:
        """The staff member last shown in the week and my-day views (0: none yet)."""
        try:
            return int(self._s.value("appointments/staff", 0))
        except (TypeError, ValueError):
            return 0

    @appointments_staff.setter
    def appointments_staff(self, value: int) -> None:
        self._s.setValue("appointments/staff", int(value))

    @property
    def followups_staff(self) -> int:
        """Follow-ups page: whose list ("mine"); 0 is everyone's."""
        try:
            return int(self._s.value("followups/staff", 0))
        except (TypeError, ValueError):
            return 0

    @followups_staff.setter
    def followups_staff(self, value: int) -> None:
        self._s.setValue("followups/staff", int(value))

    def sync(self) -> None:
        self._s.sync()
