"""`shopfront risk evaluate FILE`, `risk quality` (how well the no-show score works), `risk policies`."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.errors import ShopfrontError

PRESETS = ("generic", "kaggle-noshow")
JSON_KEYS = (
    "auc",
    "brier",
    "brier_base",
    "log_loss",
    "calibration",
    "n_train",
    "n_test",
    "calibration_max_error",
    "base_rate_train",
    "observed_rate_test",
    "test_from",
)


def register(sub, common) -> None:
    risk = sub.add_parser("risk", help="measure the no-show risk score")
    risk_sub = risk.add_subparsers(dest="risk_command", metavar="ACTION", required=True)
    evaluate = risk_sub.add_parser(
        "evaluate",
        parents=[common()],
        help="fit on a history's earlier appointments, score the later ones, print "
        "AUC, Brier, log loss and a calibration table",
    )
    evaluate.add_argument(
        "file",
        metavar="FILE",
        help="CSV (plain or gzip): customer_id, booked_at, starts_at, outcome "
        "(completed|no_show|cancelled|late_cancel), optional reminder, confirmed, excused",
    )
    evaluate.add_argument("--preset", choices=PRESETS, default="generic", help="file format")
    evaluate.add_argument(
        "--test-from",
        metavar="DATE",
        help="first day of the test period (default: 2016-05-21 for kaggle-noshow, else "
        "the day that leaves the latest 35 %% of appointments for testing)",
    )
    evaluate.set_defaults(handler=run_evaluate)
    quality = risk_sub.add_parser(
        "quality",
        parents=[common()],
        help="the same measurement on this book's own finished appointments",
    )
    quality.add_argument("--test-from", metavar="DATE", help="first day of the test period")
    quality.set_defaults(handler=run_quality)
    policies = risk_sub.add_parser(
        "policies",
        parents=[common()],
        help="show or change the risk policies (level thresholds, deposit flag)",
    )
    policies.add_argument(
        "changes",
        nargs="*",
        metavar="KEY=VALUE",
        help="medium_from, high_from (probabilities), deposit_after (unexcused no-shows, "
        "0 = off), deposit_window_days",
    )
    policies.set_defaults(handler=run_policies)


def _day(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ShopfrontError(f"--test-from {text!r} is not a date such as 2016-05-21") from None


def run_evaluate(args: argparse.Namespace) -> int:
    from shopfront.io.history import read_generic_csv, read_kaggle_noshow
    from shopfront.riskmodel.evaluate import KAGGLE_TEST_FROM, evaluate_history, suggest_test_from

    test_from = _day(args.test_from)
    if args.preset == "kaggle-noshow":
        rows = read_kaggle_noshow(args.file)
        test_from = test_from or KAGGLE_TEST_FROM
    else:
        rows = read_generic_csv(args.file)
    try:
        test_from = test_from or suggest_test_from(rows)
        result = evaluate_history(rows, test_from)
    except ValueError as exc:
        raise ShopfrontError(f"{args.file}: {exc}") from None
    _print(result, getattr(args, "json", False))
    return 0


def run_quality(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        try:
            result = book.risk_quality(_day(args.test_from))
        except ValueError as exc:
            raise ShopfrontError(str(exc)) from None
    _print(result, args.json)
    return 0


def run_policies(args: argparse.Namespace) -> int:
    from dataclasses import asdict, replace

    from shopfront.core.risk_policies import RiskPolicies

    with open_book(args, create=False) as book:
        current = book.risk_policies()
        if args.changes:
            values: dict[str, object] = {}
            for change in args.changes:
                key, _, text = change.partition("=")
                if key not in RiskPolicies.FIELDS or not text:
                    raise ShopfrontError(
                        f"{change!r}: use KEY=VALUE with KEY one of {', '.join(RiskPolicies.FIELDS)}"
                    )
                kind = type(getattr(current, key))
                try:
                    values[key] = kind(text)
                except ValueError:
                    raise ShopfrontError(f"{key}: {text!r} is not a number") from None
            current = book.save_risk_policies(replace(current, **values))  # type: ignore[arg-type]
    data = asdict(current)
    emit(data, args.json, "\n".join(f"{key} = {value}" for key, value in data.items()))
    return 0


def _print(result: dict[str, Any], as_json: bool) -> None:
    data = {key: result[key] for key in JSON_KEYS}
    emit(data, as_json, None if as_json else _text(data))


def _number(value: float | None, digits: int = 4) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _text(r: dict[str, Any]) -> str:
    lines = [
        f"Trained on {r['n_train']:,} appointments before {r['test_from']}, "
        f"tested on {r['n_test']:,} from then on.",
        f"AUC       {_number(r['auc'])}   (0.5 = guessing, 1 = perfect)",
        f"Brier     {_number(r['brier'])}   (base rate alone: {_number(r['brier_base'])})",
        f"Log loss  {_number(r['log_loss'])}",
        f"No-show rate: {r['base_rate_train']:.1%} before, {r['observed_rate_test']:.1%} "
        "in the test period",
        "",
        "Calibration (tenths of the test period by predicted risk):",
        f"  {'predicted':>9}  {'observed':>8}  {'appointments':>12}",
    ]
    for row in r["calibration"]:
        lines.append(f"  {row['predicted']:9.1%}  {row['observed']:8.1%}  {row['n']:12,}")
    worst = r["calibration_max_error"]
    if worst is not None:
        lines.append(f"Worst tenth with 500+ appointments is off by {worst * 100:.1f} points.")
    return "\n".join(lines)
