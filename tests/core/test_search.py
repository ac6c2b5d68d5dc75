"""What goes into the search index and how typed queries become FTS expressions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopfront.core.search import (
    cjk_suffixes,
    digit_suffixes,
    first_word,
    fold,
    index_text,
    is_phone_query,
    match_expression,
)


def test_fold_removes_accents_and_case() -> None:
    assert fold("Élodie ŁUKASZ Zoë Groß Алёна") == "elodie lukasz zoe gross алена"


def test_every_run_of_three_or_more_digits_is_a_prefix_of_some_suffix() -> None:
    number = "14155551234"
    suffixes = digit_suffixes(number)
    for start in range(len(number)):
        for end in range(start + 3, len(number) + 1):
            run = number[start:end]
            assert any(s.startswith(run) for s in suffixes), run


def test_index_text_holds_phone_suffixes_of_e164_and_typed_forms() -> None:
    text = index_text("Ann", "", [("+447400123456", "07400 123456")], ["a@example.com"], ["vip"])
    tokens = text.phone.split()
    assert "447400123456" in tokens and "07400123456" in tokens and "123456" in tokens
    assert len(tokens) == len(set(tokens))
    assert text.email == "a@example.com" and text.tags == "vip"


def test_cjk_names_get_infix_tokens() -> None:
    assert cjk_suffixes("王小明") == ["小明", "明"]
    assert "小明" in index_text("王小明", "", [], [], []).name


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("elo", '"elo"*'),
        ("anna smi", '"anna"* "smi"*'),
        ("555 1234", 'phone : "5551234"*'),
        ("+1 (415) 555", 'phone : "1415555"*'),
        ("anna.sm@", '"anna"* "sm"*'),
        ("", None),
        ("  ", None),
        ('"*', None),
        ("12", '"12"*'),
    ],
)
def test_match_expression(query: str, expected: str | None) -> None:
    assert match_expression(query) == expected


@given(st.text())
def test_any_typed_text_gives_a_safe_expression(query: str) -> None:
    """Whatever is typed, every token is quoted: no FTS syntax can leak through."""
    expression = match_expression(query)
    if expression is None:
        return
    body = expression.removeprefix("phone : ")
    for part in body.split(" "):
        assert part.startswith('"') and part.endswith('"*')
        assert '"' not in part[1:-2]


def test_phone_queries_need_three_digits_and_no_letters() -> None:
    assert is_phone_query("074 00")
    assert not is_phone_query("07")
    assert not is_phone_query("Ann 0740")


def test_first_word_is_folded_and_empty_for_phone_queries() -> None:
    assert first_word("Élo mar") == "elo"
    assert first_word("0740 123") == ""
