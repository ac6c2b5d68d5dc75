"""The customer book through the Book use cases, against a real SQLite file."""

from __future__ import annotations

import pytest

from shopfront.book import Book, CustomerForm
from shopfront.core.customers import Birthday
from shopfront.errors import ConflictError, ValidationError
from shopfront.storage import records as r
from tests.conftest import add


def names(book: Book, query: str, **kw: object) -> list[str]:
    return [c.name for c in book.search(query, **kw)]  # type: ignore[arg-type]


def test_search_by_name_accents_case_phone_digits_email_and_tag(shop: Book) -> None:
    shop.save_settings(shop.settings.__class__(**{**shop.settings.__dict__, "phone_region": "US"}))
    add(shop, "Élodie Martin", "+1 415 555 1234", "elodie@example.com", tags="vip, colour")
    add(shop, "Дмитрий Иванов", "+7 912 345-67-89")
    add(shop, "王小明", "+86 131 2345 6789")
    assert names(shop, "elo") == ["Élodie Martin"]
    assert names(shop, "ÉLODIE mar") == ["Élodie Martin"]
    assert names(shop, "5512") == ["Élodie Martin"]  # a run in the middle of the number
    assert names(shop, "555 1234") == ["Élodie Martin"]
    assert names(shop, "(415) 555-1234") == ["Élodie Martin"]
    assert names(shop, "elodie@exa") == ["Élodie Martin"]
    assert names(shop, "vip") == ["Élodie Martin"]
    assert names(shop, "дми") == ["Дмитрий Иванов"]
    assert names(shop, "小明") == ["王小明"]
    assert names(shop, "zzz") == []


def test_national_number_with_trunk_zero_finds_the_customer(shop: Book) -> None:
    add(shop, "Ann Lee", "+44 7400 123456")
    assert names(shop, "07400 123456") == ["Ann Lee"]
    assert names(shop, "07400123") == ["Ann Lee"]


def test_names_starting_with_the_typed_word_come_first(shop: Book) -> None:
    add(shop, "Zoe Anna", email="z@example.com")
    add(shop, "Anna Zed", email="a@example.com")
    add(shop, "Bob Annan", email="b@example.com")
    assert names(shop, "ann") == ["Anna Zed", "Bob Annan", "Zoe Anna"]


@pytest.mark.sqlite_only(reason="reads the FTS5 table")
def test_index_follows_edits_in_the_same_transaction(shop: Book) -> None:
    c = add(shop, "Ann Lee", "07400 111222")
    edited = shop.build_customer(
        CustomerForm(name="Ann Brown", phones=[("07400 999888", "mobile")]), c
    )
    shop.save_customer(edited)
    assert names(shop, "lee") == [] and names(shop, "111222") == []
    assert names(shop, "brown") == ["Ann Brown"] and names(shop, "999888") == ["Ann Brown"]
    count = shop.db.execute_sql("SELECT count(*) FROM customer_fts").fetchone()[0]
    assert count == 1


def test_quick_add_needs_a_name_and_a_phone_or_email(shop: Book) -> None:
    with pytest.raises(ValidationError, match="phone number or an email"):
        shop.quick_form("Ann")
    with pytest.raises(ValidationError) as err:
        shop.build_customer(shop.quick_form("  ", phone="07400 123456"))
    assert err.value.errors == {"name": "A name is needed."}


def test_every_bad_field_is_reported_and_nothing_is_saved(shop: Book) -> None:
    form = CustomerForm(
        name="",
        phones=[("07400 123456", "mobile"), ("12345", "home")],
        emails=[("not-an-email", "personal")],
        birthday="1990-02-31",
    )
    with pytest.raises(ValidationError) as err:
        shop.build_customer(form)
    assert set(err.value.errors) == {"name", "phone:1", "email:0", "birthday"}
    assert "12345" in err.value.errors["phone:1"]
    assert shop.customer_count(include_archived=True) == 0


def test_phones_are_stored_e164_and_shown_as_typed(shop: Book) -> None:
    c = add(shop, "Ann Lee", "07400 123456")
    loaded = shop.customer(c.id)
    assert loaded.phones[0].e164 == "+447400123456"
    assert loaded.phones[0].typed == "07400 123456"
    assert r.PhoneRecord.get().e164 == "+447400123456"


def test_text_is_kept_exactly_including_markup_emoji_and_long_notes(shop: Book) -> None:
    notes = "line\n" * 2000  # 10,000 characters
    for name in ("Ana <b>", "R&D", "=cmd|' /C calc'!A0", "Zoë 🌸"):
        c = add(shop, name, email=f"{len(name)}@example.com", notes=notes)
        loaded = shop.customer(c.id)
        assert loaded.name == name and loaded.notes == notes


