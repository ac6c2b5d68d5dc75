"""No-show risk on the Book: day scoring, the shop's model, high-risk list, deposit flag."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from shopfront.book import Book
from shopfront.core.booking import BookingRequest, NeedsOverride
from shopfront.core.risk_policies import DEPOSIT_FLAG, RiskPolicies
from shopfront.core.timeslots import WarningKind
from shopfront.errors import ValidationError
from shopfront.usecases import risk as risk_usecases
from tests.conftest import NOW, add

TOMORROW = (NOW + timedelta(days=1)).date()  # Tuesday 2026-11-24


def at(day_offset: int, hour: int) -> datetime:
    """A UTC moment ``day_offset`` days from NOW's day, at ``hour`` (London = UTC in Nov)."""
    return datetime.combine(
        NOW.date() + timedelta(days=day_offset), datetime.min.time(), NOW.tzinfo
    ).replace(hour=hour)


def visit(
    book: Book,
    customer_id: int,
    start: datetime,
    outcome: str | None = None,
    lead_days: int = 7,
    staff_id: int = 1,
) -> int:
    """Book ``lead_days`` ahead of ``start`` (the clock moved there) and give it an outcome."""
    now = book.clock.now
    book.clock.now = min(now, start - timedelta(days=lead_days))
    req = BookingRequest(customer_id, staff_id, (1,), start)
    aid = book.book(req, override=True).id
    book.clock.now = max(now, start + timedelta(hours=2))
    if outcome == "completed":
        book.set_status(aid, "arrived", override=True)
        book.set_status(aid, "completed", override=True)
    elif outcome is not None:
        book.set_status(aid, outcome, override=True)
    book.clock.now = now
    return aid


def ids(book: Book) -> tuple[int, int]:
    """(Steady Sam, Flaky Fran)."""
    return next(c.id for c in book.search("Steady")), next(c.id for c in book.search("Flaky"))


def visit_of(book: Book, appointment_id: int):
    return next(v for v in book.day(TOMORROW).visits if v.appointment.id == appointment_id)


@pytest.fixture
def regulars(shop: Book) -> Book:
    """Two customers with six visits each over the last months: one missed three."""
    steady = add(shop, "Steady Sam", "07400 123451").id
    flaky = add(shop, "Flaky Fran", "07400 123452").id
    for k in range(6):
        visit(shop, steady, at(-90 + 14 * k, 10), "completed")
        visit(shop, flaky, at(-90 + 14 * k, 12), "no_show" if k in (2, 4, 5) else "completed")
    return shop


def test_day_scores_open_visits_with_level_and_reasons(regulars: Book) -> None:
    steady, flaky = ids(regulars)
    a = visit(regulars, steady, at(1, 10))
    b = visit(regulars, flaky, at(1, 12))
    sam, fran = visit_of(regulars, a), visit_of(regulars, b)
    assert 0 < sam.risk < fran.risk < 1
    assert fran.risk_reasons[0] == "missed 3 of last 5"
    assert len(fran.risk_reasons) <= 3 and fran.risk_level in ("medium", "high")
    assert sam.risk_level in ("low", "medium")
    # Finished appointments carry no score.
    past = regulars.day(at(-20, 10).date()).visits
    assert past and all(v.risk is None and v.risk_reasons == () for v in past)


def test_the_appointment_and_the_json_see_the_same_score(regulars: Book) -> None:
    flaky = next(c.id for c in regulars.search("Flaky"))
    aid = visit(regulars, flaky, at(1, 12))
    detail = regulars.appointment(aid).visit
    assert detail.risk == visit_of(regulars, aid).risk
    assert detail.risk_reasons == visit_of(regulars, aid).risk_reasons


def test_a_new_customer_of_a_new_shop_gets_the_starting_rate_moved_by_lead_time(
    shop: Book,
) -> None:
    newbie = add(shop, "New Nia", "07400 123453").id
    other = add(shop, "New Ned", "07400 123454").id
    same_day = visit(shop, newbie, at(1, 10), lead_days=1)
    far = visit(shop, other, at(1, 14), lead_days=60)
    near, ahead = visit_of(shop, same_day).risk, visit_of(shop, far).risk
    assert shop.risk_model().source == "default"
    assert shop.risk_model().base_rate == pytest.approx(risk_usecases.NEW_SHOP_RATE, abs=0.005)
    assert 0.005 < near < ahead < 0.5
    assert visit_of(shop, far).risk_reasons[0] == "booked 60 days ahead"


def test_later_no_shows_do_not_change_an_earlier_score(regulars: Book) -> None:
    steady = next(c.id for c in regulars.search("Steady"))
    aid = visit(regulars, steady, at(1, 10))
    before = visit_of(regulars, aid)
    for k in range(8):  # a future full of no-shows (recorded early, by override)
        visit(regulars, steady, at(3 + k, 15), "no_show")
    regulars.risk_model(refresh=True)
    after = visit_of(regulars, aid)
    assert (after.risk, after.risk_reasons) == (before.risk, before.risk_reasons)


