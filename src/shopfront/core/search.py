"""Search text rules: what goes into the customer index and how typed queries match it.

The index is SQLite FTS5 with the ``unicode61 remove_diacritics 2`` tokenizer, which folds
case and accents (``elo`` finds ``Élodie``). Two things it can't do on its own are added
here as extra tokens: any run of phone digits (every digit suffix is indexed, so a prefix
query finds a run anywhere in the number) and infix matches inside CJK names, which the
tokenizer keeps as one long token.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MIN_DIGIT_RUN = 3
PHONE_QUERY_RE = re.compile(r"^[\d\s+().\-/]+$")
WORD_RE = re.compile(r"\w+", re.UNICODE)
CJK_RE = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


@dataclass(frozen=True)
class IndexText:
    """The four columns of one customer's row in the search index."""

    name: str
    phone: str
    email: str
    tags: str


# Letters that carry no separable accent, so NFKD leaves them alone, yet people type them
# as plain Latin letters on a UK/US keyboard (Łukasz as "lukasz", Groß as "gross").
_PLAIN_LATIN = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ı": "i",
        "ħ": "h",
        "Ħ": "h",
        "ŧ": "t",
        "Ŧ": "t",
        "ŀ": "l",
        "Ŀ": "l",
    }
)
JOINERS_RE = re.compile(r"(?<=\w)['’\-‐](?=\w)")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text (Élodie, Łukasz, Алёна -> elodie, lukasz, алена)."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_PLAIN_LATIN))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def name_variants(name: str) -> list[str]:
    """Extra spellings to index for a name: folded, and with apostrophes/hyphens joined
    (O'Brien is found as "obrien", Jean-Luc as "jeanluc")."""
    folded = fold(name)
    joined = JOINERS_RE.sub("", folded)
    return [v for v in dict.fromkeys([folded, joined]) if v != name.lower()]


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit() and c.isascii())


def digit_suffixes(number: str) -> list[str]:
    """Every suffix of at least MIN_DIGIT_RUN digits: prefix search over them = infix search."""
    return [number[i:] for i in range(0, max(0, len(number) - MIN_DIGIT_RUN + 1))]


def cjk_suffixes(text: str) -> list[str]:
    out: list[str] = []
    for run in CJK_RE.findall(text):
        out.extend(run[i:] for i in range(1, len(run)))
    return out


def index_text(
    name: str,
    call_name: str,
    phones: list[tuple[str, ...]],
    emails: list[str],
    tags: list[str],
) -> IndexText:
    """Build the index columns; ``phones`` holds each number's forms: E.164, as typed, and
    optionally its national form (06 12 34 56 78 for a French mobile)."""
    variants = [*name_variants(name), *name_variants(call_name)]
    names = " ".join(dict.fromkeys(filter(None, [name, call_name, *variants, *cjk_suffixes(name)])))
    tokens: list[str] = []
    for forms in phones:
        for number in dict.fromkeys(digits(form) for form in forms):
            tokens.extend(digit_suffixes(number))
    return IndexText(names, " ".join(dict.fromkeys(tokens)), " ".join(emails), " ".join(tags))


def is_phone_query(query: str) -> bool:
    return bool(PHONE_QUERY_RE.match(query)) and len(digits(query)) >= MIN_DIGIT_RUN


def match_expression(query: str, column: str | None = None) -> str | None:
    """Turn what a user typed into an FTS5 MATCH expression, or None if nothing to search.

    Every token is quoted (so typed punctuation can never be FTS syntax) and matched as a
    prefix; all tokens must match. A query that looks like a phone number becomes one digit
    run, so "555 1234" finds +1 415 555 1234.
    """
    query = query.strip()
    if not query:
        return None
    if is_phone_query(query):
        return None if column else f'phone : "{digits(query)}"*'
    tokens = WORD_RE.findall(fold(query))
    if not tokens:
        return None
    body = " ".join(f'"{token}"*' for token in tokens)
    return f"{column} : ({body})" if column else body


def first_word(query: str) -> str:
    """The folded first word of a name query (names starting with it are listed first)."""
    if is_phone_query(query):
        return ""
    words = WORD_RE.findall(fold(query))
    return words[0] if words else ""
