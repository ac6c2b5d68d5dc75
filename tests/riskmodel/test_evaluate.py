"""Fitting and measuring the no-show score: metrics, honest inputs, the Kaggle benchmark."""

from __future__ import annotations

import itertools
import json
import math
import random
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopfront.core.risk import HistoryRow, RiskInput, RiskModel, probability, solve_shift
from shopfront.core.risk_defaults import DEFAULT_MODEL
from shopfront.io.history import read_kaggle_noshow
from shopfront.riskmodel.evaluate import (
    KAGGLE_TEST_FROM,
    auc,
    brier,
    calibration_table,
    daily_shifts,
    evaluate_history,
    log_loss,
    predict_test_period,
    suggest_test_from,
)
from shopfront.riskmodel.fit import build_inputs, fit, fit_rows

KAGGLE = Path("/work/shared/data/noshow_appointments_2016.csv.gz")
DAY0 = date(2024, 3, 4)  # a Monday


def row(customer: str, day: date, lead: int, outcome: str, **extra: Any) -> HistoryRow:
    starts = datetime.combine(day, time(), UTC)
    booked = starts - timedelta(days=lead) + timedelta(hours=9)
    return HistoryRow(customer, booked, starts, outcome, day_only=True, **extra)


# --- metrics ---------------------------------------------------------------------------


def test_auc_of_separable_reversed_and_tied_scores() -> None:
    assert auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]) == 1.0
    assert auc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1]) == 0.0
    assert auc([0.5] * 6, [0, 1, 0, 1, 1, 0]) == 0.5
    # Positives 0.4 and 0.8 against negatives 0.1 and 0.4: (1 + 0.5 + 1 + 1) / 4.
    assert auc([0.1, 0.4, 0.4, 0.8], [0, 0, 1, 1]) == 0.875


def test_auc_is_undefined_for_one_class() -> None:
    assert auc([0.1, 0.2], [1, 1]) is None


@given(
    st.lists(st.tuples(st.integers(0, 5), st.booleans()), min_size=2, max_size=40).filter(
        lambda xs: 0 < sum(y for _, y in xs) < len(xs)
    )
)
def test_auc_equals_the_share_of_correctly_ordered_pairs(pairs: list[tuple[int, bool]]) -> None:
    pos = [s for s, y in pairs if y]
    neg = [s for s, y in pairs if not y]
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    got = auc([s for s, _ in pairs], [int(y) for _, y in pairs])
    assert got == pytest.approx(wins / (len(pos) * len(neg)))


def test_brier_and_log_loss_by_hand() -> None:
    p = np.array([0.9, 0.2, 0.5, 0.1])
    y = np.array([1.0, 0.0, 1.0, 1.0])
    assert brier(p, y) == pytest.approx((0.01 + 0.04 + 0.25 + 0.81) / 4)
    expected = -(math.log(0.9) + math.log(0.8) + math.log(0.5) + math.log(0.1)) / 4
    assert log_loss(p, y) == pytest.approx(expected)


def test_calibration_table_splits_by_predicted_risk() -> None:
    p = np.array([0.1, 0.1, 0.3, 0.3, 0.6, 0.6])
    y = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    table = calibration_table(p, y, bins=3)
    assert table == [
        {"predicted": pytest.approx(0.1), "observed": 0.0, "n": 2},
        {"predicted": pytest.approx(0.3), "observed": 0.5, "n": 2},
        {"predicted": pytest.approx(0.6), "observed": 1.0, "n": 2},
    ]


def test_numpy_and_stdlib_recalibration_agree() -> None:
    rng = random.Random(7)
    eta = np.array([rng.uniform(-3, 1) for _ in range(300)])
    y = np.array([float(rng.random() < 0.15) for _ in range(300)])
    days = np.array([DAY0 + timedelta(days=i % 20) for i in range(300)])
    target_day = DAY0 + timedelta(days=15)
    got = daily_shifts(days, eta, y, [target_day], -1.5, 7.0, 50.0)[target_day]
    rows = [
        (e, v, 0.5 ** ((target_day - d).days / 7.0))
        for e, v, d in zip(eta, y, days, strict=True)
        if d < target_day
    ]
    assert got == pytest.approx(solve_shift(rows, -1.5, 1 / (1 + math.exp(1.5)), 50.0))


# --- inputs as they were known ---------------------------------------------------------


