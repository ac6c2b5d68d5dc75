"""The monthly report's numbers as the JSON prints them and as the PDF shows them.

One list of headline rows (label, KPI key, kind) drives both the summary page and the
``--json`` output, so the two cannot drift apart; a test reads the PDF back to prove it.
"""

from __future__ import annotations

from typing import Any

from shopfront.core.kpis import MonthlySummary, summary_numbers
from shopfront.core.report_data import MonthlyReport
from shopfront.reports import format as fmt

# kind: "n" count, "pct" percentage, "money" minor units, "days" one decimal
HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("Appointments due", "appointments", "n"),
    ("Bookings made", "bookings_made", "n"),
    ("Completed", "completed", "n"),
    ("Cancelled", "cancelled", "n"),
    ("   of which late", "cancelled_late", "n"),
    ("No-shows", "no_shows", "n"),
    ("   of which excused", "no_shows_excused", "n"),
    ("No-show rate", "no_show_rate", "pct"),
    ("Late-cancel rate", "late_cancel_rate", "pct"),
    ("Revenue", "revenue_minor", "money"),
    ("Customers served", "customers", "n"),
    ("   new", "new_customers", "n"),
    ("   returning", "returning_customers", "n"),
    ("Rebooking rate (24 h)", "rebooking_rate_24h", "pct"),
    ("Rebooking rate (any future booking)", "rebooking_rate_any", "pct"),
    ("First-visit 90-day retention", "first_visit_retention_90d", "pct"),
    ("Average days between visits", "avg_days_between_visits", "days"),
)
CARE_HEADLINE: tuple[tuple[str, str, str], ...] = (
    ("Follow-ups due", "followups_due", "n"),
    ("   done on time", "followups_done_on_time", "n"),
    ("   done late", "followups_done_late", "n"),
    ("   overdue", "followups_overdue", "n"),
    ("Cases opened", "cases_opened", "n"),
    ("Cases resolved", "cases_resolved", "n"),
    ("Median days to resolve", "median_days_to_resolve", "days"),
    ("Promises kept on time", "promises_kept_on_time", "pct"),
)


def rows_for(summary: MonthlySummary) -> tuple[tuple[str, str, str], ...]:
    return HEADLINE + (CARE_HEADLINE if summary.care is not None else ())


def shown(kind: str, value: Any, currency: str) -> str:
    """How one headline value is printed."""
    if kind == "pct":
        return fmt.pct(value)
    if kind == "money":
        return fmt.money(value, currency)
    return fmt.number(value)


def monthly_json(report: MonthlyReport) -> dict[str, Any]:
    """Everything the PDF prints, keyed by KPI name (money in minor units, rates in %)."""
    s, names = report.summary, report.names
    data: dict[str, Any] = summary_numbers(s)
    data |= {
        "currency": report.settings.currency,
        "shop": report.settings.shop_name,
        "timezone": report.settings.timezone,
        "generated_at": report.generated_at.isoformat(),
        "previous_month": summary_numbers(report.previous),
        "same_month_last_year": summary_numbers(report.last_year),
        "by_staff": [
            {
                "staff_id": b.key,
                "staff": names.staff_name(b.key),
                "visits": b.visits,
                "revenue_minor": b.revenue_minor,
            }
            for b in s.by_staff
        ],
        "by_service": [
            {
                "service_id": b.key,
                "service": names.services.get(b.key, f"#{b.key}"),
                "visits": b.visits,
                "revenue_minor": b.revenue_minor,
            }
            for b in s.by_service
        ],
        "staff_care": [_staff_json(report, row.staff_id) for row in s.staff],
        "trend": [
            {
                "month": m.label,
                "appointments": m.appointments,
                "completed": m.completed,
                "no_shows": m.no_shows,
                "no_show_rate": m.no_show_rate.percent,
                "late_cancel_rate": m.late_cancel_rate.percent,
                "revenue_minor": m.revenue_minor,
            }
            for m in report.trend
        ],
        "lapsed": [
            {
                "customer_id": c.customer_id,
                "customer": names.customer(c.customer_id),
                "owner": names.staff_name(names.owners.get(c.customer_id))
                if names.owners.get(c.customer_id)
                else None,
                "last_visit": c.last_visit.isoformat(),
                "days_away": c.days_away,
                "visits": c.visits,
                "value_minor": c.value_minor,
            }
            for c in report.lapsed
        ],
        "lapsed_as_of": report.lapsed_as_of.isoformat(),
    }
    if s.care is not None:
        data["open_cases"] = [
            {
                "case_id": c.case_id,
                "customer_id": c.customer_id,
                "customer": names.customer(c.customer_id),
                "owner": names.staff_name(c.owner_id),
                "opened": c.opened.isoformat(),
                "fix_due": c.fix_due.isoformat() if c.fix_due else None,
                "status": c.status,
                "overdue": c.overdue,
            }
            for c in s.care.open_cases
        ]
    return data


def _staff_json(report: MonthlyReport, staff_id: int) -> dict[str, Any]:
    s = report.summary
    row = next(r for r in s.staff if r.staff_id == staff_id)
    data: dict[str, Any] = {
        "staff_id": staff_id,
        "staff": report.names.staff_name(staff_id),
        "visits": row.visits,
        "revenue_minor": row.revenue_minor,
        "owned_customers": row.owned_customers,
        "rebooking_rate_24h": row.rebooking.percent,
    }
    if s.care is not None:
        f = s.care.followups_by_staff.get(staff_id)
        p = s.care.promises_by_owner.get(staff_id)
        data |= {
            "followups_due": f.due if f else 0,
            "followups_done_on_time": f.done_on_time if f else 0,
            "followups_done_late": f.done_late if f else 0,
            "followups_overdue": f.overdue if f else 0,
            "cases_owned": s.care.cases_owned.get(staff_id, 0),
            "promises_kept_on_time": p.percent if p else None,
        }
    return data
