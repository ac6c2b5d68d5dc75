"""vCard 2.1 / 3.0 / 4.0 files in (via ``vobject``) and vCard 3.0 / 4.0 out.

Each card is parsed on its own, so one broken card is reported with its line and the
rest of the file still imports. Quoted-printable, CHARSET parameters, folded lines,
grouped properties (Apple's ``item1.TEL`` + ``item1.X-ABLabel``) and photos (ignored)
are handled; ``KIND:group`` cards are skipped as not being people.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shopfront.core.customers import Customer
from shopfront.io.contacts import ImportedContact, join_name

_BEGIN = re.compile(r"^begin:vcard\s*$", re.IGNORECASE)
_END = re.compile(r"^end:vcard\s*$", re.IGNORECASE)
PHONE_TYPES = {"cell": "mobile", "mobile": "mobile", "iphone": "mobile", "home": "home"}
PHONE_TYPES |= {"work": "work", "other": "other"}
EMAIL_TYPES = {"home": "personal", "personal": "personal", "work": "work", "other": "other"}
OUT_PHONE = {"mobile": "CELL", "home": "HOME", "work": "WORK", "other": "OTHER"}
OUT_EMAIL = {"personal": "HOME", "work": "WORK", "other": "OTHER"}


def split_cards(text: str) -> list[tuple[int, str]]:
    """(first line, text) of each BEGIN:VCARD … END:VCARD block."""
    cards: list[tuple[int, str]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), 1):
        if _BEGIN.match(line.strip()):
            current, start = [line.strip()], number
        elif current is not None:
            current.append(line)
            if _END.match(line.strip()):
                cards.append((start, "\r\n".join(current) + "\r\n"))
                current = None
    if current is not None:
        cards.append((start, "\r\n".join(current) + "\r\nEND:VCARD\r\n"))
    return cards


def _types(prop) -> list[str]:  # noqa: ANN001 (a vobject ContentLine)
    found = [t.lower() for value in prop.params.get("TYPE", []) for t in value.split(",")]
    found += [s.lower() for s in getattr(prop, "singletonparams", [])]
    return found


def _apple_label(card, prop) -> str:  # noqa: ANN001
    """``item1.X-ABLabel:_$!<Mobile>!$_`` names the property of the same group."""
    if not prop.group:
        return ""
    for label in card.contents.get("x-ablabel", []):
        if label.group == prop.group:
            return re.sub(r"^_\$!<(.*)>!\$_$", r"\1", str(label.value)).lower()
    return ""


def _label(types: list[str], table: dict[str, str], default: str) -> str:
    for t in types:
        if t in table:
            return table[t]
    return default


def _birthday(value: object) -> str:
    """BDAY as ``YYYY-MM-DD`` or ``--MM-DD`` (vCard 4 ``--0415``, basic ``19850415``)."""
    text = str(value).strip().split("T")[0]
    if match := re.fullmatch(r"(\d{4})-?(\d{2})-?(\d{2})", text):
        return f"{match[1]}-{match[2]}-{match[3]}"
    if match := re.fullmatch(r"--(\d{2})-?(\d{2})", text):
        return f"--{match[1]}-{match[2]}"
    return text


def _text(value: object) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _contact(line: int, card) -> ImportedContact:  # noqa: ANN001 (a vobject Component)
    c = ImportedContact(line)
    get = card.contents.get
    if (kind := get("kind")) and str(kind[0].value).lower() == "group":
        c.skip = "a contact group, not a person"
        return c
    if fn := get("fn"):
        c.name = str(fn[0].value).strip()
    if not c.name and (n := get("n")):
        v = n[0].value
        c.name = join_name(str(v.prefix), str(v.given), str(v.additional), str(v.family))
    if not c.name and (org := get("org")):
        c.name = _text(org[0].value).replace(",", " ").strip()
    if nick := get("nickname"):
        c.call_name = _text(nick[0].value).split(",")[0].strip()
    for tel in get("tel", []):
        number = str(tel.value).strip().removeprefix("tel:")
        label = _label([*_types(tel), _apple_label(card, tel)], PHONE_TYPES, "mobile")
        if number:
            c.phones.append((number, label))
    for email in get("email", []):
        label = _label([*_types(email), _apple_label(card, email)], EMAIL_TYPES, "personal")
        if str(email.value).strip():
            c.emails.append((str(email.value).strip(), label))
    if bday := get("bday"):
        apple_no_year = "X-APPLE-OMIT-YEAR" in bday[0].params
        c.birthday = _birthday(bday[0].value)
        if apple_no_year and re.fullmatch(r"\d{4}-\d{2}-\d{2}", c.birthday):
            c.birthday = "--" + c.birthday[5:]
    c.notes = "\n\n".join(str(n.value) for n in get("note", []) if str(n.value))
    for cats in get("categories", []):
        values = cats.value if isinstance(cats.value, list) else str(cats.value).split(",")
        c.tags.extend(str(v).strip() for v in values if str(v).strip())
    if prefs := get("x-shopfront-preferences"):
        c.preferences = str(prefs[0].value)
    if consent := get("x-shopfront-marketing-consent"):
        c.marketing_consent = str(consent[0].value).strip().lower() == "yes"
    if uid := get("uid"):
        c.external_id = "vcard:" + str(uid[0].value).strip()
    return c


_QP_WITHOUT_CHARSET = re.compile(
    r"^([^:\r\n]*;ENCODING=QUOTED-PRINTABLE)(?![^:\r\n]*CHARSET)", re.IGNORECASE | re.MULTILINE
)


def _legacy_charset(block: str) -> str:
    """Old phones wrote quoted-printable Latin-1 without saying so (``=E9`` for é)."""
    return _QP_WITHOUT_CHARSET.sub(r"\1;CHARSET=windows-1252", block)


def read_vcards(text: str) -> list[ImportedContact]:
    """Every card in the text; a card vobject can't read becomes an entry with an error."""
    import vobject

    contacts = []
    for line, block in split_cards(text):
        try:
            try:
                card = vobject.readOne(block, allowQP=True, ignoreUnreadable=True)
            except UnicodeDecodeError:
                card = vobject.readOne(_legacy_charset(block), allowQP=True, ignoreUnreadable=True)
            contacts.append(_contact(line, card))
        except Exception as exc:  # vobject raises ParseError, ValueError, and more
            broken = ImportedContact(line)
            broken.error = f"this vCard can't be read ({type(exc).__name__}: {exc})"[:300]
            contacts.append(broken)
    return contacts


def _split_name(name: str) -> tuple[str, str]:
    given, _, family = name.rpartition(" ")
    return (given, family) if given else (name, "")


def _bday_out(c: Customer, version: str) -> str:
    """vCard 4.0 dates are ISO 8601 basic (19850415, --0415); 3.0 readers expect 1985-04-15."""
    b = c.birthday
    assert b is not None
    if b.year is None:
        return f"--{b.month:02d}{b.day:02d}"
    if version == "4.0":
        return f"{b.year:04d}{b.month:02d}{b.day:02d}"
    return f"{b.year:04d}-{b.month:02d}-{b.day:02d}"


def write_vcards(customers: Iterable[Customer], version: str = "3.0") -> str:
    """vCards for the given customers (``version`` 3.0 or 4.0), CRLF line ends."""
    import vobject

    if version not in ("3.0", "4.0"):
        raise ValueError(f"vCard version must be 3.0 or 4.0, not {version}")
    out = []
    for c in customers:
        card = vobject.vCard()
        card.add("version").value = version
        card.add("fn").value = c.name
        given, family = _split_name(c.name)
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        if c.call_name:
            card.add("nickname").value = c.call_name
        for phone in c.phones:
            tel = card.add("tel")
            tel.value = phone.typed
            tel.type_param = OUT_PHONE.get(phone.label, "OTHER")
        for email in c.emails:
            prop = card.add("email")
            prop.value = email.address
            prop.type_param = OUT_EMAIL.get(email.label, "OTHER")
        if c.birthday:
            card.add("bday").value = _bday_out(c, version)
        if c.notes:
            card.add("note").value = c.notes
        if c.tags:
            card.add("categories").value = list(c.tags)
        if c.preferences:
            card.add("x-shopfront-preferences").value = c.preferences
        card.add("x-shopfront-marketing-consent").value = "yes" if c.marketing_consent else "no"
        card.add("uid").value = f"shopfront-customer-{c.id}"
        out.append(card.serialize())
    return "".join(out)
