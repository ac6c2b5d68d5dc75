"""Reading a file into a table: encodings, CSV dialects and Excel sheets.

A file is decoded (BOMs, UTF-8, UTF-16 without a BOM, then a detected legacy encoding),
its delimiter sniffed among comma, semicolon, tab and bar, and every record kept with the
line it started on, so a problem can be reported as "line 12". A file that can't be
decoded is refused with the line and byte of the first bad byte, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from shopfront.errors import ShopfrontError

DELIMITERS = ",;\t|"
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
ENCODINGS = (
    "auto",
    "utf-8",
    "utf-16",
    "utf-16-le",
    "utf-16-be",
    "cp1252",
    "iso-8859-1",
    "iso-8859-2",
    "iso-8859-15",
    "shift_jis",
)


class ImportFileError(ShopfrontError, ValueError):
    """A file can't be read at all; the message says where and why."""


@dataclass(frozen=True)
class Row:
    line: int  # the physical line the record starts on (1-based)
    cells: tuple[str, ...]

    def get(self, index: int) -> str:
        return self.cells[index] if 0 <= index < len(self.cells) else ""


@dataclass
class Table:
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    encoding: str = ""
    delimiter: str = ","


def where(data: bytes, offset: int) -> str:
    """'line 3, byte 57' for a byte offset (bytes counted from 1 within the file)."""
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}, byte {offset + 1}"


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 files from Excel may lack a BOM: ASCII text then has a NUL in every pair."""
    sample = data[:4000]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd > len(sample) // 4 and even == 0:
        return "utf-16-le"
    if even > len(sample) // 4 and odd == 0:
        return "utf-16-be"
    return None


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"The file is not valid {encoding} text at {where(data, exc.start)} "
            f"(0x{data[exc.start]:02X}); pick its encoding or save it as UTF-8."
        ) from None
    except LookupError:
        raise ImportFileError(f"'{encoding}' is not an encoding this computer knows.") from None


def decode(data: bytes, encoding: str = "auto") -> tuple[str, str]:
    """(text, encoding used). ``auto`` tries BOMs, UTF-8, UTF-16, then detection."""
    if encoding and encoding != "auto":
        return _decode_as(data, encoding), encoding
    for bom, name in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, name), name
    if guess := _utf16_without_bom(data):
        return _decode_as(data, guess), guess
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" in data[:4000]:  # not UTF-8 and zero bytes: a program's file, not text
        raise ImportFileError(
            f"This looks like a binary file, not text (a zero byte at "
            f"{where(data, data.index(0))}). Export it as CSV or vCard and try again."
        )
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=None).best()
    if best is None:
        raise ImportFileError(
            f"The file's encoding can't be recognised (first unreadable byte at "
            f"{where(data, first_bad)}); pick its encoding or save it as UTF-8."
        )
    return _decode_as(data, best.encoding), best.encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate that splits it into most cells."""
    sample = text[:20000]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = sample.split("\n", 1)[0]
        return max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","


def read_csv_text(text: str, delimiter: str | None = None) -> Table:
    """Every record with its starting line; quoted fields may span lines (any line ends)."""
    text = text.removeprefix("\ufeff")
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    rows: list[Row] = []
    headers: list[str] | None = None
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if headers is None:
                if any(cell.strip() for cell in record):
                    headers = [cell.strip() for cell in record]
                continue
            if any(cell.strip() for cell in record):
                rows.append(Row(line, tuple(record)))
    except csv.Error as exc:
        raise ImportFileError(f"Line {start}: {exc}.") from None
    return Table(headers or [], rows, delimiter=delimiter)


def read_text_table(data: bytes, encoding: str = "auto", delimiter: str | None = None) -> Table:
    text, used = decode(data, encoding)
    table = read_csv_text(text, delimiter)
    table.encoding = used
    return table


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> Table:
    """The first sheet; report lines above the header (title, date range) are skipped:
    the header is the first row nearly as wide as the widest of the first 30."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(f"This Excel file can't be opened ({type(exc).__name__}).") from None
    sheet = book.worksheets[0]
    rows = [
        (n, tuple(_cell_text(v) for v in values))
        for n, values in enumerate(sheet.iter_rows(values_only=True), 1)
    ]
    book.close()
    filled = [sum(1 for c in cells if c) for _, cells in rows[:30]]
    if not filled or max(filled) == 0:
        return Table([], encoding="xlsx")
    widest = max(filled)
    head = next(i for i, count in enumerate(filled) if count >= max(2, widest * 0.6))
    headers = [c.strip() for c in rows[head][1]]
    body = [Row(n, cells) for n, cells in rows[head + 1 :] if any(cells)]
    return Table(headers, body, encoding="xlsx")
