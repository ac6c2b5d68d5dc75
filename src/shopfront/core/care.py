"""Customer care: contacts, follow-ups, cases, message templates and the house policies
that create follow-ups. Pure rules and types (stdlib only); dates are the shop's local dates.

The policies are functions of what happened and a pinned ``today``, so the same scan on the
same day gives the same answer at every desk, and running it twice creates nothing new
(each automatic follow-up carries a ``source_key`` naming what caused it).
"""

from __future__ import annotations

import re
import statistics
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from shopfront.errors import ValidationError


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"
    IN_PERSON = "in_person"
    NOTE = "note"


class Direction(StrEnum):
    OUT = "out"
    IN = "in"


class ContactOutcome(StrEnum):
    REACHED = "reached"
    VOICEMAIL = "voicemail"
    NO_ANSWER = "no_answer"
    WRONG_NUMBER = "wrong_number"
    NONE = ""  # notes, messages sent


class FollowupReason(StrEnum):
    AFTER_VISIT = "after_visit"
    FIRST_VISIT = "first_visit"
    NO_SHOW = "no_show"
    LAPSED = "lapsed"
    COMPLAINT = "complaint"
    ABSENCE = "absence"
    BIRTHDAY = "birthday"
    CONFIRM = "confirm"  # a high-risk appointment to confirm by phone
    INTRODUCTION = "introduction"  # a new owner introduces themselves after a handover
    MANUAL = "manual"


class FollowupStatus(StrEnum):
    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"


class CaseStatus(StrEnum):
    OPEN = "open"
    FIX_PROMISED = "fix_promised"
    FIXED = "fixed"
    FOLLOWED_UP = "followed_up"
    CLOSED = "closed"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


REASON_TEXT = {
    FollowupReason.AFTER_VISIT: "After the visit: how is it holding?",
    FollowupReason.FIRST_VISIT: "After a first visit: thank them, ask how it went",
    FollowupReason.NO_SHOW: "Missed appointment: call to rebook (no blame)",
    FollowupReason.LAPSED: "Hasn't been in for longer than usual: invite back",
    FollowupReason.COMPLAINT: "Complaint case",
    FollowupReason.ABSENCE: "Not reached about a change: tell them before they arrive",
    FollowupReason.BIRTHDAY: "Birthday",
    FollowupReason.CONFIRM: "High no-show risk: confirm by phone",
    FollowupReason.INTRODUCTION: "New owner: introduce yourself",
    FollowupReason.MANUAL: "Follow-up",
}

CHANNEL_TEXT = {
    Channel.CALL: "Call",
    Channel.SMS: "SMS",
    Channel.EMAIL: "E-mail",
    Channel.IN_PERSON: "In person",
    Channel.NOTE: "Note",
}

OUTCOME_TEXT = {
    ContactOutcome.REACHED: "reached",
    ContactOutcome.VOICEMAIL: "voicemail",
    ContactOutcome.NO_ANSWER: "no answer",
    ContactOutcome.WRONG_NUMBER: "wrong number",
    ContactOutcome.NONE: "",
}

CASE_STATUS_TEXT = {
    CaseStatus.OPEN: "open",
    CaseStatus.FIX_PROMISED: "fix promised",
    CaseStatus.FIXED: "fixed",
    CaseStatus.FOLLOWED_UP: "followed up",
    CaseStatus.CLOSED: "closed",
}

# Forward steps of a case; closing is allowed from any state (with a resolution).
CASE_NEXT = {
    CaseStatus.OPEN: {CaseStatus.FIX_PROMISED, CaseStatus.FIXED, CaseStatus.CLOSED},
    CaseStatus.FIX_PROMISED: {CaseStatus.FIXED, CaseStatus.CLOSED},
    CaseStatus.FIXED: {CaseStatus.FOLLOWED_UP, CaseStatus.CLOSED},
    CaseStatus.FOLLOWED_UP: {CaseStatus.CLOSED},
    CaseStatus.CLOSED: set(),
}


