"""House policies that act on no-show risk: level thresholds and the deposit flag."""

from __future__ import annotations

from dataclasses import dataclass

from shopfront.errors import ValidationError

DEPOSIT_FLAG = "deposit required"


@dataclass(frozen=True)
class RiskPolicies:
    """Stored in the book's settings (``risk.*`` keys) so every desk applies the same rules.

    Levels: a probability at or above ``high_from`` is high, at or above ``medium_from``
    medium, else low. The defaults are two and four times a typical salon's 5 % no-show
    rate (industry 2-10 %): high means "worth a phone call", so it should stay rare.
    A customer with at least ``deposit_after`` unexcused no-shows in the last
    ``deposit_window_days`` is flagged "deposit required" and booking them needs an
    explicit override (0 switches the flag off).
    """

    medium_from: float = 0.10
    high_from: float = 0.20
    deposit_after: int = 2
    deposit_window_days: int = 365

    FIELDS = ("medium_from", "high_from", "deposit_after", "deposit_window_days")

    @property
    def thresholds(self) -> tuple[float, float]:
        return self.medium_from, self.high_from

    def to_settings(self) -> dict[str, str]:
        return {f"risk.{name}": str(getattr(self, name)) for name in self.FIELDS}

    @classmethod
    def from_settings(cls, stored: dict[str, str]) -> RiskPolicies:
        """Read the stored keys; a missing or unreadable value keeps its default."""
        values: dict[str, object] = {}
        defaults = cls()
        for name in cls.FIELDS:
            text = stored.get(f"risk.{name}")
            if text is None:
                continue
            kind = type(getattr(defaults, name))
            try:
                values[name] = kind(text)
            except ValueError:
                continue
        return cls(**values)  # type: ignore[arg-type]

    def validate(self) -> RiskPolicies:
        if not 0.0 < self.medium_from < self.high_from < 1.0:
            raise ValidationError(
                "Risk levels need 0 < medium-from < high-from < 1 (e.g. 0.10 and 0.20).",
                "medium_from",
            )
        if not 0 <= self.deposit_after <= 20:
            raise ValidationError(
                "Deposit after is 0 (off) to 20 unexcused no-shows.", "deposit_after"
            )
        if not 30 <= self.deposit_window_days <= 3660:
            raise ValidationError(
                "The no-show look-back is 30 to 3660 days.", "deposit_window_days"
            )
        return self

    def deposit_required(self, unexcused_no_shows: int) -> bool:
        return self.deposit_after > 0 and unexcused_no_shows >= self.deposit_after


def deposit_message(name: str, no_shows: int, window_days: int) -> str:
    """The warning the booking asks to override (plain words, no ids)."""
    span = "year" if window_days == 365 else f"{window_days} days"
    return (
        f"{name} missed {no_shows} appointments without an excuse in the last {span}: "
        "deposit required."
    )
