"""What the appointment commands print: JSON shapes (a contract) and text for people."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from shopfront.cli.appointment_input import DAYS
from shopfront.core.money import format_minor

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from shopfront.book import Book
    from shopfront.core.booking import AppointmentDetail, DaySchedule, Visit
    from shopfront.core.workhours import Absence, WorkingHours

# JSON shapes: add keys, never rename or drop ------------------------------------------------


def visit_json(v: Visit, tz: ZoneInfo) -> dict[str, Any]:
    a = v.appointment
    return {
        "id": a.id,
        "start": a.start.astimezone(tz).isoformat(),
        "end": a.end.astimezone(tz).isoformat(),
        "minutes": a.minutes,
        "staff": v.staff_name,
        "staff_id": a.staff_id,
        "customer": v.customer_name,
        "customer_id": a.customer_id,
        "services": [s.name for s in a.services],
        "service_ids": [s.service_id for s in a.services],
        "status": a.status.value,
        "price": a.price_minor,
        "final_price": a.final_price_minor,
        "risk": v.risk,  # no-show probability of a booked/confirmed appointment, else null
        "risk_level": v.risk_level or None,  # low, medium, high (policy thresholds)
        "risk_reasons": list(v.risk_reasons),
        "first_visit": v.first_visit,
        "notes": a.notes,
        "source": a.source,
        "booked_at": a.booked_at.astimezone(tz).isoformat(),
        "cancelled_by": a.cancelled_by,
        "late_cancel": a.late_cancel,
        "excused": a.excused,
        "excuse_reason": a.excuse_reason,
        "series_id": a.series_id,
        "rebooked": a.rebooked,
        "version": a.version,
    }


def detail_json(detail: AppointmentDetail, tz: ZoneInfo) -> dict[str, Any]:
    data = visit_json(detail.visit, tz)
    data["history"] = [
        {
            "at": c.at.astimezone(tz).isoformat(),
            "old": c.old.value if c.old else None,
            "new": c.new.value,
            "by_staff_id": c.by_staff_id,
            "reason": c.reason,
        }
        for c in detail.history
    ]
    return data


def absence_json(a: Absence, staff: str, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": a.id,
        "staff_id": a.staff_id,
        "staff": staff,
        "start": a.interval.start.astimezone(tz).isoformat(),
        "end": a.interval.end.astimezone(tz).isoformat(),
        "reason": a.reason.value,
        "note": a.note,
    }


def hours_json(staff_id: int, staff: str, working: WorkingHours | None) -> dict[str, Any]:
    mapping = working.as_mapping() if working else {}
    return {
        "staff_id": staff_id,
        "staff": staff,
        "hours": None if working is None else {d: mapping.get(i, []) for i, d in enumerate(DAYS)},
    }


def clock_text(moment: datetime, tz: ZoneInfo) -> str:
    from shopfront.core.localtime import format_time  # lazy: zoneinfo costs every command

    return format_time(moment.astimezone(tz))


def visit_line(v: Visit, tz: ZoneInfo, currency: str, with_staff: bool = False) -> str:
    a = v.appointment
    marks = [a.status.label]
    if v.first_visit:
        marks.append("first visit")
    if a.late_cancel:
        marks.append("late")
    staff = f"  with {v.staff_name}" if with_staff else ""
    return (
        f"{clock_text(a.start, tz)}–{clock_text(a.end, tz)}  #{a.id}  {v.customer_name}  "
        f"{a.service_names}  {format_minor(a.price_minor)} {currency}{staff}  [{', '.join(marks)}]"
    )


def day_text(book: Book, schedule: DaySchedule) -> str:
    from shopfront.core.localtime import format_date, weekday_name

    tz, currency = schedule.zone, book.settings.currency
    lines = [f"{weekday_name(schedule.day.weekday())} {format_date(schedule.day)}"]
    for column in schedule.columns:
        hours = ", ".join(
            f"{clock_text(i.start, tz)}–{clock_text(i.end, tz)}" for i in column.working
        )
        lines += ["", f"{column.staff.name}  {hours or 'day off'}"]
        lines += [
            f"  absent {clock_text(b.interval.start, tz)}–{clock_text(b.interval.end, tz)} ({b.reason})"
            for b in column.absences
        ]
        lines += [f"  {visit_line(v, tz, currency)}" for v in column.visits]
        if not column.visits:
            lines.append("  no appointments")
    if not schedule.columns:
        lines.append("Nobody works this day.")
    return "\n".join(lines)


def detail_text(book: Book, detail: AppointmentDetail) -> str:
    tz, v = book.zone(), detail.visit
    a = v.appointment
    lines = [
        f"{a.start.astimezone(tz):%a %d %b %Y}  "
        + visit_line(v, tz, book.settings.currency, with_staff=True)
    ]
    if a.notes:
        lines.append(f"    notes: {a.notes}")
    if a.excused:
        lines.append(f"    excused: {a.excuse_reason}")
    for c in detail.history:
        old = f"{c.old.label} → " if c.old else ""
        reason = f"  ({c.reason})" if c.reason else ""
        lines.append(f"    {c.at.astimezone(tz):%Y-%m-%d %H:%M}  {old}{c.new.label}{reason}")
    return "\n".join(lines)
