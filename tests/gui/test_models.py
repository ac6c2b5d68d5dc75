"""Every table model passes Qt's model tester."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from shopfront.core.customers import CustomerSummary, Role, Service, Staff, TimelineEntry
from shopfront.gui.models import (
    ENTITY_ROLE,
    CustomerTableModel,
    ServiceTableModel,
    StaffTableModel,
    TimelineModel,
)


def summaries(n: int) -> list[CustomerSummary]:
    return [
        CustomerSummary(i, f"Name {i}", ("07400 123456",), (), ("vip",), "Maya", i % 3 == 0)
        for i in range(n)
    ]


def test_customer_model_with_paging(qtmodeltester) -> None:
    model = CustomerTableModel()
    model.set_results(summaries(5), 5, lambda offset: summaries(12)[offset : offset + 5])
    assert model.rowCount() == 5 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10
    model.fetchMore()
    assert model.rowCount() == 12 and not model.canFetchMore()
    assert model.data(model.index(3, 0), ENTITY_ROLE).id == 3
    qtmodeltester.check(model)


def test_staff_service_and_timeline_models(qtmodeltester) -> None:
    staff = StaffTableModel()
    staff.set_items([Staff("Maya", 1, Role.OWNER, "#C0392B"), Staff("Tom", 2)])
    qtmodeltester.check(staff)
    services = ServiceTableModel("GBP")
    services.set_items([Service("Cut", 30, 2800, 1, "Cut", 14)])
    qtmodeltester.check(services)
    assert services.data(services.index(0, 3)) == "28.00 GBP"
    timeline = TimelineModel()
    timeline.set_entries(
        [TimelineEntry(datetime(2026, 7, 1, 12, tzinfo=UTC), "created", "Card created")],
        ZoneInfo("Europe/London"),
    )
    qtmodeltester.check(timeline)
    assert timeline.data(timeline.index(0, 0)).startswith("01 Jul 2026 13:00")
