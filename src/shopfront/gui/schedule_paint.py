"""Drawing the appointment book: opening hours, breaks, absences, blocks, markers, now line.

Everything drawn comes from the view's precomputed columns and blocks; nothing here reads
the book, and only what lies in the visible rectangle is painted.
"""

from __future__ import annotations

import functools
import math
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPen,
    QPixmap,
    QStaticText,
)

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.booking import Visit
from shopfront.core.localtime import Interval, day_bounds_utc, format_time
from shopfront.core.workhours import Absence
from shopfront.gui.schedule_geometry import (
    GUTTER_PX,
    HEADER_PX,
    Block,
    ColumnSpec,
    TimeAxis,
    floor_to,
    in_repeated_hour,
)

if TYPE_CHECKING:
    from shopfront.gui.day_view import ScheduleView

S = AppointmentStatus
# status -> (fill, border, text): calm tints; cancelled and no-show pale, dashed, struck out
PALETTE: dict[AppointmentStatus, tuple[str, str, str]] = {
    S.BOOKED: ("#E4EDFA", "#8FB0DC", "#1B2A3A"),
    S.CONFIRMED: ("#DCF0E3", "#6FB189", "#153A24"),
    S.ARRIVED: ("#FFEFC2", "#D9A932", "#46360A"),
    S.COMPLETED: ("#ECEEF1", "#AEB6C0", "#46515D"),
    S.CANCELLED: ("#F7F7F8", "#C5CAD1", "#8A939E"),
    S.NO_SHOW: ("#FBEDED", "#D9A2A6", "#8E5A5F"),
}
RISK_COLOURS = {"low": "#7CB342", "medium": "#F0A202", "high": "#D64545"}
CLOSED, OPEN = QColor("#E9EDF2"), QColor("#FFFFFF")
BLOCKED, HATCH = QColor("#F1F2F4"), QColor("#C6CCD4")
HOUR_LINE, SLOT_LINE, COLUMN_LINE = QColor("#D3D9E0"), QColor("#EEF1F4"), QColor("#D3D9E0")
HEADER_BG, GUTTER_BG, MUTED = QColor("#F7F8FA"), QColor("#FAFBFC"), QColor("#6B7480")
NOW_LINE, TODAY_TINT, TODAY_TEXT = QColor("#E0443A"), QColor("#EEF4FD"), QColor("#2B6CB0")


def paint_schedule(view: ScheduleView, p: QPainter, exposed: QRectF) -> None:
    """Paint the `exposed` part of the viewport: body (scrolls both ways), header (x), time
    gutter (y). A drag exposes only the blocks it touches, so it repaints little."""
    w, h = view.viewport().width(), view.viewport().height()
    hs, vs = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    p.fillRect(exposed, GUTTER_BG)
    if not view.specs:
        _empty(view, p, QRectF(0, 0, w, h))
        return
    body = QRectF(hs, vs, w - GUTTER_PX, h - HEADER_PX)
    visible = body.intersected(exposed.translated(hs - GUTTER_PX, vs - HEADER_PX))
    first = max(0, math.floor(visible.left() / view.column_width))
    last = min(len(view.specs) - 1, math.floor(visible.right() / view.column_width))
    columns = range(first, last + 1)
    p.save()
    p.setClipRect(QRectF(GUTTER_PX, HEADER_PX, w - GUTTER_PX, h - HEADER_PX))
    p.translate(GUTTER_PX - hs, HEADER_PX - vs)
    _body(view, p, visible, columns)
    p.restore()
    p.save()
    p.setClipRect(QRectF(GUTTER_PX, 0, w - GUTTER_PX, HEADER_PX))
    p.translate(GUTTER_PX - hs, 0)
    for index in columns:
        _header(view, p, index)
    p.restore()
    p.save()
    p.setClipRect(QRectF(0, HEADER_PX, GUTTER_PX, h - HEADER_PX))
    p.translate(0, HEADER_PX - vs)
    _gutter(view, p, view.specs[0].axis, visible)
    p.restore()
    p.fillRect(QRectF(0, 0, GUTTER_PX, HEADER_PX), HEADER_BG)
    p.setPen(COLUMN_LINE)
    p.drawLine(QPointF(0, HEADER_PX - 0.5), QPointF(w, HEADER_PX - 0.5))
    p.drawLine(QPointF(GUTTER_PX - 0.5, 0), QPointF(GUTTER_PX - 0.5, h))


