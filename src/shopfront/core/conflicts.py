"""What another desk changed on a card while this desk was editing it (stdlib only).

Compares three versions of a customer: the one the editor opened (``base``), the one now
stored (``theirs``) and the one being saved (``mine``), field by field, in plain words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shopfront.core.customers import Customer


@dataclass(frozen=True)
class FieldChange:
    """One field another desk changed: what it was, what they made it, what I typed."""

    label: str
    before: str
    theirs: str
    mine: str

    @property
    def both_changed(self) -> bool:
        """I changed it too, differently: keeping mine would undo their change."""
        return self.mine != self.before and self.mine != self.theirs


def _fields(names: Callable[[int | None], str]) -> list[tuple[str, Callable[[Customer], str]]]:
    return [
        ("Name", lambda c: c.name),
        ("Called", lambda c: c.call_name),
        ("Phones", lambda c: ", ".join(p.typed for p in c.phones)),
        ("Emails", lambda c: ", ".join(e.address for e in c.emails)),
        ("Birthday", lambda c: str(c.birthday) if c.birthday else ""),
        ("Notes", lambda c: c.notes),
        ("Preferences", lambda c: c.preferences),
        ("Tags", lambda c: ", ".join(c.tags)),
        ("Marketing consent", lambda c: "yes" if c.marketing_consent else "no"),
        ("Owner", lambda c: names(c.owner_id)),
        ("Backup", lambda c: names(c.backup_id)),
        ("Archived", lambda c: "yes" if c.archived else "no"),
    ]


def customer_changes(
    base: Customer,
    theirs: Customer,
    mine: Customer,
    names: Callable[[int | None], str] = lambda i: "" if i is None else f"#{i}",
) -> list[FieldChange]:
    """The fields the other desk changed (in card order)."""
    changes = []
    for label, show in _fields(names):
        before, now = show(base), show(theirs)
        if before != now:
            changes.append(FieldChange(label, before, now, show(mine)))
    return changes
