"""Care policies as pure functions with a pinned today."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopfront.core.care import (
    CallState,
    CarePolicies,
    Case,
    CaseStatus,
    Channel,
    Contact,
    ContactOutcome,
    FollowupReason,
    MessageValues,
    after_visit_drafts,
    birthday_draft,
    call_state,
    case_drafts,
    check_case_step,
    check_template,
    first_name,
    is_lapsed,
    lapse_threshold_days,
    lapsed_draft,
    no_show_draft,
    render,
    validate_case,
)
from shopfront.errors import ValidationError

TODAY = date(2026, 11, 23)
P = CarePolicies()


def visits(*offsets: int) -> list[date]:
    return [TODAY - timedelta(days=d) for d in offsets]


def test_lapse_threshold_is_twice_the_customers_own_median_interval() -> None:
    # visits every 30 days: lapsed after more than 60 days away
    rhythm = visits(61, 91, 121, 151)
    assert lapse_threshold_days(rhythm, P) == 60
    assert is_lapsed(rhythm, TODAY, P)
    assert not is_lapsed(visits(60, 90, 120), TODAY, P)  # exactly 60 days: not yet


def test_single_visit_customers_use_the_policy_default() -> None:
    assert lapse_threshold_days(visits(100), P) == 120
    assert not is_lapsed(visits(120), TODAY, P)
    assert is_lapsed(visits(121), TODAY, P)
    assert not is_lapsed([], TODAY, P)


def test_one_lapsed_follow_up_per_lapse_not_one_per_day() -> None:
    rhythm = visits(70, 100, 130)
    first = lapsed_draft(
        customer_id=5,
        staff_id=2,
        visit_days=rhythm,
        has_future_booking=False,
        today=TODAY,
        policies=P,
    )
    next_day = lapsed_draft(
        customer_id=5,
        staff_id=2,
        visit_days=rhythm,
        has_future_booking=False,
        today=TODAY + timedelta(days=1),
        policies=P,
    )
    assert first is not None and next_day is not None
    assert first.source_key == next_day.source_key  # the same lapse: storage keeps one
    assert first.reason == FollowupReason.LAPSED and first.staff_id == 2
    booked = lapsed_draft(
        customer_id=5,
        staff_id=2,
        visit_days=rhythm,
        has_future_booking=True,
        today=TODAY,
        policies=P,
    )
    assert booked is None  # already coming back
    off = lapsed_draft(
        customer_id=5,
        staff_id=2,
        visit_days=rhythm,
        has_future_booking=False,
        today=TODAY,
        policies=CarePolicies(lapsed=False),
    )
    assert off is None


def test_after_a_visit_first_visit_call_next_day_and_the_longest_service_interval() -> None:
    drafts = after_visit_drafts(
        appointment_id=9,
        customer_id=3,
        staff_id=1,
        visit_day=TODAY,
        followup_days=[("Cut", None), ("Colour", 28), ("Toner", 14)],
        first_visit=True,
        policies=P,
    )
    assert [(d.reason, d.due) for d in drafts] == [
        (FollowupReason.FIRST_VISIT, TODAY + timedelta(days=1)),
        (FollowupReason.AFTER_VISIT, TODAY + timedelta(days=28)),
    ]
    assert drafts[1].note == "After Colour"
    none = after_visit_drafts(
        appointment_id=9,
        customer_id=3,
        staff_id=1,
        visit_day=TODAY,
        followup_days=[("Cut", None)],
        first_visit=False,
        policies=P,
    )
    assert none == []


def test_no_show_follow_up_is_same_day_and_can_be_switched_off() -> None:
    draft = no_show_draft(appointment_id=4, customer_id=2, staff_id=1, today=TODAY, policies=P)
    assert draft is not None and draft.due == TODAY and draft.source_key == "no_show:4"
    assert (
        no_show_draft(
            appointment_id=4,
            customer_id=2,
            staff_id=1,
            today=TODAY,
            policies=CarePolicies(no_show=False),
        )
        is None
    )


def test_birthdays_are_off_by_default_and_29_february_falls_on_the_28th() -> None:
    kw = {"customer_id": 1, "staff_id": None, "today": date(2027, 2, 28)}
    assert birthday_draft(month=2, day=29, policies=P, **kw) is None
    on = CarePolicies(birthday=True)
    assert birthday_draft(month=2, day=29, policies=on, **kw) is not None
    assert birthday_draft(month=3, day=1, policies=on, **kw) is None


def case(**kw: object) -> Case:
    base = {
        "customer_id": 1,
        "opened_at": datetime(2026, 11, 20, tzinfo=UTC),
        "words": "The colour went orange",
        "id": 7,
        "owner_id": 2,
    }
    return Case(**{**base, **kw})  # type: ignore[arg-type]


def test_a_promise_gets_a_follow_up_at_its_date_and_a_fix_gets_did_it_work() -> None:
    promised = case(status=CaseStatus.FIX_PROMISED, fix="Free toner", fix_due=TODAY)
    [draft] = case_drafts(promised, P, TODAY)
    assert draft.due == TODAY and draft.staff_id == 2 and draft.case_id == 7
    [check] = case_drafts(case(status=CaseStatus.FIXED), P, TODAY)
    assert check.due == TODAY + timedelta(days=7) and check.source_key == "case:7:check"
    assert case_drafts(case(status=CaseStatus.CLOSED, resolution="x"), P, TODAY) == []
    assert promised.promise_overdue(TODAY + timedelta(days=1))
    assert not promised.promise_overdue(TODAY)


def test_case_steps_and_required_fields() -> None:
    check_case_step(CaseStatus.OPEN, CaseStatus.FIX_PROMISED)
    check_case_step(CaseStatus.FIXED, CaseStatus.CLOSED)
    with pytest.raises(ValidationError):
        check_case_step(CaseStatus.CLOSED, CaseStatus.OPEN)
    with pytest.raises(ValidationError, match="in the customer's words"):
        validate_case(case(words="  "))
    with pytest.raises(ValidationError, match="by when"):
        validate_case(case(status=CaseStatus.FIX_PROMISED, fix="toner"))
    with pytest.raises(ValidationError, match="resolution"):
        validate_case(case(status=CaseStatus.CLOSED))


def contact(minutes: int, outcome: ContactOutcome, channel: Channel = Channel.CALL) -> Contact:
    return Contact(1, datetime(2026, 11, 23, 9, minutes, tzinfo=UTC), channel, outcome=outcome)


def test_call_state_follows_the_newest_attempt() -> None:
    assert call_state([]) == CallState.PENDING
    assert call_state([contact(1, ContactOutcome.NO_ANSWER)]) == CallState.NOT_REACHED
    tried = [contact(5, ContactOutcome.REACHED), contact(1, ContactOutcome.VOICEMAIL)]
    assert call_state(tried) == CallState.TOLD
    sms = [contact(1, ContactOutcome.NO_ANSWER), contact(2, ContactOutcome.NONE, Channel.SMS)]
    assert call_state(sms) == CallState.TOLD


def test_templates_refuse_unknown_placeholders_by_name() -> None:
    check_template("Hi", "Hello {first_name}, see you {date} at {time} with {staff}.")
    with pytest.raises(ValidationError, match=r"\{frist_name\}") as caught:
        check_template("Hi", "Hello {frist_name}")
    assert caught.value.field == "body"
    with pytest.raises(ValidationError, match=r"\{colour\}") as caught:
        check_template("Your {colour}", "Hello")
    assert caught.value.field == "subject"
    with pytest.raises(ValidationError, match="stray brace"):
        check_template("", "Hello {first_name")
    with pytest.raises(ValidationError, match="empty"):
        check_template("", "  ")


@given(st.text())
def test_rendering_inserts_customer_text_verbatim(name: str) -> None:
    text = render("Hi {first_name} at {shop}", MessageValues(first_name=name, shop="Salon {x}"))
    assert text == f"Hi {name} at Salon {{x}}"


def test_first_name_prefers_what_they_like_to_be_called() -> None:
    assert first_name("Margaret Thatcher-Smith") == "Margaret"
    assert first_name("Margaret Smith", "Maggie") == "Maggie"
    assert first_name("") == ""


def test_policies_round_trip_through_settings_and_are_range_checked() -> None:
    tuned = CarePolicies(birthday=True, first_visit_days=2, lapsed_default_days=90)
    assert CarePolicies.from_settings(tuned.to_settings()) == tuned
    assert CarePolicies.from_settings({"care.first_visit_days": "many"}) == CarePolicies()
    with pytest.raises(ValidationError, match="between"):
        CarePolicies(case_check_days=0).validate()
