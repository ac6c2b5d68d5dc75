"""The day view: one column per staff member on a time grid; click, drag, resize, right-click.

`ScheduleView` is the canvas shared with the week view: it lays out blocks once per schedule
or resize, maps mouse positions to times with the pure helpers in schedule_geometry.py, and
leaves drawing to schedule_paint.py and the questions a change asks to schedule_actions.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QCursor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
    QStaticText,
)
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QMenu, QToolTip, QWidget

from shopfront.core.booking import DaySchedule, StaffColumn, Visit
from shopfront.gui.schedule_actions import apply_change, build_menu
from shopfront.gui.schedule_geometry import (
    GUTTER_PX,
    HEADER_PX,
    HOUR_PX,
    MIN_COLUMN_PX,
    RESIZE_GRIP_PX,
    Block,
    ColumnSpec,
    Drag,
    TimeAxis,
    assign_lanes,
    clashes,
    column_at,
    floor_to,
    round_to,
    tooltip_html,
)
from shopfront.gui.schedule_paint import paint_schedule
from shopfront.gui.workers import run_in_background

if TYPE_CHECKING:
    from shopfront.book import Book


class ScheduleView(QAbstractScrollArea):
    """Columns of appointments over a time grid; subclasses say what the columns are."""

    slot_clicked = Signal(int, object)  # staff id, start (aware UTC)
    open_requested = Signal(int)
    checkout_requested = Signal(int)
    changed = Signal()  # the book was changed from this view
    status = Signal(str)

    empty_text = "Nothing to show."

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(parent)
        self.book = book
        self.specs: list[ColumnSpec] = []
        self.blocks: list[Block] = []
        self.slot = book.settings.slot_minutes
        self.column_width = float(MIN_COLUMN_PX)
        self.drag: Drag | None = None
        self._pressed: QPointF | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self._make_fonts()
        self.metrics: dict[int, QFontMetrics] = {}
        self.prepared: dict[tuple[int, str, int], QStaticText] = {}  # see schedule_paint
        self.advances: dict[tuple[int, str], float] = {}  # text widths
        self.elided: dict[tuple[int, str, int], str] = {}  # texts cut to a width
        self.faces: dict[tuple, list] = {}  # block texts by content and size
        self.layers: dict[tuple, QPixmap] = {}  # column backgrounds and grid
        self.sprites: dict[tuple, QPixmap] = {}  # blocks drawn once
        self.sprite_bytes = 0
        self.drawn_once: set[tuple] = set()  # blocks drawn in place once (see schedule_paint)
        self.warming = False  # painting off screen in advance: keep every block's image
        self.layer_bytes = 0
        self._minute = QTimer(self, interval=60_000)  # moves the current-time line
        self._minute.timeout.connect(self.viewport().update)
        self._minute.start()

    def _make_fonts(self) -> None:
        base = QFont(self.font())
        size = base.pointSizeF() if base.pointSizeF() > 0 else 9.0
        self.bold, self.small, self.italic, self.badge = (QFont(base) for _ in range(4))
        self.bold.setBold(True)
        self.small.setPointSizeF(max(size - 1.0, 7.0))
        self.small_bold = QFont(self.small)
        self.small_bold.setBold(True)
        self.struck = QFont(self.bold)
        self.struck.setStrikeOut(True)
        self.italic.setPointSizeF(max(size - 1.0, 7.0))
        self.italic.setItalic(True)
        self.badge.setPointSizeF(max(size - 2.5, 6.0))
        self.badge.setBold(True)

    def sizeHint(self) -> QSize:
        return QSize(GUTTER_PX + 8 * MIN_COLUMN_PX, 640)

    def reload(self) -> None:
        """Read the shown dates again from the book (subclasses)."""

    def set_columns(
        self, specs: list[ColumnSpec], slot_minutes: int, blocks: list[Block] | None = None
    ) -> None:
        """Show these columns; ``blocks`` when they were already laid out for this width."""
        self.specs, self.slot, self.drag = list(specs), slot_minutes, None
        self._layout(blocks)

    # layout --------------------------------------------------------------------------------

    def body_height(self) -> float:
        return max((s.axis.height for s in self.specs), default=0.0)

    def width_for(self, count: int) -> float:
        """The column width for ``count`` columns in the current viewport."""
        room = self.viewport().width() - GUTTER_PX
        return max(float(MIN_COLUMN_PX), room / max(count, 1))

    def lay_out_blocks(self) -> list[Block]:
        return [b for i, spec in enumerate(self.specs) for b in self._blocks(i, spec)]

    def _layout(self, blocks: list[Block] | None = None) -> None:
        room = self.viewport().width() - GUTTER_PX
        count = max(len(self.specs), 1)
        self.column_width = self.width_for(count)
        bar = self.horizontalScrollBar()
        bar.setRange(0, max(0, int(self.column_width * count - room)))
        bar.setPageStep(max(room, 1))
        visible = self.viewport().height() - HEADER_PX
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, int(self.body_height() - visible)))
        bar.setPageStep(max(visible, 1))
        bar.setSingleStep(int(HOUR_PX / 4))
        self.blocks = self.lay_out_blocks() if blocks is None else blocks
        self.viewport().update()

    def _blocks(self, index: int, spec: ColumnSpec) -> list[Block]:
        axis, left = spec.axis, index * self.column_width
        # Active first: at an equal start it takes the left lane, a cancelled one sits beside.
        visits = sorted(spec.column.visits, key=lambda v: not v.appointment.active)
        spans = [(axis.y_of(v.appointment.start), axis.y_of(v.appointment.end)) for v in visits]
        width = self.column_width - 6
        blocks = []
        for visit, (top, bottom), (lane, lanes) in zip(
            visits, spans, assign_lanes(spans), strict=True
        ):
            lane_w = width / lanes
            height = max(bottom - top - 2, 12)
            rect = QRectF(left + 2 + lane * lane_w, top + 1, lane_w - 2, height)
            blocks.append(Block(visit, index, rect))
        return blocks

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._layout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        self.viewport().update()  # header and time gutter stay put: repaint, don't blit

    def scroll_to_opening(self) -> None:
        """Scroll so the working day (or the first appointment) starts near the top."""
        starts = [s.axis.minute_of(iv.start) for s in self.specs for iv in s.column.working]
        starts += [
            s.axis.minute_of(v.appointment.start) for s in self.specs for v in s.column.visits
        ]
        first = min((m for m in starts if m > 0), default=8 * 60)
        self.verticalScrollBar().setValue(int(max(first - 30, 0) * HOUR_PX / 60))

    # coordinates ---------------------------------------------------------------------------

    def to_body(self, pos: QPointF) -> QPointF:
        return QPointF(
            pos.x() - GUTTER_PX + self.horizontalScrollBar().value(),
            pos.y() - HEADER_PX + self.verticalScrollBar().value(),
        )

    def to_viewport(self, body: QPointF) -> QPointF:
        return QPointF(
            body.x() + GUTTER_PX - self.horizontalScrollBar().value(),
            body.y() + HEADER_PX - self.verticalScrollBar().value(),
        )

    def block_at(self, body: QPointF) -> Block | None:
        return next((b for b in reversed(self.blocks) if b.rect.contains(body)), None)

    def block_of(self, appointment_id: int) -> Block | None:
        return next((b for b in self.blocks if b.visit.appointment.id == appointment_id), None)

    def slot_at(self, body: QPointF) -> tuple[int, datetime] | None:
        """(staff id, start) of the grid slot under a body position."""
        index = column_at(body.x(), self.column_width, len(self.specs))
        if index is None or body.y() < 0:
            return None
        axis = self.specs[index].axis
        minute = floor_to(axis.minute_at(body.y()), self.slot)
        if minute >= axis.minutes:
            return None
        return self.specs[index].staff_id, axis.instant_at_minute(minute)

    def _in_body(self, pos: QPointF) -> bool:
        return pos.x() >= GUTTER_PX and pos.y() >= HEADER_PX

    # painting ------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            paint_schedule(self, painter, QRectF(event.rect()))
        finally:
            painter.end()

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = QPointF(event.pos())
            block = self.block_at(self.to_body(pos)) if self._in_body(pos) else None
            if block is None:
                QToolTip.hideText()
                event.ignore()
            else:
                zone = self.specs[block.column].axis.zone
                QToolTip.showText(event.globalPos(), tooltip_html(block.visit, zone), self)
            return True
        return super().viewportEvent(event)

    # mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self.drag, self._pressed = None, None
        if event.button() != Qt.MouseButton.LeftButton or not self._in_body(pos):
            return
        body = self.to_body(pos)
        self._pressed = body
        block = self.block_at(body)
        if block is not None and block.movable:
            resize = body.y() >= block.rect.bottom() - RESIZE_GRIP_PX
            self.drag = Drag(block, resize, body, column=block.column)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        body = self.to_body(event.position())
        drag = self.drag
        if drag is None or not event.buttons() & Qt.MouseButton.LeftButton:
            self._hover(body)
            return
        if not drag.started:
            moved = (body - drag.press).manhattanLength()
            if moved < QApplication.startDragDistance():
                return
            drag.started = True
            self._repaint_body(drag.block.rect)
        self._repaint_body(drag.rect)
        if drag.resize:
            self._track_resize(drag, body)
        else:
            self._track_move(drag, body)
        self._repaint_body(drag.rect)

    def _repaint_body(self, body: QRectF) -> None:
        if not body.isEmpty():
            corner = self.to_viewport(body.topLeft())
            self.viewport().update(QRectF(corner, body.size()).adjusted(-3, -3, 3, 3).toRect())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, pressed = self.drag, self._pressed
        self.drag, self._pressed = None, None
        if event.button() != Qt.MouseButton.LeftButton:
            return
        if drag is not None and drag.started:
            self._commit(drag)
            return
        body = self.to_body(event.position())
        if pressed is not None and self.block_at(body) is None:
            slot = self.slot_at(body)
            if slot is not None:
                self.slot_clicked.emit(*slot)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        block = self.block_at(self.to_body(pos)) if self._in_body(pos) else None
        self._pressed = None  # the release that follows is not a click on a slot
        if block is not None and event.button() == Qt.MouseButton.LeftButton:
            self.open_requested.emit(block.visit.appointment.id)

    def _hover(self, body: QPointF) -> None:
        block = self.block_at(body)
        if block is None or not block.movable:
            self.viewport().unsetCursor()
        elif body.y() >= block.rect.bottom() - RESIZE_GRIP_PX:
            self.viewport().setCursor(QCursor(Qt.CursorShape.SizeVerCursor))
        else:
            self.viewport().setCursor(QCursor(Qt.CursorShape.OpenHandCursor))

    def _track_move(self, drag: Drag, body: QPointF) -> None:
        a = drag.block.visit.appointment
        count = len(self.specs)
        index = min(max(int(body.x() // self.column_width), 0), count - 1)
        axis = self.specs[index].axis
        top = self.specs[drag.block.column].axis.y_of(a.start) + body.y() - drag.press.y()
        minute = round_to(axis.minute_at(top), self.slot)
        minute = min(max(minute, 0), max(axis.minutes - a.minutes, 0))
        drag.column, drag.start = index, axis.instant_at_minute(minute)
        drag.end = drag.start + (a.end - a.start)
        drag.rect = self._ghost(index, axis, drag.start, drag.end)
        drag.clash = clashes(self.specs[drag.column].column.visits, drag)

    def _track_resize(self, drag: Drag, body: QPointF) -> None:
        a = drag.block.visit.appointment
        axis = self.specs[drag.block.column].axis
        bottom = axis.y_of(a.end) + body.y() - drag.press.y()
        first_end = floor_to(axis.minute_of(a.start), self.slot) + self.slot
        minute = min(max(round_to(axis.minute_at(bottom), self.slot), first_end), axis.minutes)
        drag.start, drag.end = a.start, axis.instant_at_minute(minute)
        drag.rect = self._ghost(drag.block.column, axis, drag.start, drag.end)
        drag.clash = clashes(self.specs[drag.column].column.visits, drag)

    def _ghost(self, index: int, axis: TimeAxis, start: datetime, end: datetime) -> QRectF:
        top, bottom = axis.y_of(start), axis.y_of(end)
        return QRectF(
            index * self.column_width + 2, top + 1, self.column_width - 6, bottom - top - 2
        )

    def _commit(self, drag: Drag) -> None:
        """Ask the book for the move or resize; on refusal the block goes back (a reload)."""
        a = drag.block.visit.appointment
        staff = self.specs[drag.column].staff_id
        assert drag.start is not None and drag.end is not None
        if drag.resize:
            minutes = int((drag.end - a.start).total_seconds() // 60)
            if minutes == a.minutes:
                return self.viewport().update()
            done = apply_change(
                self,
                lambda override: self.book.resize(a.id, minutes, a.version, override),
            )
        else:
            if drag.start == a.start and staff == a.staff_id:
                return self.viewport().update()
            start = drag.start
            done = apply_change(
                self,
                lambda override: self.book.move(a.id, start, staff, a.version, override),
            )
        self.reload()
        if done is not None:
            self.changed.emit()
            self.status.emit(f"{drag.block.visit.customer_name}: appointment changed.")

    # context menu --------------------------------------------------------------------------

    def menu_for(self, visit: Visit) -> QMenu:
        return build_menu(self, visit)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = QPointF(event.pos())
        block = self.block_at(self.to_body(pos)) if self._in_body(pos) else None
        if block is not None:
            self.menu_for(block.visit).exec(event.globalPos())


def column_subtitle(column: StaffColumn) -> str:
    """'4 appointments · Holiday' under a column's title."""
    booked = sum(1 for v in column.visits if v.appointment.active)
    parts = [f"{booked} appointment{'s' * (booked != 1)}" if column.working or booked else "Off"]
    parts += sorted({a.reason.value.capitalize() for a in column.absences})
    return " · ".join(parts)


