"""Asking before a likely duplicate is saved as a new customer."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from shopfront.core.duplicates import DuplicateMatch


def describe(match: DuplicateMatch) -> str:
    return f"#{match.customer_id} {match.name} — {', '.join(match.reasons)}"


def confirm_despite_duplicates(parent: QWidget, matches: list[DuplicateMatch]) -> bool:
    if not matches:
        return True
    listing = "\n".join(describe(m) for m in matches[:5])
    answer = QMessageBox.question(
        parent,
        "Possible duplicate",
        f"This may be someone you already have:\n\n{listing}\n\nAdd as a new customer anyway?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes
