"""Every KPI's exact definition, printed word for word on the monthly report's last page.

Kept beside ``core.kpis``, which computes them; change both together.
"""

from __future__ import annotations

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("appointments", "Appointments whose start falls in the month (shop time), any status."),
    ("bookings_made", "Appointments whose booking was made in the month, whenever they start."),
    (
        "no_show_rate",
        "no-shows ÷ (completed + no-shows) in the period. Excused no-shows are counted "
        "(the slot was lost) and shown separately.",
    ),
    (
        "late_cancel_rate",
        "late cancellations ÷ appointments due in the period. A cancellation is late when it "
        "came inside the late-cancel window (setting) before the start.",
    ),
    (
        "revenue",
        "Sum over completed visits of the final price taken at checkout, else the booked "
        "price. By service: each visit's revenue split over its services in proportion to "
        "their booked prices.",
    ),
    (
        "new_customers / returning_customers",
        "Customers with a completed visit in the month; new = no completed visit before the "
        "month, returning = at least one.",
    ),
    (
        "rebooking_rate_24h",
        "completed visits whose customer had a later appointment booked within 24 h after "
        "checkout ÷ completed visits. Later = starting after this visit, any status; booked "
        "before the visit counts too. Checkout = when it was marked completed, else its end.",
    ),
    (
        "rebooking_rate_any",
        "completed visits whose customer has any later appointment, booked at any time up to "
        "the printing of the report ÷ completed visits.",
    ),
    (
        "first_visit_retention_90d",
        "new customers of the period 90 days earlier (first completed visit in the month's "
        "dates moved back 90 days) who came back within 90 days (another completed visit "
        "within 90 days after the first) ÷ those new customers.",
    ),
    (
        "avg_days_between_visits",
        "Mean of the days from each completed visit in the month to the same customer's "
        "previous completed visit (visits with no earlier one are left out).",
    ),
    (
        "lapsed customer",
        "days since last visit > 2 × their median interval (≥ 2 visit days), or > the policy "
        "default (lapsed-after setting) for single-visit customers; as of the month's last "
        "day. Visits of the look-back (care policy, 730 days) are considered; value = their "
        "revenue.",
    ),
    (
        "follow-ups",
        "Those due in the month: done on time = done on or before the due day; done late = "
        "after it; overdue = still open after the due day (as of printing); skipped apart.",
    ),
    (
        "cases",
        "opened = opened in the month; resolved = fixed (or closed without a recorded fix) in "
        "the month; median days to resolve = median of opened → resolved over those; promises "
        "kept on time % = promised fixes due in the month that were fixed on or before the "
        "promised day ÷ those due (promises not yet due are not counted); cases owned = cases "
        "open at any time in the month, by owner.",
    ),
)