def day_columns(schedule: DaySchedule) -> list[ColumnSpec]:
    axis = TimeAxis(schedule.day, schedule.zone, schedule.bounds)
    return [
        ColumnSpec(c.staff.name, c.staff.colour, c.staff.id, axis, c, column_subtitle(c))
        for c in schedule.columns
    ]


@dataclass
class KeptDay:
    """A neighbouring day read in the background, valid while the book's stamp is the same;
    laid out and painted off screen once (``specs``/``blocks`` for ``width``)."""

    stamp: object
    schedule: DaySchedule
    specs: list[ColumnSpec] | None = None
    blocks: list[Block] | None = None
    width: float = 0.0


class DayView(ScheduleView):
    """Every staff member working on one day, side by side.

    The days either side of the shown one are read in the background, then laid out and
    painted off screen once while the desk is idle, and kept while the book's change stamp
    stays the same: Left/Right/PageUp/PageDown then show a day without waiting for the
    query or for measuring its texts. Any write (from this desk or another) changes the
    stamp, and a kept day is read again instead."""

    empty_text = "Nobody works on this day.\nSet working hours under Settings → Staff."
    NEIGHBOURS = (1, -1)
    PREFETCH_AFTER_MS = 60

    def __init__(self, book: Book, parent: QWidget | None = None):
        super().__init__(book, parent)
        self.day: date | None = None
        self.kept: dict[date, KeptDay] = {}
        self._asked: set[date] = set()
        # After the paint, not before: a read on another thread competes for the GIL, and a
        # held-down arrow key reads only where it stops.
        self._prefetch_timer = QTimer(self, singleShot=True, interval=self.PREFETCH_AFTER_MS)
        self._prefetch_timer.timeout.connect(self._prefetch)

    def show_day(self, day: date) -> None:
        fresh = day != self.day
        self.day = day
        kept = self._kept(day) if fresh else None
        if kept is None:
            self.reload()
        elif (
            kept.blocks is not None and kept.specs and kept.width == self.width_for(len(kept.specs))
        ):
            self.set_columns(kept.specs, self.book.settings.slot_minutes, kept.blocks)
        else:
            self.set_columns(day_columns(kept.schedule), self.book.settings.slot_minutes)
        if fresh:
            self.scroll_to_opening()
        self._prefetch_timer.start()

    def reload(self) -> None:
        if self.day is None:
            return
        schedule = self.book.day(self.day)
        self.set_columns(day_columns(schedule), self.book.settings.slot_minutes)

    def _kept(self, day: date) -> KeptDay | None:
        kept = self.kept.get(day)
        if kept is None or kept.stamp is None or kept.stamp != self.book.change_stamp():
            return None
        return kept

    def _prefetch(self) -> None:
        stamp = self.book.change_stamp()
        if self.day is None or stamp is None:
            return  # PostgreSQL: no cheap way to know a kept day is still true
        wanted = {self.day + timedelta(days=n) for n in self.NEIGHBOURS}
        self.kept = {d: k for d, k in self.kept.items() if d in wanted and k.stamp == stamp}
        for other in sorted(wanted - set(self.kept) - self._asked):
            self._asked.add(other)
            run_in_background(
                lambda d=other: self.book.day(d),
                lambda schedule, d=other, s=stamp: self._arrived(d, s, schedule),
                lambda _exc, d=other: self._asked.discard(d),
                owner=self,
            )

    def _arrived(self, day: date, stamp: object, schedule: DaySchedule) -> None:
        """Keep a neighbour under the stamp taken *before* it was read: a write that raced
        the read makes it stale, never wrongly fresh."""
        self._asked.discard(day)
        if self.day is None or abs((day - self.day).days) > 1:
            return
        kept = self.kept[day] = KeptDay(stamp, schedule)
        QTimer.singleShot(0, self, lambda: self._warm(day, kept))

    def _warm(self, day: date, kept: KeptDay) -> None:
        """Lay out and paint a kept day into an image nobody sees: its texts are measured
        and its column layers drawn now, while the desk is idle, not on the key press."""
        if self.kept.get(day) is not kept or day == self.day or self.drag is not None:
            return
        if not self.isVisible() or self.viewport().size().isEmpty():
            return  # nothing on screen to prepare for (another page is shown)
        shown = (self.specs, self.blocks, self.column_width)
        self.warming = True
        try:
            self.specs = day_columns(kept.schedule)
            self.column_width = self.width_for(len(self.specs))
            self.blocks = self.lay_out_blocks()
            ratio = self.devicePixelRatioF()
            image = QImage(
                self.viewport().size() * ratio, QImage.Format.Format_ARGB32_Premultiplied
            )
            image.setDevicePixelRatio(ratio)
            painter = QPainter(image)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            try:
                paint_schedule(self, painter, QRectF(self.viewport().rect()))
            finally:
                painter.end()
            kept.specs, kept.blocks, kept.width = self.specs, self.blocks, self.column_width
        finally:
            self.specs, self.blocks, self.column_width = shown
            self.warming = False

    # the staff header ----------------------------------------------------------------------

    def header_menu(self, staff_id: int) -> QMenu:
        """Right-click on a staff member's name: not in today (on today), absences."""
        menu = QMenu(self)
        name = self.book.staff_name(staff_id)
        absent = menu.addAction(f"{name} is &not in today…")
        absent.setEnabled(self.day == self.book.today())
        absent.triggered.connect(lambda: self._not_in_today(staff_id))
        menu.addAction("&Absences…").triggered.connect(lambda: self._absences(staff_id))
        return menu

    def _not_in_today(self, staff_id: int) -> None:
        from shopfront.gui.call_list_dialog import not_in_today

        if not_in_today(self, self.book, staff_id):
            self.reload()
            self.changed.emit()

    def _absences(self, staff_id: int) -> None:
        from shopfront.gui.absence_dialog import AbsencesDialog

        if AbsencesDialog.ask(self, self.book, staff_id):
            self.reload()
            self.changed.emit()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        pos = QPointF(event.pos())
        if pos.y() < HEADER_PX and pos.x() >= GUTTER_PX:
            index = column_at(self.to_body(pos).x(), self.column_width, len(self.specs))
            if index is not None:
                self.header_menu(self.specs[index].staff_id).exec(event.globalPos())
            return
        super().contextMenuEvent(event)
