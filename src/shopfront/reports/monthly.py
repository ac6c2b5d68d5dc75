"""The monthly service report: cover, one-page summary, sections, definitions.

Each section is built only when its data exists (an empty month says so instead of
printing empty tables); numbers come from ``core.kpis`` via ``MonthlyReport``.
"""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from reportlab.platypus import Flowable, KeepTogether, PageBreak, Spacer, Table, TableStyle

from shopfront.core.kpi_definitions import DEFINITIONS
from shopfront.core.kpis import summary_numbers
from shopfront.core.report_data import MonthlyReport
from shopfront.reports import format as fmt
from shopfront.reports.charts import trend_drawings
from shopfront.reports.layout import Document, Progress, keep_going
from shopfront.reports.numbers import rows_for, shown

Section = list[Flowable]


def write_monthly(
    report: MonthlyReport, target: Path | BytesIO, progress: Progress | None = None
) -> int:
    """Lay out ``report`` as a PDF at ``target``; ``progress`` may cancel between sections."""
    s = report.summary
    title = f"{s.period.label} service report"
    tz = ZoneInfo(report.settings.timezone)
    footer = f"{report.settings.shop_name} · generated {fmt.local_stamp(report.generated_at, tz)}"
    doc = Document(report.settings.paper_size, title, footer)
    builders = (
        _cover,
        _summary,
        _appointments,
        _revenue,
        _customers,
        _staff_care,
        _cases,
        _lapsed,
        _definitions,
    )
    story: Section = []
    for i, build in enumerate(builders):
        keep_going(progress, i / (len(builders) + 1))
        part = build(doc, report)
        # a section starts on a new page rather than leave its heading or a row behind
        story += part if build in (_cover, _summary, _definitions) else [KeepTogether(part)]
    keep_going(progress, len(builders) / (len(builders) + 1))
    pages = doc.build(story, target, author=report.settings.shop_name)
    keep_going(progress, 1.0)
    return pages


def _cover(doc: Document, report: MonthlyReport) -> Section:
    s, st = report.summary, doc.styles
    tz = ZoneInfo(report.settings.timezone)
    story: Section = [
        Spacer(1, 60),
        doc.p(doc.t(report.settings.shop_name), st.title),
        Spacer(1, 10),
        doc.p("Monthly service report", st.h1),
        doc.p(fmt.month_title(s.period.year, s.period.month), st.h1),
        Spacer(1, 16),
        doc.p(
            f"Generated {doc.t(fmt.local_stamp(report.generated_at, tz))} "
            f"(shop time, {doc.t(report.settings.timezone)}).",
            st.note,
        ),
        doc.p(
            f"Money in {doc.t(report.settings.currency)}. Each number is defined on the last page.",
            st.note,
        ),
    ]
    if s.empty:
        story += [Spacer(1, 20), doc.p("<b>No appointments in this month yet.</b>", st.body)]
        story.append(doc.p("The report is complete: there is simply nothing to count.", st.note))
    if doc.font_set.cjk is None:
        story.append(
            doc.p(
                "CJK names: no CJK font is installed on this computer, so CJK characters are "
                "printed as marked code points.",
                st.note,
            )
        )
    return [*story, PageBreak()]


def _summary(doc: Document, report: MonthlyReport) -> Section:
    s, cur = report.summary, report.settings.currency
    now, before, year = (
        summary_numbers(s),
        summary_numbers(report.previous),
        summary_numbers(report.last_year),
    )
    rows = []
    for label, key, kind in rows_for(s):
        rows.append(
            [
                label,
                shown(kind, now.get(key), cur),
                shown(kind, before.get(key), cur),
                _delta(kind, now.get(key), before.get(key), cur),
                shown(kind, year.get(key), cur),
                _delta(kind, now.get(key), year.get(key), cur),
            ]
        )
    header = [
        "",
        s.period.label,
        report.previous.period.label,
        "change",
        report.last_year.period.label,
        "change",
    ]
    table = doc.table(
        header, rows, widths=(0.34, 0.14, 0.13, 0.13, 0.13, 0.13), align_right=range(1, 6)
    )
    return [
        doc.p(f"Summary: {fmt.month_title(s.period.year, s.period.month)}", doc.styles.h1),
        doc.p(
            "This month against the month before and the same month last year "
            "(rates: change in percentage points).",
            doc.styles.note,
        ),
        Spacer(1, 6),
        table,
        PageBreak(),
    ]


