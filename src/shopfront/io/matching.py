"""Duplicate matching for imports: the book's rule (``core.duplicates``) over an index.

Checking 100,000 rows one query at a time would take minutes, so the book's contacts
are read once into dictionaries keyed by phone, email and last phone digits; each file
row is looked up there and then added, so duplicates *within* the file are found too.
The evidence is the card editor's: same phone, or same email with a similar name (never
email alone), or a similar name with the same last digits. Cards with no phone and no
email match only a card with exactly the same name and no contacts either.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from shopfront.core.customers import Customer
from shopfront.core.duplicates import NAME_SIMILARITY, SUFFIX_DIGITS, match_reasons
from shopfront.core.search import digits, fold

Key = int  # > 0: a customer id in the book; < 0: -(row index + 1) in the file


@dataclass(frozen=True)
class Match:
    key: Key
    reasons: tuple[str, ...]


def _tail(e164: str) -> str:
    return digits(e164)[-SUFFIX_DIGITS:]


def _name_key(name: str) -> str:
    return " ".join(sorted(fold(name).split()))


class ContactIndex:
    def __init__(self) -> None:
        self.cards: dict[Key, Customer] = {}
        self.by_phone: dict[str, list[Key]] = defaultdict(list)
        self.by_email: dict[str, list[Key]] = defaultdict(list)
        self.by_tail: dict[str, list[Key]] = defaultdict(list)
        self.bare_names: dict[str, list[Key]] = defaultdict(list)
        self.external: dict[str, Key] = {}

    def add(self, key: Key, card: Customer, external_id: str | None = None) -> None:
        self.cards[key] = card
        for p in card.phones:
            self.by_phone[p.e164].append(key)
            self.by_tail[_tail(p.e164)].append(key)
        for e in card.emails:
            self.by_email[e.normalised].append(key)
        if not card.phones and not card.emails:
            self.bare_names[_name_key(card.name)].append(key)
        if external_id:
            self.external.setdefault(external_id, key)

    def replace(self, key: Key, card: Customer) -> None:
        """A merged card gained contacts: index the new ones too (old keys stay valid)."""
        self.add(key, card)

    def find(self, card: Customer, external_id: str | None = None) -> Match | None:
        """The strongest likely duplicate of ``card`` (book cards before file rows)."""
        if external_id and external_id in self.external:
            return Match(self.external[external_id], ("same id in the system it came from",))
        strong: set[Key] = set()
        for p in card.phones:
            strong.update(self.by_phone.get(p.e164, ()))
        for e in card.emails:
            strong.update(self.by_email.get(e.normalised, ()))
        weak: set[Key] = set()
        folded = _name_key(card.name)
        for p in card.phones:
            for key in self.by_tail.get(_tail(p.e164), ()):
                if key not in strong and _similar_enough(folded, self.cards[key].name):
                    weak.add(key)
        matches = []
        for key in strong | weak:
            reasons = match_reasons(card, self.cards[key])
            if reasons and not _email_only(reasons):
                matches.append(Match(key, reasons))
        if not card.phones and not card.emails:
            for key in self.bare_names.get(folded, ()):
                matches.append(Match(key, ("same name, and neither has a phone or email",)))
        if not matches:
            return None
        return max(matches, key=lambda m: (len(m.reasons), m.key > 0, -abs(m.key)))


def _email_only(reasons: tuple[str, ...]) -> bool:
    """Two people may share one email (a parent booking for a child): not enough alone."""
    return all(r.startswith("same email") for r in reasons)


def _similar_enough(folded_sorted: str, other: str) -> bool:
    """Cheap upper bounds first: most names sharing four phone digits are not alike."""
    matcher = SequenceMatcher(None, folded_sorted, _name_key(other))
    return matcher.real_quick_ratio() >= NAME_SIMILARITY and matcher.quick_ratio() >= (
        NAME_SIMILARITY
    )
