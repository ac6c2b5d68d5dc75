"""No-show risk score: features, score, reasons and base rate as pure functions."""

from __future__ import annotations

import ast
import json
import math
import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import shopfront
from shopfront.core import risk
from shopfront.core.risk import (
    FEATURE_NAMES,
    PastAppointment,
    RiskInput,
    RiskModel,
    RiskParams,
    calibrated_base_rate,
    extract_features,
    has_enough_history,
    lead_days,
    probability,
    score,
    solve_shift,
)
from shopfront.core.risk_defaults import DEFAULT_MODEL

BERLIN = ZoneInfo("Europe/Berlin")
PARAMS = RiskParams()
# Tuesday 2024-06-11, 15:30 in Berlin.
START = datetime(2024, 6, 11, 15, 30, tzinfo=BERLIN)


def at(days_before: float, hour: int = 10) -> datetime:
    """A moment ``days_before`` calendar days before START, at ``hour``."""
    day = START - timedelta(days=days_before)
    return day.replace(hour=hour, minute=0)


def inp(**changes: object) -> RiskInput:
    base = RiskInput(starts_at=START, booked_at=at(40, hour=11))
    return replace(base, **changes)  # type: ignore[arg-type]


def past(days_before: int, outcome: str = "completed", excused: bool = False) -> PastAppointment:
    return PastAppointment(at(days_before), outcome, excused)


def hand_model(**coefs: float) -> RiskModel:
    names = tuple(coefs)
    return RiskModel(
        feature_names=names,
        coefficients=tuple(coefs.values()),
        centers=tuple(0.0 for _ in names),
        intercept=0.0,
        base_rate=0.1,
    )


def own_rate(base: float, misses: float, weight: float, prior: float = 20.0) -> float:
    smoothed = (prior * base + misses) / (prior + weight)
    return math.log(smoothed / (1 - smoothed)) - math.log(base / (1 - base))


# --- features --------------------------------------------------------------------------


def test_features_of_a_pinned_appointment() -> None:
    f = extract_features(inp(reminder_logged=True, confirmed=True), 0.1, PARAMS)
    assert set(f) == set(FEATURE_NAMES)
    ones = {name for name, value in f.items() if value == 1.0}
    assert ones == {
        "lead_31_plus",  # booked 40 days ahead
        "wd_tue",
        "hour_13_17",
        "booked_10_12",
        "reminder",
        "confirmed",
        "first_visit",
    }
    assert f["own_rate"] == 0.0 and f["prior_visits"] == 0.0


@pytest.mark.parametrize(
    ("booked", "band"),
    [
        (START - timedelta(hours=2), "lead_0"),
        (at(1), "lead_1_2"),
        (at(2), "lead_1_2"),
        (at(7), "lead_3_7"),
        (at(8), "lead_8_14"),
        (at(30), "lead_15_30"),
        (at(31), "lead_31_plus"),
    ],
)
def test_lead_bands(booked: datetime, band: str) -> None:
    f = extract_features(inp(booked_at=booked), 0.1, PARAMS)
    assert [n for n in f if n.startswith("lead_") and f[n] == 1.0] == [band]


def test_lead_days_are_counted_on_the_shops_wall_clock() -> None:
    # 23:30 UTC on June 10 is already June 11 in Berlin: a same-day booking there.
    booked = datetime(2024, 6, 10, 23, 30, tzinfo=UTC)
    assert lead_days(inp(booked_at=booked)) == 0
    f = extract_features(inp(booked_at=booked), 0.1, PARAMS)
    assert f["booked_before_8"] == 1.0  # 01:30 local


def test_day_only_appointments_have_no_hour_feature() -> None:
    f = extract_features(inp(day_only=True), 0.1, PARAMS)
    assert not any(f[n] for n in FEATURE_NAMES if n.startswith("hour_"))


def test_own_rate_is_smoothed_towards_the_base_rate_with_time_decay() -> None:
    history = (past(7, "no_show"), past(14), past(28, "no_show"), past(35), past(70))
    f = extract_features(inp(history=history), 0.1, PARAMS)
    w = [0.5 ** (d / 14) for d in (7, 14, 28, 35, 70)]
    assert f["own_rate"] == pytest.approx(own_rate(0.1, w[0] + w[2], sum(w)))
    assert f["prior_visits"] == pytest.approx(math.log1p(sum(w)))
    assert f["first_visit"] == 0.0


def test_old_misses_weigh_less_than_recent_ones() -> None:
    recent = extract_features(inp(history=(past(2, "no_show"),)), 0.1, PARAMS)
    old = extract_features(inp(history=(past(90, "no_show"),)), 0.1, PARAMS)
    assert recent["own_rate"] > old["own_rate"] > 0.0


def test_excused_no_shows_and_cancellations_do_not_count() -> None:
    clean = extract_features(inp(history=(past(10),)), 0.1, PARAMS)
    noisy = extract_features(
        inp(history=(past(10), past(5, "no_show", excused=True), past(3, "cancelled"))),
        0.1,
        PARAMS,
    )
    assert noisy == clean


