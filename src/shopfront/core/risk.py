"""No-show risk: features, a transparent logistic score with reasons, base-rate upkeep."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

# Time convention: weekday, hour and calendar dates are read on the wall clock of
# ``starts_at``'s own zone; ``booked_at`` and history times are converted into that zone
# first. Callers pass aware datetimes in the shop's zone (storage knows it).

OUTCOMES = frozenset({"completed", "no_show", "cancelled", "late_cancel"})
# fmt: off
# (label, first, last): lead = calendar days from booking to visit.
LEAD_BANDS = (("lead_0", 0, 0), ("lead_1_2", 1, 2), ("lead_3_7", 3, 7), ("lead_8_14", 8, 14),
              ("lead_15_30", 15, 30), ("lead_31_plus", 31, 10**6))
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Hour the appointment starts (off for day-only data).
HOUR_BANDS = (("hour_before_10", 0, 9), ("hour_10_13", 10, 12), ("hour_13_17", 13, 16),
              ("hour_17_plus", 17, 23))
# Hour the booking was made: on the Kaggle data bookings made before 8:00 come more often.
BOOKED_BANDS = (("booked_before_8", 0, 7), ("booked_8_9", 8, 8), ("booked_9_10", 9, 9),
                ("booked_10_12", 10, 11), ("booked_12_14", 12, 13), ("booked_14_16", 14, 15),
                ("booked_16_18", 16, 17), ("booked_18_plus", 18, 23))
# fmt: on
HISTORY_FEATURES = ("own_rate", "prior_visits", "first_visit")
FEATURE_NAMES: tuple[str, ...] = (
    *(name for name, _, _ in LEAD_BANDS),
    *(f"wd_{d}" for d in WEEKDAYS),
    *(name for name, _, _ in HOUR_BANDS),
    *(name for name, _, _ in BOOKED_BANDS),
    "reminder",
    "confirmed",
    *HISTORY_FEATURES,
    "same_day_1",
    "same_day_2_plus",
    "lead_0_returning",
    "own_rate_lead_0",
)

# A shop fits its own coefficients only with at least this much finished history; below
# it the default coefficients (with the shop's own recalibrated base rate) are used. About
# 20 coefficients need a few hundred events to move away from the defaults they are pulled
# towards (see riskmodel.fit), so both counts matter: a 4 % no-show salon needs ~1,250 visits.
OWN_FIT_MIN_FINISHED = 500
OWN_FIT_MIN_NO_SHOWS = 50


@dataclass(frozen=True)
class PastAppointment:
    """One earlier appointment of the customer; excused no-shows are ignored."""

    starts_at: datetime
    outcome: str
    excused: bool = False

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}")


@dataclass(frozen=True)
class RiskInput:
    """Everything known about one upcoming appointment at scoring time.

    ``history`` may hold anything; only entries strictly before ``starts_at`` are used
    (strictly earlier *days* when ``day_only``). ``day_only`` marks data whose start has no
    time of day (imported day lists): hour features stay off. ``same_day_bookings`` counts
    the customer's other appointments that day already booked when scoring (never their
    outcome).
    """

    starts_at: datetime
    booked_at: datetime
    history: tuple[PastAppointment, ...] = ()
    confirmed: bool = False
    reminder_logged: bool = False
    same_day_bookings: int = 0
    day_only: bool = False


@dataclass(frozen=True)
class HistoryRow:
    """One finished appointment of a shop's (or a data set's) history, as read from a file."""

    customer_id: str
    booked_at: datetime
    starts_at: datetime
    outcome: str
    reminder: bool = False
    confirmed: bool = False
    excused: bool = False
    day_only: bool = False


@dataclass(frozen=True)
class RiskParams:
    """How history is summarised; chosen on the inner Kaggle split (see riskmodel.fit)."""

    prior_strength: float = 20.0  # pseudo-appointments at the base rate (empirical Bayes)
    half_life_days: float = 14.0  # a miss this old weighs half as much as one today
    late_cancel_weight: float = 0.5  # a late cancel counts as half a miss
    recent_window: int = 5  # "missed 2 of last 5"


@dataclass(frozen=True)
class RiskModel:
    """Logistic model: logit p = logit(base) + intercept + sum coef * (x - center)."""

    feature_names: tuple[str, ...]
    coefficients: tuple[float, ...]
    centers: tuple[float, ...]
    intercept: float
    base_rate: float  # the no-show rate the intercept was fitted at
    thresholds: tuple[float, float] = (0.25, 0.40)  # medium from, high from
    params: RiskParams = field(default_factory=RiskParams)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "feature_names": list(self.feature_names),
            "coefficients": list(self.coefficients),
            "centers": list(self.centers),
            "intercept": self.intercept,
            "base_rate": self.base_rate,
            "thresholds": list(self.thresholds),
            "params": asdict(self.params),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RiskModel:
        names = tuple(str(n) for n in data["feature_names"])
        unknown = set(names) - set(FEATURE_NAMES)
        if unknown:
            raise ValueError(f"unknown risk features: {', '.join(sorted(unknown))}")
        coefficients = tuple(float(c) for c in data["coefficients"])
        centers = tuple(float(c) for c in data["centers"])
        if not len(names) == len(coefficients) == len(centers):
            raise ValueError("risk model: feature_names, coefficients, centers differ in length")
        medium, high = (float(t) for t in data.get("thresholds", (0.25, 0.40)))
        return cls(
            feature_names=names,
            coefficients=coefficients,
            centers=centers,
            intercept=float(data["intercept"]),
            base_rate=float(data["base_rate"]),
            thresholds=(medium, high),
            params=RiskParams(**data.get("params", {})),
        )


@dataclass(frozen=True)
class RiskScore:
    probability: float
    level: str
    reasons: tuple[str, ...]


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def clamp_rate(p: float) -> float:
    """Keep a rate strictly inside (0, 1) so logits stay finite."""
    return min(max(p, 1e-4), 1.0 - 1e-4)


def target(outcome: str, excused: bool = False) -> int | None:
    """1 for a no-show, 0 for a visit; None for rows that are not scored outcomes."""
    if outcome == "completed":
        return 0
    if outcome == "no_show" and not excused:
        return 1
    return None  # cancellations and excused no-shows: the slot was not simply missed


def has_enough_history(n_finished: int, n_no_shows: int) -> bool:
    """Whether a shop's own history is large enough to fit its own coefficients."""
    return n_finished >= OWN_FIT_MIN_FINISHED and n_no_shows >= OWN_FIT_MIN_NO_SHOWS


