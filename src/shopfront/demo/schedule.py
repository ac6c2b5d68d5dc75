"""Demo shop routine: who works when, who does what, and what customers book how often."""

from __future__ import annotations

# Weekly hours per staff member, in the order of names.STAFF (0 = Monday). Most of the team
# works Tuesday to Saturday; Tom, Priya and Kenji cover Mondays; Thursday is late night.
_DAY = [("09:00", "13:00"), ("14:00", "18:00")]
HOURS: list[dict[int, list[tuple[str, str]]]] = [
    # Maya Okafor, owner
    {1: _DAY, 2: _DAY, 3: _DAY, 4: _DAY, 5: [("09:00", "13:00"), ("13:30", "16:00")]},
    # Tom Brennan, manager
    {
        **{d: [("10:00", "14:00"), ("15:00", "19:00")] for d in (0, 1, 2, 3)},
        5: [("09:00", "13:00"), ("13:30", "17:00")],
    },
    # Chloé Dubois
    {
        **{d: [("09:00", "13:00"), ("14:00", "17:30")] for d in (1, 2, 4, 5)},
        3: [("11:00", "15:00"), ("16:00", "20:00")],
    },
    # Priya Raman, nails and beauty
    {d: [("09:30", "13:30"), ("14:30", "18:00")] for d in (0, 2, 3, 4, 5)},
    # Jonas Weiß, barber (early starts)
    {d: [("08:00", "12:00"), ("12:45", "16:30")] for d in (1, 2, 3, 4, 5)},
    # Sofia Rossi
    {d: [("10:00", "14:00"), ("14:45", "19:00")] for d in (1, 2, 3, 4, 5)},
    # Kenji Sato, part-time
    {0: _DAY, 1: _DAY, 4: _DAY, 5: [("09:00", "15:00")]},
    # Ella Thompson, part-time nails and beauty
    {2: [("09:00", "14:00")], 3: [("09:00", "14:00")], 4: [("09:00", "14:00")], 5: _DAY},
]

# What each staff member does (service groups below), in the order of names.STAFF.
SKILLS: list[tuple[str, ...]] = [
    ("women", "kids"),
    ("women", "men", "kids"),
    ("women",),
    ("nails", "beauty"),
    ("men", "kids"),
    ("women", "kids"),
    ("men", "women"),
    ("nails", "beauty"),
]
GROUP_WEIGHT = {"women": 6.0, "men": 4.0, "kids": 0.6, "nails": 4.0, "beauty": 2.0}

# (weight, services booked together, the customer's rhythm in weeks: low, high)
PATTERNS: dict[str, list[tuple[float, tuple[str, ...], tuple[int, int]]]] = {
    "women": [
        (30, ("Women's cut & finish",), (6, 10)),
        (14, ("Root touch-up", "Blow-dry"), (4, 7)),
        (10, ("Full head colour", "Women's cut & finish"), (5, 8)),
        (8, ("Half head highlights", "Toner / gloss"), (6, 9)),
        (4, ("Full head highlights", "Women's cut & finish"), (8, 10)),
        (4, ("Balayage", "Toner / gloss"), (8, 10)),
        (8, ("Blow-dry",), (3, 5)),
        (5, ("Women's cut & finish", "Olaplex treatment"), (6, 10)),
        (2, ("Keratin smoothing",), (8, 10)),
        (2, ("Scalp treatment", "Blow-dry"), (4, 8)),
        (3, ("Fringe trim",), (3, 5)),
    ],
    "men": [
        (35, ("Men's cut",), (3, 6)),
        (20, ("Skin fade",), (3, 4)),
        (15, ("Men's cut", "Beard trim"), (3, 5)),
        (10, ("Skin fade", "Beard trim"), (3, 5)),
        (6, ("Beard trim",), (3, 4)),
        (4, ("Hot towel shave",), (3, 6)),
    ],
    "kids": [(1, ("Children's cut",), (6, 10))],
    "nails": [
        (30, ("Gel manicure",), (3, 4)),
        (15, ("Gel manicure", "Classic pedicure"), (3, 6)),
        (8, ("Acrylic full set",), (6, 10)),
        (20, ("Nail infill",), (3, 4)),
        (10, ("Classic pedicure",), (4, 8)),
    ],
    "beauty": [
        (30, ("Brow shape & tint",), (4, 6)),
        (20, ("Lash lift",), (6, 8)),
        (15, ("Facial",), (4, 8)),
        (10, ("Lash lift", "Brow shape & tint"), (6, 8)),
    ],
}
# Short, regular services a few customers book as a standing series.
SERIES_PATTERNS = {("Blow-dry",), ("Skin fade",), ("Gel manicure",), ("Nail infill",)}
BRIDAL = ("Wedding hair trial",)

# Preferred start times (minutes after local midnight) and how common each is.
TIMES_OF_DAY = [(9 * 60 + 30, 3), (11 * 60, 3), (13 * 60, 1), (15 * 60, 2), (17 * 60 + 30, 2)]

CANCEL_REASONS = [
    "Called to cancel",
    "Unwell",
    "Work came up",
    "Childcare fell through",
    "Cancelled online",
    "Away that week",
]
SHOP_CANCEL_REASONS = [
    "Boiler broke down",
    "Power cut in the street",
    "Staff member called in sick",
]
SICK_REASON = "Staff member called in sick"
EXCUSES = [
    "Hospital appointment ran late",
    "Snowed in",
    "Child was ill",
    "Car broke down on the way",
    "Family emergency",
]
CONFIRM_REASONS = ["SMS reply", "confirmed by phone", "confirmed online"]
VISIT_NOTES = [
    "Bring inspiration photos.",
    "Wants to go a little shorter this time.",
    "Patch test done 48 h before.",
    "Running ten minutes late, called ahead.",
    "Prefers no small talk.",
    "Gift voucher to redeem.",
]
SICK_NOTES = ["Flu", "Migraine", "Back pain", "Stomach bug", ""]
HOLIDAY_NOTES = ["Summer holiday", "Family wedding", "Half-term week", "Winter break"]
TRAINING_NOTES = ["Colour academy course", "Balayage masterclass", "Nail art workshop"]