def _delta(kind: str, now, before, currency: str) -> str:  # noqa: ANN001
    if kind == "money" and now is not None and before is not None:
        diff = now - before
        return "±0" if diff == 0 else ("+" if diff > 0 else "−") + fmt.money(abs(diff), currency)
    return fmt.change(now, before, points=kind == "pct")


def _appointments(doc: Document, report: MonthlyReport) -> Section:
    s = report.summary
    rows = [
        ["Appointments due in the month", fmt.number(s.appointments)],
        ["Completed", fmt.number(s.completed)],
        ["Cancelled late / on time", f"{s.cancelled_late} / {s.cancelled_on_time}"],
        ["No-shows (excused)", f"{s.no_shows} ({s.no_shows_excused})"],
        ["No-show rate", fmt.rate(s.no_show_rate)],
        ["Late-cancel rate", fmt.rate(s.late_cancel_rate)],
    ]
    charts = trend_drawings(report.trend, doc.font_set.regular, report.settings.currency)
    grid = Table([charts[:2], charts[2:]], hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), doc.font_set.regular)]
        )
    )
    return [
        doc.p("Appointments", doc.styles.h1),
        doc.table(["", s.period.label], rows, widths=(0.5, 0.3), align_right=[1]),
        Spacer(1, 10),
        doc.p("The last 12 months", doc.styles.h2),
        grid,
    ]


def _revenue(doc: Document, report: MonthlyReport) -> Section:
    s, names, cur = report.summary, report.names, report.settings.currency
    if not s.by_staff:
        return []
    staff_rows = [
        [names.staff_name(b.key), fmt.number(b.visits), fmt.money(b.revenue_minor, cur)]
        for b in s.by_staff
    ]
    service_rows = [
        [
            names.services.get(b.key, f"#{b.key}"),
            fmt.number(b.visits),
            fmt.money(b.revenue_minor, cur),
        ]
        for b in s.by_service
    ]
    widths, right = (0.5, 0.15, 0.2), [1, 2]
    return [
        doc.p("Revenue and visits", doc.styles.h1),
        doc.p(f"Total revenue {fmt.money(s.revenue_minor, cur)}.", doc.styles.body),
        doc.p("By staff member", doc.styles.h2),
        doc.table(["Staff member", "Visits", "Revenue"], staff_rows, widths, right),
        doc.p("By service", doc.styles.h2),
        doc.table(["Service", "Visits", "Revenue"], service_rows, widths, right),
    ]


def _customers(doc: Document, report: MonthlyReport) -> Section:
    s = report.summary
    if s.customers == 0 and s.retention_90d.denominator == 0:
        return []
    rows = [
        ["Customers served", fmt.number(s.customers)],
        ["New / returning", f"{s.new_customers} / {s.returning_customers}"],
        ["First-visit 90-day retention", fmt.rate(s.retention_90d)],
        ["Rebooking rate (within 24 h of checkout)", fmt.rate(s.rebooking_24h)],
        ["Rebooking rate (any future booking)", fmt.rate(s.rebooking_any)],
        ["Average days between visits", fmt.number(s.avg_days_between_visits)],
    ]
    return [
        doc.p("Customers", doc.styles.h1),
        doc.table(["", s.period.label], rows, widths=(0.5, 0.3), align_right=[1]),
    ]


