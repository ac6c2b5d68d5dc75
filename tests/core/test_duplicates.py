"""Likely-duplicate rules."""

from __future__ import annotations

from shopfront.core.customers import Customer, Email, Phone
from shopfront.core.duplicates import match_reasons, name_similarity, rank_duplicates


def person(
    cid: int, name: str, phones: tuple[str, ...] = (), emails: tuple[str, ...] = ()
) -> Customer:
    return Customer(
        name=name,
        id=cid,
        phones=tuple(Phone(p, p) for p in phones),
        emails=tuple(Email(e) for e in emails),
    )


def test_name_similarity_ignores_accents_case_and_order() -> None:
    assert name_similarity("Élodie Martin", "elodie martin") == 1.0
    assert name_similarity("Martin Élodie", "Elodie Martin") == 1.0
    assert name_similarity("Anna Smith", "Boris Ivanov") < 0.5


def test_same_phone_is_a_duplicate_whatever_the_name() -> None:
    new = person(0, "A. Smith", ("+447400123456",))
    assert match_reasons(new, person(1, "Anna Smith", ("+447400123456",))) == (
        "same phone +447400123456",
    )


def test_same_email_is_reported() -> None:
    new = person(0, "Anna Smith", emails=("Anna@Example.com",))
    reasons = match_reasons(new, person(1, "Anna Smith", emails=("anna@example.com",)))
    assert reasons == ("same email anna@example.com", "similar name")


def test_similar_name_with_same_phone_tail() -> None:
    new = person(0, "Anna Smyth", ("+447400991234",))
    old = person(1, "Anna Smith", ("+14155551234",))
    assert "similar name and same last digits of a phone" in match_reasons(new, old)
    assert match_reasons(person(0, "Boris Ivanov", ("+447400991234",)), old) == ()


def test_similar_name_alone_is_not_enough() -> None:
    assert match_reasons(person(0, "Anna Smith"), person(1, "Anna Smith")) == ()


def test_ranking_puts_strongest_evidence_first_and_skips_self() -> None:
    new = person(5, "Anna Smith", ("+447400123456",), ("anna@example.com",))
    both = person(1, "Anna Smith", ("+447400123456",), ("anna@example.com",))
    phone_only = person(2, "Someone Else", ("+447400123456",))
    ranked = rank_duplicates(new, [phone_only, both, new])
    assert [m.customer_id for m in ranked] == [1, 2]
