"""No-show risk on the Book: scoring upcoming appointments, the shop's model, risk policies.

Mixed into Book. How a score is made (see core.risk for the features and reasons):

* **Which coefficients.** Once the shop's last year holds at least
  ``core.risk.OWN_FIT_MIN_FINISHED`` finished appointments (500) with at least
  ``OWN_FIT_MIN_NO_SHOWS`` no-shows (50), the shop gets its own fit, pulled towards the
  shipped defaults (``riskmodel.fit.SHOP_L2``) so a few hundred visits move a coefficient
  only where the shop clearly differs; it may also learn the features the public data
  can't teach (confirmed, hour of day, first visit). Below that it uses the shipped
  defaults (``core.risk_defaults``), fitted on the public Kaggle data.
* **Which base rate.** Either way the base rate is re-estimated on the shop's own recent
  outcomes (one-week half-life, 50 pseudo-appointments at the model's rate, or at
  ``NEW_SHOP_RATE`` for the defaults), which is how the score follows drift; a shop with no
  history gets ``NEW_SHOP_RATE``, adjusted per appointment by lead time and the rest.
* **When.** The model and base rate are built once per shop day (first use, on whichever
  thread asks) and kept; scoring a day is then one query for the customers' histories and
  pure arithmetic (``tests/perf/bench_risk.py``). ``day()`` scores every booked or confirmed
  appointment it returns, so the day view gets risk in the load it already does.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from shopfront.core.appointments import AppointmentStatus
from shopfront.core.booking import Appointment, Visit
from shopfront.core.risk import (
    HOUR_BANDS,
    HistoryRow,
    RiskInput,
    RiskModel,
    calibrated_base_rate,
    has_enough_history,
    score,
    target,
)
from shopfront.core.risk_defaults import DEFAULT_MODEL
from shopfront.core.risk_policies import DEPOSIT_FLAG, RiskPolicies, deposit_message
from shopfront.core.timeslots import BookingWarning, WarningKind
from shopfront.storage import customers
from shopfront.storage import risk as store

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
S = AppointmentStatus
SCORED = (S.BOOKED, S.CONFIRMED)  # appointments whose outcome is still open
FIT_WINDOW_DAYS = 365  # the shop's own fit reads its last year
# A shop with no history of its own starts from this no-show rate (salons report 2-10 %;
# the public clinic data behind the default coefficients has 21 %, far from a salon's).
NEW_SHOP_RATE = 0.06
MODEL_KEY = "risk.model"  # settings key: today's model as JSON
RECENT_DAYS = 56  # the base rate is re-estimated on these weeks (half-life one week)
# Features a shop's own fit may add to the shipped ones (their prior coefficient is 0).
SHOP_EXTRA_FEATURES = ("confirmed", "first_visit", *(name for name, _, _ in HOUR_BANDS))


@dataclass(frozen=True)
class ShopRiskModel:
    """The coefficients in use, the base rate they are shifted to, and where they came from."""

    model: RiskModel
    base_rate: float
    source: str  # "shop" (fitted on this book) or "default" (the shipped Kaggle fit)
    n_finished: int
    n_no_shows: int
    as_of: date


def _model_json(shop: ShopRiskModel) -> str:
    data = dataclasses.asdict(shop) | {"model": shop.model.to_dict()}
    return json.dumps(data | {"as_of": shop.as_of.isoformat()})


def _stored_model(text: str, today: date) -> ShopRiskModel | None:
    """The model kept in settings if it was built today (anything unreadable: None)."""
    try:
        data = json.loads(text)
        if data["as_of"] != today.isoformat():
            return None
        return ShopRiskModel(
            RiskModel.from_dict(data["model"]),
            float(data["base_rate"]),
            str(data["source"]),
            int(data["n_finished"]),
            int(data["n_no_shows"]),
            today,
        )
    except (ValueError, KeyError, TypeError):
        return None


class RiskUseCases:
    """``self`` is the Book."""

    _risk_lock = threading.Lock()

    # policies ----------------------------------------------------------------------------

    def risk_policies(self: Book) -> RiskPolicies:
        return RiskPolicies.from_settings(self.settings.extra)

    def save_risk_policies(self: Book, policies: RiskPolicies) -> RiskPolicies:
        policies = policies.validate()
        extra = {**self.settings.extra, **policies.to_settings()}
        self.save_settings(dataclasses.replace(self.settings, extra=extra))
        return policies

    # the model ---------------------------------------------------------------------------

    def risk_model(self: Book, refresh: bool = False) -> ShopRiskModel:
        """The model used today: built on first use each shop day, then kept in memory and
        in the book's settings (``risk.model``), so other desks and CLI calls reuse it."""
        today = self.today()
        with self._risk_lock:
            kept: ShopRiskModel | None = getattr(self, "_risk_kept", None)
            if not refresh and (kept is None or kept.as_of != today):
                kept = _stored_model(self.settings.extra.get(MODEL_KEY, ""), today)
            if refresh or kept is None or kept.as_of != today:
                kept = self._build_risk_model(today)
                self._store_risk_model(kept)
            self._risk_kept = kept
        return kept

    def _store_risk_model(self: Book, shop: ShopRiskModel) -> None:
        """Keep today's model in the book for other desks; a book that can't be written
        (read-only file, busy server) only costs them a rebuild."""
        extra = {**self.settings.extra, MODEL_KEY: _model_json(shop)}
        try:
            self.save_settings(dataclasses.replace(self.settings, extra=extra))
        except Exception:  # noqa: BLE001 - a cache write must never break reading a day
            log.warning("risk model not stored in the book", exc_info=True)

    def _build_risk_model(self: Book, today: date) -> ShopRiskModel:
        from shopfront.riskmodel.fit import (
            DEFAULT_FEATURES,
            SHOP_L2,
            build_inputs,
            fit,
            training_pairs,
        )

        midnight = datetime.combine(today, time(), self.zone())
        rows = store.finished_rows(midnight - timedelta(days=FIT_WINDOW_DAYS), midnight)
        rows = [dataclasses.replace(r, **self._local_times(r)) for r in rows]
        inputs = build_inputs(rows)
        train, outcomes = training_pairs(rows, inputs)
        n_no_shows = sum(outcomes)
        model, source = DEFAULT_MODEL, "default"
        if has_enough_history(len(outcomes), n_no_shows):
            try:
                model = fit(
                    train,
                    outcomes,
                    feature_names=(*DEFAULT_FEATURES, *SHOP_EXTRA_FEATURES),
                    l2=SHOP_L2,
                    prior=DEFAULT_MODEL,
                )
                source = "shop"
            except Exception:  # noqa: BLE001 - a failed fit falls back, never blanks the day
                log.exception("risk model: the shop fit failed; using the defaults")
        recent_from = today - timedelta(days=RECENT_DAYS)
        recent = [
            (inp, y)
            for inp, y in zip(train, outcomes, strict=True)
            if inp.starts_at.date() >= recent_from
        ]
        # A shop's own fit starts from its own rate; the shipped one from a typical salon's.
        prior = None if source == "shop" else NEW_SHOP_RATE
        base = calibrated_base_rate(model, recent, today, prior_rate=prior)
        log.info(
            "risk model: %s coefficients, %d finished, base rate %.3f", source, len(outcomes), base
        )
        return ShopRiskModel(model, base, source, len(outcomes), n_no_shows, today)

    def _local_times(self: Book, row: HistoryRow) -> dict[str, datetime]:
        zone = self.zone()
        return {"starts_at": row.starts_at.astimezone(zone), "booked_at": row.booked_at}

    # scoring -----------------------------------------------------------------------------

    def with_risk(self: Book, visits: list[Visit]) -> list[Visit]:
        """The same visits, booked and confirmed ones with risk, level and reasons filled in.

        Reads what the shop knew: each customer's appointments with an outcome that started
        before this one (never later ones), whether it was confirmed, whether a contact was
        logged for it, and the customer's other bookings that day."""
        todo = [v for v in visits if v.appointment.status in SCORED]
        if not todo:
            return visits
        shop = self.risk_model()
        model = dataclasses.replace(shop.model, thresholds=self.risk_policies().thresholds)
        latest = max(v.appointment.start for v in todo)
        zone = self.zone()
        # On the shop's clock once per customer, not once per score.
        found = store.histories({v.appointment.customer_id for v in todo}, latest, zone=zone)
        histories = {customer: tuple(past) for customer, past in found.items()}
        contacted = store.contacted_appointments(v.appointment.id for v in todo)
        same_day = Counter(
            (v.appointment.customer_id, v.appointment.start.astimezone(zone).date())
            for v in visits
            if v.appointment.active
        )
        scored = {}
        for v in todo:
            a = v.appointment
            starts = a.start.astimezone(zone)
            inp = RiskInput(
                starts_at=starts,
                booked_at=min(a.booked_at, a.start),
                history=histories.get(a.customer_id, ()),
                confirmed=a.status == S.CONFIRMED,
                reminder_logged=a.id in contacted,
                same_day_bookings=max(0, same_day[(a.customer_id, starts.date())] - 1),
            )
            s = score(inp, model, shop.base_rate)
            scored[a.id] = dataclasses.replace(
                v, risk=round(s.probability, 4), risk_level=s.level, risk_reasons=s.reasons
            )
        return [scored.get(v.appointment.id, v) for v in visits]

    def unconfirmed_high_risk(self: Book, day: date) -> list[Visit]:
        """The day's appointments at high no-show risk that are still only booked (not
        confirmed), highest risk first: the "confirm by phone" list.

        The care scan turns these into CONFIRM follow-ups the day before (when the
        ``confirm_high_risk`` care policy is on); Today lists them. Each visit carries its
        risk, level and reasons (``risk_reasons`` is the follow-up's note)."""
        found = [
            v
            for v in self.day(day).visits
            if v.appointment.status == S.BOOKED and v.risk_level == "high"
        ]
        return sorted(found, key=lambda v: (-(v.risk or 0.0), v.appointment.start))

    # the deposit flag --------------------------------------------------------------------

    def deposit_flags(self: Book, customer_ids: list[int]) -> dict[int, int]:
        """Customers flagged "deposit required": id -> unexcused no-shows in the policy's
        look-back window (only customers at or over the policy's count)."""
        policies = self.risk_policies()
        if policies.deposit_after <= 0:
            return {}
        now = self.clock()
        counts = store.unexcused_no_shows(
            customer_ids, now - timedelta(days=policies.deposit_window_days), now
        )
        return {c: n for c, n in counts.items() if policies.deposit_required(n)}

    def customer_flags(self: Book, customer_id: int) -> list[str]:
        """Plain-word flags the booking dialog shows for a customer (may be empty)."""
        return [DEPOSIT_FLAG] if customer_id in self.deposit_flags([customer_id]) else []

    def _booking_flags(self: Book, draft: Appointment) -> list[BookingWarning]:
        """Warnings a booking must override: today, the deposit flag."""
        count = self.deposit_flags([draft.customer_id]).get(draft.customer_id)
        if count is None:
            return []
        name = customers.load(draft.customer_id).name
        window = self.risk_policies().deposit_window_days
        return [BookingWarning(WarningKind.DEPOSIT, deposit_message(name, count, window))]

    # measuring ---------------------------------------------------------------------------

    def risk_quality(self: Book, test_from: date | None = None) -> dict[str, Any]:
        """How well the score works on this book: the same evaluation as ``shopfront risk
        evaluate`` over the book's own finished appointments (time split; last 35 % tested
        unless ``test_from`` is given). Raises ValueError when there is too little history."""
        from shopfront.riskmodel.evaluate import evaluate_history, suggest_test_from

        midnight = datetime.combine(self.today(), time(), self.zone())
        rows = store.finished_rows(midnight - timedelta(days=10 * 365), midnight)
        rows = [dataclasses.replace(r, **self._local_times(r)) for r in rows]
        if not any(target(r.outcome, r.excused) for r in rows):
            raise ValueError("no no-shows in this book yet: nothing to measure")
        return evaluate_history(rows, test_from or suggest_test_from(rows))
