"""Default no-show risk coefficients, fitted on public data until a shop has its own."""

from __future__ import annotations

from shopfront.core.risk import RiskModel

# Produced by `python -m shopfront.riskmodel.fit /work/shared/data/noshow_appointments_2016.csv.gz`
# (riskmodel.fit.fit_rows with until=2016-05-20), numbers rounded to 6 decimals: L2-regularised
# logistic regression (L2 = 1) on the public Kaggle "Medical Appointment No Shows" data,
# training period only (appointment days <= 2016-05-20: 67,360 appointments, 21.1 % no-shows).
# Features and hyperparameters were chosen on an inner split of that period (riskmodel.fit).
# On the later days (43,162 appointments) riskmodel.evaluate.evaluate_history measures
# AUC 0.7189, Brier 0.1381 (0.1531 for the base rate alone), every decile within 0.028.
# tests/riskmodel/test_evaluate.py refits and checks these numbers match.
#
# Reading them: each coefficient is a change in log-odds per unit of (feature - center); a
# same-day booking cuts the odds about 6.7-fold against the average booking. Quirks of a
# clinic's six-week window, kept because they were measured: recent visits raise the risk a
# little (there, frequent patients are the sick ones); "confirmed", weekday and the
# appointment's hour have no coefficient (the data has no confirmations or hours, and three
# weeks of weekdays were noise). A shop's own fit (riskmodel.fit.SHOP_L2) starts from these.

DEFAULT_MODEL_DATA: dict[str, object] = {
    "version": 1,
    "feature_names": [
        "lead_0",
        "lead_1_2",
        "lead_3_7",
        "lead_8_14",
        "lead_15_30",
        "lead_31_plus",
        "booked_before_8",
        "booked_8_9",
        "booked_9_10",
        "booked_10_12",
        "booked_12_14",
        "booked_14_16",
        "booked_16_18",
        "booked_18_plus",
        "reminder",
        "own_rate",
        "prior_visits",
        "same_day_1",
        "same_day_2_plus",
        "lead_0_returning",
        "own_rate_lead_0",
    ],
    "coefficients": [
        -1.895244,
        -0.029178,
        0.214373,
        0.49498,
        0.612078,
        0.602991,
        -0.189674,
        0.019135,
        -0.007783,
        0.082269,
        0.03782,
        0.04814,
        0.111845,
        -0.101752,
        -0.15653,
        1.932197,
        0.122067,
        0.102795,
        0.674923,
        0.349241,
        2.333175,
    ],
    "centers": [
        0.347654,
        0.120665,
        0.185526,
        0.112752,
        0.148144,
        0.085258,
        0.183121,
        0.140692,
        0.115974,
        0.177479,
        0.133388,
        0.155389,
        0.077064,
        0.016894,
        0.231057,
        -0.006627,
        0.245324,
        0.090855,
        0.016093,
        0.09951,
        -0.004775,
    ],
    "intercept": -0.311848,
    "base_rate": 0.210912,
    "thresholds": [0.25, 0.4],
    "params": {
        "prior_strength": 20.0,
        "half_life_days": 14.0,
        "late_cancel_weight": 0.5,
        "recent_window": 5,
    },
}

DEFAULT_MODEL: RiskModel = RiskModel.from_dict(DEFAULT_MODEL_DATA)