def test_inputs_see_only_earlier_days_and_earlier_booked_siblings() -> None:
    d1, d2 = DAY0, DAY0 + timedelta(days=7)
    rows = [
        row("a", d1, 3, "no_show"),
        row("a", d2, 5, "completed"),  # booked before the day: a known sibling
        row("a", d2, 0, "no_show"),  # booked at the desk that day: unknown the morning before
        row("a", d2 + timedelta(days=1), 2, "no_show"),
        row("b", d2, 1, "completed"),
    ]
    inputs = build_inputs(rows)
    assert [len(i.history) for i in inputs] == [0, 1, 1, 3, 0]
    assert [i.same_day_bookings for i in inputs] == [0, 0, 1, 0, 0]
    assert all(i.day_only for i in inputs)
    assert inputs[1].history[0].outcome == "no_show"


def test_fit_recovers_a_known_lead_time_effect() -> None:
    rng = random.Random(3)
    rate = {0: 0.05, 5: 0.2, 40: 0.4}
    inputs: list[RiskInput] = []
    outcomes: dict[int, list[int]] = {lead: [] for lead in rate}
    for k in range(6000):
        lead = (0, 5, 40)[k % 3]
        start = datetime.combine(DAY0 + timedelta(days=k % 50), time(10), UTC)
        inputs.append(RiskInput(starts_at=start, booked_at=start - timedelta(days=lead)))
        outcomes[lead].append(int(rng.random() < rate[lead]))
    flat = [outcomes[(0, 5, 40)[k % 3]][k // 3] for k in range(6000)]
    model = fit(inputs, flat, feature_names=("lead_0", "lead_31_plus"), l2=0.0)
    start = inputs[0].starts_at
    for lead, ys in outcomes.items():
        probe = RiskInput(starts_at=start, booked_at=start - timedelta(days=lead))
        # Unpenalised logistic regression on one-hot groups reproduces each group's rate,
        # which is within sampling error of the rate the data was drawn with.
        p = probability(probe, model, model.base_rate)
        assert p == pytest.approx(np.mean(ys), abs=1e-6)
        assert p == pytest.approx(rate[lead], abs=0.03)


def test_fit_with_a_prior_stays_near_it() -> None:
    start = datetime(2024, 3, 4, 10, tzinfo=UTC)
    inputs = [RiskInput(starts_at=start, booked_at=start - timedelta(days=40))] * 40
    inputs += [RiskInput(starts_at=start, booked_at=start - timedelta(days=5))] * 40
    outcomes = [0] * 40 + [1] * 4 + [0] * 36  # a tiny sample that contradicts the prior
    prior = RiskModel(("lead_31_plus",), (0.6,), (0.0,), 0.0, 0.2)
    free = fit(inputs, outcomes, feature_names=("lead_31_plus",), l2=0.1)
    pulled = fit(inputs, outcomes, feature_names=("lead_31_plus",), l2=1000.0, prior=prior)
    assert free.coefficients[0] < -1.0
    assert pulled.coefficients[0] == pytest.approx(0.6, abs=0.05)


# --- evaluate end to end ---------------------------------------------------------------


def separable_history() -> list[HistoryRow]:
    """Customers who book 40 days ahead never come; same-day bookers always do."""
    rows = []
    for c, day in itertools.product(range(30), range(0, 28, 2)):
        far = c % 2 == 0
        outcome = "no_show" if far else "completed"
        rows.append(row(f"c{c}", DAY0 + timedelta(days=day), 40 if far else 0, outcome))
    rows.append(row("c0", DAY0 + timedelta(days=1), 40, "cancelled"))  # history only
    rows.append(row("c1", DAY0 + timedelta(days=20), 0, "no_show", excused=True))
    return rows


def test_evaluate_a_separable_history() -> None:
    result = evaluate_history(separable_history(), DAY0 + timedelta(days=14))
    assert result["auc"] == 1.0
    assert result["n_train"] == 30 * 7 and result["n_test"] == 30 * 7
    assert result["base_rate_train"] == 0.5
    assert result["brier_base"] == pytest.approx(0.25)  # always saying 50 %: (0.5)^2
    assert result["brier"] < 0.05
    assert sum(b["n"] for b in result["calibration"]) == result["n_test"]
    assert [b["observed"] for b in result["calibration"]] == [0.0] * 5 + [1.0] * 5


def test_evaluate_result_is_json() -> None:
    result = evaluate_history(separable_history(), DAY0 + timedelta(days=14))
    assert json.loads(json.dumps(result))["n_test"] == result["n_test"]


def test_suggested_split_leaves_the_latest_appointments_for_testing() -> None:
    rows = separable_history()  # 14 days of 30 appointments each
    assert suggest_test_from(rows, 0.5) == DAY0 + timedelta(days=14)
    with pytest.raises(ValueError, match="at least two days"):
        suggest_test_from([r for r in rows if r.starts_at.date() == DAY0])


def test_evaluate_refuses_an_empty_period() -> None:
    with pytest.raises(ValueError, match="both before and from"):
        evaluate_history(separable_history(), DAY0 + timedelta(days=400))


def test_later_outcomes_do_not_change_earlier_test_scores() -> None:
    rows = separable_history()
    cut = DAY0 + timedelta(days=14)
    later = DAY0 + timedelta(days=22)

    def flip(r: HistoryRow) -> HistoryRow:
        if r.starts_at.date() < later or r.outcome not in ("no_show", "completed"):
            return r
        return replace(r, outcome="completed" if r.outcome == "no_show" else "no_show")

    honest = predict_test_period(rows, cut)
    changed = predict_test_period([flip(r) for r in rows], cut)
    early = [k for k, r in enumerate(honest.rows) if r.starts_at.date() < later]
    assert len(early) == 30 * 4
    assert changed.predicted[early].tolist() == honest.predicted[early].tolist()
    # ...while the flipped outcomes do reach the scores of the days after them.
    late = [k for k, r in enumerate(honest.rows) if r.starts_at.date() > later]
    assert changed.predicted[late].tolist() != honest.predicted[late].tolist()


# --- the Kaggle benchmark --------------------------------------------------------------


@pytest.fixture(scope="module")
def kaggle() -> dict[str, Any]:
    if not KAGGLE.exists():
        pytest.skip(f"{KAGGLE} is not here")
    skipped: list[str] = []
    rows = read_kaggle_noshow(KAGGLE, skipped)
    result = evaluate_history(rows, KAGGLE_TEST_FROM)
    return {"rows": rows, "skipped": skipped, "result": result}


@pytest.mark.slow
def test_kaggle_rows(kaggle: dict[str, Any]) -> None:
    assert len(kaggle["rows"]) == 110_522 and len(kaggle["skipped"]) == 5


@pytest.mark.slow
def test_kaggle_beats_the_published_baseline(kaggle: dict[str, Any]) -> None:
    r = kaggle["result"]
    assert (r["n_train"], r["n_test"]) == (67_360, 43_162)
    assert r["brier_base"] == pytest.approx(0.1531, abs=5e-5)
    assert r["auc"] >= 0.715  # the README's transparent baseline
    assert r["brier"] <= 0.139
    for decile in r["calibration"]:
        if decile["n"] >= 500:
            assert abs(decile["predicted"] - decile["observed"]) <= 0.03, decile


@pytest.mark.slow
@pytest.mark.xfail(
    strict=True,
    reason="AUC 0.7189 on the test period, short of 0.72; nothing tried on the inner split "
    "helped (riskmodel/fit.py lists it), and tuning on the test period would be dishonest",
)
def test_kaggle_reaches_the_auc_target(kaggle: dict[str, Any]) -> None:
    assert kaggle["result"]["auc"] >= 0.72


@pytest.mark.slow
def test_default_model_is_the_kaggle_training_fit(kaggle: dict[str, Any]) -> None:
    fitted = RiskModel.from_dict(kaggle["result"]["model"])
    assert fitted.feature_names == DEFAULT_MODEL.feature_names
    assert fitted.coefficients == pytest.approx(DEFAULT_MODEL.coefficients, abs=1e-5)
    assert fitted.centers == pytest.approx(DEFAULT_MODEL.centers, abs=1e-5)
    assert fitted.intercept == pytest.approx(DEFAULT_MODEL.intercept, abs=1e-5)
    assert fitted.base_rate == pytest.approx(DEFAULT_MODEL.base_rate, abs=1e-6)


def test_fit_rows_uses_only_the_days_asked_for() -> None:
    rows = separable_history()
    early = fit_rows(rows, DAY0 + timedelta(days=13))
    assert early == fit_rows([r for r in rows if r.starts_at.date() <= DAY0 + timedelta(days=13)])
