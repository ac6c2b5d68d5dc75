"""Likely-duplicate rules: which existing customers look like the one being added."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from shopfront.core.customers import Customer, normalise_email
from shopfront.core.search import digits, fold

NAME_SIMILARITY = 0.8
SUFFIX_DIGITS = 4


@dataclass(frozen=True)
class DuplicateMatch:
    customer_id: int
    name: str
    reasons: tuple[str, ...]


def name_similarity(a: str, b: str) -> float:
    """0..1, insensitive to case, accents and word order ("Smith Anna" ~ "Anna Smith")."""
    fa, fb = fold(a).split(), fold(b).split()
    straight = SequenceMatcher(None, " ".join(fa), " ".join(fb)).ratio()
    ordered = SequenceMatcher(None, " ".join(sorted(fa)), " ".join(sorted(fb))).ratio()
    return max(straight, ordered)


def match_reasons(new: Customer, existing: Customer) -> tuple[str, ...]:
    """Why ``existing`` may be the same person as ``new``; empty when it is not likely.

    Same phone number, or same email *with* a similar name (two people may share one
    email, e.g. a parent booking for a child), or a very similar name with the same last
    digits of a phone number.
    """
    reasons: list[str] = []
    new_phones = {p.e164 for p in new.phones}
    if shared := sorted(new_phones & {p.e164 for p in existing.phones}):
        reasons.append(f"same phone {shared[0]}")
    similar = name_similarity(new.name, existing.name) >= NAME_SIMILARITY
    new_emails = {normalise_email(e.address) for e in new.emails}
    shared_email = new_emails & {normalise_email(e.address) for e in existing.emails}
    if shared_email:
        reasons.append(f"same email {sorted(shared_email)[0]}")
    if similar and not reasons:
        tails = {digits(p.e164)[-SUFFIX_DIGITS:] for p in new.phones}
        if tails & {digits(p.e164)[-SUFFIX_DIGITS:] for p in existing.phones}:
            return ("similar name and same last digits of a phone",)
    if similar and reasons:
        reasons.append("similar name")
    return tuple(reasons)


def rank_duplicates(new: Customer, candidates: list[Customer]) -> list[DuplicateMatch]:
    """Candidates that look like ``new``, strongest evidence first."""
    matches = [
        DuplicateMatch(c.id, c.name, reasons)
        for c in candidates
        if c.id != new.id and (reasons := match_reasons(new, c))
    ]
    return sorted(matches, key=lambda m: (-len(m.reasons), m.name))
