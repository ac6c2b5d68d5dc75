"""Pure geometry of the appointment book: time <-> pixels, grid snapping, side-by-side lanes.

No widgets here (QRectF and QPointF are plain values), so the mapping is unit-tested without
a window; the views in day_view.py and week_view.py and the painter in schedule_paint.py all
draw from these numbers.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPointF, QRectF

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.booking import StaffColumn, Visit
from shopfront.core.localtime import (
    Interval,
    day_bounds_utc,
    first_instant_at_or_after,
    format_time,
    to_local,
)

HOUR_PX = 64.0  # one hour of the grid; 16 px per 15-minute row
HEADER_PX = 46
GUTTER_PX = 52
MIN_COLUMN_PX = 120
RESIZE_GRIP_PX = 6

# pure geometry ----------------------------------------------------------------------------


def floor_to(minute: float, step: int) -> int:
    """The grid line at or before `minute` (the slot a click falls in)."""
    return int(math.floor(minute / step)) * step


def round_to(minute: float, step: int) -> int:
    """The nearest grid line (where a dragged edge snaps)."""
    return int(math.floor(minute / step + 0.5)) * step


def in_repeated_hour(instant: datetime, zone: ZoneInfo) -> bool:
    """True if the local reading of `instant` happens twice that night (clocks going back)."""
    wall = to_local(instant, zone)
    first = wall.replace(tzinfo=zone, fold=0).utcoffset()
    return (
        first != wall.replace(tzinfo=zone, fold=1).utcoffset()
        and to_local(wall.replace(tzinfo=zone, fold=0), zone) == wall
    )


def column_at(x: float, width: float, count: int) -> int | None:
    """The column under body x, or None outside the columns."""
    index = math.floor(x / width)
    return index if 0 <= index < count else None


@dataclass(frozen=True)
class TimeAxis:
    """Maps the instants of one shop-local day to y pixels and back.

    The day view follows the day's real UTC length (23 or 25 hours across a DST change, each
    row labelled in local time); the week view uses local wall-clock minutes so seven days
    line up row by row (`wall_clock=True`).
    """

    day: date
    zone: ZoneInfo
    bounds: Interval
    wall_clock: bool = False
    hour_px: float = HOUR_PX

    @classmethod
    def for_day(cls, day: date, zone: ZoneInfo, wall_clock: bool = False) -> TimeAxis:
        return cls(day, zone, day_bounds_utc(day, zone), wall_clock)

    @property
    def minutes(self) -> int:
        if self.wall_clock:
            return 24 * 60
        return int(self.bounds.duration.total_seconds() // 60)

    @property
    def height(self) -> float:
        return self.minutes * self.hour_px / 60

    def minute_of(self, instant: datetime) -> float:
        if instant <= self.bounds.start:
            return 0.0
        if instant >= self.bounds.end:
            return float(self.minutes)
        if self.wall_clock:
            local = to_local(instant, self.zone) - datetime.combine(self.day, time())
            return local.total_seconds() / 60
        return (instant - self.bounds.start).total_seconds() / 60

    def instant_at_minute(self, minute: float) -> datetime:
        minute = min(max(minute, 0.0), float(self.minutes))
        if minute >= self.minutes:
            return self.bounds.end
        if not self.wall_clock:
            return self.bounds.start + timedelta(minutes=minute)
        wall = datetime.combine(self.day, time()) + timedelta(minutes=minute)
        return first_instant_at_or_after(wall, self.zone)

    def y_of(self, instant: datetime) -> float:
        return self.minute_of(instant) * self.hour_px / 60

    def minute_at(self, y: float) -> float:
        return y * 60 / self.hour_px

    def hour_marks(self) -> list[tuple[float, str]]:
        """(y, local time label) for each hour row; a repeated hour says which offset."""
        if self.wall_clock:
            return [(h * self.hour_px, f"{h:02d}:00") for h in range(24)]
        locals_ = [
            (self.bounds.start + timedelta(minutes=m)).astimezone(self.zone)
            for m in range(0, self.minutes, 60)
        ]
        labels = [format_time(t) for t in locals_]
        twice = {label for label in labels if labels.count(label) > 1}
        return [
            (i * self.hour_px, f"{label} {t.tzname()}" if label in twice else label)
            for i, (label, t) in enumerate(zip(labels, locals_, strict=True))
        ]


def assign_lanes(spans: Sequence[tuple[float, float]]) -> list[tuple[int, int]]:
    """(lane, lanes in its cluster) per (start, end) span, so overlapping blocks sit side by
    side; equal starts keep the input order (pass the active appointment first)."""
    lanes = [0] * len(spans)
    widths = [1] * len(spans)
    cluster: list[int] = []
    lane_ends: list[float] = []
    cluster_end = -math.inf
    for i in sorted(range(len(spans)), key=lambda n: spans[n][0]):
        start, end = spans[i]
        if cluster and start >= cluster_end:
            for j in cluster:
                widths[j] = len(lane_ends)
            cluster, lane_ends, cluster_end = [], [], -math.inf
        lane = next((n for n, taken in enumerate(lane_ends) if taken <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        lanes[i] = lane
        cluster.append(i)
        cluster_end = max(cluster_end, end)
    for j in cluster:
        widths[j] = len(lane_ends)
    return list(zip(lanes, widths, strict=True))


@dataclass(frozen=True)
class ColumnSpec:
    """One drawn column: a staff member's day (day view) or one day of a week."""

    title: str
    colour: str
    staff_id: int
    axis: TimeAxis
    column: StaffColumn
    subtitle: str = ""
    today: bool = False


