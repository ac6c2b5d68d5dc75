"""Report queries against a real book: the October fixture's KPIs, computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from shopfront.book import Book
from shopfront.core.kpis import summary_numbers
from tests.conftest import add
from tests.report_seed import EXPECTED, seed_care, seed_october


def test_october_numbers_match_the_hand_count(shop: Book, clock) -> None:
    seed_october(shop, clock)
    numbers = summary_numbers(shop.monthly_summary(2026, 10))
    assert {k: numbers[k] for k in EXPECTED} == EXPECTED


def test_revenue_split_by_staff_and_service(shop: Book, clock) -> None:
    seed_october(shop, clock)
    s = shop.monthly_summary(2026, 10)
    maya, tom = (p.id for p in shop.staff())
    assert {b.key: (b.visits, b.revenue_minor) for b in s.by_staff} == {
        maya: (2, 4800 + 13700),
        tom: (1, 8500),
    }
    cut, colour = (x.id for x in sorted(shop.services(), key=lambda x: x.price_minor))
    # 13700 split 8500 : 5200 over colour and cut
    assert {b.key: (b.visits, b.revenue_minor) for b in s.by_service} == {
        cut: (2, 4800 + 5200),
        colour: (2, 8500 + 8500),
    }


def test_care_numbers_from_the_care_tables(shop: Book, clock) -> None:
    ids = seed_october(shop, clock)
    seed_care(shop, ids)
    care = shop.monthly_summary(2026, 10).care
    assert care is not None
    f = care.followups
    assert (f.due, f.done_on_time, f.done_late, f.overdue) == (2, 1, 0, 1)
    assert (care.cases_opened, care.cases_resolved, care.promises.due) == (1, 0, 1)
    assert care.promises.percent == 0.0 and care.median_days_to_resolve is None
    assert [(c.customer_id, c.overdue) for c in care.open_cases] == [(ids["R&D"], True)]


def test_monthly_report_compares_trends_and_lists_lapsed(shop: Book, clock) -> None:
    ids = seed_october(shop, clock)
    report = shop.monthly_report(2026, 10)
    assert report.previous.period.label == "2026-09" and report.previous.appointments == 0
    assert report.last_year.period.label == "2025-10" and report.last_year.empty
    assert [m.label for m in report.trend][-1] == "2026-10" and len(report.trend) == 12
    october = report.trend[-1]
    assert (october.appointments, october.completed, october.no_shows) == (6, 3, 1)
    assert october.revenue_minor == 27000
    assert report.trend[-6].label == "2026-05" and report.trend[-6].completed == 1
    # Old Timer: one visit on 1 May, 183 days before 31 Oct (> 120): lapsed
    assert [(c.customer_id, c.days_away) for c in report.lapsed] == [(ids["Old Timer"], 183)]
    assert report.lapsed_as_of == date(2026, 10, 31)
    assert report.names.customer(ids["Old Timer"]) == "Old Timer"


def test_empty_book_gives_an_empty_month(shop: Book) -> None:
    report = shop.monthly_report(2026, 10)
    assert report.summary.empty and report.lapsed == ()
    assert summary_numbers(report.summary)["no_show_rate"] is None


def test_day_sheet_marks_open_cases(shop: Book, clock) -> None:
    ids = seed_october(shop, clock)
    seed_care(shop, ids)
    sheet = shop.day_sheet(date(2026, 10, 6))
    assert [v.customer_name for v in sheet.schedule.visits] == ["R&D"]
    assert sheet.open_cases == {ids["R&D"]}


def test_customer_history_gathers_visits_and_cases(shop: Book, clock) -> None:
    ids = seed_october(shop, clock)
    seed_care(shop, ids)
    history = shop.customer_history(ids["R&D"])
    assert history.customer.name == "R&D" and len(history.appointments) == 2
    assert [c.fix for c in history.cases] == ["Free toner"]


@pytest.mark.sqlite_only("two connections to one SQLite file")
def test_a_report_being_built_does_not_stop_another_desk_saving(shop: Book, db_path) -> None:
    other = Book.open(str(db_path))
    try:
        with shop._snapshot():
            assert shop.monthly_summary(2026, 10).appointments == 0
            add(other, "Walk In", "07400 999999")  # would wait for the lock under IMMEDIATE
        assert shop.customer_count() == 1
    finally:
        other.close()
