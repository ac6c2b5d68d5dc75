"""The daily appointment sheet: one page per staff member, for printing in the morning."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Spacer

from shopfront.core.booking import StaffColumn
from shopfront.core.report_data import DaySheet
from shopfront.reports import format as fmt
from shopfront.reports.layout import Document, Progress, keep_going

HEADER = ["Time", "Customer", "Phone", "Services", "Notes", "Risk", "Case"]
WIDTHS = (0.13, 0.19, 0.18, 0.2, 0.16, 0.06, 0.08)


def write_day_sheet(
    sheet: DaySheet, target: Path | BytesIO, progress: Progress | None = None
) -> int:
    """Lay out the day, one page per staff column (a page saying so on a day off)."""
    schedule, tz = sheet.schedule, sheet.schedule.zone
    day = fmt.local_day(schedule.day)
    footer = f"{sheet.settings.shop_name} · printed {fmt.local_stamp(sheet.generated_at, tz)}"
    doc = Document(sheet.settings.paper_size, f"Day sheet {schedule.day.isoformat()}", footer)
    story: list[Flowable] = []
    columns = schedule.columns
    for i, column in enumerate(columns):
        keep_going(progress, i / max(1, len(columns)))
        if i:
            story.append(PageBreak())
        story += _page(doc, sheet, column, day)
    if not columns:
        story += [
            doc.p(f"{doc.t(sheet.settings.shop_name)}: {day}", doc.styles.h1),
            doc.p("Nobody is working and nothing is booked on this day.", doc.styles.body),
        ]
    pages = doc.build(story, target, author=sheet.settings.shop_name)
    keep_going(progress, 1.0)
    return pages


def _page(doc: Document, sheet: DaySheet, column: StaffColumn, day: str) -> list[Flowable]:
    tz = sheet.schedule.zone
    rows = []
    for v in column.visits:
        a = v.appointment
        name = v.customer_name + ("  ★ first visit" if v.first_visit else "")
        status = "" if a.status.value in ("booked", "confirmed") else f" [{a.status.label}]"
        rows.append(
            [
                f"{fmt.local_time(a.start, tz)}–{fmt.local_time(a.end, tz)}",
                name + status,
                v.customer_phone,
                a.service_names,
                a.notes,
                v.risk_level or "",  # low / medium / high from the no-show risk score
                "OPEN" if a.customer_id in sheet.open_cases else "",
            ]
        )
    story: list[Flowable] = [
        doc.p(f"{doc.t(column.staff.name)} · {day}", doc.styles.h1),
        doc.p(
            f"{len(rows)} appointment{'s' if len(rows) != 1 else ''}. "
            "Case OPEN: the customer has an open complaint or promise; read it before they "
            "arrive. Risk: the no-show risk level (blank when not scored).",
            doc.styles.note,
        ),
    ]
    for absence in column.absences:
        span = absence.interval
        story.append(
            doc.p(
                f"<b>Absent</b> {fmt.local_time(span.start, tz)}–{fmt.local_time(span.end, tz)} "
                f"({doc.t(absence.reason.value)})",
                doc.styles.body,
            )
        )
    story.append(Spacer(1, 6))
    if rows:
        story.append(doc.table(HEADER, rows, WIDTHS))
    else:
        story.append(doc.p("No appointments.", doc.styles.body))
    return story