def _local(moment: datetime, like: datetime) -> datetime:
    if like.tzinfo is None or moment.tzinfo is like.tzinfo:
        return moment  # already on that wall clock (callers may convert once per customer)
    return moment.astimezone(like.tzinfo)


def lead_days(inp: RiskInput) -> int:
    """Calendar days from booking to visit, on the shop's wall clock (never negative)."""
    booked = _local(inp.booked_at, inp.starts_at)
    return max(0, (inp.starts_at.date() - booked.date()).days)


def _band(value: int, bands: Sequence[tuple[str, int, int]]) -> str:
    return next(name for name, lo, hi in bands if lo <= value <= hi)


def _visible(inp: RiskInput) -> list[tuple[int, PastAppointment]]:
    """(age in days, appointment) of the history the score may see, newest first."""
    day = inp.starts_at.date()
    seen = []
    for past in inp.history:
        start = _local(past.starts_at, inp.starts_at)
        earlier = start.date() < day if inp.day_only else start < inp.starts_at
        counted = past.outcome != "cancelled" and not (past.outcome == "no_show" and past.excused)
        if earlier and counted:
            seen.append((start, past))
    seen.sort(key=lambda pair: pair[0], reverse=True)
    return [((day - start.date()).days, past) for start, past in seen]


def history_features(
    inp: RiskInput,
    base_rate: float,
    params: RiskParams,
    visible: list[tuple[int, PastAppointment]] | None = None,
) -> dict[str, float]:
    """Smoothed own no-show rate (relative to the base, in logits) and visit counts."""
    if visible is None:
        visible = _visible(inp)
    weight = misses = 0.0
    for age, past in visible:
        decay = 0.5 ** (age / params.half_life_days)
        weight += decay
        if past.outcome == "no_show":
            misses += decay
        elif past.outcome == "late_cancel":  # a weaker signal than not turning up
            misses += decay * params.late_cancel_weight
    base = clamp_rate(base_rate)
    # Beta prior worth prior_strength appointments at the base rate: few visits say little.
    smoothed = (params.prior_strength * base + misses) / (params.prior_strength + weight)
    return {
        "own_rate": logit(clamp_rate(smoothed)) - logit(base),
        "prior_visits": math.log1p(weight),
        "first_visit": 0.0 if visible else 1.0,
    }


