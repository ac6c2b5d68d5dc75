"""What changing an appointment from the book asks: overrides, refusals, the right-click menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox, QWidget

from shopfront.core.appointments import AppointmentStatus, allowed_transitions, undo_allowed
from shopfront.core.booking import Appointment, NeedsOverride, Visit
from shopfront.errors import ShopfrontError
from shopfront.gui.errors import show_error

if TYPE_CHECKING:
    from shopfront.gui.day_view import ScheduleView

T = TypeVar("T")
S = AppointmentStatus
TITLE = "Appointment book"

# (next status, menu label, extra arguments to set_status); completed goes through checkout
STATUS_ACTIONS: list[tuple[AppointmentStatus, str, dict[str, str]]] = [
    (S.CONFIRMED, "Confirm", {}),
    (S.ARRIVED, "Check in", {}),
    (S.COMPLETED, "Check out…", {}),
    (S.CANCELLED, "Cancel (customer asked)", {"cancelled_by": "customer"}),
    (S.CANCELLED, "Cancel (shop)", {"cancelled_by": "shop"}),
    (S.NO_SHOW, "No-show", {}),
]
DONE = {
    S.CONFIRMED: "confirmed",
    S.ARRIVED: "checked in",
    S.CANCELLED: "cancelled",
    S.NO_SHOW: "marked as a no-show",
}


def apply_change(parent: QWidget, attempt: Callable[[bool], T]) -> T | None:
    """Run `attempt(override)`; soft problems are asked about, refusals shown. None: nothing
    changed."""
    try:
        try:
            return attempt(False)
        except NeedsOverride as exc:
            answer = QMessageBox.question(parent, TITLE, str(exc))
            if answer != QMessageBox.StandardButton.Yes:
                return None
            return attempt(True)
    except ShopfrontError as exc:  # ConflictError, ValidationError, TransitionError …
        QMessageBox.warning(parent, TITLE, str(exc))
    except Exception as exc:
        show_error(parent, exc)
    return None


def _after(view: ScheduleView, changed: Appointment | None, message: str) -> None:
    view.reload()
    if changed is not None:
        view.changed.emit()
        view.status.emit(message)


def log_call(view: QWidget, visit: Visit) -> bool:
    """Log a call (or message) with the appointment's customer; True when one was logged."""
    from shopfront.gui.contact_dialog import ContactDialog

    book = view.book  # type: ignore[attr-defined]
    a = visit.appointment
    logged = ContactDialog.ask(view, book, a.customer_id, appointment_id=a.id)
    if logged is not None and hasattr(view, "status"):
        view.status.emit("Call logged.")
    return logged is not None


def set_status(view: ScheduleView, visit: Visit, status: AppointmentStatus, **extra: str) -> None:
    a = visit.appointment
    changed = apply_change(
        view, lambda override: view.book.set_status(a.id, status, override=override, **extra)
    )
    message = f"{visit.customer_name}: {DONE.get(status, status.label.lower())}."
    if changed is not None and changed.late_cancel:
        hours = view.book.settings.late_cancel_hours
        message += f" Late: less than {hours} hours' notice."
    _after(view, changed, message)


def undo_last(view: ScheduleView, visit: Visit) -> None:
    changed = apply_change(view, lambda _override: view.book.undo_status(visit.appointment.id))
    label = changed.status.label.lower() if changed else ""
    _after(view, changed, f"{visit.customer_name}: back to {label}.")


def excuse(view: ScheduleView, visit: Visit) -> None:
    reason, ok = QInputDialog.getText(
        view, "Excuse no-show", f"Why is {visit.customer_name}'s no-show excused?"
    )
    if not ok:
        return
    changed = apply_change(
        view, lambda _override: view.book.excuse_no_show(visit.appointment.id, reason)
    )
    _after(view, changed, f"{visit.customer_name}: no-show excused.")


def can_undo(view: ScheduleView, appointment_id: int) -> bool:
    try:
        history = view.book.appointment(appointment_id).history
    except ShopfrontError:
        return False
    book = view.book
    return bool(history) and undo_allowed(history[-1], book.clock(), book.zone())


def _action(menu: QMenu, label: str, slot: Callable[[], None], enabled: bool = True) -> QAction:
    action = QAction(label, menu)
    action.setEnabled(enabled)
    action.triggered.connect(lambda _checked=False: slot())
    menu.addAction(action)
    return action


def build_menu(view: ScheduleView, visit: Visit) -> QMenu:
    """Open, the status changes the lifecycle allows next, excuse and undo."""
    a = visit.appointment
    menu = QMenu(view)
    _action(menu, "Open…", lambda: view.open_requested.emit(a.id))
    _action(menu, "Log a call…\tCtrl+L", lambda: log_call(view, visit))
    menu.addSeparator()
    allowed = allowed_transitions(a.status)
    for status, label, extra in STATUS_ACTIONS:
        if status not in allowed:
            continue
        if status is S.COMPLETED:
            _action(menu, label, lambda: view.checkout_requested.emit(a.id))
        else:
            _action(menu, label, lambda s=status, x=extra: set_status(view, visit, s, **x))
    if a.status is S.NO_SHOW:
        _action(menu, "Excuse no-show…", lambda: excuse(view, visit), enabled=not a.excused)
    menu.addSeparator()
    _action(menu, "Undo last change", lambda: undo_last(view, visit), can_undo(view, a.id))
    return menu
