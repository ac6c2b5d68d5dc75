"""Read appointment histories (generic CSV, the Kaggle no-show set) for the risk model."""

from __future__ import annotations

import csv
import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, tzinfo
from pathlib import Path
from typing import IO

from shopfront.core.risk import OUTCOMES, HistoryRow
from shopfront.errors import ShopfrontError

GENERIC_COLUMNS = ("customer_id", "booked_at", "starts_at", "outcome")
GENERIC_OPTIONAL = ("reminder", "confirmed", "excused")
# Only what a shop would have; the clinical columns of the data set are never read.
KAGGLE_COLUMNS = ("PatientId", "ScheduledDay", "AppointmentDay", "SMS_received", "No-show")
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"0", "false", "no", "n", "f", ""}


class HistoryFormatError(ShopfrontError, ValueError):
    """A history file can't be read; the message names the line and what is wrong."""


def read_generic_csv(path: str | Path, tz: tzinfo = UTC) -> list[HistoryRow]:
    """Rows of a CSV with customer_id, booked_at, starts_at, outcome (+ optional reminder,
    confirmed, excused as true/false). Plain or gzip. Times are ISO 8601; times without an
    offset are taken as ``tz`` wall-clock time; a starts_at without a time is a day-only row.
    """
    rows = []
    for line, record in _records(path, GENERIC_COLUMNS):
        rows.append(_generic_row(line, record, tz))
    return rows


def _generic_row(line: int, record: dict[str, str], tz: tzinfo) -> HistoryRow:
    customer = record["customer_id"].strip()
    if not customer:
        raise HistoryFormatError(f"line {line}: customer_id is empty")
    booked = _moment(line, "booked_at", record["booked_at"], tz)
    starts, day_only = _start(line, record["starts_at"], tz)
    too_late = booked.date() > starts.date() if day_only else booked > starts
    if too_late:
        raise HistoryFormatError(f"line {line}: booked_at is after starts_at")
    return HistoryRow(
        customer_id=customer,
        booked_at=booked,
        starts_at=starts,
        outcome=_outcome(line, record["outcome"]),
        reminder=_flag(line, "reminder", record.get("reminder")),
        confirmed=_flag(line, "confirmed", record.get("confirmed")),
        excused=_flag(line, "excused", record.get("excused")),
        day_only=day_only,
    )


def read_kaggle_noshow(path: str | Path, skipped: list[str] | None = None) -> list[HistoryRow]:
    """Rows of the public Kaggle "Medical Appointment No Shows" file (plain or gzip).

    AppointmentDay carries no time: rows are day-only. Its "Z" times are local clock times,
    kept as written. The few rows booked after the visit day are dropped (a note per row
    goes to ``skipped`` when given).
    """
    rows = []
    for line, record in _records(path, KAGGLE_COLUMNS):
        booked = _moment(line, "ScheduledDay", record["ScheduledDay"], UTC)
        day = _moment(line, "AppointmentDay", record["AppointmentDay"], UTC).date()
        if booked.date() > day:
            if skipped is not None:
                skipped.append(f"line {line}: booked after the visit day, dropped")
            continue
        rows.append(
            HistoryRow(
                customer_id=_patient(line, record["PatientId"]),
                booked_at=booked,
                starts_at=datetime.combine(day, time(), UTC),
                outcome=_kaggle_outcome(line, record["No-show"]),
                reminder=_flag(line, "SMS_received", record["SMS_received"]),
                day_only=True,
            )
        )
    return rows


def _records(path: str | Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) pairs; a missing column or a ragged row is a HistoryFormatError."""
    with _open_binary(Path(path)) as raw:
        reader = csv.reader(_text_lines(raw))
        header = _header(reader, required)
        try:
            for values in reader:
                if not any(v.strip() for v in values):
                    continue  # blank lines are harmless
                if len(values) != len(header):
                    raise HistoryFormatError(
                        f"line {reader.line_num}: {len(values)} fields, the header has {len(header)}"
                    )
                yield reader.line_num, dict(zip(header, values, strict=True))
        except csv.Error as exc:
            raise HistoryFormatError(f"line {reader.line_num}: {exc}") from exc


def _header(reader: Iterator[list[str]], required: tuple[str, ...]) -> list[str]:
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise HistoryFormatError(
            f"line 1: empty file, expected columns {', '.join(required)}"
        ) from None
    except csv.Error as exc:
        raise HistoryFormatError(f"line 1: not a readable CSV header ({exc})") from exc
    missing = [name for name in required if name not in header]
    if missing:
        raise HistoryFormatError(
            f"line 1: missing column(s) {', '.join(missing)}; expected {', '.join(required)}"
        )
    return header


@contextmanager
def _open_binary(path: Path) -> Iterator[IO[bytes]]:
    """The file's bytes, gunzipped when it starts with the gzip magic number."""
    try:
        with path.open("rb") as probe:
            gzipped = probe.read(2) == b"\x1f\x8b"
        raw = gzip.open(path, "rb") if gzipped else path.open("rb")  # noqa: SIM115 closed below
    except OSError as exc:
        raise HistoryFormatError(f"can't open {path}: {exc.strerror or exc}") from exc
    with raw:
        yield raw


def _text_lines(raw: IO[bytes]) -> Iterator[str]:
    """Decoded lines, so a bad byte or a damaged gzip is reported with its line number."""
    number = 0
    try:
        for number, chunk in enumerate(raw, start=1):  # noqa: B007 used after the loop
            # utf-8-sig on line 1: spreadsheet exports often start with a byte-order mark.
            yield chunk.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        raise HistoryFormatError(f"line {number}: not UTF-8 text") from None
    except (OSError, EOFError) as exc:  # a damaged or truncated gzip file
        raise HistoryFormatError(f"line {number + 1}: the file is damaged ({exc})") from exc


def _moment(line: int, column: str, text: str, tz: tzinfo) -> datetime:
    value = text.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise HistoryFormatError(
            f"line {line}: {column} {value!r} is not an ISO date-time (2024-05-31T14:30)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def _start(line: int, text: str, tz: tzinfo) -> tuple[datetime, bool]:
    value = text.strip()
    if len(value) == 10:  # a bare date: the day is known, the time is not
        try:
            return datetime.combine(date.fromisoformat(value), time(), tz), True
        except ValueError:
            pass
    return _moment(line, "starts_at", value, tz), False


def _outcome(line: int, text: str) -> str:
    value = text.strip().lower().replace("-", "_").replace(" ", "_")
    if value not in OUTCOMES:
        raise HistoryFormatError(
            f"line {line}: outcome {text.strip()!r} is not one of {', '.join(sorted(OUTCOMES))}"
        )
    return value


def _kaggle_outcome(line: int, text: str) -> str:
    return _choice(line, "No-show", text, {"yes": "no_show", "no": "completed"})


def _flag(line: int, column: str, text: str | None) -> bool:
    value = (text or "").strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise HistoryFormatError(f"line {line}: {column} {text!r} is not true/false")


def _choice(line: int, column: str, text: str, choices: dict[str, str]) -> str:
    value = text.strip().lower()
    if value not in choices:
        raise HistoryFormatError(f"line {line}: {column} {text!r} is not one of Yes/No")
    return choices[value]


def _patient(line: int, text: str) -> str:
    """The id as written: five ids in the file look like 9377952927E-5; they are still ids."""
    value = text.strip()
    if not value:
        raise HistoryFormatError(f"line {line}: PatientId is empty")
    return value