def test_birthday_without_year_and_owner_round_trip(shop: Book) -> None:
    owner = shop.staff()[0]
    c = add(shop, "Ann Lee", email="a@example.com", birthday="04-23", owner_id=owner.id)
    loaded = shop.customer(c.id)
    assert loaded.birthday == Birthday(4, 23) and loaded.owner_id == owner.id


def test_unknown_owner_is_refused_at_the_field(shop: Book) -> None:
    with pytest.raises(ValidationError) as err:
        shop.build_customer(CustomerForm(name="Ann", emails=[("a@example.com", "")], owner_id=999))
    assert "owner" in err.value.errors


def test_archive_hides_and_restore_brings_back_with_timeline(shop: Book, clock) -> None:
    c = add(shop, "Ann Lee", email="ann@example.com")
    shop.archive_customer(c.id)
    assert names(shop, "ann") == [] and names(shop, "") == []
    assert names(shop, "ann", include_archived=True) == ["Ann Lee"]
    assert shop.customer(c.id).archived
    shop.restore_customer(c.id)
    assert names(shop, "ann") == ["Ann Lee"]
    assert [e.kind for e in shop.timeline(c.id)][:2] == ["restored", "archived"]


def test_likely_duplicates(shop: Book) -> None:
    ann = add(shop, "Ann Lee", "07400 123456", "ann@example.com")
    draft = shop.build_customer(CustomerForm(name="Anne Lee", phones=[("+44 7400 123456", "")]))
    assert [m.customer_id for m in shop.find_duplicates(draft)] == [ann.id]
    draft = shop.build_customer(CustomerForm(name="Anne Lee", phones=[("07400 993456", "")]))
    found = shop.find_duplicates(draft)
    assert found and "same last digits" in found[0].reasons[0]
    draft = shop.build_customer(CustomerForm(name="Bob Marsh", phones=[("07400 555666", "")]))
    assert shop.find_duplicates(draft) == []


def test_merge_combines_contacts_notes_tags_and_history(shop: Book) -> None:
    a = add(
        shop,
        "Ann Lee",
        "07400 123456",
        "ann@example.com",
        tags="vip",
        notes="Likes tea",
        marketing_consent=True,
    )
    b = add(
        shop,
        "Ann Lee",
        "07400 654321",
        "ann@example.com",
        tags="colour",
        notes="Allergy: PPD",
        birthday="1990-04-23",
        marketing_consent=False,
    )
    merged = shop.merge_customers(a.id, b.id)
    assert [p.e164 for p in merged.phones] == ["+447400123456", "+447400654321"]
    assert [e.address for e in merged.emails] == ["ann@example.com"]
    assert merged.tags == ("vip", "colour")
    assert "Likes tea" in merged.notes and "Allergy: PPD" in merged.notes
    assert merged.birthday == Birthday(4, 23, 1990)
    assert merged.marketing_consent is False
    assert shop.customer(b.id).merged_into == a.id  # a hidden tombstone: its id stays taken
    assert names(shop, "", include_archived=True) == ["Ann Lee"]
    assert names(shop, "654321") == ["Ann Lee"]
    assert add(shop, "Cleo Park", "07400 777888").id == b.id + 1
    kinds = [e.kind for e in shop.timeline(a.id)]
    assert kinds.count("created") == 2 and kinds[0] == "merged"


