"""What each printable report is drawn from: plain data gathered by the Book, no queries.

``reports/`` lays these out; the numbers in them were computed in ``core.kpis``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shopfront.core.booking import Appointment, DaySchedule
from shopfront.core.care_kpis import CaseRow
from shopfront.core.customers import Customer, ShopSettings
from shopfront.core.kpis import LapsedCustomer, MonthCounts, MonthlySummary


@dataclass(frozen=True)
class Names:
    """Display names for ids printed on a report (staff, services, customers)."""

    staff: dict[int, str] = field(default_factory=dict)
    services: dict[int, str] = field(default_factory=dict)
    customers: dict[int, str] = field(default_factory=dict)
    owners: dict[int, int | None] = field(default_factory=dict)  # customer -> owning staff

    def staff_name(self, staff_id: int | None) -> str:
        if staff_id is None:
            return "(nobody)"
        return self.staff.get(staff_id, f"#{staff_id}")

    def customer(self, customer_id: int) -> str:
        return self.customers.get(customer_id, f"#{customer_id}")


@dataclass(frozen=True)
class MonthlyReport:
    settings: ShopSettings
    generated_at: datetime  # aware; printed in the shop zone
    summary: MonthlySummary
    previous: MonthlySummary  # the month before
    last_year: MonthlySummary  # the same month a year earlier
    trend: tuple[MonthCounts, ...]  # the 12 months ending with this one, oldest first
    lapsed: tuple[LapsedCustomer, ...]
    lapsed_as_of: date
    names: Names
    care_available: bool  # the book has the care tables (follow-ups, cases)


@dataclass(frozen=True)
class DaySheet:
    settings: ShopSettings
    generated_at: datetime
    schedule: DaySchedule
    open_cases: frozenset[int]  # customers with an open case


@dataclass(frozen=True)
class ContactLine:
    at: datetime
    channel: str
    direction: str
    outcome: str
    summary: str
    staff: str


@dataclass(frozen=True)
class CaseLine:
    case: CaseRow
    words: str
    fix: str
    resolution: str
    owner: str


@dataclass(frozen=True)
class CustomerHistory:
    settings: ShopSettings
    generated_at: datetime
    customer: Customer
    owner: str
    backup: str
    appointments: tuple[tuple[Appointment, str], ...]  # (appointment, staff name), newest first
    contacts: tuple[ContactLine, ...]
    cases: tuple[CaseLine, ...]
