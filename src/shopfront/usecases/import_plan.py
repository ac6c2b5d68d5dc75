"""The plan of an import (one decision per row) and its report (what happened to each).

The report is what the CLI prints as JSON (``created``, ``merged``, ``skipped``,
``failed``, each a list of rows with their reasons) and what the wizard saves as CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from shopfront.core.customers import Customer
from shopfront.errors import ShopfrontError
from shopfront.io.spreadsheets import write_csv
from shopfront.storage.bulk import ImportIdentity

CHOICES = ("merge", "skip", "create")
OUTCOME_WORDS = {
    "new": "New",
    "duplicate": "Duplicate",
    "error": "Error",
    "skip": "Skipped",
}


class ImportCancelledError(ShopfrontError):
    """The user cancelled; the transaction was rolled back."""


@dataclass
class PlannedRow:
    """One row of the file and what will happen to it."""

    line: int
    name: str
    outcome: str  # new, duplicate, error, skip
    reason: str = ""
    customer: Customer | None = None
    identity: ImportIdentity = field(default_factory=ImportIdentity)
    match_id: int | None = None  # duplicate of this card in the book
    match_row: int | None = None  # … or of this earlier row (index into the plan)
    match_name: str = ""
    choice: str = "merge"  # for duplicates: merge, skip, create
    merged_into: int | None = None
    payload: Any = None  # appointments: the event and its resolved ids

    @property
    def match_label(self) -> str:
        if self.match_id:
            return f"#{self.match_id} {self.match_name}"
        if self.match_row is not None:
            return f"an earlier row ({self.match_name})"
        return ""

    def result(self, reason: str = "", new_id: int | None = None) -> RowResult:
        text = reason or self.reason
        return RowResult(self.line, self.name, text, new_id)


@dataclass(frozen=True)
class RowResult:
    line: int
    name: str
    reason: str = ""
    id: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"line": self.line, "name": self.name, "reason": self.reason, "id": self.id}


@dataclass
class ImportPlan:
    source: str
    label: str
    target: str  # customers, appointments, book
    rows: list[PlannedRow] = field(default_factory=list)
    payload: Any = None  # a whole-book import: the parsed document

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.rows if r.outcome == outcome)

    def set_choice(self, choice: str) -> None:
        for row in self.rows:
            if row.outcome == "duplicate":
                row.choice = choice


@dataclass
class ImportReport:
    source: str
    created: list[RowResult] = field(default_factory=list)
    merged: list[RowResult] = field(default_factory=list)
    skipped: list[RowResult] = field(default_factory=list)
    failed: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "counts": {
                "created": len(self.created),
                "merged": len(self.merged),
                "skipped": len(self.skipped),
                "failed": len(self.failed),
            },
            "created": [r.as_json() for r in self.created],
            "merged": [r.as_json() for r in self.merged],
            "skipped": [r.as_json() for r in self.skipped],
            "failed": [r.as_json() for r in self.failed],
        }

    def summary(self) -> str:
        would = "would be " if self.dry_run else ""
        return (
            f"{len(self.created)} {would}created, {len(self.merged)} {would}merged, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed"
        )

    def to_csv(self) -> bytes:
        """Counts first, then every row that was not simply created, with its reason."""
        rows: list[list[object]] = [
            ["total", "", f"created {len(self.created)}", ""],
            ["total", "", f"merged {len(self.merged)}", ""],
            ["total", "", f"skipped {len(self.skipped)}", ""],
            ["total", "", f"failed {len(self.failed)}", ""],
        ]
        for outcome, items in (
            ("created", [r for r in self.created if r.reason]),
            ("merged", self.merged),
            ("skipped", self.skipped),
            ("failed", self.failed),
        ):
            rows += [[outcome, r.line, r.name, r.reason] for r in items]
        return write_csv(["Outcome", "Line", "Name", "Reason"], rows)