def parse_enum(kind: type[StrEnum], value: str, key: str) -> StrEnum:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(v.value for v in kind if v.value)  # type: ignore[attr-defined]
        raise ValidationError(f"{key.replace('_', ' ')} must be one of: {allowed}.", key) from None


# records ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    customer_id: int
    at: datetime
    channel: Channel
    direction: Direction = Direction.OUT
    outcome: ContactOutcome = ContactOutcome.NONE
    summary: str = ""
    staff_id: int | None = None
    appointment_id: int | None = None
    absence_id: int | None = None
    id: int | None = None

    @property
    def reached(self) -> bool:
        return self.outcome == ContactOutcome.REACHED or self.channel in (
            Channel.IN_PERSON,
            Channel.EMAIL,
            Channel.SMS,
        )


@dataclass(frozen=True)
class Followup:
    customer_id: int
    reason: FollowupReason
    due: date
    staff_id: int | None
    status: FollowupStatus = FollowupStatus.OPEN
    note: str = ""
    outcome: str = ""
    created_at: datetime | None = None
    done_at: datetime | None = None
    done_by: int | None = None
    appointment_id: int | None = None
    case_id: int | None = None
    absence_id: int | None = None
    source_key: str | None = None
    id: int | None = None
    version: int = 1
    customer_name: str = ""  # filled in by list queries, for display

    @property
    def open(self) -> bool:
        return self.status == FollowupStatus.OPEN

    def overdue(self, today: date) -> bool:
        return self.open and self.due < today

    @property
    def title(self) -> str:
        return REASON_TEXT[self.reason]


@dataclass(frozen=True)
class Case:
    customer_id: int
    opened_at: datetime
    words: str
    severity: Severity = Severity.MEDIUM
    apology: bool = False
    apology_by: int | None = None
    fix: str = ""
    fix_due: date | None = None
    owner_id: int | None = None
    status: CaseStatus = CaseStatus.OPEN
    opened_by: int | None = None
    appointment_id: int | None = None
    fixed_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str = ""
    outcome: str = ""
    id: int | None = None
    version: int = 1
    customer_name: str = ""

    @property
    def open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def promise_overdue(self, today: date) -> bool:
        """A promised fix whose date has passed without the fix."""
        return (
            self.status in (CaseStatus.OPEN, CaseStatus.FIX_PROMISED)
            and self.fix_due is not None
            and self.fix_due < today
        )


@dataclass(frozen=True)
class CasePatch:
    """A change to a case from the case dialog or the command line; None leaves a field."""

    status: CaseStatus | None = None
    severity: Severity | None = None
    apology: bool | None = None
    apology_by: int | None = None
    fix: str | None = None
    fix_due: date | None = None
    owner_id: int | None = None
    resolution: str | None = None
    outcome: str | None = None
    words: str | None = None


def check_case_step(old: CaseStatus, new: CaseStatus) -> None:
    if new == old:
        return
    if new not in CASE_NEXT[old]:
        raise ValidationError(
            f"A case that is {CASE_STATUS_TEXT[old]} can't become {CASE_STATUS_TEXT[new]}.",
            "status",
        )


def validate_case(case: Case) -> None:
    if not case.words.strip():
        raise ValidationError("Write down what happened, in the customer's words.", "words")
    if case.status == CaseStatus.FIX_PROMISED and (not case.fix.strip() or case.fix_due is None):
        raise ValidationError("A promised fix needs what was promised and by when.", "fix")
    if case.status == CaseStatus.CLOSED and not case.resolution.strip():
        raise ValidationError("Closing a case needs its resolution.", "resolution")