def _empty(view: ScheduleView, p: QPainter, rect: QRectF) -> None:
    p.setPen(MUTED)
    p.setFont(view.font())
    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, view.empty_text)


def _body(view: ScheduleView, p: QPainter, visible: QRectF, columns: range) -> None:
    for index in columns:
        _column_layer(view, p, index)
    dragged = view.drag.block if view.drag and view.drag.started else None
    for block in view.blocks:
        if block.column in columns and block.rect.intersects(visible):
            p.setOpacity(0.35 if block is dragged else 1.0)
            _draw_block(view, p, block)
    p.setOpacity(1.0)
    if dragged is not None and view.drag and view.drag.start and view.drag.end:
        spec = view.specs[view.drag.column]
        _block(view, p, view.drag.rect, dragged.visit, spec, view.drag.start, view.drag.end)
        outline = NOW_LINE if view.drag.clash else QColor("#33475B")
        p.setPen(QPen(outline, 2 if view.drag.clash else 1.5, Qt.PenStyle.DashLine))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRoundedRect(view.drag.rect, 4, 4)
    _now_line(view, p, columns)


SPRITE_BYTES = 32 * 1024 * 1024  # kept block images; past this they are drawn afresh
LAYER_BYTES = 32 * 1024 * 1024  # kept column backgrounds (a 120 px column is ~0.7 MB)


def _draw_block(view: ScheduleView, p: QPainter, block: Block) -> None:
    """Blit the block's kept image, or draw it in place.

    A block costs ~0.15 ms to draw (antialiased outline, markers, three texts) and a day
    shows ~60. Making an image costs more than drawing once, so a block gets one when it is
    painted a second time (a repaint, a reload, a day seen again) or when a day is painted
    off screen in advance (``view.warming``, DayView._warm). The image starts on a whole
    pixel, so the block looks the same either way."""
    a, rect = block.visit.appointment, block.rect
    spec = view.specs[block.column]
    left, top = math.floor(rect.left()), math.floor(rect.top())
    offset = (rect.left() - left, rect.top() - top, rect.width(), rect.height())
    key = (block.visit, spec.colour, offset, spec.axis.zone)
    sprite = view.sprites.get(key)
    if sprite is None and (view.warming or key in view.drawn_once):
        sprite = _make_sprite(view, block, left, top)
        size = sprite.width() * sprite.height() * 4
        if view.sprite_bytes + size > SPRITE_BYTES:
            view.sprites.clear()
            view.sprite_bytes = 0
        view.sprites[key] = sprite
        view.sprite_bytes += size
    if sprite is not None:
        p.drawPixmap(QPointF(left, top), sprite)
        return
    if len(view.drawn_once) > 20_000:
        view.drawn_once.clear()
    view.drawn_once.add(key)
    block.face = _block(view, p, rect, block.visit, spec, a.start, a.end, block.face)


def _make_sprite(view: ScheduleView, block: Block, left: int, top: int) -> QPixmap:
    a, rect = block.visit.appointment, block.rect
    ratio = view.devicePixelRatioF()
    sprite = QPixmap(
        math.ceil((rect.right() - left + 1) * ratio), math.ceil((rect.bottom() - top + 1) * ratio)
    )
    sprite.setDevicePixelRatio(ratio)
    sprite.fill(Qt.GlobalColor.transparent)
    painter = QPainter(sprite)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.translate(-left, -top)
    try:
        spec = view.specs[block.column]
        block.face = _block(view, painter, rect, block.visit, spec, a.start, a.end, block.face)
    finally:
        painter.end()
    return sprite


