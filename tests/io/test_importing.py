"""Plans and writes: duplicates, choices, re-imports, cancel, bad rows, the report."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from shopfront.book import Book
from shopfront.errors import ValidationError
from shopfront.usecases.import_plan import ImportCancelledError
from tests.conftest import add

HEADER = "Name,Mobile,Email,Notes,Tags\n"


def write(tmp_path: Path, body: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def run(book: Book, path: Path, choice: str = "merge", **kwargs: object):
    plan = book.plan_import(book.read_import(path), choice)
    return plan, book.apply_import(plan, **kwargs)  # type: ignore[arg-type]


def count(book: Book) -> int:
    return book.customer_count(include_archived=True)


def test_rows_are_planned_new_duplicate_or_error(shop: Book, tmp_path: Path) -> None:
    add(shop, "Anna Smith", "07400 123456")
    path = write(
        tmp_path,
        "Anna Smith,+44 7400 123456,,,\n"  # same phone as the card in the book
        "Ben Jones,07400 123457,ben@example.com,,\n"
        "Ben A. Jones,,BEN@example.com,,\n"  # same email + similar name as the row above
        "Chloe Day,,chloe@example.com,,\n"
        "Dana Day,,chloe@example.com,,\n"  # same email, different name: two people
        ",,,,\n"
        ",07400 123458,,no name,\n",
    )
    plan = shop.plan_import(shop.read_import(path))
    outcomes = [(r.line, r.outcome) for r in plan.rows]
    assert outcomes == [
        (2, "duplicate"),
        (3, "new"),
        (4, "duplicate"),
        (5, "new"),
        (6, "new"),
        (8, "error"),
    ]
    assert plan.rows[0].match_id == 1 and "same phone" in plan.rows[0].reason
    assert plan.rows[2].match_row == 1 and "same email" in plan.rows[2].reason
    assert plan.rows[-1].reason == "A name is needed."
    assert count(shop) == 1  # planning writes nothing


def test_merge_skip_and_create(shop: Book, tmp_path: Path) -> None:
    anna = add(shop, "Anna Smith", "07400 123456", notes="Likes tea")
    path = write(tmp_path, "Anna Smith,07400 123456,anna@example.com,Allergic to latex,VIP\n")
    _, skipped = run(shop, path, "skip")
    assert (len(skipped.skipped), count(shop)) == (1, 1)
    _, merged = run(shop, path, "merge")
    assert [r.id for r in merged.merged] == [anna.id]
    card = shop.customer(anna.id)
    assert [e.address for e in card.emails] == ["anna@example.com"]
    assert card.notes == "Likes tea\n\nAllergic to latex"
    assert card.tags == ("VIP",)
    _, created = run(shop, path, "create")
    assert (len(created.created), count(shop)) == (1, 2)


def test_duplicates_within_the_file_are_merged_into_one_card(shop: Book, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Ben Jones,07400 123457,,First visit,\nBen Jones,07400 123457,ben@example.com,,Regular\n",
    )
    _, report = run(shop, path)
    assert (len(report.created), len(report.merged), count(shop)) == (1, 1, 1)
    ben = shop.customer(report.created[0].id)
    assert (ben.emails[0].address, ben.notes, ben.tags) == (
        "ben@example.com",
        "First visit",
        ("Regular",),
    )


def test_reimporting_the_same_file_creates_no_duplicates(shop: Book, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "Anna Smith,07400 123456,,,\nBen Jones,,ben@example.com,,\nNo Contact Nick,,,,\n",
    )
    _, first = run(shop, path)
    assert len(first.created) == 3
    for choice in ("merge", "skip"):
        _, again = run(shop, path, choice)
        assert (len(again.created), len(again.skipped), count(shop)) == (0, 3, 3)


def test_a_malformed_row_never_stops_the_file(shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(
        'Name,Mobile\nAnna Smith,07400 123456\n"Unclosed,07400\nBen\n'
        "Cara Lee,07400 123459,extra,cells\n",
        encoding="utf-8",
    )
    _, report = run(shop, path)
    assert "Anna Smith" in [r.name for r in report.created]


def test_bad_phone_is_kept_in_notes_with_a_warning(shop: Book, tmp_path: Path) -> None:
    path = write(tmp_path, "Dee Long,12,not-an-email,,\n")
    _, report = run(shop, path)
    dee = shop.customer(report.created[0].id)
    assert dee.phones == () and dee.emails == ()
    assert "Phone from the import, not understood: 12" in dee.notes
    assert "not a valid phone number" in report.created[0].reason


def test_cancel_leaves_the_book_unchanged(shop: Book, tmp_path: Path) -> None:
    add(shop, "Anna Smith", "07400 123456")
    rows = "".join(f"Person {i},+44 7400 {100000 + i},,,\n" for i in range(12000))
    path = write(tmp_path, "Anna Smith,07400 123456,anna@example.com,new note,\n" + rows)
    plan = shop.plan_import(shop.read_import(path))
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1  # after the first chunk of 5,000 was written

    with pytest.raises(ImportCancelledError):
        shop.apply_import(plan, cancelled=cancelled)
    assert count(shop) == 1
    assert shop.customer(1).emails == ()  # the merge was rolled back too
    assert shop.search_ids("Person", False, 5, 0) == []  # and the search index


def test_dry_run_reports_and_writes_nothing(shop: Book, tmp_path: Path) -> None:
    path = write(tmp_path, "Anna Smith,07400 123456,,,\n")
    _, report = run(shop, path, dry_run=True)
    assert (len(report.created), report.dry_run, count(shop)) == (1, True, 0)


def test_imported_cards_are_searchable_and_have_history(shop: Book, tmp_path: Path) -> None:
    path = write(tmp_path, "Élodie Durand,07400 123456,elodie@example.fr,,Colour\n")
    _, report = run(shop, path)
    new_id = report.created[0].id
    assert shop.search_ids("elo", False, 5, 0) == [new_id]
    assert shop.search_ids("3456", False, 5, 0) == [new_id]
    assert shop.search_ids("colour", False, 5, 0) == [new_id]
    assert [e.kind for e in shop.timeline(new_id)] == ["created"]


def test_mapping_overrides(shop: Book, tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text("Who,Digits,Remarks\nAnna Smith,07400 123456,hi\n", encoding="utf-8")
    source = shop.read_import(path, overrides={"Who": "name", "2": "phone:home"})
    assert source.mapping == ["name", "phone:home", "notes"]
    remapped = shop.remap(source, ["name", "phone:home", "preferences"])
    assert remapped.contacts[0].preferences == "hi"
    with pytest.raises(ValidationError, match="no column 'Nope'"):
        shop.read_import(path, overrides={"Nope": "name"})
    with pytest.raises(ValidationError, match="'shoe size' is not a field"):
        shop.read_import(path, overrides={"Who": "shoe size"})


def test_report_saves_as_csv(shop: Book, tmp_path: Path) -> None:
    add(shop, "Anna Smith", "07400 123456")
    path = write(tmp_path, "Anna Smith,07400 123456,,,\n,,,,x\nBen,07400 123457,,,\n")
    _, report = run(shop, path, "skip")
    text = report.to_csv().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["Outcome", "Line", "Name", "Reason"]
    assert rows[5][:3] == ["skipped", "2", "Anna Smith"]
    assert rows[6][:2] == ["failed", "3"]
    assert report.as_json()["counts"] == {"created": 1, "merged": 0, "skipped": 1, "failed": 1}