# policies ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CarePolicies:
    """House rules for automatic follow-ups; each one can be switched off or tuned."""

    after_visit: bool = True  # per service's follow-up interval
    first_visit: bool = True
    first_visit_days: int = 1
    no_show: bool = True  # same day
    lapsed: bool = True
    lapsed_default_days: int = 120  # single-visit customers
    lapsed_lookback_days: int = 730  # customers gone longer than this are not chased daily
    case_check_days: int = 7  # after a fix: "did it work?"
    absence: bool = True
    birthday: bool = False
    confirm_high_risk: bool = True

    FIELDS = (
        "after_visit",
        "first_visit",
        "first_visit_days",
        "no_show",
        "lapsed",
        "lapsed_default_days",
        "lapsed_lookback_days",
        "case_check_days",
        "absence",
        "birthday",
        "confirm_high_risk",
    )

    def to_settings(self) -> dict[str, str]:
        return {f"care.{name}": str(getattr(self, name)).lower() for name in self.FIELDS}

    @classmethod
    def from_settings(cls, stored: dict[str, str]) -> CarePolicies:
        values: dict[str, object] = {}
        defaults = cls()
        for name in cls.FIELDS:
            text = stored.get(f"care.{name}")
            if text is None:
                continue
            if isinstance(getattr(defaults, name), bool):
                values[name] = text.strip().lower() in ("1", "true", "yes", "on")
            else:
                try:
                    values[name] = int(text)
                except ValueError:
                    continue
        return cls(**values)  # type: ignore[arg-type]

    def validate(self) -> CarePolicies:
        for name, low, high in (
            ("first_visit_days", 0, 60),
            ("lapsed_default_days", 14, 1000),
            ("lapsed_lookback_days", 60, 3660),
            ("case_check_days", 1, 90),
        ):
            value = getattr(self, name)
            if not low <= value <= high:
                raise ValidationError(
                    f"{name.replace('_', ' ').capitalize()} must be between {low} and {high}.",
                    name,
                )
        return self


@dataclass(frozen=True)
class FollowupDraft:
    """A follow-up a policy wants; storage turns it into a row unless its key exists."""

    customer_id: int
    reason: FollowupReason
    due: date
    staff_id: int | None
    source_key: str
    note: str = ""
    appointment_id: int | None = None
    case_id: int | None = None
    absence_id: int | None = None


def after_visit_drafts(
    *,
    appointment_id: int,
    customer_id: int,
    staff_id: int | None,
    visit_day: date,
    followup_days: list[tuple[str, int | None]],
    first_visit: bool,
    policies: CarePolicies,
) -> list[FollowupDraft]:
    """Follow-ups a completed visit causes: the first-visit call, or the longest-waiting
    service follow-up ("how is the colour holding?"); one per visit, never a pile."""
    drafts: list[FollowupDraft] = []
    if first_visit and policies.first_visit:
        drafts.append(
            FollowupDraft(
                customer_id,
                FollowupReason.FIRST_VISIT,
                visit_day + timedelta(days=policies.first_visit_days),
                staff_id,
                f"first_visit:{customer_id}",
                appointment_id=appointment_id,
            )
        )
    intervals = [(days, name) for name, days in followup_days if days]
    if policies.after_visit and intervals:
        days, name = max(intervals)
        drafts.append(
            FollowupDraft(
                customer_id,
                FollowupReason.AFTER_VISIT,
                visit_day + timedelta(days=days),
                staff_id,
                f"after_visit:{appointment_id}",
                note=f"After {name}",
                appointment_id=appointment_id,
            )
        )
    return drafts


def no_show_draft(
    *,
    appointment_id: int,
    customer_id: int,
    staff_id: int | None,
    today: date,
    policies: CarePolicies,
) -> FollowupDraft | None:
    if not policies.no_show:
        return None
    return FollowupDraft(
        customer_id,
        FollowupReason.NO_SHOW,
        today,
        staff_id,
        f"no_show:{appointment_id}",
        appointment_id=appointment_id,
    )


def lapse_threshold_days(visit_days: list[date], policies: CarePolicies) -> float:
    """How long this customer may stay away before they count as lapsed: twice their own
    median interval (two or more visits), else the policy default."""
    return lapse_threshold(visit_days, policies.lapsed_default_days)


