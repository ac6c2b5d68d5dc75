"""Real-shaped files from tests/data/import (sources in its README) through the Book."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.io import presets
from shopfront.io.tables import read_text_table

DATA = Path(__file__).resolve().parent.parent / "data" / "import"


def imported(book: Book, name: str, **options: object):
    source = book.read_import(DATA / name, **options)  # type: ignore[arg-type]
    report = book.apply_import(book.plan_import(source))
    return source, report


def card(book: Book, name: str):
    ids = book.search_ids(name, True, 5, 0)
    assert ids, f"{name} not found"
    return book.customer(ids[0])


@pytest.mark.parametrize(
    "name, preset",
    [
        ("google_new.csv", "google"),
        ("google_old.csv", "google"),
        ("outlook_en.csv", "outlook"),
        ("outlook_de_cp1252.csv", "outlook"),
        ("outlook_fr_utf16.csv", "outlook"),
        ("square_customers.csv", "square"),
        ("fresha_clients.csv", "fresha"),
    ],
)
def test_presets_are_recognised_by_their_headers(name: str, preset: str) -> None:
    table = read_text_table((DATA / name).read_bytes())
    assert presets.detect(table.headers).key == preset


def test_unknown_headers_fall_back_to_the_generic_preset() -> None:
    assert presets.detect(["Client", "Mobile", "E-mail"]) is presets.GENERIC
    mapping = presets.default_mapping(["Client", "Mobile", "E-mail", "Colour"], presets.GENERIC)
    assert mapping == ["name", "phone:mobile", "email", "ignore"]


def test_google_current_format(shop: Book) -> None:
    _, report = imported(shop, "google_new.csv")
    assert (len(report.created), len(report.failed)) == (3, 0)
    bob = card(shop, "Robert Smith")
    assert [p.e164 for p in bob.phones] == ["+14155550134", "+14155550135", "+442079460018"]
    assert [p.label for p in bob.phones] == ["mobile", "mobile", "other"]
    assert [e.address for e in bob.emails] == ["rob@acme.example", "bob@gmail.com"]
    assert bob.emails[0].label == "work"
    assert (str(bob.birthday), bob.call_name, bob.tags) == ("--03-07", "Bob", ("VIP",))
    assert bob.notes == "Two\nlines"
    assert card(shop, "Élodie").phones[0].e164 == "+33612345678"
    assert card(shop, "Sam").phones[0].typed == "07400 123457"


def test_google_older_format(shop: Book) -> None:
    _, report = imported(shop, "google_old.csv")
    assert len(report.created) == 2
    davi = card(shop, "Davi Antigo")
    assert (str(davi.birthday), davi.tags, davi.emails[0].label) == (
        "1979-02-14",
        ("Regulars",),
        "personal",
    )
    liam = card(shop, "Liam Smith")  # no Name: built from the given and family names
    assert liam.phones[0].label == "home"


def test_outlook_english_german_french(shop: Book) -> None:
    _, en = imported(shop, "outlook_en.csv")
    assert len(en.created) == 2
    grace = card(shop, "Grace Hopper")
    assert (str(grace.birthday), grace.tags) == ("1966-12-09", ("Regulars", "VIP"))
    assert card(shop, "Ann May Lee").birthday is None  # Outlook's 0/0/00
    shop.save_settings(dataclasses.replace(shop.settings, phone_region="DE"))
    _, de = imported(shop, "outlook_de_cp1252.csv")
    assert (len(de.created), len(de.failed)) == (2, 0)
    jurgen = card(shop, "Jürgen Müller")
    assert str(jurgen.birthday) == "1975-04-23"  # 23.04.1975: day first
    assert jurgen.notes == "Färbt gern; Termin früh"
    assert {p.label for p in jurgen.phones} == {"home", "mobile"}
    _, fr = imported(shop, "outlook_fr_utf16.csv")
    helene = card(shop, "Hélène Lefèvre")
    assert (str(helene.birthday), helene.tags) == ("1984-05-02", ("Fidèle",))


def test_square_apostrophes_month_day_birthdays_and_consent(shop: Book) -> None:
    _, report = imported(shop, "square_customers.csv")
    assert len(report.created) == 2
    maria = card(shop, "Maria Garcia")
    assert maria.phones[0].e164 == "+14155550142"
    assert (str(maria.birthday), maria.marketing_consent) == ("--04-23", True)
    tom = card(shop, "O'Brien")
    assert tom.notes == '=HYPERLINK("http://x")'  # kept as text, exactly
    assert tom.marketing_consent is False


def test_fresha_serial_dates_blocked_flag_and_phones_without_plus(shop: Book) -> None:
    _, report = imported(shop, "fresha_clients.csv")
    assert len(report.created) == 2
    assert [(f.line, f.reason) for f in report.failed] == [(4, "A name is needed.")]
    aisha = card(shop, "Aisha Khan")
    assert aisha.phones[0].e164 == "+447400123460"
    assert (str(aisha.birthday), aisha.marketing_consent) == ("1989-04-18", True)  # Excel day 32616
    piotr = card(shop, "Piotr Nowak")
    assert str(piotr.birthday) == "--03-15"
    extra = shop.db.execute_sql(
        f"SELECT blocked, blocked_reason, external_id FROM customer WHERE id = {shop.db.param}",
        (piotr.id,),
    ).fetchone()
    assert extra == (1, "Three no-shows in a row", "fresha:1002")


def test_vagaro_excel_with_report_rows_above_the_header(shop: Book, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Customer List Report"])
    sheet.append(["Date range: Jan 1, 2025 - Dec 31, 2025"])
    sheet.append([])
    sheet.append(["First Name", "Last Name", "Email", "Cell Phone", "Day Phone", "Birthday"])
    sheet.append(["Keisha", "Brown", "keisha@example.com", "(415) 555-0150", "---", "Jul 10, 1990"])
    sheet.append(["Lee", "Chen", "---", "---", "---", "---"])
    path = tmp_path / "vagaro.xlsx"
    book.save(path)
    source = shop.read_import(path)
    assert source.preset.key == "vagaro"
    shop.save_settings(dataclasses.replace(shop.settings, phone_region="US"))
    report = shop.apply_import(shop.plan_import(shop.read_import(path)))
    assert len(report.created) == 2
    keisha = card(shop, "Keisha Brown")
    assert (keisha.phones[0].e164, str(keisha.birthday)) == ("+14155550150", "1990-07-10")
    assert card(shop, "Lee Chen").emails == ()


def test_vcards_from_the_vobject_test_suite(shop: Book) -> None:
    _, full = imported(shop, "vobject_vcard40_full.vcf")
    assert len(full.created) == 1 and "not a valid phone number" in full.created[0].reason
    john = card(shop, "John Q. Public")
    assert john.name == "Dr. John Q. Public, III"
    assert (str(john.birthday), john.call_name) == ("1985-04-15", "Johnny")
    assert [(e.address, e.label) for e in john.emails] == [
        ("john.public@example.com", "work"),
        ("johnny@personal.example.org", "personal"),
    ]
    assert john.tags == ("BUSINESS", "NETWORKING")
    assert john.notes.startswith("This is a note about John.\nHe likes vCards.")
    assert "+1-555-555-5555" in john.notes  # a 555 number: kept, not lost
    _, group = imported(shop, "vobject_vcard40_group.vcf")
    assert [r.reason for r in group.skipped] == ["a contact group, not a person"]
    _, qp = imported(shop, "vobject_qp_v21.vcf")
    assert [r.name for r in qp.created] == ["é"]  # quoted-printable Latin-1
    _, photo = imported(shop, "vobject_photo_v21.vcf")
    assert [r.name for r in photo.created] == ["should be ok to share"]


def test_a_broken_vcard_is_reported_and_the_rest_imports(shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "two.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Good\r\nTEL;TYPE=CELL:07400 123456\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN;BROKEN\r\n:::\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben Good\r\nEND:VCARD\r\n"
    )
    report = shop.apply_import(shop.plan_import(shop.read_import(path)))
    assert [r.name for r in report.created] == ["Anna Good", "Ben Good"]
    assert [r.line for r in report.failed] == [6]


def test_calendars_from_google_and_exchange(shop: Book) -> None:
    window = (datetime(2015, 7, 1, tzinfo=UTC), datetime(2015, 7, 31, tzinfo=UTC))
    source, report = imported(shop, "exchange_cdo_daily.ics", window=window)
    assert len(report.created) == 14  # weekdays 3–22 July 2015, time zone from VTIMEZONE
    first = shop.customer_appointments(report.created[0].id and card(shop, "Sprint").id)[-1]
    assert first.start == datetime(2015, 7, 3, 8, 0, tzinfo=UTC)
    assert first.status == "completed"  # in the past
    _, windows_zone = imported(shop, "exchange_windows_zone.ics")
    event = shop.appointment(windows_zone.created[0].id).visit.appointment
    assert event.start == datetime(2024, 10, 28, 21, 0, tzinfo=UTC)  # Eastern Standard Time
    _, google = imported(shop, "google_alarm_future.ics")
    assert len(google.created) == 1
    again = shop.apply_import(shop.plan_import(shop.read_import(DATA / "google_alarm_future.ics")))
    assert (len(again.created), [r.reason for r in again.skipped]) == (
        0,
        ["already imported (same UID)"],
    )


def test_all_day_events_are_skipped_with_a_note(shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "day.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\n"
        "DTSTART;VALUE=DATE:20261201\r\nSUMMARY:Shop closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    report = shop.apply_import(shop.plan_import(shop.read_import(path)))
    assert [r.reason for r in report.skipped] == [
        "an all-day event (2026-12-01) is not an appointment"
    ]


def test_apple_grouped_properties_and_year_less_birthday(shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "apple.vcf"
    path.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Bell;Ada;;;\r\nFN:Ada Bell\r\n"
        "item1.TEL;type=pref:07400 123461\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n"
        "item2.TEL:020 7946 0022\r\nitem2.X-ABLabel:_$!<Home>!$_\r\n"
        "item3.EMAIL;type=INTERNET:ada@example.com\r\nitem3.X-ABLabel:_$!<Work>!$_\r\n"
        "BDAY;X-APPLE-OMIT-YEAR=1604:1604-04-23\r\n"
        "NOTE:Line one\\nLine two\\, with comma\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    source = shop.read_import(path)
    report = shop.apply_import(shop.plan_import(source))
    ada = shop.customer(report.created[0].id)
    assert [(p.e164, p.label) for p in ada.phones] == [
        ("+447400123461", "mobile"),
        ("+442079460022", "home"),
    ]
    assert ada.emails[0].label == "work"
    assert str(ada.birthday) == "--04-23"
    assert ada.notes == "Line one\nLine two, with comma"