def _column_layer(view: ScheduleView, p: QPainter, index: int) -> None:
    """A column's still parts (hours, breaks, absences, grid) drawn from a kept pixmap.

    Most staff share their hours, so a new day mostly reuses the pixmaps of the last one:
    one blit per column instead of ~12 fills, hatches and ~50 grid lines."""
    spec, width = view.specs[index], view.column_width
    axis, ratio = spec.axis, view.devicePixelRatioF()
    key = (
        round(width, 3),
        ratio,
        view.slot,
        spec.today,
        axis.minutes,
        axis.hour_px,
        tuple((axis.minute_of(s.start), axis.minute_of(s.end)) for s in spec.column.working),
        tuple(
            (axis.minute_of(a.interval.start), axis.minute_of(a.interval.end), _absence_label(a))
            for a in spec.column.absences
        ),
    )
    layer = view.layers.get(key)
    if layer is None:
        layer = _paint_layer(view, index, ratio)
        size = layer.width() * layer.height() * 4
        if view.layer_bytes + size > LAYER_BYTES:
            view.layers.clear()
            view.layer_bytes = 0
        view.layers[key] = layer
        view.layer_bytes += size
    p.drawPixmap(QPointF(index * width, 0), layer)


def _paint_layer(view: ScheduleView, index: int, ratio: float) -> QPixmap:
    spec, width = view.specs[index], view.column_width
    layer = QPixmap(math.ceil(width * ratio), math.ceil(spec.axis.height * ratio))
    layer.setDevicePixelRatio(ratio)
    layer.fill(CLOSED)
    painter = QPainter(layer)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    try:
        _column_background(view, painter, index, left=0.0)
        _grid_lines(view, painter, QRectF(0, 0, width, spec.axis.height), spec.axis)
    finally:
        painter.end()
    return layer


def _absence_label(absence: Absence) -> str:
    note = f": {absence.note}" if absence.note else ""
    return f"{absence.reason.value.capitalize()}{note}"


def _span_rect(axis: TimeAxis, left: float, width: float, span: Interval) -> QRectF:
    top, bottom = axis.y_of(span.start), axis.y_of(span.end)
    return QRectF(left, top, width, bottom - top)


def _column_background(view: ScheduleView, p: QPainter, index: int, left: float) -> None:
    spec, width = view.specs[index], view.column_width
    axis = spec.axis
    p.fillRect(QRectF(left, 0, width, axis.height), CLOSED)
    working = spec.column.working
    for span in working:
        p.fillRect(_span_rect(axis, left, width, span), TODAY_TINT if spec.today else OPEN)
    for before, after in zip(working, working[1:], strict=False):
        if after.start > before.end:
            gap = Interval(before.end, after.start)
            _blocked(view, p, _span_rect(axis, left, width, gap), "Break")
    for absence in spec.column.absences:
        rect = _span_rect(axis, left, width, absence.interval)
        _blocked(view, p, rect, _absence_label(absence))
    p.setPen(COLUMN_LINE)
    p.drawLine(QPointF(left + width - 0.5, 0), QPointF(left + width - 0.5, axis.height))


def _blocked(view: ScheduleView, p: QPainter, rect: QRectF, label: str) -> None:
    if rect.height() <= 0:
        return
    p.fillRect(rect, BLOCKED)
    p.fillRect(rect, QBrush(HATCH, Qt.BrushStyle.BDiagPattern))
    if rect.height() >= 14:
        text = _prepared(view, view.small, label, int(rect.width() - 12))
        box = QRectF(rect.left() + 4, rect.top() + 2, text.size().width() + 6, 14)
        p.fillRect(box, BLOCKED)
        p.setFont(view.small)
        p.setPen(MUTED)
        p.drawStaticText(QPointF(box.left() + 3, box.top()), text)


