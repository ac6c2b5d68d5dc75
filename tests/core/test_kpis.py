"""Monthly KPIs against a fixture whose every number was worked out by hand (see comments)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from shopfront.core.care_kpis import CareInput, CaseRow, FollowupRow, care_numbers
from shopfront.core.kpi_definitions import DEFINITIONS
from shopfront.core.kpis import (
    MonthInput,
    Period,
    Rate,
    VisitRow,
    lapse_threshold,
    lapsed_customers,
    summarise,
    summary_numbers,
)

LONDON = ZoneInfo("Europe/London")
OCT = Period.month_of(2026, 10, LONDON)


def t(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def visit(aid, customer, staff, start, status, booked, **kw) -> VisitRow:
    end = start.replace(hour=start.hour + 1) if start.hour < 23 else start
    return VisitRow(aid, customer, staff, start, end, booked, status, **kw)


VISITS = [
    visit(
        1,
        10,
        1,
        t(10, 5),
        "completed",
        t(9, 20),
        price_minor=5000,
        final_price_minor=4500,
        services=((100, 5000),),
        checkout_at=t(10, 5, 11),
        next_booked_at=t(10, 5, 11, 30),  # the 20 October visit, booked at checkout
    ),
    visit(
        2,
        11,
        1,
        t(10, 6),
        "completed",
        t(10, 1),
        price_minor=8500,
        services=((100, 5000), (200, 3500)),
        next_booked_at=t(10, 8),  # 10 November's visit, booked two days after checkout
    ),
    visit(3, 12, 2, t(10, 7), "no_show", t(10, 2), excused=True),
    visit(4, 13, 2, t(10, 8), "cancelled", t(9, 1), late_cancel=True),
    visit(5, 14, 2, t(10, 9), "cancelled", t(10, 3)),
    visit(
        6,
        10,
        2,
        t(10, 20),
        "completed",
        t(10, 5, 11, 30),
        price_minor=3000,
        final_price_minor=3300,
        services=((200, 3000),),
    ),
    # 00:30 on 1 October in London (BST) is still 30 September in UTC: in the month.
    visit(7, 15, 1, t(9, 30, 23, 30), "no_show", t(9, 29)),
]


def month_input(**changes) -> MonthInput:
    values = dict(
        period=OCT,
        visits=VISITS,
        previous_visit={10: t(8, 1)},
        last_start={10: t(10, 20), 11: t(11, 10)},
        cohort_first={20: t(7, 5), 21: t(7, 10), 22: t(7, 20)},
        cohort_visits={20: [t(8, 1)], 21: [t(10, 15)]},
        owned={1: 5, 3: 2},
    )
    values.update(changes)
    return MonthInput(**values)  # type: ignore[arg-type]


def test_period_follows_the_shop_zone() -> None:
    assert OCT.start == t(9, 30, 23)  # BST: midnight local is 23:00 UTC the day before
    assert OCT.end == t(11, 1, 0)  # GMT again after 25 October
    assert OCT.shifted(-1, LONDON).label == "2026-09"
    assert OCT.shifted(-12, LONDON).label == "2025-10"
    assert OCT.shifted(3, LONDON).label == "2027-01"
    assert OCT.last_day(LONDON) == date(2026, 10, 31)


def test_appointment_counts_and_rates() -> None:
    s = summarise(month_input())
    assert (s.appointments, s.bookings_made, s.completed) == (7, 4, 3)
    assert (s.cancelled, s.cancelled_late, s.cancelled_on_time) == (2, 1, 1)
    assert (s.no_shows, s.no_shows_excused) == (2, 1)
    assert s.no_show_rate == Rate(2, 5) and s.no_show_rate.percent == 40.0
    assert s.late_cancel_rate == Rate(1, 7) and s.late_cancel_rate.percent == 14.3


def test_revenue_by_staff_and_by_service() -> None:
    s = summarise(month_input())
    assert s.revenue_minor == 4500 + 8500 + 3300
    assert [(b.key, b.visits, b.revenue_minor) for b in s.by_staff] == [(1, 2, 13000), (2, 1, 3300)]
    # service 100: 4500 (visit 1) + 5000 (its share of visit 2); 200: 3500 + 3300
    assert [(b.key, b.visits, b.revenue_minor) for b in s.by_service] == [
        (100, 2, 9500),
        (200, 2, 6800),
    ]


def test_customers_rebooking_retention_and_gaps() -> None:
    s = summarise(month_input())
    assert (s.customers, s.new_customers, s.returning_customers) == (2, 1, 1)
    # visit 1 rebooked 30 min after checkout; visit 2 two days later; visit 6 has nothing later
    assert s.rebooking_24h == Rate(1, 3)
    assert s.rebooking_any == Rate(2, 3)
    # 20 came back after 27 days; 21 after 97 days (too late); 22 never
    assert s.retention_90d == Rate(1, 3)
    # 65 days (1 Aug -> 5 Oct) and 15 days (5 Oct -> 20 Oct)
    assert s.avg_days_between_visits == 40.0


def test_staff_rows_include_owners_without_visits() -> None:
    rows = {r.staff_id: r for r in summarise(month_input()).staff}
    assert (rows[1].visits, rows[1].revenue_minor, rows[1].owned_customers) == (2, 13000, 5)
    assert rows[1].rebooking == Rate(1, 2)
    assert rows[2].rebooking == Rate(0, 1)
    assert (rows[3].visits, rows[3].owned_customers, rows[3].rebooking.value) == (0, 2, None)


def test_empty_month_divides_by_nothing() -> None:
    empty = MonthInput(OCT, [], {}, {}, {}, {})
    s = summarise(empty)
    assert s.empty and s.appointments == 0 and s.revenue_minor == 0
    assert s.no_show_rate.value is None and s.late_cancel_rate.percent is None
    assert s.rebooking_24h.value is None and s.retention_90d.value is None
    assert s.avg_days_between_visits is None and s.by_staff == () and s.care is None
    numbers = summary_numbers(s)
    assert numbers["no_show_rate"] is None and numbers["appointments"] == 0


def test_summary_numbers_are_keyed_by_kpi_name() -> None:
    numbers = summary_numbers(summarise(month_input()))
    assert numbers["month"] == "2026-10"
    assert numbers["no_show_rate"] == 40.0 and numbers["rebooking_rate_24h"] == 33.3
    assert numbers["first_visit_retention_90d"] == 33.3 and numbers["revenue_minor"] == 16300
    assert "followups_due" not in numbers  # no care data given: no care numbers


def test_every_headline_kpi_is_defined() -> None:
    defined = " ".join(name for name, _ in DEFINITIONS)
    for key in (
        "no_show_rate",
        "late_cancel_rate",
        "rebooking_rate_24h",
        "rebooking_rate_any",
        "first_visit_retention_90d",
        "avg_days_between_visits",
        "lapsed",
    ):
        assert key in defined


# care ------------------------------------------------------------------------------------


def care_input(today: date = date(2026, 11, 23)) -> CareInput:
    followups = [
        FollowupRow(1, 1, date(2026, 10, 10), "done", t(10, 10, 18)),
        # 23:30 UTC is 00:30 on the 11th in London: a day late
        FollowupRow(2, 1, date(2026, 10, 10), "done", t(10, 10, 23, 30)),
        FollowupRow(3, 2, date(2026, 10, 12), "open"),
        FollowupRow(4, 2, date(2026, 10, 30), "skipped"),
        FollowupRow(5, None, date(2026, 9, 30), "open"),  # due in September: not counted
    ]
    cases = [
        CaseRow(1, 30, 1, t(10, 2), "closed", date(2026, 10, 10), t(10, 9), t(10, 15)),
        CaseRow(2, 31, 1, t(10, 5), "fixed", date(2026, 10, 12), t(10, 14)),
        CaseRow(3, 32, 2, t(9, 20), "fix_promised", date(2026, 10, 20)),
        CaseRow(4, 33, 2, t(10, 25), "open"),
        CaseRow(5, 34, None, t(8, 1), "closed", None, None, t(8, 20)),
        CaseRow(6, 35, 1, t(10, 28), "fix_promised", date(2026, 11, 30)),
    ]
    return CareInput(LONDON, date(2026, 10, 1), date(2026, 10, 31), today, followups, cases)


def test_followups_on_time_late_overdue_per_staff() -> None:
    care = care_numbers(care_input())
    f = care.followups
    assert (f.due, f.done_on_time, f.done_late, f.overdue, f.skipped) == (4, 1, 1, 1, 1)
    one, two = care.followups_by_staff[1], care.followups_by_staff[2]
    assert (one.due, one.done_on_time, one.done_late) == (2, 1, 1)
    assert (two.due, two.overdue, two.skipped) == (2, 1, 1)
    # before the due day an open follow-up is not overdue yet
    early = care_numbers(care_input(today=date(2026, 10, 11)))
    assert (early.followups.overdue, early.followups.open_not_due) == (0, 1)


def test_cases_resolution_and_promises() -> None:
    care = care_numbers(care_input())
    assert (care.cases_opened, care.cases_resolved) == (4, 2)
    assert care.median_days_to_resolve == 8.0  # median of 7 and 9 days
    assert (care.promises.due, care.promises.kept_on_time, care.promises.percent) == (3, 1, 33.3)
    assert care.promises_by_owner[1].percent == 50.0
    assert care.promises_by_owner[2].percent == 0.0
    assert care.cases_owned == {1: 3, 2: 2, None: 0}
    listed = [(c.case_id, c.overdue) for c in care.open_cases]
    assert listed == [(3, True), (2, False), (4, False), (6, False)]


def test_promise_not_yet_due_is_neither_kept_nor_broken() -> None:
    care = care_numbers(care_input(today=date(2026, 10, 15)))
    # case 3 (due 20 Oct) is still pending on the 15th
    assert (care.promises.due, care.promises.kept_on_time) == (2, 1)


def test_care_numbers_in_summary() -> None:
    s = summarise(month_input(care=care_input()))
    numbers = summary_numbers(s)
    assert numbers["followups_due"] == 4 and numbers["promises_kept_on_time"] == 33.3
    assert numbers["median_days_to_resolve"] == 8.0


# lapsed ----------------------------------------------------------------------------------


def test_lapse_threshold_is_twice_the_median_or_the_default() -> None:
    days = [date(2026, 1, 1), date(2026, 1, 31), date(2026, 3, 2), date(2026, 6, 1)]
    assert lapse_threshold(days, 120) == 2 * 30  # gaps 30, 30, 91: median 30
    assert lapse_threshold([date(2026, 1, 1)], 120) == 120
    assert lapse_threshold([date(2026, 1, 1), date(2026, 1, 1)], 120) == 120  # one visit day


def test_lapsed_customers_ranked_by_value() -> None:
    as_of = date(2026, 10, 31)
    history = {
        1: [(date(2026, 7, 1), 5000), (date(2026, 7, 31), 5000)],  # 92 days away > 60: lapsed
        2: [(date(2026, 9, 1), 9000), (date(2026, 10, 1), 9000)],  # 30 away, not > 60
        3: [(date(2026, 6, 1), 20000)],  # single visit, 152 days > 120: lapsed
        4: [(date(2026, 7, 15), 30000)],  # single visit, 108 days: not yet
        5: [(date(2026, 1, 1), 100), (date(2026, 2, 1), 100), (date(2026, 11, 5), 100)],
    }
    found = lapsed_customers(history, as_of, 120, top=10)
    assert [(c.customer_id, c.days_away, c.value_minor) for c in found] == [
        (3, 152, 20000),
        (1, 92, 10000),
        (5, 272, 200),  # the November visit is after the report date: not seen
    ]
    assert len(lapsed_customers(history, as_of, 120, top=1)) == 1


@pytest.mark.parametrize("month", range(1, 13))
def test_months_tile_the_year(month: int) -> None:
    p = Period.month_of(2026, month, LONDON)
    assert p.end == p.shifted(1, LONDON).start