def _staff_care(doc: Document, report: MonthlyReport) -> Section:
    s, names, cur = report.summary, report.names, report.settings.currency
    if not s.staff:
        return []
    header = ["Staff member", "Visits", "Revenue", "Owned", "Rebook"]
    care = s.care
    if care is not None:
        header += ["Due", "On time", "Late", "Overdue", "Cases", "Kept"]
    rows = []
    for row in s.staff:
        line = [
            names.staff_name(row.staff_id),
            fmt.number(row.visits),
            fmt.money(row.revenue_minor, cur),
            fmt.number(row.owned_customers),
            fmt.pct(row.rebooking.percent),
        ]
        if care is not None:
            f = care.followups_by_staff.get(row.staff_id)
            p = care.promises_by_owner.get(row.staff_id)
            line += [
                *(
                    str(getattr(f, k)) if f else "0"
                    for k in ("due", "done_on_time", "done_late", "overdue")
                ),
                str(care.cases_owned.get(row.staff_id, 0)),
                fmt.pct(p.percent) if p else fmt.NA,
            ]
        rows.append(line)
    widths = (0.15, 0.08, 0.11, 0.08, 0.09, 0.07, 0.09, 0.07, 0.1, 0.08, 0.08)
    story: Section = [doc.p("Staff care table", doc.styles.h1)]
    story.append(doc.table(header, rows, widths[: len(header)], range(1, len(header)), 7.5))
    story.append(
        doc.p(
            "Owned: customers this person looks after. Rebook: rebooking rate (24 h) of their "
            "visits."
            + (
                " Due / On time / Late / Overdue: their follow-ups due in the month. Cases: "
                "cases they own that were open in the month. Kept: their promises kept on time."
                if care is not None
                else ""
            ),
            doc.styles.note,
        )
    )
    if care is None:
        story.append(
            doc.p(
                "Follow-ups and cases are not in this book yet: their columns appear once "
                "the care tables exist.",
                doc.styles.note,
            )
        )
    return story


def _cases(doc: Document, report: MonthlyReport) -> Section:
    care, names = report.summary.care, report.names
    if care is None or not (care.cases_opened or care.cases_resolved or care.open_cases):
        return []
    rows = [
        ["Opened", fmt.number(care.cases_opened)],
        ["Resolved", fmt.number(care.cases_resolved)],
        ["Median days to resolve", fmt.number(care.median_days_to_resolve)],
        [
            "Promises kept on time",
            f"{fmt.pct(care.promises.percent)} ({care.promises.kept_on_time} of {care.promises.due})",
        ],
    ]
    story: Section = [
        doc.p("Cases (complaints and promises)", doc.styles.h1),
        doc.table(["", report.summary.period.label], rows, widths=(0.5, 0.3), align_right=[1]),
    ]
    if care.open_cases:
        listed = [
            [
                "OVERDUE" if c.overdue else "",
                names.customer(c.customer_id),
                names.staff_name(c.owner_id),
                c.opened.isoformat(),
                c.fix_due.isoformat() if c.fix_due else "",
                c.status.replace("_", " "),
            ]
            for c in care.open_cases
        ]
        story += [
            doc.p("Open cases (overdue promises first)", doc.styles.h2),
            doc.table(
                ["", "Customer", "Owner", "Opened", "Fix due", "Status"],
                listed,
                widths=(0.11, 0.3, 0.18, 0.13, 0.13, 0.15),
            ),
        ]
    return story


def _lapsed(doc: Document, report: MonthlyReport) -> Section:
    names, cur = report.names, report.settings.currency
    if not report.lapsed:
        return []
    rows = [
        [
            names.customer(c.customer_id),
            names.staff_name(names.owners.get(c.customer_id))
            if names.owners.get(c.customer_id)
            else "",
            c.last_visit.isoformat(),
            fmt.number(c.days_away),
            fmt.number(c.visits),
            fmt.money(c.value_minor, cur),
        ]
        for c in report.lapsed
    ]
    return [
        doc.p(f"Lapsed customers: the top {len(rows)} by value", doc.styles.h1),
        doc.p(f"As of {fmt.local_day(report.lapsed_as_of)}.", doc.styles.note),
        doc.table(
            ["Customer", "Owner", "Last visit", "Days away", "Visits", "Value"],
            rows,
            widths=(0.32, 0.18, 0.14, 0.11, 0.09, 0.16),
            align_right=[3, 4, 5],
        ),
    ]


def _definitions(doc: Document, report: MonthlyReport) -> Section:
    story: Section = [PageBreak(), doc.p("Definitions", doc.styles.h1)]
    for name, formula in DEFINITIONS:
        story.append(
            KeepTogether(
                [
                    doc.p(f"<b>{doc.t(name)}</b>", doc.styles.body),
                    doc.p(doc.t(formula), doc.styles.note),
                ]
            )
        )
        story.append(Spacer(1, 4))
    story.append(
        doc.p(
            "Times are the shop's local time; a month runs from its first midnight to the next "
            "month's. Money is in minor units internally and never rounded through floats.",
            doc.styles.note,
        )
    )
    return story