def lapse_threshold(visit_days: list[date], default_days: int) -> float:
    """The lapsed rule (DESIGN.md KPIs), shared by the care scan and the monthly report."""
    ordered = sorted(set(visit_days))
    if len(ordered) >= 2:
        gaps = [(b - a).days for a, b in zip(ordered, ordered[1:], strict=False)]
        return 2 * statistics.median(gaps)
    return float(default_days)


def is_lapsed(visit_days: list[date], today: date, policies: CarePolicies) -> bool:
    if not visit_days:
        return False
    last = max(visit_days)
    return (today - last).days > lapse_threshold_days(visit_days, policies)


def lapsed_draft(
    *,
    customer_id: int,
    staff_id: int | None,
    visit_days: list[date],
    has_future_booking: bool,
    today: date,
    policies: CarePolicies,
) -> FollowupDraft | None:
    """One follow-up per lapse, not one per day: the key names the last visit, so a new
    visit (and a new lapse after it) makes a new key, and the daily scan repeats nothing."""
    if not policies.lapsed or has_future_booking or not is_lapsed(visit_days, today, policies):
        return None
    last = max(visit_days)
    if (today - last).days > policies.lapsed_lookback_days:
        return None
    return FollowupDraft(
        customer_id,
        FollowupReason.LAPSED,
        today,
        staff_id,
        f"lapsed:{customer_id}:{last.isoformat()}",
        note=f"Last visit {last.isoformat()}",
    )


def birthday_draft(
    *,
    customer_id: int,
    staff_id: int | None,
    month: int | None,
    day: int | None,
    today: date,
    policies: CarePolicies,
) -> FollowupDraft | None:
    if not policies.birthday or not month or not day:
        return None
    if (month, day) == (2, 29) and not _leap(today.year):
        month, day = 2, 28
    if (today.month, today.day) != (month, day):
        return None
    return FollowupDraft(
        customer_id,
        FollowupReason.BIRTHDAY,
        today,
        staff_id,
        f"birthday:{customer_id}:{today.year}",
    )


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def case_drafts(case: Case, policies: CarePolicies, today: date) -> list[FollowupDraft]:
    """A promise gets a follow-up at its due date; a fix gets "did it work?" some days later."""
    assert case.id is not None
    drafts = []
    if case.fix_due is not None and case.status in (CaseStatus.OPEN, CaseStatus.FIX_PROMISED):
        drafts.append(
            FollowupDraft(
                case.customer_id,
                FollowupReason.COMPLAINT,
                case.fix_due,
                case.owner_id,
                f"case:{case.id}:promise:{case.fix_due.isoformat()}",
                note=f"Promised: {case.fix}" if case.fix else "Promise due",
                case_id=case.id,
            )
        )
    if case.status == CaseStatus.FIXED:
        drafts.append(
            FollowupDraft(
                case.customer_id,
                FollowupReason.COMPLAINT,
                today + timedelta(days=policies.case_check_days),
                case.owner_id,
                f"case:{case.id}:check",
                note="Did the fix work?",
                case_id=case.id,
            )
        )
    return drafts


def absence_draft(
    *,
    appointment_id: int,
    customer_id: int,
    absence_id: int,
    due: date,
    desk_staff_id: int | None,
) -> FollowupDraft:
    """A customer not reached about an absence: the front desk calls before they arrive."""
    return FollowupDraft(
        customer_id,
        FollowupReason.ABSENCE,
        due,
        desk_staff_id,
        f"absence:{absence_id}:{appointment_id}",
        appointment_id=appointment_id,
        absence_id=absence_id,
    )


# call lists -------------------------------------------------------------------------------


class CallState(StrEnum):
    PENDING = "pending"
    TOLD = "told"
    NOT_REACHED = "not_reached"


def call_state(contacts: list[Contact]) -> CallState:
    """The newest attempt decides: reached (or told in person / by message) → told."""
    if not contacts:
        return CallState.PENDING
    newest = max(contacts, key=lambda c: c.at)
    return CallState.TOLD if newest.reached else CallState.NOT_REACHED


