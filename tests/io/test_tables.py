"""Encodings, dialects and line ends: every way a spreadsheet program writes a CSV."""

from __future__ import annotations

import codecs

import pytest

from shopfront.io.tables import ImportFileError, decode, read_csv_text, read_text_table

TEXT = "Name;Phone;Notes\r\nJürgen Müller;+49 151 23456789;Färbt gern\r\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (codecs.BOM_UTF8 + TEXT.encode(), "utf-8-sig"),
        (TEXT.encode(), "utf-8"),
        (TEXT.encode("utf-16"), "utf-16"),  # with BOM
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT.encode("utf-16-le"), "utf-16-le"),  # Excel "Unicode text" without BOM
        (TEXT.encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_unicode_encodings_are_recognised(data: bytes, encoding: str) -> None:
    text, used = decode(data)
    assert used == encoding
    assert "Jürgen Müller" in text


@pytest.mark.parametrize(
    "sample, codec",
    [
        ("Name,Notes\nJürgen Müller,Färbt gern, möchte später kommen\n" * 5, "cp1252"),
        ("名前,メモ\n山田太郎,カラーの予約は午前中がいいです\n" * 5, "shift_jis"),
    ],
)
def test_legacy_encodings_are_detected(sample: str, codec: str) -> None:
    text, _ = decode(sample.encode(codec))
    assert text == sample


@pytest.mark.parametrize("codec", ["cp1252", "iso-8859-2", "iso-8859-15", "shift_jis"])
def test_an_encoding_can_be_chosen(codec: str) -> None:
    """Short Central European texts are ambiguous between ISO-8859 parts: the user picks."""
    sample = {"iso-8859-2": "Łukasz Gęś", "shift_jis": "山田太郎"}.get(codec, "Renée €")
    data = f"Name\n{sample}\n".encode(codec)
    assert decode(data, codec)[0] == f"Name\n{sample}\n"


def test_undecodable_file_names_line_and_byte() -> None:
    data = b"Name,Phone\nAnna,0740\nBen\xff\xfe,0741\n"
    with pytest.raises(ImportFileError) as caught:
        decode(data, "utf-8")
    assert "line 3, byte 25" in str(caught.value)


def test_binary_file_is_refused_with_position() -> None:
    with pytest.raises(ImportFileError, match="binary file.*line 1, byte 3"):
        decode(b"PK\x00\x03" + bytes(range(256)) * 4)


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_delimiters_and_line_ends(delimiter: str, newline: str) -> None:
    rows = [["Name", "Phone", "Notes"], ["Anna", "07400 123456", "likes tea"], ["Ben", "", "x"]]
    text = newline.join(delimiter.join(r) for r in rows) + newline
    table = read_csv_text(text)
    assert table.delimiter == delimiter
    assert table.headers == rows[0]
    assert [list(r.cells) for r in table.rows] == rows[1:]
    assert [r.line for r in table.rows] == [2, 3]


def test_quoted_fields_keep_embedded_newlines_and_line_numbers() -> None:
    text = 'Name,Notes\r\nAnna,"first line\r\nsecond; line"\r\nBen,"a ""quoted"" word"\r\n'
    table = read_csv_text(text)
    assert table.rows[0].cells == ("Anna", "first line\r\nsecond; line")
    assert table.rows[1].cells == ("Ben", 'a "quoted" word')
    assert [r.line for r in table.rows] == [2, 4]


def test_blank_lines_and_a_bom_are_ignored() -> None:
    table = read_text_table(codecs.BOM_UTF8 + b"\r\nName,Phone\r\n\r\nAnna,1\r\n")
    assert table.headers == ["Name", "Phone"]
    assert [r.cells for r in table.rows] == [("Anna", "1")]