def _grid_lines(view: ScheduleView, p: QPainter, visible: QRectF, axis: TimeAxis) -> None:
    slot, right = view.slot, visible.right()
    minute = floor_to(axis.minute_at(visible.top()), slot)
    while minute <= axis.minute_at(visible.bottom()) and minute <= axis.minutes:
        y = minute * axis.hour_px / 60 - 0.5
        p.setPen(HOUR_LINE if minute % 60 == 0 else SLOT_LINE)
        p.drawLine(QPointF(visible.left(), y), QPointF(right, y))
        minute += slot


def _header(view: ScheduleView, p: QPainter, index: int) -> None:
    spec, width = view.specs[index], view.column_width
    cell = QRectF(index * width, 0, width, HEADER_PX)
    p.fillRect(cell, TODAY_TINT if spec.today else HEADER_BG)
    p.fillRect(QRectF(cell.left(), HEADER_PX - 4, width, 3), QColor(spec.colour))
    p.setPen(COLUMN_LINE)
    p.drawLine(QPointF(cell.right() - 0.5, 6), QPointF(cell.right() - 0.5, HEADER_PX - 6))
    width = int(cell.width() - 14)
    p.setFont(view.bold)
    p.setPen(TODAY_TEXT if spec.today else QColor("#1B2A3A"))
    p.drawStaticText(QPointF(cell.left() + 8, 5), _prepared(view, view.bold, spec.title, width))
    p.setFont(view.small)
    p.setPen(MUTED)
    below = HEADER_PX - 8 - _metrics(view, view.small).height()
    p.drawStaticText(
        QPointF(cell.left() + 8, below), _prepared(view, view.small, spec.subtitle, width)
    )


def _gutter(view: ScheduleView, p: QPainter, axis: TimeAxis, visible: QRectF) -> None:
    p.setFont(view.small)
    p.setPen(MUTED)
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop
    for y, label in axis.hour_marks():
        if visible.top() - 32 <= y <= visible.bottom():
            # '01:00 BST' on a clocks-back night: the zone goes on a second line.
            for n, part in enumerate(label.split(" ", 1)):
                p.drawText(QRectF(2, y + 1 + 14 * n, GUTTER_PX - 8, 16), right, part)


def _now_line(view: ScheduleView, p: QPainter, columns: range) -> None:
    now = view.book.clock()
    for index in columns:
        axis = view.specs[index].axis
        if not axis.bounds.start <= now < axis.bounds.end:
            continue
        y, left = axis.y_of(now), index * view.column_width
        p.setPen(QPen(NOW_LINE, 2))
        p.drawLine(QPointF(left, y), QPointF(left + view.column_width, y))
        p.setBrush(NOW_LINE)
        p.setPen(Qt.PenStyle.NoPen)
        if index == 0 or view.specs[index].today:
            p.drawEllipse(QPointF(left + 3, y), 4, 4)


# one appointment --------------------------------------------------------------------------

_FILL = {status: QColor(colours[0]) for status, colours in PALETTE.items()}
_INK = {status: QColor(colours[2]) for status, colours in PALETTE.items()}
_BORDER = {
    status: QPen(
        QColor(colours[1]),
        1,
        Qt.PenStyle.DashLine if status in (S.CANCELLED, S.NO_SHOW) else Qt.PenStyle.SolidLine,
    )
    for status, colours in PALETTE.items()
}
_STRIPES: dict[tuple[str, bool], QColor] = {}
_WHITE, _CASE, _FIRST = QColor("white"), QColor("#D9822B"), QColor("#2E8B57")
Line = tuple[QFont, str, QPointF]  # font, elided text, baseline offset from the block's corner