# templates --------------------------------------------------------------------------------

PLACEHOLDERS = ("first_name", "name", "date", "time", "staff", "services", "shop")


class TemplateKey(StrEnum):
    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    ABSENCE_NOTICE = "absence_notice"
    NO_SHOW_REBOOK = "no_show_rebook"
    FOLLOWUP = "followup"
    LAPSED = "lapsed"


TEMPLATE_TITLES = {
    TemplateKey.CONFIRMATION: "Booking confirmation",
    TemplateKey.REMINDER: "Reminder",
    TemplateKey.ABSENCE_NOTICE: "Staff absence notice",
    TemplateKey.NO_SHOW_REBOOK: "Rebook after a missed visit",
    TemplateKey.FOLLOWUP: "Follow-up",
    TemplateKey.LAPSED: "We miss you",
}

DEFAULT_TEMPLATES = {
    TemplateKey.CONFIRMATION: (
        "Your appointment at {shop}",
        "Hi {first_name}, you're booked with {staff} on {date} at {time} for {services}. "
        "See you then! {shop}",
    ),
    TemplateKey.REMINDER: (
        "Reminder: {date} at {time}",
        "Hi {first_name}, a reminder of your appointment with {staff} on {date} at {time}. "
        "Reply or call us if you need to change it. {shop}",
    ),
    TemplateKey.ABSENCE_NOTICE: (
        "A change to your appointment on {date}",
        "Hi {first_name}, we're sorry: {staff} can't be in on {date}. We'd like to move your "
        "{time} appointment ({services}) or offer you a colleague. Please call us. {shop}",
    ),
    TemplateKey.NO_SHOW_REBOOK: (
        "We missed you",
        "Hi {first_name}, we missed you on {date}. No problem at all; shall we find you a new "
        "time with {staff}? {shop}",
    ),
    TemplateKey.FOLLOWUP: (
        "How are you getting on?",
        "Hi {first_name}, {staff} here from {shop}. How is everything since your visit?",
    ),
    TemplateKey.LAPSED: (
        "It's been a while",
        "Hi {first_name}, it's been a while! {staff} would love to see you again. "
        "Reply to book a time. {shop}",
    ),
}


@dataclass(frozen=True)
class Template:
    key: TemplateKey
    subject: str
    body: str

    @property
    def title(self) -> str:
        return TEMPLATE_TITLES[self.key]


_FORMATTER = string.Formatter()


def template_fields(text: str) -> list[str]:
    """The placeholders used in a template text; malformed braces are a ValidationError."""
    try:
        return [name for _lit, name, _spec, _conv in _FORMATTER.parse(text) if name is not None]
    except ValueError as exc:
        raise ValidationError(
            f"The template has a stray brace ({exc}); write {{{{ or }}}} for a literal one.",
            "body",
        ) from None


def check_template(subject: str, body: str) -> None:
    """Refuse an unknown placeholder at save time, naming it."""
    if not body.strip():
        raise ValidationError("The message text is empty.", "body")
    for key, text in (("subject", subject), ("body", body)):
        for name in template_fields(text):
            if name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                shown = "{" + name + "}" if name else "{}"
                raise ValidationError(
                    f"Unknown placeholder {shown}; use one of {known}.",
                    key,
                )


@dataclass(frozen=True)
class MessageValues:
    first_name: str = ""
    name: str = ""
    date: str = ""
    time: str = ""
    staff: str = ""
    services: str = ""
    shop: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def render(text: str, values: MessageValues) -> str:
    mapping = {name: getattr(values, name) for name in PLACEHOLDERS}
    # Values are inserted once; braces inside a customer's name are not re-read as fields.
    return _FORMATTER.vformat(text, (), mapping)


def first_name(name: str, call_name: str = "") -> str:
    if call_name.strip():
        return call_name.strip()
    parts = re.split(r"\s+", name.strip())
    return parts[0] if parts and parts[0] else name.strip()
