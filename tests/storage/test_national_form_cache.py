"""A parsed number's national form is remembered: the import index needn't parse it again."""

from __future__ import annotations

import pytest

from shopfront import phones
from shopfront.errors import ValidationError


@pytest.mark.parametrize(
    ("typed", "region"),
    [("07400 123456", "GB"), ("+33 6 12 34 56 78", "GB"), ("(415) 555-2671", "US")],
)
def test_remembered_national_form_equals_a_fresh_parse(typed: str, region: str) -> None:
    e164 = phones.parse_phone(typed, region).e164
    remembered = phones.national_form(e164)
    phones._NATIONAL_CACHE.clear()
    assert remembered == phones.national_form(e164)
    assert e164 not in phones._NATIONAL_CACHE  # the fresh answer came from phonenumbers


def test_an_invalid_number_is_still_refused_and_not_remembered() -> None:
    phones._NATIONAL_CACHE.clear()
    with pytest.raises(ValidationError, match="not a valid phone number"):
        phones.parse_phone("07400 12", "GB")
    assert not phones._NATIONAL_CACHE
