"""No-show risk on screen: appointment dialog, booking dialog's flag, My day, day view marker."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QMessageBox

from shopfront.book import Book
from shopfront.core.booking import BookingRequest
from shopfront.core.risk_policies import RiskPolicies
from shopfront.gui.appointment_dialog import AppointmentDialog
from shopfront.gui.my_day import MyDayModel
from shopfront.gui.schedule_geometry import tooltip_html
from tests.conftest import add
from tests.gui.test_booking_dialog import CUT, MAYA, dialog_for, fill
from tests.usecases.test_risk import TOMORROW, at, visit


def flaky(shop: Book) -> int:
    """A customer who missed three of their last five visits (unexcused)."""
    fran = add(shop, "Fran Flake", "07400 123452").id
    for k in range(5):
        visit(shop, fran, at(-80 + 14 * k, 12), "no_show" if k in (1, 3, 4) else "completed")
    return fran


def test_appointment_dialog_shows_the_risk_and_the_flag(qtbot, shop: Book) -> None:
    shop.save_risk_policies(RiskPolicies(medium_from=0.05, high_from=0.15))
    aid = visit(shop, flaky(shop), at(1, 10))
    dialog = AppointmentDialog(shop, aid)
    qtbot.addWidget(dialog)
    dialog.show()
    text = dialog.ui.flagLabel.text()
    assert dialog.ui.flagLabel.isVisible()
    assert text.splitlines()[0] == "Deposit required."
    assert "No-show risk: high (" in text and "missed 3 of last 5" in text


def test_a_finished_appointment_shows_no_risk(qtbot, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 123456").id
    aid = visit(shop, ann, at(-3, 10), "completed")
    dialog = AppointmentDialog(shop, aid)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.ui.flagLabel.isVisible()


def test_booking_dialog_shows_the_flag_and_asks_for_the_override(
    qtbot, shop: Book, monkeypatch
) -> None:
    fran = flaky(shop)
    asked: list[str] = []
    reply = [QMessageBox.StandardButton.No]

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return reply[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = dialog_for(qtbot, shop)
    day = date(2026, 11, 26)
    fill(dialog, fran, MAYA, day, 10)
    assert dialog.ui.flagLabel.isVisible()
    assert dialog.ui.flagLabel.text().startswith("⚠ Deposit required")
    dialog.save()
    assert "deposit required" in asked[0] and dialog.saved is None
    assert shop.day(day).visits == []
    reply[0] = QMessageBox.StandardButton.Yes
    dialog.save()
    assert dialog.saved is not None and len(shop.day(day).visits) == 1


def test_booking_dialog_shows_no_flag_for_a_steady_customer(qtbot, shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 123456").id
    dialog = dialog_for(qtbot, shop)
    fill(dialog, ann, MAYA, date(2026, 11, 26), 10)
    assert not dialog.ui.flagLabel.isVisible()


def test_my_day_lists_level_and_reason_with_all_reasons_in_the_tip(shop: Book) -> None:
    shop.save_risk_policies(RiskPolicies(medium_from=0.05, high_from=0.15))
    aid = visit(shop, flaky(shop), at(1, 10))
    visits = shop.day(TOMORROW, 1).visits
    model = MyDayModel()
    model.set_visits(visits, shop.zone())
    row = next(i for i, v in enumerate(model.items) if v.appointment.id == aid)
    index = model.index(row, MyDayModel.RISK)
    assert model.data(index) == "high · missed 3 of last 5"
    from PySide6.QtCore import Qt

    tip = model.data(index, Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("No-show risk ") and "missed 3 of last 5" in tip


def test_day_view_tooltip_carries_the_reasons(shop: Book) -> None:
    shop.save_risk_policies(RiskPolicies(medium_from=0.05, high_from=0.15))
    aid = visit(shop, flaky(shop), at(1, 10))
    block = next(v for v in shop.day(TOMORROW).visits if v.appointment.id == aid)
    assert "No-show risk: high. missed 3 of last 5" in tooltip_html(block, shop.zone())


def test_high_risk_blocks_get_a_marker_low_ones_none(qtbot, shop: Book) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QImage, QPainter

    from shopfront.gui.schedule_paint import _risk_marker

    shop.save_risk_policies(RiskPolicies(medium_from=0.10, high_from=0.15))
    aid = visit(shop, flaky(shop), at(1, 10))
    ann = add(shop, "Ann Lee", "07400 123456").id
    calm = shop.book(BookingRequest(ann, MAYA, (CUT,), at(1, 14))).id
    visits = {v.appointment.id: v for v in shop.day(TOMORROW).visits}
    assert visits[aid].risk_level == "high" and visits[calm].risk_level == "low"
    image = QImage(40, 20, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    widths = [_risk_marker(painter, visits[i], QPointF(40, 2)) for i in (calm, aid)]
    painter.end()
    assert widths[0] == 0.0 and widths[1] > 0
    assert image.pixelColor(35, 8).red() > 150  # the red dot