def _stripe(colour: str, active: bool) -> QColor:
    key = (colour, active)
    if key not in _STRIPES:
        _STRIPES[key] = QColor(colour)
        if not active:
            _STRIPES[key].setAlpha(90)
    return _STRIPES[key]


def _block(
    view: ScheduleView,
    p: QPainter,
    rect: QRectF,
    visit: Visit,
    spec: ColumnSpec,
    start: datetime,
    end: datetime,
    face: list[Line] | None = None,
) -> list[Line]:
    """Draw one appointment; returns its text lines so the caller can keep them for the next
    paint (a repaint while scrolling or dragging then skips text layout)."""
    a = visit.appointment
    p.setPen(_BORDER[a.status])
    p.setBrush(_FILL[a.status])
    p.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
    p.fillRect(
        QRectF(rect.left() + 1, rect.top() + 1, 4, rect.height() - 2),
        _stripe(spec.colour, a.active),
    )
    # No clip: the text is elided to the block's width and stops at its last whole line.
    top_right = QPointF(rect.right() - 4, rect.top() + 3)
    markers = _markers(view, p, visit, top_right)
    if face is None:
        # Kept by content and size: a reload or a day seen before reuses the text layout.
        key = (visit, start, end, rect.width(), rect.height(), markers)
        face = view.faces.get(key)
        if face is None:
            if len(view.faces) > 5000:
                view.faces.clear()
            face = view.faces[key] = _face(view, rect, visit, spec.axis.zone, start, end, markers)
    p.setPen(_INK[a.status])
    for font, text, offset in face:
        p.setFont(font)
        p.drawText(rect.topLeft() + offset, text)  # plain text: customer text is never markup
    return face


def _face(
    view: ScheduleView,
    rect: QRectF,
    visit: Visit,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    markers: float,
) -> list[Line]:
    """The block's text, fitted to its size: 'start name' on one line when short; else time
    (and status), name, services and notes while they fit."""
    a = visit.appointment
    width = rect.width() - 13
    local = start.astimezone(zone)
    start_text = format_time(local)
    if _clock_changes(local.date(), zone) and in_repeated_hour(start, zone):
        # clocks went back: say which 01:15
        start_text += f" {start.astimezone(zone).tzname()}"
    name_font = view.struck if a.status is S.CANCELLED else view.bold
    if rect.height() < 28:
        line = (view.small_bold, f"{start_text} {visit.customer_name}", width - markers)
        top = (rect.height() - _metrics(view, view.small_bold).height()) / 2
        return _fit(view, [line], top, rect.height())
    when = f"{start_text}–{format_time(end.astimezone(zone))}"
    status = f"{when} · {a.status.label}" if a.status is not S.BOOKED else when
    first = next(
        (t for t in (status, when) if _advance(view, view.small, t) <= width - markers), start_text
    )
    lines = [
        (view.small, first, width - markers),
        (name_font, visit.customer_name, width),
        (view.small, a.service_names, width),
    ]
    if a.notes.strip():
        lines.append((view.italic, a.notes.replace("\n", " "), width))
    return _fit(view, lines, 2, rect.height())


def _fit(
    view: ScheduleView, lines: list[tuple[QFont, str, float]], top: float, height: float
) -> list[Line]:
    face: list[Line] = []
    for font, text, width in lines:
        metrics = _metrics(view, font)
        if face and top + metrics.height() > height + 1:
            break
        # drawText, not a QStaticText: a block's text is drawn once, then kept as an image
        # (or as this face), and preparing static text costs ~3x a plain draw.
        shown = _elided(view, font, text, int(width))
        face.append((font, shown, QPointF(9, top + metrics.ascent())))
        top += metrics.height()
    return face


@functools.lru_cache(maxsize=512)
def _clock_changes(day: date, zone: ZoneInfo) -> bool:
    """Whether the clocks change on this local day (only then can a time happen twice)."""
    return day_bounds_utc(day, zone).duration != timedelta(hours=24)


