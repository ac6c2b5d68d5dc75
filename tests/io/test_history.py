"""Reading appointment histories: the generic CSV, the Kaggle file, and bad input."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shopfront.core.risk import HistoryRow
from shopfront.errors import ShopfrontError
from shopfront.io.history import HistoryFormatError, read_generic_csv, read_kaggle_noshow

GENERIC = """customer_id,booked_at,starts_at,outcome,reminder,excused
c1,2024-05-01T10:00,2024-05-20T15:30,completed,yes,
c1,2024-05-21T09:00:00+02:00,2024-06-03T11:00:00+02:00,No-Show,0,true
c2,2024-05-02T08:15,2024-05-02,late_cancel,,

c3,2024-05-03 12:00,2024-05-04 09:00,cancelled,1,no
"""

KAGGLE_HEADER = (
    "PatientId,AppointmentID,Gender,ScheduledDay,AppointmentDay,Age,Neighbourhood,"
    "Scholarship,Hipertension,Diabetes,Alcoholism,Handcap,SMS_received,No-show\n"
)
KAGGLE = KAGGLE_HEADER + (
    "29872499824296,5642903,F,2016-04-29T18:38:08Z,2016-04-29T00:00:00Z,62,X,0,1,0,0,0,0,No\n"
    "9377952927E-5,5712759,F,2016-05-18T09:12:29Z,2016-05-20T00:00:00Z,??,Y,0,0,0,0,0,1,Yes\n"
    "42,1,M,2016-05-10T08:00:00Z,2016-05-09T00:00:00Z,30,Z,0,0,0,0,0,0,No\n"
)


def write(tmp_path: Path, text: str, name: str = "h.csv", zipped: bool = False) -> Path:
    path = tmp_path / name
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if zipped else data)
    return path


def test_generic_csv_rows(tmp_path: Path) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    rows = read_generic_csv(write(tmp_path, GENERIC), tz=berlin)
    assert [r.customer_id for r in rows] == ["c1", "c1", "c2", "c3"]
    first, second, third, fourth = rows
    assert first == HistoryRow(
        "c1",
        datetime(2024, 5, 1, 10, tzinfo=berlin),
        datetime(2024, 5, 20, 15, 30, tzinfo=berlin),
        "completed",
        reminder=True,
    )
    assert second.outcome == "no_show" and second.excused and not second.reminder
    assert second.starts_at.utcoffset() == timedelta(hours=2)  # its own offset is kept
    assert third.day_only and third.starts_at == datetime(2024, 5, 2, tzinfo=berlin)
    assert third.outcome == "late_cancel"
    assert fourth.outcome == "cancelled" and fourth.reminder and not fourth.day_only


def test_generic_csv_gzip_and_byte_order_mark(tmp_path: Path) -> None:
    plain = read_generic_csv(write(tmp_path, GENERIC))
    zipped = read_generic_csv(write(tmp_path, "\ufeff" + GENERIC, "h.csv.gz", zipped=True))
    assert zipped == plain
    assert plain[0].booked_at.tzinfo == UTC  # naive times default to UTC wall clock


def test_kaggle_rows_keep_only_shop_columns(tmp_path: Path) -> None:
    skipped: list[str] = []
    rows = read_kaggle_noshow(write(tmp_path, KAGGLE, "k.csv.gz", zipped=True), skipped)
    assert rows == [
        HistoryRow(
            "29872499824296",
            datetime(2016, 4, 29, 18, 38, 8, tzinfo=UTC),
            datetime(2016, 4, 29, tzinfo=UTC),
            "completed",
            day_only=True,
        ),
        HistoryRow(
            "9377952927E-5",  # an odd id in the real file, still an id (Age '??' is unread)
            datetime(2016, 5, 18, 9, 12, 29, tzinfo=UTC),
            datetime(2016, 5, 20, tzinfo=UTC),
            "no_show",
            reminder=True,
            day_only=True,
        ),
    ]
    assert skipped == ["line 4: booked after the visit day, dropped"]


def message(tmp_path: Path, text: str, kaggle: bool = False, path: Path | None = None) -> str:
    reader = read_kaggle_noshow if kaggle else read_generic_csv
    with pytest.raises(HistoryFormatError) as caught:
        reader(path or write(tmp_path, text))
    assert isinstance(caught.value, ValueError) and isinstance(caught.value, ShopfrontError)
    return str(caught.value)


HEADER = "customer_id,booked_at,starts_at,outcome\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "line 1: empty file, expected columns customer_id, booked_at, starts_at, outcome"),
        (
            "customer,booked_at,starts_at\nc1,x,y\n",
            "line 1: missing column(s) customer_id, outcome; "
            "expected customer_id, booked_at, starts_at, outcome",
        ),
        (
            HEADER
            + "c1,2024-05-01T10:00,2024-05-02T10:00,completed\nc1,yesterday,2024-05-02,no_show\n",
            "line 3: booked_at 'yesterday' is not an ISO date-time (2024-05-31T14:30)",
        ),
        (
            HEADER + "c1,2024-05-01T10:00,2024-05-02T10:00,showed up\n",
            "line 2: outcome 'showed up' is not one of cancelled, completed, late_cancel, no_show",
        ),
        (
            HEADER + "c1,2024-05-03T10:00,2024-05-02T10:00,completed\n",
            "line 2: booked_at is after starts_at",
        ),
        (
            HEADER + " ,2024-05-01T10:00,2024-05-02T10:00,completed\n",
            "line 2: customer_id is empty",
        ),
        (HEADER + "c1,2024-05-01T10:00,2024-05-02T10:00\n", "line 2: 3 fields, the header has 4"),
        (
            "customer_id,booked_at,starts_at,outcome,reminder\n"
            "c1,2024-05-01T10:00,2024-05-02T10:00,completed,maybe\n",
            "line 2: reminder 'maybe' is not true/false",
        ),
    ],
)
def test_generic_csv_bad_input(tmp_path: Path, text: str, expected: str) -> None:
    assert message(tmp_path, text) == expected


def test_kaggle_bad_input(tmp_path: Path) -> None:
    assert message(tmp_path, HEADER, kaggle=True).startswith(
        "line 1: missing column(s) PatientId, ScheduledDay, AppointmentDay, SMS_received, No-show"
    )
    bad_flag = (
        KAGGLE_HEADER + "1,1,F,2016-04-29T08:00:00Z,2016-04-29T00:00:00Z,1,X,0,0,0,0,0,0,Maybe\n"
    )
    assert (
        message(tmp_path, bad_flag, kaggle=True) == "line 2: No-show 'Maybe' is not one of Yes/No"
    )


def test_not_text_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(HEADER.encode() + b"c1,\xff\xfe,2024-05-02,completed\n")
    assert message(tmp_path, "", path=path) == "line 2: not UTF-8 text"
    with pytest.raises(HistoryFormatError, match="can't open .*nowhere.csv"):
        read_generic_csv(tmp_path / "nowhere.csv")
    truncated = tmp_path / "cut.csv.gz"
    good = HEADER + "c1,2024-05-01T10:00,2024-05-02T10:00,completed\n" * 5000
    truncated.write_bytes(gzip.compress(good.encode())[:300])
    assert "the file is damaged" in message(tmp_path, "", path=truncated)


def test_offsets_are_kept_for_aware_times(tmp_path: Path) -> None:
    text = HEADER + "c1,2024-05-01T10:00:00-05:00,2024-05-02T10:00:00-05:00,completed\n"
    (row,) = read_generic_csv(write(tmp_path, text), tz=ZoneInfo("Asia/Tokyo"))
    assert row.booked_at.utcoffset() == timezone(timedelta(hours=-5)).utcoffset(None)