def test_merge_is_one_transaction(shop: Book, monkeypatch: pytest.MonkeyPatch) -> None:
    from shopfront.storage import customers

    a = add(shop, "Ann Lee", "07400 123456")
    b = add(shop, "Ann Leigh", "07400 654321")

    def fail(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(customers, "update", fail)
    with pytest.raises(RuntimeError):
        shop.merge_customers(a.id, b.id)
    assert shop.customer(b.id).phones[0].e164 == "+447400654321"
    assert len(shop.timeline(b.id)) == 1
    assert names(shop, "654321") == ["Ann Leigh"]


def test_merge_with_itself_is_refused(shop: Book) -> None:
    a = add(shop, "Ann Lee", "07400 123456")
    with pytest.raises(ValidationError, match="two different"):
        shop.merge_customers(a.id, a.id)


def test_saving_a_stale_card_is_refused_not_overwritten(shop: Book) -> None:
    c = add(shop, "Ann Lee", "07400 123456")
    desk_one = shop.customer(c.id)
    desk_two = shop.customer(c.id)
    shop.save_customer(desk_one.__class__(**{**desk_one.__dict__, "notes": "from desk one"}))
    with pytest.raises(ConflictError, match="another desk"):
        shop.save_customer(desk_two.__class__(**{**desk_two.__dict__, "notes": "from desk two"}))
    assert shop.customer(c.id).notes == "from desk one"


def test_list_pages_through_everyone_in_name_order(shop: Book) -> None:
    for i in range(25):
        add(shop, f"Person {i:02d}", email=f"p{i}@example.com")
    first = shop.search("", limit=10)
    second = shop.search("", limit=10, offset=10)
    assert [c.name for c in first + second] == [f"Person {i:02d}" for i in range(20)]


def test_settings_are_validated_and_kept_in_the_database(shop: Book) -> None:
    bad = shop.settings.__class__(
        shop_name="", timezone="Mars/Base", phone_region="XX", currency="pounds", slot_minutes=7
    )
    with pytest.raises(ValidationError) as err:
        shop.save_settings(bad)
    assert set(err.value.errors) == {
        "shop_name",
        "timezone",
        "phone_region",
        "currency",
        "slot_minutes",
    }
    assert shop.settings.shop_name == "Test Salon"
    good = shop.settings.__class__(
        shop_name="Cut & Colour", timezone="America/New_York", phone_region="us", currency="usd"
    )
    shop.save_settings(good)
    from shopfront.storage import catalog

    stored = catalog.load_settings()
    assert (stored.shop_name, stored.phone_region, stored.currency) == ("Cut & Colour", "US", "USD")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("lukasz", "Łukasz Nowak"),
        ("gross", "Anna Groß"),
        ("soren", "Søren Ødegård"),
        ("odegard", "Søren Ødegård"),
        ("obrien", "Seán O'Brien"),
        ("o'brien", "Seán O'Brien"),
        ("алена", "Алёна Иванова"),
        ("ελενη", "Ελένη"),
        ("yildiz", "Ayşe Yıldız"),
        ("jeanluc", "Jean-Luc Picard"),
    ],
)
def test_letters_without_separable_accents_are_found_from_a_plain_keyboard(
    shop: Book, typed: str, stored: str
) -> None:
    add(shop, stored, email="x@example.com")
    add(shop, "Someone Else", email="y@example.com")
    assert names(shop, typed) == [stored]


def test_name_matches_come_before_email_and_tag_matches(shop: Book) -> None:
    add(shop, "Anna Fischer", email="anna@mail.example.net")
    add(shop, "Anna Hoffmann", email="ah@example.com", tags="sensitive scalp")
    add(shop, "Anna Müller", email="am@example.com")
    assert names(shop, "anna m")[0] == "Anna Müller"
    assert names(shop, "anna s") == ["Anna Hoffmann"]


def test_only_punctuation_finds_nobody_and_counts_are_honest(shop: Book) -> None:
    add(shop, "Ann Lee", email="ann@example.com")
    add(shop, "Ann Rae", email="rae@example.com")
    assert names(shop, "&") == [] and names(shop, "🌸") == []
    assert shop.match_count("ann") == 2 and shop.match_count("") == 2 and shop.match_count("*") == 0


def test_archiving_twice_is_refused(shop: Book) -> None:
    c = add(shop, "Ann Lee", email="ann@example.com")
    shop.archive_customer(c.id)
    with pytest.raises(ValidationError, match="already archived"):
        shop.archive_customer(c.id)
    assert [e.kind for e in shop.timeline(c.id)].count("archived") == 1


def test_merge_keeps_notes_that_happen_to_be_part_of_the_other(shop: Book) -> None:
    a = add(shop, "Ann Lee", "07400 123456", notes="Allergic to latex gloves")
    b = add(shop, "Ann Lee", "07400 654321", notes="latex")
    merged = shop.merge_customers(a.id, b.id)
    assert merged.notes == "Allergic to latex gloves\n\nlatex"
    with pytest.raises(ValidationError, match="already merged"):
        shop.merge_customers(a.id, b.id)


def test_foreign_numbers_are_found_as_their_owners_write_them(shop: Book) -> None:
    add(shop, "Chloé Martin", "+33 6 12 34 56 78")
    add(shop, "Иван Попов", "+7 912 345-67-89")
    assert names(shop, "06 12 34") == ["Chloé Martin"]
    assert names(shop, "8 912 345") == ["Иван Попов"]


def test_policy_numbers_are_kept_in_range(shop: Book) -> None:
    bad = shop.settings.__class__(
        **{**shop.settings.__dict__, "late_cancel_hours": -5, "lapsed_default_days": -100000}
    )
    with pytest.raises(ValidationError) as err:
        shop.save_settings(bad)
    assert set(err.value.errors) == {"late_cancel_hours", "lapsed_default_days"}


def test_opening_without_create_refuses_a_missing_book(tmp_path) -> None:
    from shopfront.errors import DatabaseOpenError

    with pytest.raises(DatabaseOpenError, match="There is no book at"):
        Book.open(str(tmp_path / "typo.db"), create=False)
    assert not (tmp_path / "typo.db").exists()