def extract_features(
    inp: RiskInput,
    base_rate: float,
    params: RiskParams,
    visible: list[tuple[int, PastAppointment]] | None = None,
) -> dict[str, float]:
    """All features of one appointment (one-hot bands are 0/1), named as in FEATURE_NAMES.
    ``visible`` is ``_visible(inp)`` when the caller already has it."""
    features = dict.fromkeys(FEATURE_NAMES, 0.0)
    features[_band(lead_days(inp), LEAD_BANDS)] = 1.0
    features[f"wd_{WEEKDAYS[inp.starts_at.weekday()]}"] = 1.0
    if not inp.day_only:
        features[_band(inp.starts_at.hour, HOUR_BANDS)] = 1.0
    booked = _local(inp.booked_at, inp.starts_at)
    features[_band(booked.hour, BOOKED_BANDS)] = 1.0
    features["reminder"] = float(inp.reminder_logged)
    features["confirmed"] = float(inp.confirmed)
    features.update(history_features(inp, base_rate, params, visible))
    # Same-day bookings: new customers nearly always come, a returning one's own record
    # says more than it does weeks ahead (both measured on the inner split).
    features["lead_0_returning"] = features["lead_0"] * (1.0 - features["first_visit"])
    features["own_rate_lead_0"] = features["lead_0"] * features["own_rate"]
    if inp.same_day_bookings == 1:
        features["same_day_1"] = 1.0
    elif inp.same_day_bookings >= 2:
        features["same_day_2_plus"] = 1.0
    return features


def _contributions(features: Mapping[str, float], model: RiskModel) -> dict[str, float]:
    return {
        name: coef * (features[name] - center)
        for name, coef, center in zip(
            model.feature_names, model.coefficients, model.centers, strict=True
        )
    }


def _probability(contributions: Mapping[str, float], model: RiskModel, base_rate: float) -> float:
    # The shop's current base rate shifts every prediction (handles drift between fits).
    shift = logit(clamp_rate(base_rate)) - logit(clamp_rate(model.base_rate))
    eta = logit(clamp_rate(model.base_rate)) + model.intercept + shift
    return clamp_rate(sigmoid(eta + sum(contributions.values())))


def probability(inp: RiskInput, model: RiskModel, base_rate: float) -> float:
    """The no-show probability alone (no reasons): strictly between 0 and 1."""
    features = extract_features(inp, base_rate, model.params)
    return _probability(_contributions(features, model), model, base_rate)


def level_of(p: float, thresholds: tuple[float, float]) -> str:
    medium, high = thresholds
    return "high" if p >= high else "medium" if p >= medium else "low"


def score(inp: RiskInput, model: RiskModel, base_rate: float) -> RiskScore:
    """Probability, policy level and up to three reasons, strongest first."""
    visible = _visible(inp)
    features = extract_features(inp, base_rate, model.params, visible)
    contributions = _contributions(features, model)
    p = _probability(contributions, model, base_rate)
    reasons = _reasons(inp, contributions, model, visible)
    return RiskScore(p, level_of(p, model.thresholds), reasons)


# --- reasons -------------------------------------------------------------------------

_MIN_EFFECT = 0.05  # logits; smaller pushes are not worth a line on the card


@functools.cache
def _groups_of(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_group(name) for name in names)


def _group(name: str) -> str:
    """The fact a feature speaks about; one reason line per fact."""
    if name in HISTORY_FEATURES or name == "own_rate_lead_0":
        return "history"
    for prefix in ("lead", "wd", "hour", "booked", "same_day"):
        if name.startswith(prefix + "_"):
            return prefix  # lead_0_returning belongs with the booking's lead time
    return name


def _reasons(
    inp: RiskInput,
    contributions: Mapping[str, float],
    model: RiskModel,
    visible: list[tuple[int, PastAppointment]],
) -> tuple[str, ...]:
    """Facts that raise the risk most; if none does, the facts that lower it most."""
    groups: dict[str, float] = {}
    for group, value in zip(_groups_of(tuple(contributions)), contributions.values(), strict=True):
        groups[group] = groups.get(group, 0.0) + value
    up = sorted((g for g, v in groups.items() if v > _MIN_EFFECT), key=lambda g: -groups[g])
    down = sorted((g for g, v in groups.items() if v < -_MIN_EFFECT), key=lambda g: groups[g])
    return tuple(_describe(g, inp, model.params, visible) for g in (up or down)[:3])