def test_a_late_cancel_is_half_a_miss() -> None:
    f = extract_features(inp(history=(past(14, "late_cancel"),)), 0.1, PARAMS)
    assert f["own_rate"] == pytest.approx(own_rate(0.1, 0.5 * 0.5, 0.5))
    missed = extract_features(inp(history=(past(14, "no_show"),)), 0.1, PARAMS)
    assert 0.0 < f["own_rate"] < missed["own_rate"]


def test_same_day_history_counts_only_when_times_are_known() -> None:
    earlier_today = PastAppointment(START - timedelta(hours=5), "no_show")
    timed = extract_features(inp(history=(earlier_today,)), 0.1, PARAMS)
    day_only = extract_features(inp(history=(earlier_today,), day_only=True), 0.1, PARAMS)
    assert timed["first_visit"] == 0.0 and timed["own_rate"] > 0
    assert day_only["first_visit"] == 1.0 and day_only["own_rate"] == 0.0


def test_same_day_bookings_and_interactions() -> None:
    same_day = inp(booked_at=START - timedelta(hours=1), same_day_bookings=3)
    f = extract_features(same_day, 0.1, PARAMS)
    assert f["same_day_2_plus"] == 1.0 and f["same_day_1"] == 0.0
    assert f["lead_0_returning"] == 0.0  # first visit
    returning = replace(same_day, history=(past(3, "no_show"),))
    g = extract_features(returning, 0.1, PARAMS)
    assert g["lead_0_returning"] == 1.0
    assert g["own_rate_lead_0"] == g["own_rate"] > 0


# --- score -----------------------------------------------------------------------------


def test_no_history_gets_the_base_rate_adjusted_by_lead_time() -> None:
    model = hand_model(lead_0=-1.5, lead_31_plus=0.7)
    for base in (0.05, 0.2):
        p_far = score(inp(), model, base).probability
        p_today = score(inp(booked_at=START - timedelta(hours=3)), model, base).probability
        p_week = score(inp(booked_at=at(5)), model, base).probability
        logit = math.log(base / (1 - base))
        assert p_far == pytest.approx(1 / (1 + math.exp(-(logit + 0.7))))
        assert p_today == pytest.approx(1 / (1 + math.exp(-(logit - 1.5))))
        assert p_week == pytest.approx(base)  # the reference band: the base rate itself
        assert 0 < p_today < p_week < p_far < 1


@pytest.mark.parametrize("base", [0.0, 1.0, -3.0, 7.0])
def test_probability_never_reaches_0_or_1(base: float) -> None:
    p = score(inp(), DEFAULT_MODEL, base).probability
    assert 0.0 < p < 1.0


def test_future_history_cannot_change_an_earlier_score() -> None:
    known = (past(20), past(60, "no_show"))
    future = tuple(PastAppointment(START + timedelta(days=d), "no_show") for d in range(0, 30, 3))
    same_moment = (PastAppointment(START, "no_show"),)
    for model in (DEFAULT_MODEL, hand_model(own_rate=2.0, prior_visits=0.5, first_visit=0.3)):
        honest = score(inp(history=known), model, 0.15)
        leaky = score(inp(history=known + future + same_moment), model, 0.15)
        assert leaky == honest


def test_day_only_scores_ignore_later_the_same_day() -> None:
    same_day_miss = PastAppointment(START.replace(hour=0, minute=0), "no_show")
    clean = score(inp(day_only=True), DEFAULT_MODEL, 0.2)
    assert score(inp(day_only=True, history=(same_day_miss,)), DEFAULT_MODEL, 0.2) == clean


def test_score_is_deterministic_and_ignores_history_order() -> None:
    history = (past(3, "no_show"), past(10), past(17, "no_show"), past(24), past(31))
    a = score(inp(history=history), DEFAULT_MODEL, 0.12)
    b = score(inp(history=tuple(reversed(history))), DEFAULT_MODEL, 0.12)
    assert a == b == score(inp(history=history), DEFAULT_MODEL, 0.12)


def test_reasons_name_the_strongest_facts_first() -> None:
    model = hand_model(lead_31_plus=0.6, own_rate=2.0, confirmed=-0.4, reminder=-0.01)
    model = replace(model, centers=(0.0, 0.0, 1.0, 0.0))  # "confirmed" is the norm
    history = (past(3, "no_show"), past(10), past(17, "no_show"), past(24), past(31), past(45))
    result = score(inp(history=history), model, 0.1)
    assert result.reasons == ("missed 2 of last 5", "booked 40 days ahead", "not confirmed")
    assert result.level == "high" and result.probability >= 0.40


def test_low_risk_explains_what_lowers_it() -> None:
    model = hand_model(lead_0=-1.5, own_rate=2.0)
    history = (past(3), past(10))
    result = score(inp(booked_at=START - timedelta(hours=1), history=history), model, 0.1)
    assert result.level == "low"
    assert result.reasons == ("booked the same day", "came to all of last 2")


