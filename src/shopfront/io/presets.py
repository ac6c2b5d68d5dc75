"""Known export layouts (presets), recognised by their headers, and the column mapping
that turns a table row into an ``ImportedContact``.

A preset maps header names to fields and says how its values are written (date order,
phones without ``+``, ``---`` for empty). Anything not recognised falls back to the
generic preset, which guesses fields from common header words; the user can correct any
column (``--map COLUMN=FIELD`` or the wizard's mapping page).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from shopfront.core.customers import EMAIL_LABELS, PHONE_LABELS
from shopfront.core.search import fold
from shopfront.errors import ValidationError
from shopfront.io.contacts import (
    FIELDS,
    ImportedContact,
    birthday_text,
    flag,
    join_name,
    split_multi,
    unneutralise,
)
from shopfront.io.tables import Row, Table

# Google's system groups ("* myContacts", "* starred"): every contact has them.
IGNORED_TAGS = {"mycontacts", "starred"}
GROUP_RE = re.compile(r"^(e-mail|phone) (\d+) - (value|label|type)$")


@dataclass(frozen=True)
class Preset:
    key: str
    label: str
    columns: dict[str, str] = field(default_factory=dict)  # folded header -> field
    signature: tuple[str, ...] = ()  # folded headers that identify the layout
    date_order: str = "mdy"
    international_digits: bool = False  # phones written as 447700900123 (no +)
    empty_marks: tuple[str, ...] = ()
    id_prefix: str = ""  # external ids are kept as "<prefix>:<id>"


def _cols(**pairs: str) -> dict[str, str]:
    return {fold(k.replace("_", " ")): v for k, v in pairs.items()}


def _map(pairs: dict[str, str]) -> dict[str, str]:
    return {fold(k): v for k, v in pairs.items()}


GOOGLE = Preset(
    "google",
    "Google Contacts CSV",
    _map(
        {
            "Name": "name",
            "First Name": "first_name",
            "Middle Name": "middle_name",
            "Last Name": "last_name",
            "Given Name": "first_name",
            "Additional Name": "middle_name",
            "Family Name": "last_name",
            "Nickname": "call_name",
            "Birthday": "birthday",
            "Notes": "notes",
            "Labels": "tags",
            "Group Membership": "tags",
        }
    ),
    (
        "labels",
        "group membership",
        "file as",
        "phonetic first name",
        "given name",
        "family name",
        "e-mail 1 - value",
        "phone 1 - value",
        "e-mail 1 - label",
        "e-mail 1 - type",
        "phone 1 - type",
        "phone 1 - label",
    ),
)
OUTLOOK = Preset(
    "outlook",
    "Outlook CSV",
    _map(
        {
            "First Name": "first_name",
            "Middle Name": "middle_name",
            "Last Name": "last_name",
            "Nickname": "call_name",
            "E-mail Address": "email:personal",
            "E-mail 2 Address": "email:other",
            "E-mail 3 Address": "email:other",
            "Mobile Phone": "phone:mobile",
            "Home Phone": "phone:home",
            "Home Phone 2": "phone:home",
            "Business Phone": "phone:work",
            "Business Phone 2": "phone:work",
            "Primary Phone": "phone:other",
            "Other Phone": "phone:other",
            "Birthday": "birthday",
            "Notes": "notes",
            "Categories": "tags",
            # German Outlook
            "Vorname": "first_name",
            "Weitere Vornamen": "middle_name",
            "Nachname": "last_name",
            "Spitzname": "call_name",
            "E-Mail-Adresse": "email:personal",
            "E-Mail 2: Adresse": "email:other",
            "E-Mail 3: Adresse": "email:other",
            "Mobiltelefon": "phone:mobile",
            "Telefon privat": "phone:home",
            "Telefon geschäftlich": "phone:work",
            "Weiteres Telefon": "phone:other",
            "Geburtstag": "birthday",
            "Notizen": "notes",
            "Kategorien": "tags",
            # French Outlook
            "Prénom": "first_name",
            "Deuxième prénom": "middle_name",
            "Nom": "last_name",
            "Surnom": "call_name",
            "Adresse de messagerie": "email:personal",
            "Adresse de messagerie 2": "email:other",
            "Adresse de messagerie 3": "email:other",
            "Tél. mobile": "phone:mobile",
            "Téléphone domicile": "phone:home",
            "Téléphone bureau": "phone:work",
            "Autre téléphone": "phone:other",
            "Anniversaire": "birthday",
            "Catégories": "tags",
        }
    ),
    (
        "e-mail address",
        "mobile phone",
        "home phone",
        "business phone",
        "categories",
        "e-mail 2 address",
        "job title",
        "vorname",
        "nachname",
        "e-mail-adresse",
        "mobiltelefon",
        "telefon privat",
        "kategorien",
        "prenom",
        "adresse de messagerie",
        "tel. mobile",
        "telephone domicile",
        "categories",
    ),
)
SQUARE = Preset(
    "square",
    "Square customers",
    _map(
        {
            "First Name": "first_name",
            "Last Name": "last_name",
            "Nickname": "call_name",
            "Email Address": "email",
            "Phone Number": "phone",
            "Birthday": "birthday",
            "Memo": "notes",
            "Groups": "tags",
            "Square Customer ID": "external_id",
            "Email Subscription Status": "marketing_consent",
        }
    ),
    (
        "square customer id",
        "reference id",
        "email subscription status",
        "lifetime spend",
        "creation source",
        "memo",
        "phone number",
        "email address",
    ),
    date_order="mdy",
    id_prefix="square",
)
FRESHA = Preset(
    "fresha",
    "Fresha clients",
    _map(
        {
            "Client ID": "external_id",
            "First Name": "first_name",
            "Last Name": "last_name",
            "Full Name": "name",
            "Mobile Number": "phone:mobile",
            "Telephone": "phone:home",
            "Email": "email",
            "Date of Birth": "birthday",
            "Blocked": "blocked",
            "Block Reason": "blocked_reason",
            "Accepts Marketing": "marketing_consent",
            "Note": "notes",
            "Notes": "notes",
        }
    ),
    (
        "block reason",
        "blocked",
        "accepts marketing",
        "accepts sms marketing",
        "mobile number",
        "client id",
        "full name",
        "referral source",
    ),
    date_order="dmy",
    international_digits=True,
    id_prefix="fresha",
)
VAGARO = Preset(
    "vagaro",
    "Vagaro customers (Excel)",
    _map(
        {
            "First Name": "first_name",
            "Last Name": "last_name",
            "Customer": "name",
            "Email": "email",
            "Cell Phone": "phone:mobile",
            "Day Phone": "phone:work",
            "Night Phone": "phone:home",
            "Birthday": "birthday",
            "Notes": "notes",
            "Tags": "tags",
        }
    ),
    ("cell phone", "day phone", "night phone", "customer since", "last visit", "customer"),
    date_order="mdy",
    empty_marks=("---",),
)
SHOPFRONT = Preset(
    "shopfront",
    "shopfront customers CSV",
    _map(
        {
            "Name": "name",
            "Call name": "call_name",
            "Birthday": "birthday",
            "Notes": "notes",
            "Preferences": "preferences",
            "Tags": "tags",
            "Marketing consent": "marketing_consent",
            "Blocked": "blocked",
            "Blocked reason": "blocked_reason",
            "External id": "external_id",
        }
    ),
    ("shopfront id", "call name", "preferences", "marketing consent"),
)
# Outlook in German or French writes birthdays day first (23.04.1975, 02/05/1984).
OUTLOOK_EUROPE = Preset("outlook", "Outlook CSV (German/French)", OUTLOOK.columns, date_order="dmy")
_EUROPEAN_HEADERS = {"vorname", "nachname", "prenom", "adresse de messagerie", "geburtstag"}
GENERIC = Preset("generic", "Other CSV / spreadsheet (your own column mapping)")
PRESETS = (SHOPFRONT, GOOGLE, OUTLOOK, SQUARE, FRESHA, VAGARO)
BY_KEY = {p.key: p for p in (*PRESETS, GENERIC)}

# Header words the generic preset understands (folded, matched whole or as a word).
_GUESSES: tuple[tuple[str, str], ...] = (
    ("first name", "first_name"),
    ("given name", "first_name"),
    ("forename", "first_name"),
    ("vorname", "first_name"),
    ("prenom", "first_name"),
    ("last name", "last_name"),
    ("surname", "last_name"),
    ("family name", "last_name"),
    ("nachname", "last_name"),
    ("nickname", "call_name"),
    ("call name", "call_name"),
    ("name", "name"),
    ("client", "name"),
    ("customer", "name"),
    ("mobile", "phone:mobile"),
    ("cell", "phone:mobile"),
    ("handy", "phone:mobile"),
    ("phone", "phone"),
    ("telephone", "phone"),
    ("telefon", "phone"),
    ("tel", "phone"),
    ("e-mail", "email"),
    ("email", "email"),
    ("mail", "email"),
    ("birthday", "birthday"),
    ("date of birth", "birthday"),
    ("dob", "birthday"),
    ("geburtstag", "birthday"),
    ("notes", "notes"),
    ("note", "notes"),
    ("memo", "notes"),
    ("comment", "notes"),
    ("remark", "notes"),
    ("tags", "tags"),
    ("groups", "tags"),
    ("labels", "tags"),
    ("categories", "tags"),
    ("marketing", "marketing_consent"),
    ("consent", "marketing_consent"),
    ("blocked", "blocked"),
)


def detect(headers: list[str]) -> Preset:
    """The preset whose distinctive headers the file has most of (at least two)."""
    have = {fold(h) for h in headers}
    scored = [(sum(1 for s in p.signature if fold(s) in have), p) for p in PRESETS]
    score, best = max(scored, key=lambda pair: pair[0])
    return best if score >= 2 else GENERIC


def for_headers(preset: Preset, headers: list[str]) -> Preset:
    """The language variant of a preset (Outlook's date order follows its language)."""
    if preset.key == "outlook" and _EUROPEAN_HEADERS & {fold(h).strip() for h in headers}:
        return OUTLOOK_EUROPE
    return preset


def _guess(header: str) -> str:
    folded = fold(header).strip()
    for word, target in _GUESSES:
        if folded == word:
            return target
    for word, target in _GUESSES:
        if re.search(rf"\b{re.escape(word)}s?\b", folded):
            return target
    return "ignore"


def default_mapping(headers: list[str], preset: Preset) -> list[str]:
    """A field for every column (``ignore`` for the ones that carry nothing we keep)."""
    mapping = []
    for header in headers:
        folded = fold(header).strip()
        group = _group_key(header)
        if group is not None and (preset is not GENERIC or GROUP_RE.match(folded)):
            mapping.append(f"{group[0]}-label" if group[2] else group[0])
        elif preset is GENERIC:
            mapping.append(_guess(header))
        else:
            mapping.append(preset.columns.get(folded, "ignore"))
    return mapping


def apply_overrides(headers: list[str], mapping: list[str], overrides: dict[str, str]) -> list[str]:
    """``{"Mobile": "phone:mobile", "3": "notes"}``: by header name (any case) or 1-based
    column number. Unknown columns or fields are refused with a message."""
    mapping = list(mapping)
    folded = [fold(h).strip() for h in headers]
    for column, target in overrides.items():
        if target not in FIELDS:
            raise ValidationError(
                f"'{target}' is not a field; use one of: {', '.join(FIELDS)}.", "map"
            )
        key = fold(column).strip()
        if key in folded:
            index = folded.index(key)
        elif column.isdigit() and 1 <= int(column) <= len(headers):
            index = int(column) - 1
        else:
            raise ValidationError(f"The file has no column '{column}'.", "map")
        mapping[index] = target
    return mapping


def _label(text: str, allowed: tuple[str, ...]) -> str:
    word = fold(text.replace("*", "")).strip()
    aliases = {"cell": "mobile", "business": "work", "internet": "personal"}
    if allowed == EMAIL_LABELS:
        aliases["home"] = "personal"
    word = aliases.get(word, word)
    if not word:
        return allowed[0]
    return word if word in allowed else allowed[-1]


def _clean(text: str, preset: Preset) -> str:
    text = unneutralise(text)
    return "" if text.strip() in preset.empty_marks else text


def _phone(text: str, preset: Preset) -> str:
    text = text.strip()
    if preset.international_digits and re.fullmatch(r"[1-9]\d{9,14}", text):
        return "+" + text
    return text


def _tags(text: str) -> list[str]:
    parts = re.split(r":::|[,;]", text)
    return [p.strip() for p in parts if p.strip() and _tag_key(p) not in IGNORED_TAGS]


def _tag_key(tag: str) -> str:
    return fold(tag).replace("*", "").replace(" ", "")


def _group_key(header: str) -> tuple[str, str, bool] | None:
    """('phone', '1', is_label) for Google's ``Phone 1 - Label`` and our ``Phone 1 label``."""
    folded = fold(header).strip()
    if match := GROUP_RE.match(folded):
        kind = "email" if match[1] == "e-mail" else "phone"
        return kind, match[2], match[3] != "value"
    if match := re.fullmatch(r"(phone|email) (\d+)( label)?", folded):
        return match[1], match[2], bool(match[3])
    return None


def label_columns(headers: list[str], mapping: list[str]) -> dict[int, int]:
    """Value column -> the column holding its label (before or after it)."""
    groups: dict[tuple[str, str], dict[bool, int]] = {}
    for index, header in enumerate(headers):
        if (key := _group_key(header)) is not None:
            groups.setdefault(key[:2], {})[key[2]] = index
    return {
        pair[False]: pair[True]
        for pair in groups.values()
        if False in pair and True in pair and mapping[pair[True]].endswith("-label")
    }


class RowReader:
    """Turns rows of one table into contacts with a fixed mapping."""

    def __init__(self, headers: list[str], mapping: list[str], preset: Preset):
        self.headers = headers
        self.mapping = mapping
        self.preset = preset
        self.labels = label_columns(headers, mapping)

    def contact(self, row: Row) -> ImportedContact:
        c = ImportedContact(row.line)
        parts = {"first_name": "", "middle_name": "", "last_name": ""}
        for index, target in enumerate(self.mapping):
            value = _clean(row.get(index), self.preset)
            base, _, label = target.partition(":")
            if target == "ignore" or target.endswith("-label") or not value:
                continue
            if not value.strip() and target not in ("notes", "preferences"):
                continue
            if target in parts:
                parts[target] = value
            elif base in ("phone", "email"):
                if index in self.labels:
                    label = _label(
                        _clean(row.get(self.labels[index]), self.preset),
                        PHONE_LABELS if base == "phone" else EMAIL_LABELS,
                    )
                self._add_contact(c, base, label, value)
            else:
                self._set(c, target, value)
        if not c.name.strip():
            c.name = join_name(parts["first_name"], parts["middle_name"], parts["last_name"])
        return c

    def _add_contact(self, c: ImportedContact, base: str, label: str, value: str) -> None:
        """Add every value of a cell (Google packs several with ' ::: ')."""
        target = c.phones if base == "phone" else c.emails
        default = label or ("mobile" if base == "phone" else "personal")
        for part in split_multi(value) if ":::" in value else [value.strip()]:
            target.append((_phone(part, self.preset) if base == "phone" else part, default))

    def _set(self, c: ImportedContact, target: str, value: str) -> None:
        if target == "birthday":
            c.birthday = birthday_text(value, self.preset.date_order)
        elif target == "tags":
            c.tags.extend(t for t in _tags(value) if t not in c.tags)
        elif target in ("notes", "preferences"):
            old = getattr(c, target)
            setattr(c, target, f"{old}\n\n{value}" if old else value)
        elif target in ("marketing_consent", "blocked"):
            answer = flag(value)
            if answer is None:
                c.problems.append(f"'{value}' is neither yes nor no ({target.replace('_', ' ')})")
            setattr(c, target, bool(answer))
        elif target == "external_id":
            prefix = self.preset.id_prefix
            c.external_id = f"{prefix}:{value.strip()}" if prefix else value.strip()
        else:  # name, call_name, blocked_reason
            setattr(c, target, value.strip() if target != "blocked_reason" else value)


def read_contacts(table: Table, preset: Preset, mapping: list[str]) -> list[ImportedContact]:
    reader = RowReader(table.headers, mapping, preset)
    return [reader.contact(row) for row in table.rows]