def _advance(view: ScheduleView, font: QFont, text: str) -> float:
    """Text width, kept: the same times and statuses are measured all day."""
    key = (id(font), text)
    width = view.advances.get(key)
    if width is None:
        if len(view.advances) > 20_000:
            view.advances.clear()
        width = view.advances[key] = _metrics(view, font).horizontalAdvance(text)
    return width


def _elided(view: ScheduleView, font: QFont, text: str, width: int) -> str:
    """``text`` cut to ``width`` with an ellipsis, kept (times and services repeat)."""
    key = (id(font), text, width)
    shown = view.elided.get(key)
    if shown is None:
        if len(view.elided) > 20_000:
            view.elided.clear()
        metrics = _metrics(view, font)
        shown = view.elided[key] = metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    return shown


def _metrics(view: ScheduleView, font: QFont) -> QFontMetrics:
    key = id(font)
    if key not in view.metrics:
        view.metrics[key] = QFontMetrics(font)
    return view.metrics[key]


def _prepared(view: ScheduleView, font: QFont, text: str, width: int) -> QStaticText:
    """Elided, laid-out text, shared by every block showing the same words at the same width
    (times and service names repeat all day, so a new day mostly hits this cache)."""
    key = (id(font), text, width)
    prepared = view.prepared.get(key)
    if prepared is None:
        if len(view.prepared) > 20_000:
            view.prepared.clear()
        shown = _metrics(view, font).elidedText(text, Qt.TextElideMode.ElideRight, width)
        prepared = QStaticText(shown)
        prepared.setTextFormat(Qt.TextFormat.PlainText)  # customer text is never markup
        prepared.prepare(font=font)
        view.prepared[key] = prepared
    return prepared


def _markers(view: ScheduleView, p: QPainter, visit: Visit, top_right: QPointF) -> float:
    """Draw the markers right to left from `top_right`; returns the width they took."""
    x, y = top_right.x(), top_right.y()
    x -= _risk_marker(p, visit, QPointF(x, y))
    if visit.open_case:
        x -= _badge(view, p, "!", _CASE, QPointF(x, y)) + 3
    if visit.appointment.notes.strip():
        _note_icon(p, QRectF(x - 9, y + 1, 8, 10))
        x -= 12
    if visit.first_visit:
        x -= _badge(view, p, "NEW", _FIRST, QPointF(x, y)) + 3
    return top_right.x() - x


def _risk_marker(p: QPainter, visit: Visit, top_right: QPointF) -> float:
    """No-show risk: an amber dot for medium, a larger red one for high, nothing for low
    (a dot on every block would be noise). Returns the width taken."""
    if visit.risk_level not in ("medium", "high"):
        return 0.0
    radius = 5.0 if visit.risk_level == "high" else 4.0
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(RISK_COLOURS[visit.risk_level]))
    p.drawEllipse(QPointF(top_right.x() - radius, top_right.y() + 6), radius, radius)
    return 2 * radius + 3


def _badge(view: ScheduleView, p: QPainter, text: str, colour: QColor, top_right: QPointF) -> float:
    prepared = _prepared(view, view.badge, text, 100)
    width = max(prepared.size().width() + 6, 11)
    box = QRectF(top_right.x() - width, top_right.y() + 0.5, width, 11)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawRoundedRect(box, 5.5, 5.5)
    p.setPen(_WHITE)
    p.setFont(view.badge)
    size = prepared.size()
    p.drawStaticText(box.center() - QPointF(size.width() / 2, size.height() / 2), prepared)
    return width


def _note_icon(p: QPainter, box: QRectF) -> None:
    """A tiny page with two lines: 'has notes'."""
    p.setPen(QPen(QColor("#5A6572"), 1))
    p.setBrush(QColor("#FFFFFF"))
    p.drawRect(box)
    for n in (3, 6):
        p.drawLine(QPointF(box.left() + 2, box.top() + n), QPointF(box.right() - 2, box.top() + n))