def _describe(
    group: str,
    inp: RiskInput,
    params: RiskParams,
    visible: list[tuple[int, PastAppointment]],
) -> str:
    if group == "lead":
        days = lead_days(inp)
        return {0: "booked the same day", 1: "booked the day before"}.get(
            days, f"booked {days} days ahead"
        )
    if group == "history":
        return _describe_history(visible, params)
    if group == "wd":
        return f"on a {inp.starts_at.strftime('%A')}"
    if group == "hour":
        return f"starts at {inp.starts_at.strftime('%H:%M')}"
    if group == "booked":
        return f"booked at {_local(inp.booked_at, inp.starts_at).strftime('%H:%M')}"
    if group == "same_day":
        n = inp.same_day_bookings
        return "another booking that day" if n == 1 else f"{n} other bookings that day"
    if group == "reminder":
        return "reminder sent" if inp.reminder_logged else "no reminder sent"
    return "confirmed" if inp.confirmed else "not confirmed"


def _describe_history(visible: list[tuple[int, PastAppointment]], params: RiskParams) -> str:
    recent = [past for _, past in visible][: params.recent_window]
    if not recent:
        return "first visit"
    n = len(recent)
    missed = sum(p.outcome == "no_show" for p in recent)
    late = sum(p.outcome == "late_cancel" for p in recent)
    if n == 1:
        if missed:
            return "missed the last visit"
        if late:
            return "cancelled the last visit late"
    if missed:
        return f"missed {missed} of last {n}"
    if late:
        return f"cancelled late {late} of last {n}"
    return "came to the last visit" if n == 1 else f"came to all of last {n}"


# --- base rate -----------------------------------------------------------------------


def calibrated_base_rate(
    model: RiskModel,
    recent: Iterable[tuple[RiskInput, int]],
    as_of: date,
    *,
    half_life_days: float = 7.0,
    prior_rate: float | None = None,
    prior_weight: float = 50.0,
) -> float:
    """The shop's current base rate: the one at which the model's predictions for recent
    finished appointments match their 0/1 outcomes (pass the result to score()).

    ``recent`` holds finished appointments before ``as_of`` (each with the history it had
    then). Recent weeks weigh most (half-life in days), which is how the score follows
    drift. Matching predictions rather than taking the raw rate also absorbs a changed mix
    (more long-lead bookings, fewer reminders) that a raw rate would count twice.
    ``prior_weight`` pseudo-appointments at ``prior_rate`` (default: the model's own rate;
    a new shop may pass its own guess) keep a quiet month from swinging it to 0 %.
    """
    rows = []
    for inp, outcome in recent:
        age = (as_of - inp.starts_at.date()).days
        if age > 0:
            eta = logit(probability(inp, model, model.base_rate))
            rows.append((eta, float(outcome), 0.5 ** (age / half_life_days)))
    start = logit(clamp_rate(model.base_rate))
    prior = clamp_rate(model.base_rate if prior_rate is None else prior_rate)
    return clamp_rate(sigmoid(start + solve_shift(rows, start, prior, prior_weight)))


def solve_shift(
    rows: Sequence[tuple[float, float, float]],
    model_logit: float,
    prior_rate: float,
    prior_weight: float,
) -> float:
    """Logit shift d solving sum w * (sigmoid(eta + d) - y) = 0 over (eta, y, w) rows plus
    ``prior_weight`` pseudo-rows at ``model_logit`` that no-show at ``prior_rate``."""
    shift = 0.0
    for _ in range(100):
        p0 = sigmoid(model_logit + shift)
        grad = prior_weight * (p0 - prior_rate)
        hess = prior_weight * p0 * (1 - p0)
        for eta, y, w in rows:
            p = sigmoid(eta + shift)
            grad += w * (p - y)
            hess += w * p * (1 - p)
        if hess <= 0:
            return 0.0
        step = max(-1.0, min(1.0, grad / hess))  # damped: the first step can overshoot
        shift -= step
        if abs(step) < 1e-10:
            break
    return shift