def test_first_visit_reason() -> None:
    model = hand_model(first_visit=0.8)
    assert score(inp(), model, 0.1).reasons == ("first visit",)


@pytest.mark.parametrize(
    ("p", "level"), [(0.0, "low"), (0.249, "low"), (0.25, "medium"), (0.4, "high")]
)
def test_levels_follow_the_thresholds(p: float, level: str) -> None:
    assert risk.level_of(p, (0.25, 0.40)) == level


# --- model -----------------------------------------------------------------------------


def test_model_round_trips_through_json() -> None:
    again = RiskModel.from_dict(json.loads(json.dumps(DEFAULT_MODEL.to_dict())))
    assert again == DEFAULT_MODEL


def test_model_rejects_unknown_features_and_ragged_lists() -> None:
    data = DEFAULT_MODEL.to_dict()
    with pytest.raises(ValueError, match="unknown risk features: shoe_size"):
        RiskModel.from_dict(data | {"feature_names": [*data["feature_names"][:-1], "shoe_size"]})
    with pytest.raises(ValueError, match="differ in length"):
        RiskModel.from_dict(data | {"centers": data["centers"][:-1]})


def test_default_model_rises_with_lead_time() -> None:
    ps = [probability(inp(booked_at=at(d)), DEFAULT_MODEL, 0.2) for d in (0, 5, 10, 20)]
    assert ps == sorted(ps)
    assert ps[0] < 0.1 and ps[-1] > 0.2


def test_own_history_threshold() -> None:
    assert not has_enough_history(499, 80)
    assert not has_enough_history(2000, 49)
    assert has_enough_history(500, 50)


def test_unknown_outcome_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown outcome 'late'"):
        PastAppointment(START, "late")


# --- base rate -------------------------------------------------------------------------


def _finished(n: int, rate: float, days_before: int) -> list[tuple[RiskInput, int]]:
    """n finished appointments ``days_before`` the as-of day, a share ``rate`` missed."""
    day = START - timedelta(days=days_before)
    misses = round(n * rate)
    return [
        (RiskInput(starts_at=day, booked_at=day - timedelta(days=3)), int(i < misses))
        for i in range(n)
    ]


def test_calibrated_base_rate_follows_recent_outcomes() -> None:
    model = hand_model(lead_3_7=0.0)  # every appointment predicted at the base rate
    as_of = START.date()
    assert calibrated_base_rate(model, [], as_of) == pytest.approx(0.1)
    lower = calibrated_base_rate(model, _finished(2000, 0.05, 3), as_of, prior_weight=0)
    assert lower == pytest.approx(0.05, abs=1e-9)
    shrunk = calibrated_base_rate(model, _finished(50, 0.3, 3), as_of, prior_weight=50)
    assert 0.1 < shrunk < 0.3
    guess = calibrated_base_rate(model, [], as_of, prior_rate=0.04)
    assert guess == pytest.approx(0.04)


def test_recent_weeks_weigh_most() -> None:
    model = hand_model(lead_3_7=0.0)
    history = _finished(500, 0.3, 60) + _finished(500, 0.05, 2)
    assert calibrated_base_rate(model, history, START.date(), prior_weight=0) < 0.08


def test_calibrated_base_rate_ignores_the_day_itself_and_later() -> None:
    model = hand_model(lead_3_7=0.0)
    today = _finished(300, 0.9, 0) + _finished(300, 0.9, -5)
    assert calibrated_base_rate(model, today, START.date()) == pytest.approx(0.1)


def test_solve_shift_matches_the_closed_form_for_one_group() -> None:
    rows = [(0.0, 1.0, 1.0)] * 30 + [(0.0, 0.0, 1.0)] * 70
    assert solve_shift(rows, 0.0, 0.5, 0.0) == pytest.approx(math.log(0.3 / 0.7))


# --- dependencies ----------------------------------------------------------------------

RISK_FILES = ("risk.py", "risk_defaults.py")


def test_risk_modules_import_only_the_standard_library() -> None:
    core = Path(risk.__file__).parent
    for name in RISK_FILES:
        tree = ast.parse((core / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom) and getattr(node, "level", 0) == 0:
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if isinstance(node, ast.ImportFrom):
                    modules = [node.module or ""]
                for module in modules:
                    top = module.split(".")[0]
                    assert top in sys.stdlib_module_names or module.startswith("shopfront.core"), (
                        f"{name} imports {module}"
                    )


def test_importing_the_score_loads_no_numpy_qt_or_database() -> None:
    src = str(Path(shopfront.__file__).parent.parent)
    code = (
        "import sys, shopfront.core.risk, shopfront.core.risk_defaults\n"
        "bad = [m for m in ('numpy', 'PySide6', 'peewee') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    env = os.environ | {"PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_pinned_dates_are_what_the_tests_think() -> None:
    assert START.strftime("%A") == "Tuesday" and START.date() == date(2024, 6, 11)