@dataclass
class Block:
    """An appointment's place on screen (body coordinates: x from the first column, y from
    the start of the day)."""

    visit: Visit
    column: int
    rect: QRectF
    face: list | None = None  # its text, prepared at the first paint

    @property
    def movable(self) -> bool:
        a = self.visit.appointment
        return a.active and a.status is not AppointmentStatus.COMPLETED


@dataclass
class Drag:
    block: Block
    resize: bool
    press: QPointF
    started: bool = False
    column: int = 0
    start: datetime | None = None
    end: datetime | None = None
    rect: QRectF = field(default_factory=QRectF)
    clash: bool = False  # the ghost overlaps another appointment: the book will refuse it


def clashes(visits: Sequence[Visit], drag: Drag) -> bool:
    """Whether the dragged ghost overlaps another active appointment (a hint while dragging;
    the book still decides on release)."""
    moving = drag.block.visit.appointment
    if drag.start is None or drag.end is None:
        return False
    return any(
        v.appointment.active
        and v.appointment.id != moving.id
        and v.appointment.start < drag.end
        and drag.start < v.appointment.end
        for v in visits
    )


def tooltip_html(visit: Visit, zone: ZoneInfo) -> str:
    """A block's tooltip; customer text escaped, so it always shows as typed."""
    a = visit.appointment
    when = f"{format_time(a.start.astimezone(zone))}–{format_time(a.end.astimezone(zone))}"
    lines = [f"<b>{html.escape(visit.customer_name)}</b>", f"{when} · {a.status.label}"]
    lines.append(html.escape(a.service_names))
    if visit.staff_name:
        lines.append(f"with {html.escape(visit.staff_name)}")
    if visit.customer_phone:
        lines.append(html.escape(visit.customer_phone))
    if visit.first_visit:
        lines.append("First visit")
    if visit.open_case:
        lines.append("Has an open complaint or promise")
    if visit.risk_level:
        reasons = "; ".join(visit.risk_reasons)
        lines.append(html.escape(f"No-show risk: {visit.risk_level}. {reasons}".strip()))
    if a.notes.strip():
        lines.append("Notes: " + html.escape(a.notes))
    return "<qt>" + "<br>".join(lines) + "</qt>"
