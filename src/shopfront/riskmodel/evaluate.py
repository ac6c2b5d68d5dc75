"""Measure the no-show score on a history: time split, honest scoring, AUC/Brier/calibration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from shopfront.core.risk import (
    HistoryRow,
    RiskInput,
    RiskModel,
    RiskParams,
    clamp_rate,
    logit,
    probability,
    sigmoid,
    target,
)
from shopfront.riskmodel.fit import (
    DEFAULT_FEATURES,
    DEFAULT_L2,
    build_inputs,
    feature_matrix,
    fit,
)

RECALIBRATION_HALF_LIFE_DAYS = 7.0  # chosen on the inner split, like the rest
RECALIBRATION_PRIOR_WEIGHT = 50.0
MIN_DECILE_SIZE = 500  # deciles smaller than this are too noisy to hold to 0.03
KAGGLE_TEST_FROM = date(2016, 5, 21)  # the data README's split: train <= 2016-05-20


def suggest_test_from(rows: Sequence[HistoryRow], test_share: float = 0.35) -> date:
    """The first day of the latest ``test_share`` of finished appointments (a time split
    for files that come without one). Raises ValueError when there are fewer than two days."""
    days = sorted(
        row.starts_at.date() for row in rows if target(row.outcome, row.excused) is not None
    )
    if len(set(days)) < 2:
        raise ValueError("need finished appointments on at least two days to split by time")
    cut = days[min(len(days) - 1, int(len(days) * (1 - test_share)))]
    return cut if cut > days[0] else next(d for d in days if d > days[0])


def auc(scores: Sequence[float] | np.ndarray, labels: Sequence[int] | np.ndarray) -> float | None:
    """Area under the ROC curve by ranks (Mann-Whitney U); ties get average ranks.

    None when only one class is present (the AUC is undefined then).
    """
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=bool)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    # Average rank of each distinct value: ranks ends..ends-count+1, 1-based.
    ends = np.cumsum(counts)
    ranks = (ends - (counts - 1) / 2.0)[inverse]
    u = ranks[y].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def brier(p: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean((p - y) ** 2))


def log_loss(p: np.ndarray, y: np.ndarray) -> float:
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(q) + (1 - y) * np.log(1 - q)))


def calibration_table(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Mean predicted vs observed no-show rate per equal-sized bin of predicted risk."""
    order = np.argsort(p, kind="stable")
    table = []
    for part in np.array_split(order, bins):
        if len(part):
            table.append(
                {
                    "predicted": float(p[part].mean()),
                    "observed": float(y[part].mean()),
                    "n": int(len(part)),
                }
            )
    return table


def daily_shifts(
    days: np.ndarray,
    eta: np.ndarray,
    y: np.ndarray,
    score_days: Sequence[date],
    prior_logit: float,
    half_life_days: float = RECALIBRATION_HALF_LIFE_DAYS,
    prior_weight: float = RECALIBRATION_PRIOR_WEIGHT,
) -> dict[date, float]:
    """For each day, the logit shift that matches recency-weighted predictions to outcomes
    of strictly earlier days (numpy twin of core.risk.solve_shift)."""
    ordinals = np.array([d.toordinal() for d in days])
    shifts = {}
    for day in score_days:
        age = day.toordinal() - ordinals
        seen = age > 0
        w = 0.5 ** (age[seen] / half_life_days)
        shifts[day] = _solve_shift(eta[seen], y[seen], w, prior_logit, prior_weight)
    return shifts


def _solve_shift(
    eta: np.ndarray, y: np.ndarray, w: np.ndarray, prior_logit: float, prior_weight: float
) -> float:
    shift = 0.0
    for _ in range(100):
        p = 1.0 / (1.0 + np.exp(-(eta + shift)))
        p0 = sigmoid(prior_logit + shift)  # pseudo-rows behaving as the model expects
        grad = float(w @ (p - y)) + prior_weight * (p0 - sigmoid(prior_logit))
        hess = float(w @ (p * (1 - p))) + prior_weight * p0 * (1 - p0)
        step = max(-1.0, min(1.0, grad / hess))
        shift -= step
        if abs(step) < 1e-10:
            break
    return shift


@dataclass(frozen=True)
class ScoredPeriod:
    """A fitted model and what it said about each finished test appointment."""

    model: RiskModel
    rows: tuple[HistoryRow, ...]  # scored test rows, in input order
    predicted: np.ndarray  # no-show probability per row
    observed: np.ndarray  # 1.0 no-show, 0.0 came
    base_rates: dict[date, float]  # the recalibrated base rate used on each test day
    n_train: int


