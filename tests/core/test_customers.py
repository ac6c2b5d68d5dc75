"""Customer field rules: names, birthdays, emails, tags, money."""

from __future__ import annotations

from datetime import date

import pytest

from shopfront.core.customers import (
    Birthday,
    Customer,
    Service,
    Staff,
    check_email,
    check_name,
    parse_tags,
)
from shopfront.core.money import format_minor, parse_minor
from shopfront.errors import ValidationError

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize("text", ["Ana <b>", "R&D", "=cmd|' /C calc'!A0", "Zoë 🌸", "王小明"])
def test_names_are_kept_exactly_as_typed(text: str) -> None:
    assert check_name(f"  {text} ") == text


@pytest.mark.parametrize("text", ["", "   ", "x" * 201])
def test_bad_names_are_refused_with_the_name_field(text: str) -> None:
    with pytest.raises(ValidationError) as err:
        check_name(text)
    assert err.value.field == "name"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-04-23", Birthday(4, 23, 1990)),
        ("04-23", Birthday(4, 23)),
        ("--02-29", Birthday(2, 29)),
        ("", None),
        ("2000-2-3", Birthday(2, 3, 2000)),
    ],
)
def test_birthday_forms(text: str, expected: Birthday | None) -> None:
    assert Birthday.parse(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1990-02-31", "31 February is not a date"),
        ("2027-01-01", "future"),
        ("23/04/1990", "must look like"),
        ("1850-01-01", "130 years"),
        ("2023-02-29", "29 February"),
    ],
)
def test_bad_birthdays_say_why(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message) as err:
        Birthday.parse(text, TODAY)
    assert err.value.field == "birthday"


def test_birthday_round_trips_through_its_text() -> None:
    for b in (Birthday(4, 23, 1990), Birthday(12, 1)):
        assert Birthday.parse(str(b), TODAY) == b


@pytest.mark.parametrize("text", ["anna@example.com", " a.b+c@mail.example.co.uk "])
def test_good_emails(text: str) -> None:
    assert check_email(text) == text.strip()


@pytest.mark.parametrize(
    "text", ["anna", "anna@", "anna@example", "@example.com", "a b@example.com"]
)
def test_bad_emails(text: str) -> None:
    with pytest.raises(ValidationError, match="not an email address"):
        check_email(text)


def test_tags_are_trimmed_and_deduplicated_case_insensitively() -> None:
    assert parse_tags(" VIP, colour client,vip,, Colour Client ") == ("VIP", "colour client")


def test_first_name_prefers_the_call_name() -> None:
    assert Customer(name="Margaret Thatcher-Jones").first_name == "Margaret"
    assert Customer(name="Margaret Jones", call_name="Maggie").first_name == "Maggie"


@pytest.mark.parametrize(
    ("text", "minor"), [("45", 4500), ("45.5", 4550), ("45,05", 4505), (" 0.99 ", 99)]
)
def test_money_is_parsed_to_minor_units(text: str, minor: int) -> None:
    assert parse_minor(text) == minor
    assert parse_minor(format_minor(minor)) == minor


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.234", "12e3"])
def test_bad_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_minor(text)


def test_service_validation_collects_every_error() -> None:
    with pytest.raises(ValidationError) as err:
        Service(" ", 2, -1, followup_days=0).validated()
    assert set(err.value.errors) == {"name", "duration", "price", "followup"}


def test_staff_colour_must_be_hex() -> None:
    assert Staff("Ann", colour="#abcdef").validated().colour == "#ABCDEF"
    with pytest.raises(ValidationError, match="Colour"):
        Staff("Ann", colour="red").validated()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("23 April 1990", Birthday(4, 23, 1990)),
        ("April 23", Birthday(4, 23)),
        ("23 apr", Birthday(4, 23)),
        ("Sept 3, 1980", Birthday(9, 3, 1980)),
    ],
)
def test_birthdays_with_month_names(text: str, expected: Birthday) -> None:
    assert Birthday.parse(text, TODAY) == expected


def test_day_month_order_mistake_gets_a_helpful_message() -> None:
    with pytest.raises(ValidationError, match=r"no month 23: write the month first \(04-23\)"):
        Birthday.parse("23-04", TODAY)


def test_birthday_is_described_for_people() -> None:
    assert Birthday(2, 29).describe(TODAY) == "29 February"
    assert Birthday(3, 4, 1985).describe(TODAY) == "4 March 1985 (41)"
    assert Birthday(12, 24, 1985).describe(TODAY) == "24 December 1985 (40)"


@pytest.mark.parametrize("text", ["Line\nBreak", "Tab\there", "Esc\x1bape"])
def test_control_characters_are_refused_in_names_and_emails(text: str) -> None:
    with pytest.raises(ValidationError, match="line breaks, tabs or control"):
        check_name(text)
    with pytest.raises(ValidationError, match="line breaks, tabs or control"):
        check_email(text.replace(" ", "") + "@example.com")