def test_scores_are_deterministic_across_books(regulars: Book, db_path) -> None:
    flaky = next(c.id for c in regulars.search("Flaky"))
    aid = visit(regulars, flaky, at(1, 12))
    first = visit_of(regulars, aid)
    again = Book.open(str(db_path), clock=regulars.clock)
    try:
        second = next(v for v in again.day(TOMORROW).visits if v.appointment.id == aid)
    finally:
        again.close()
    assert (first.risk, first.risk_reasons, first.risk_level) == (
        second.risk,
        second.risk_reasons,
        second.risk_level,
    )


def test_the_days_model_is_kept_in_the_book(regulars: Book, db_path, monkeypatch) -> None:
    built = regulars.risk_model()
    again = Book.open(str(db_path), clock=regulars.clock)

    def refuse(*_args: object) -> None:
        raise AssertionError("rebuilt although today's model is stored")

    monkeypatch.setattr(risk_usecases.RiskUseCases, "_build_risk_model", refuse)
    try:
        assert again.risk_model() == built
    finally:
        again.close()


def test_enough_history_gets_the_shops_own_coefficients(regulars: Book, monkeypatch) -> None:
    assert regulars.risk_model().source == "default"  # 12 finished, 3 no-shows
    monkeypatch.setattr(risk_usecases, "has_enough_history", lambda n, k: n >= 12 and k >= 3)
    own = regulars.risk_model(refresh=True)
    assert own.source == "shop" and (own.n_finished, own.n_no_shows) == (12, 3)
    assert "confirmed" in own.model.feature_names


def test_unconfirmed_high_risk_lists_only_booked_high_risk_visits(regulars: Book) -> None:
    regulars.save_risk_policies(RiskPolicies(medium_from=0.05, high_from=0.15))
    steady, flaky = ids(regulars)
    calm = visit(regulars, steady, at(1, 10))
    risky = visit(regulars, flaky, at(1, 12))
    newbie = add(regulars, "New Nia", "07400 123453").id
    confirmed = visit(regulars, newbie, at(1, 14), lead_days=90)
    regulars.set_status(confirmed, "confirmed")
    listed = regulars.unconfirmed_high_risk(TOMORROW)
    assert [v.appointment.id for v in listed] == [risky]
    assert listed[0].risk_level == "high" and listed[0].risk_reasons
    assert calm not in [v.appointment.id for v in listed]


def test_the_care_scan_turns_them_into_confirm_follow_ups(regulars: Book) -> None:
    regulars.save_risk_policies(RiskPolicies(medium_from=0.05, high_from=0.15))
    flaky = next(c.id for c in regulars.search("Flaky"))
    risky = visit(regulars, flaky, at(1, 12))
    regulars.care_scan(NOW.date())
    confirm = [f for f in regulars.followups() if f.appointment_id == risky]
    assert len(confirm) == 1 and "missed 3 of last 5" in confirm[0].note


def test_repeated_no_shows_need_an_override_to_book(regulars: Book) -> None:
    flaky = next(c.id for c in regulars.search("Flaky"))
    assert regulars.customer_flags(flaky) == [DEPOSIT_FLAG]
    req = BookingRequest(flaky, 1, (1,), at(3, 10))
    with pytest.raises(NeedsOverride) as asked:
        regulars.book(req)
    kinds = [w.kind for w in asked.value.warnings]
    assert kinds == [WarningKind.DEPOSIT]
    assert "Flaky Fran missed 3 appointments" in str(asked.value)
    assert regulars.book(req, override=True).customer_id == flaky


def test_the_deposit_flag_follows_the_policy_and_excuses(regulars: Book) -> None:
    steady, flaky = ids(regulars)
    assert regulars.customer_flags(steady) == []
    regulars.save_risk_policies(RiskPolicies(deposit_after=4))
    assert regulars.customer_flags(flaky) == []
    regulars.save_risk_policies(RiskPolicies(deposit_after=3))
    assert regulars.customer_flags(flaky) == [DEPOSIT_FLAG]
    missed = [a.id for a in regulars.customer_appointments(flaky) if a.status.value == "no_show"]
    regulars.excuse_no_show(missed[0], "hospital")
    assert regulars.customer_flags(flaky) == []  # excused no-shows don't count
    regulars.save_risk_policies(RiskPolicies(deposit_after=0))
    regulars.book(BookingRequest(flaky, 1, (1,), at(3, 10)))  # off: no question


def test_risk_policies_are_stored_and_checked(shop: Book) -> None:
    assert shop.risk_policies() == RiskPolicies()
    shop.save_risk_policies(RiskPolicies(0.15, 0.3, 3, 180))
    assert shop.risk_policies() == RiskPolicies(0.15, 0.3, 3, 180)
    for bad in (RiskPolicies(0.3, 0.2), RiskPolicies(deposit_after=-1), RiskPolicies(0.1, 1.0)):
        with pytest.raises(ValidationError):
            shop.save_risk_policies(bad)


def test_risk_quality_measures_the_books_own_history(regulars: Book) -> None:
    result = regulars.risk_quality(at(-40, 0).date())
    assert result["n_train"] + result["n_test"] == 12
    assert {"auc", "brier", "brier_base", "log_loss", "calibration"} <= set(result)