def predict_test_period(
    rows: Sequence[HistoryRow],
    test_from: date,
    *,
    params: RiskParams | None = None,
    feature_names: Sequence[str] = DEFAULT_FEATURES,
    l2: float = DEFAULT_L2,
    half_life_days: float = RECALIBRATION_HALF_LIFE_DAYS,
    prior_weight: float = RECALIBRATION_PRIOR_WEIGHT,
) -> ScoredPeriod:
    """Fit on appointments before ``test_from``, score every later one as the shop would.

    Each test appointment sees only its customer's appointments on strictly earlier days
    (test-period ones included: their outcome was known by then), and a base rate
    recalibrated on strictly earlier days' outcomes (recent weeks weigh most), which is how
    the score follows drift in the no-show rate. Cancellations and excused no-shows are
    history only, never scored. Raises ValueError when either period has nothing to score.
    """
    scored = [
        (row, inp, y)
        for row, inp in zip(rows, build_inputs(rows), strict=True)
        if (y := target(row.outcome, row.excused)) is not None
    ]
    days = np.array([inp.starts_at.date() for _, inp, _ in scored])
    y = np.array([outcome for _, _, outcome in scored], dtype=float)
    is_test = days >= test_from
    if is_test.all() or not is_test.any():
        raise ValueError(f"need finished appointments both before and from {test_from}")
    train = [inp for (_, inp, _), t in zip(scored, is_test, strict=True) if not t]
    model = fit(train, y[~is_test].tolist(), params=params, feature_names=feature_names, l2=l2)
    eta = _model_logits([inp for _, inp, _ in scored], model)
    start = logit(clamp_rate(model.base_rate))
    test_days = sorted(set(days[is_test]))
    shifts = daily_shifts(days, eta, y, test_days, start, half_life_days, prior_weight)
    base_rates = {day: sigmoid(start + shift) for day, shift in shifts.items()}
    test = [(row, inp) for (row, inp, _), t in zip(scored, is_test, strict=True) if t]
    p = [probability(inp, model, base_rates[inp.starts_at.date()]) for _, inp in test]
    return ScoredPeriod(
        model=model,
        rows=tuple(row for row, _ in test),
        predicted=np.array(p),
        observed=y[is_test],
        base_rates=base_rates,
        n_train=int((~is_test).sum()),
    )


def evaluate_history(
    rows: Sequence[HistoryRow],
    test_from: date,
    **options: Any,
) -> dict[str, Any]:
    """Measure the score on a time split (see predict_test_period for the rules and the
    options): AUC, Brier (and the base-rate Brier), log loss, calibration per decile."""
    period = predict_test_period(rows, test_from, **options)
    half_life = options.get("half_life_days", RECALIBRATION_HALF_LIFE_DAYS)
    return _report(period.model, period.predicted, period.observed, test_from, half_life) | {
        "n_train": period.n_train,
        "n_test": len(period.rows),
    }


def _model_logits(inputs: list[RiskInput], model: RiskModel) -> np.ndarray:
    """Logits at the model's own base rate (what the shift is solved against)."""
    x = feature_matrix(inputs, model.base_rate, model.params, model.feature_names)
    coef = np.array(model.coefficients)
    centered = (x - np.array(model.centers)) @ coef
    return logit(clamp_rate(model.base_rate)) + model.intercept + centered


def _report(
    model: RiskModel, p: np.ndarray, y: np.ndarray, test_from: date, half_life: float
) -> dict[str, Any]:
    table = calibration_table(p, y)
    big = [abs(b["predicted"] - b["observed"]) for b in table if b["n"] >= MIN_DECILE_SIZE]
    base = np.full(len(y), model.base_rate)
    return {
        "auc": auc(p, y),
        "brier": brier(p, y),
        "brier_base": brier(base, y),  # always predicting the training no-show rate
        "log_loss": log_loss(p, y),
        "calibration": table,
        "calibration_max_error": max(big) if big else None,
        "base_rate_train": model.base_rate,
        "observed_rate_test": float(y.mean()),
        "mean_predicted_test": float(p.mean()),
        "test_from": test_from.isoformat(),
        "recalibration_half_life_days": half_life,
        "model": model.to_dict(),
    }
