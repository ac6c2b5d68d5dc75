"""Customer care use cases: contact log, follow-ups, cases, absence call lists, ownership,
message templates, the policy scan and the Today screen's data.

Mixed into Book. Every change runs in one transaction; the follow-ups a change causes
(a no-show, a completed visit, an absence, a case promise) are written in the same one.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from shopfront.core.appointments import AppointmentStatus, CancelledBy
from shopfront.core.booking import Appointment, Visit
from shopfront.core.care import (
    DEFAULT_TEMPLATES,
    REASON_TEXT,
    CallState,
    CarePolicies,
    Case,
    CasePatch,
    CaseStatus,
    Channel,
    Contact,
    ContactOutcome,
    Direction,
    Followup,
    FollowupDraft,
    FollowupReason,
    FollowupStatus,
    MessageValues,
    Severity,
    Template,
    TemplateKey,
    absence_draft,
    after_visit_drafts,
    birthday_draft,
    call_state,
    case_drafts,
    check_case_step,
    check_template,
    first_name,
    lapsed_draft,
    no_show_draft,
    parse_enum,
    render,
    validate_case,
)
from shopfront.core.customers import Role, TimelineEntry
from shopfront.core.localtime import day_bounds_utc, format_time
from shopfront.core.timeslots import Slot
from shopfront.core.workhours import Absence
from shopfront.errors import ConflictError, ValidationError
from shopfront.mail import SmtpSettings, build_message, send, store_password
from shopfront.storage import appointments as appt_store
from shopfront.storage import care as store
from shopfront.storage import catalog, customers

if TYPE_CHECKING:
    from shopfront.book import Book

log = logging.getLogger(__name__)
S = AppointmentStatus
AFTER_VISIT_CATCH_UP_DAYS = 7  # the scan re-checks this many days of completed visits


@dataclass(frozen=True)
class CallListRow:
    """One appointment touched by an absence, and how telling its customer is going."""

    visit: Visit
    state: CallState
    attempts: tuple[Contact, ...]
    phone: str
    email: str


@dataclass(frozen=True)
class CallList:
    absence: Absence
    staff_name: str
    rows: tuple[CallListRow, ...]

    def count(self, state: CallState) -> int:
        return sum(1 for row in self.rows if row.state == state)


@dataclass(frozen=True)
class TodayData:
    day: date
    visits: tuple[Visit, ...]
    due: tuple[Followup, ...]  # due today
    overdue: tuple[Followup, ...]
    unconfirmed_tomorrow: tuple[Visit, ...]
    absences: tuple[CallList, ...]
    overdue_promises: tuple[Case, ...]


@dataclass(frozen=True)
class Message:
    key: TemplateKey
    customer_id: int
    subject: str
    body: str
    phone: str = ""
    email: str = ""
    appointment_id: int | None = None


@dataclass
class ScanResult:
    created: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.created.values())


class CareUseCases:
    """``self`` is the Book."""

    # policies ----------------------------------------------------------------------------

    def care_policies(self: Book) -> CarePolicies:
        stored = CarePolicies.from_settings(self.settings.extra)
        return dataclasses.replace(stored, lapsed_default_days=self.settings.lapsed_default_days)

    def save_care_policies(self: Book, policies: CarePolicies) -> CarePolicies:
        policies = policies.validate()
        extra = {**self.settings.extra, **policies.to_settings()}
        self.save_settings(
            dataclasses.replace(
                self.settings, extra=extra, lapsed_default_days=policies.lapsed_default_days
            )
        )
        return policies

    def _local_day(self: Book, moment: datetime) -> date:
        return moment.astimezone(self.zone()).date()

    def _desk_staff(self: Book, customer_id: int | None = None) -> int | None:
        """Who does front-desk work: the owner role, else a manager, else the customer's owner."""
        people = self.staff(include_inactive=False)
        for role in (Role.OWNER, Role.MANAGER):
            for person in people:
                if person.role == role:
                    return person.id
        if customer_id is not None:
            owner, backup = store.owners([customer_id]).get(customer_id, (None, None))
            if owner or backup:
                return owner or backup
        return people[0].id if people else None

    def _assignee(self: Book, customer_id: int, fallback: int | None) -> int | None:
        owner, backup = store.owners([customer_id]).get(customer_id, (None, None))
        return owner or backup or fallback or self._desk_staff()

    def _store_drafts(self: Book, drafts: list[FollowupDraft], result: ScanResult | None) -> int:
        made = 0
        now = self.clock()
        for draft in drafts:
            if draft.staff_id is None:
                draft = dataclasses.replace(draft, staff_id=self._desk_staff(draft.customer_id))
            if store.insert_draft(draft, now) is not None:
                made += 1
                if result is not None:
                    result.created[draft.reason.value] += 1
        return made

    # hooks into the appointment book -----------------------------------------------------

    def set_status(self: Book, appointment_id: int, status, **kwargs) -> Appointment:  # type: ignore[override]
        with self.db.atomic():
            changed = super().set_status(appointment_id, status, **kwargs)  # type: ignore[misc]
            self._after_status(changed)
        return changed

    def _after_status(self: Book, a: Appointment) -> None:
        policies = self.care_policies()
        assert a.id is not None
        if a.status == S.NO_SHOW:
            draft = no_show_draft(
                appointment_id=a.id,
                customer_id=a.customer_id,
                staff_id=self._assignee(a.customer_id, a.staff_id),
                today=self.today(),
                policies=policies,
            )
            self._store_drafts([draft] if draft else [], None)
        elif a.status == S.COMPLETED:
            self._store_drafts(self._visit_drafts(a, policies), None)
        shop_cancelled = a.status == S.CANCELLED and a.cancelled_by == CancelledBy.SHOP
        if a.status in (S.CANCELLED, S.NO_SHOW, S.COMPLETED) and not shop_cancelled:
            store.close_open_for_appointment(
                a.id, FollowupReason.ABSENCE, f"Appointment {a.status.label.lower()}"
            )
        elif shop_cancelled:
            # the shop cancelled: the customer still has to hear it before they set off
            store.note_open_for_appointment(
                a.id, FollowupReason.ABSENCE, "Cancelled by the shop: tell them"
            )

    def _visit_drafts(self: Book, a: Appointment, policies: CarePolicies) -> list[FollowupDraft]:
        assert a.id is not None
        intervals = []
        for line in a.services:
            service = catalog.get_service(line.service_id)
            intervals.append((service.name, service.followup_days))
        return after_visit_drafts(
            appointment_id=a.id,
            customer_id=a.customer_id,
            staff_id=self._assignee(a.customer_id, a.staff_id),
            visit_day=self._local_day(a.start),
            followup_days=intervals,
            first_visit=not store.first_completed_before(a.customer_id, a.id, a.start),
            policies=policies,
        )

    def add_absence(  # type: ignore[override]
        self: Book,
        staff_id: int,
        start: datetime,
        end: datetime,
        reason: str = "other",
        note: str = "",
    ) -> tuple[Absence, list[Visit]]:
        """Record an absence and, in the same transaction, a front-desk follow-up for every
        appointment it touches: those customers must hear before they arrive."""
        with self.db.atomic():
            absence, visits = super().add_absence(staff_id, start, end, reason, note)  # type: ignore[misc]
            if self.care_policies().absence:
                self._store_drafts(self._absence_drafts(absence, visits), None)
        return absence, visits

    def _absence_drafts(self: Book, absence: Absence, visits: list[Visit]) -> list[FollowupDraft]:
        today = self.today()
        drafts = []
        for v in visits:
            a = v.appointment
            assert a.id is not None and absence.id is not None
            due = max(today, self._local_day(a.start) - timedelta(days=1))
            drafts.append(
                absence_draft(
                    appointment_id=a.id,
                    customer_id=a.customer_id,
                    absence_id=absence.id,
                    due=min(due, self._local_day(a.start)),
                    desk_staff_id=self._desk_staff(a.customer_id),
                )
            )
        return drafts

    def _visits(self: Book, found, staff=None) -> list[Visit]:  # type: ignore[override]
        return self._mark_open_cases(super()._visits(found, staff))  # type: ignore[misc]

    def day(self: Book, day: date, staff_id: int | None = None):  # type: ignore[override]
        """The day, with the open-case marker on customers who have an open case."""
        schedule = super().day(day, staff_id)  # type: ignore[misc]
        visits = [v for col in schedule.columns for v in col.visits]
        marked = {
            id(old): new
            for old, new in zip(visits, self._mark_open_cases(visits), strict=True)
            if new.open_case
        }
        if not marked:
            return schedule
        columns = tuple(
            dataclasses.replace(col, visits=tuple(marked.get(id(v), v) for v in col.visits))
            for col in schedule.columns
        )
        return dataclasses.replace(schedule, columns=columns)

    def _mark_open_cases(self: Book, visits: list[Visit]) -> list[Visit]:
        ids = sorted({v.appointment.customer_id for v in visits})
        with_cases = store.customers_with_open_cases(ids)
        if not with_cases:
            return visits
        return [
            dataclasses.replace(v, open_case=True) if v.appointment.customer_id in with_cases else v
            for v in visits
        ]

    def with_last_told(self: Book, visits: list[Visit]) -> list[Visit]:
        """Fill in what each customer was last told (for My day); one query for the list."""
        told = store.last_told(sorted({v.appointment.customer_id for v in visits}))
        tz = self.zone()
        out = []
        for v in visits:
            contact = told.get(v.appointment.customer_id)
            if contact is None:
                out.append(v)
                continue
            when = contact.at.astimezone(tz)
            text = f"{when:%d %b}: {contact.summary or contact.channel.value}"
            out.append(dataclasses.replace(v, last_told=text))
        return out

    # contacts ----------------------------------------------------------------------------

    def log_contact(
        self: Book,
        customer_id: int,
        channel: Channel | str,
        *,
        outcome: ContactOutcome | str = "",
        summary: str = "",
        direction: Direction | str = Direction.OUT,
        staff_id: int | None = None,
        appointment_id: int | None = None,
        absence_id: int | None = None,
        at: datetime | None = None,
    ) -> Contact:
        kind = Channel(parse_enum(Channel, str(channel), "channel"))
        result = ContactOutcome(parse_enum(ContactOutcome, str(outcome), "outcome"))
        way = Direction(parse_enum(Direction, str(direction), "direction"))
        if kind == Channel.CALL and result == ContactOutcome.NONE:
            raise ValidationError(
                "Say how the call went: reached, voicemail, no answer or wrong number.",
                "outcome",
            )
        if kind == Channel.NOTE and not summary.strip():
            raise ValidationError("A note needs some text.", "summary")
        moment = at or self.clock()
        if moment > self.clock() + timedelta(minutes=5):
            raise ValidationError("A contact can't be logged in the future.", "at")
        with self.db.atomic():
            customers.load(customer_id)
            if staff_id is not None:
                catalog.get_staff(staff_id)
            contact = Contact(
                customer_id,
                moment,
                kind,
                way,
                result,
                summary.strip(),
                staff_id,
                appointment_id,
                absence_id,
            )
            contact = dataclasses.replace(contact, id=store.insert_contact(contact))
            if absence_id is not None and appointment_id is not None:
                self._after_call_list_contact(contact)
        log.info("contact %s logged for customer %s", contact.id, customer_id)
        return contact

    def contacts(self: Book, customer_id: int) -> list[Contact]:
        return store.contacts(customer_id)

    # follow-ups --------------------------------------------------------------------------

    def add_followup(
        self: Book,
        customer_id: int,
        due: date,
        *,
        note: str = "",
        staff_id: int | None = None,
        reason: FollowupReason | str = FollowupReason.MANUAL,
        appointment_id: int | None = None,
    ) -> Followup:
        why = FollowupReason(parse_enum(FollowupReason, str(reason), "reason"))
        with self.db.atomic():
            card = customers.load(customer_id)
            if card.archived or card.merged_into:
                raise ValidationError(
                    f"{card.name}'s card is archived; restore it first.", "customer"
                )
            if staff_id is not None:
                catalog.get_staff(staff_id)
            if why != FollowupReason.MANUAL and store.open_reason_exists(customer_id, why):
                raise ValidationError(
                    f"{card.name} already has an open follow-up: {REASON_TEXT[why]}.", "reason"
                )
            item = Followup(
                customer_id,
                why,
                due,
                staff_id or self._assignee(customer_id, None),
                note=note.strip(),
                appointment_id=appointment_id,
            )
            new_id = store.insert_followup(item, self.clock())
        return store.load_followup(new_id)

    def followup(self: Book, followup_id: int) -> Followup:
        return store.load_followup(followup_id)

    def followups(
        self: Book,
        *,
        due: date | None = None,
        staff_id: int | None = None,
        overdue: bool = False,
        status: FollowupStatus | str | None = FollowupStatus.OPEN,
        customer_id: int | None = None,
        upcoming_days: int | None = None,
    ) -> list[Followup]:
        """Open follow-ups due up to ``due`` (default: any date), or only overdue ones."""
        today = self.today()
        state = None if status is None else FollowupStatus(status)
        until = today - timedelta(days=1) if overdue else due
        if upcoming_days is not None:
            until = today + timedelta(days=upcoming_days)
        return store.list_followups(
            status=state, due_until=until, staff_id=staff_id, customer_id=customer_id
        )

    def followup_counts(self: Book, staff_id: int | None = None) -> dict[str, int]:
        return store.followup_counts(staff_id, self.today())

    def complete_followup(
        self: Book,
        followup_id: int,
        outcome: str,
        *,
        by_staff_id: int | None = None,
        version: int | None = None,
    ) -> Followup:
        if not outcome.strip():
            raise ValidationError("Done means done with an outcome: what happened?", "outcome")
        return self._finish_followup(
            followup_id, FollowupStatus.DONE, outcome.strip(), by_staff_id, version
        )

    def skip_followup(
        self: Book,
        followup_id: int,
        reason: str,
        *,
        by_staff_id: int | None = None,
        version: int | None = None,
    ) -> Followup:
        if not reason.strip():
            raise ValidationError("Say why this follow-up is skipped.", "outcome")
        return self._finish_followup(
            followup_id, FollowupStatus.SKIPPED, reason.strip(), by_staff_id, version
        )

    def _finish_followup(
        self: Book,
        followup_id: int,
        status: FollowupStatus,
        outcome: str,
        by_staff_id: int | None,
        version: int | None,
    ) -> Followup:
        with self.db.atomic():
            item = store.load_followup(followup_id)
            if not item.open:
                raise ValidationError(f"This follow-up is already {item.status.value}.", "status")
            store.update_followup(
                followup_id,
                version,
                status=status.value,
                outcome=outcome,
                done_at=self.clock().replace(tzinfo=None),
                done_by=by_staff_id,
            )
            if item.case_id is not None and status == FollowupStatus.DONE:
                case = store.load_case(item.case_id)
                if case.status == CaseStatus.FIXED and item.source_key == f"case:{case.id}:check":
                    store.update_case(dataclasses.replace(case, status=CaseStatus.FOLLOWED_UP))
        return store.load_followup(followup_id)

    def snooze_followup(
        self: Book,
        followup_id: int,
        new_due: date,
        reason: str,
        *,
        version: int | None = None,
    ) -> Followup:
        if not reason.strip():
            raise ValidationError("Say why it is moved (e.g. 'away until Monday').", "reason")
        if new_due <= self.today():
            raise ValidationError("Snooze to a later day than today.", "due")
        with self.db.atomic():
            item = store.load_followup(followup_id)
            if not item.open:
                raise ValidationError(f"This follow-up is already {item.status.value}.", "status")
            stamp = self.today().isoformat()
            line = f"[{stamp}] moved from {item.due.isoformat()} to {new_due.isoformat()}: {reason.strip()}"
            note = f"{item.note}\n{line}".strip()
            store.update_followup(followup_id, version, due=new_due, note=note)
        return store.load_followup(followup_id)

    def reassign_followup(
        self: Book, followup_id: int, staff_id: int, *, version: int | None = None
    ) -> Followup:
        with self.db.atomic():
            catalog.get_staff(staff_id)
            store.update_followup(followup_id, version, staff=staff_id)
        return store.load_followup(followup_id)

    # cases -------------------------------------------------------------------------------

    def open_case(
        self: Book,
        customer_id: int,
        words: str,
        *,
        severity: Severity | str = Severity.MEDIUM,
        apology: bool = False,
        apology_by: int | None = None,
        fix: str = "",
        fix_due: date | None = None,
        owner_id: int | None = None,
        appointment_id: int | None = None,
        by_staff_id: int | None = None,
    ) -> Case:
        level = Severity(parse_enum(Severity, str(severity), "severity"))
        with self.db.atomic():
            card = customers.load(customer_id)
            if card.merged_into:
                raise ValidationError("This card was merged; open the case on the kept card.")
            if appointment_id is not None:
                appt = appt_store.load(appointment_id)
                if appt.customer_id != customer_id:
                    raise ValidationError(
                        "That appointment belongs to another customer.", "appointment"
                    )
            for staff in (apology_by, owner_id, by_staff_id):
                if staff is not None:
                    catalog.get_staff(staff)
            promised = bool(fix.strip()) and fix_due is not None
            case = Case(
                customer_id,
                self.clock(),
                words.strip(),
                level,
                apology,
                apology_by if apology else None,
                fix.strip(),
                fix_due,
                owner_id or self._assignee(customer_id, None),
                CaseStatus.FIX_PROMISED if promised else CaseStatus.OPEN,
                by_staff_id,
                appointment_id,
            )
            validate_case(case)
            if fix_due is not None and fix_due < self.today():
                raise ValidationError("A promise can't be due in the past.", "fix_due")
            case = dataclasses.replace(case, id=store.insert_case(case))
            self._store_drafts(case_drafts(case, self.care_policies(), self.today()), None)
            customers.add_event(customer_id, self.clock(), "case", f"Case opened ({level.value})")
        log.info("case %s opened for customer %s", case.id, customer_id)
        return store.load_case(case.id)  # type: ignore[arg-type]

    def case(self: Book, case_id: int) -> Case:
        return store.load_case(case_id)

    def cases(self: Book, *, open_only: bool = False, customer_id: int | None = None) -> list[Case]:
        return store.list_cases(open_only=open_only, customer_id=customer_id)

    def update_case(
        self: Book, case_id: int, patch: CasePatch, *, version: int | None = None
    ) -> Case:
        with self.db.atomic():
            current = store.load_case(case_id)
            if version is not None and current.version != version:
                raise ConflictError("This case was changed at another desk; it has been reloaded.")
            changes = {k: v for k, v in dataclasses.asdict(patch).items() if v is not None}
            for staff in ("apology_by", "owner_id"):
                if changes.get(staff) is not None:
                    catalog.get_staff(changes[staff])
            if (
                "fix_due" in changes
                and changes["fix_due"] < self.today()
                and changes["fix_due"] != current.fix_due
            ):
                raise ValidationError("A promise can't be due in the past.", "fix_due")
            new = dataclasses.replace(current, **changes)
            if (
                patch.status is None
                and new.fix
                and new.fix_due
                and current.status == CaseStatus.OPEN
            ):
                new = dataclasses.replace(new, status=CaseStatus.FIX_PROMISED)
            check_case_step(current.status, new.status)
            now = self.clock()
            if new.status == CaseStatus.FIXED and current.status != CaseStatus.FIXED:
                new = dataclasses.replace(new, fixed_at=now)
            if new.status == CaseStatus.CLOSED and current.status != CaseStatus.CLOSED:
                new = dataclasses.replace(new, closed_at=now)
            validate_case(new)
            store.update_case(new)
            if new.status == CaseStatus.CLOSED:
                for item in store.list_followups(customer_id=current.customer_id):
                    if item.case_id == case_id:
                        store.update_followup(
                            item.id,
                            None,
                            status=FollowupStatus.SKIPPED.value,
                            outcome="Case closed",
                        )
            elif new.status == CaseStatus.FIXED:
                # the promise is kept: its reminder is done, and "did it work?" is planned
                for item in store.list_followups(customer_id=current.customer_id):
                    if item.case_id == case_id and (item.source_key or "").startswith(
                        (f"case:{case_id}:promise", f"case:{case_id}:escalated")
                    ):
                        store.update_followup(
                            item.id,
                            None,
                            status=FollowupStatus.DONE.value,
                            outcome="Fix done",
                            done_at=now.replace(tzinfo=None),
                        )
                self._store_drafts(case_drafts(new, self.care_policies(), self.today()), None)
            else:
                self._store_drafts(case_drafts(new, self.care_policies(), self.today()), None)
            if new.status != current.status:
                customers.add_event(
                    current.customer_id,
                    now,
                    "case",
                    f"Case #{case_id}: {new.status.value.replace('_', ' ')}",
                )
        return store.load_case(case_id)

    def overdue_promises(self: Book) -> list[Case]:
        today = self.today()
        return [c for c in store.list_cases(open_only=True) if c.promise_overdue(today)]

    # the policy scan ---------------------------------------------------------------------

    def care_scan(self: Book, today: date | None = None) -> ScanResult:
        """Run the house policies for one day: lapsed customers, missed follow-ups of
        completed visits and no-shows, case promises, birthdays. Idempotent."""
        today = today or self.today()
        policies = self.care_policies()
        result = ScanResult()
        tz = self.zone()
        end_of_day = day_bounds_utc(today, tz).end
        with self.db.atomic():
            since = day_bounds_utc(today - timedelta(days=AFTER_VISIT_CATCH_UP_DAYS), tz).start
            for appointment_id, _cid, _sid, _start in store.completed_without_followup(since):
                if _start >= end_of_day:
                    continue
                a = appt_store.load(appointment_id)
                self._store_drafts(self._visit_drafts(a, policies), result)
            for appointment_id, cid, sid, start in store.no_shows_since(since):
                if start >= end_of_day:
                    continue
                draft = no_show_draft(
                    appointment_id=appointment_id,
                    customer_id=cid,
                    staff_id=self._assignee(cid, sid),
                    today=max(self._local_day(start), today - timedelta(days=1)),
                    policies=policies,
                )
                self._store_drafts([draft] if draft else [], result)
            future = store.customers_with_future_booking(end_of_day)
            owners = store.owners()
            for cid, starts in store.visit_starts().items():
                days = [self._local_day(s) for s in starts if s < end_of_day]
                if not days:
                    continue
                owner, backup = owners.get(cid, (None, None))
                draft = lapsed_draft(
                    customer_id=cid,
                    staff_id=owner or backup,
                    visit_days=days,
                    has_future_booking=cid in future,
                    today=today,
                    policies=policies,
                )
                if draft:
                    self._store_drafts([draft], result)
            owner_role = self._desk_staff()
            for case in store.list_cases(open_only=True):
                drafts = case_drafts(case, policies, today)
                if case.promise_overdue(today) and owner_role is not None:
                    # a slipped promise goes to the shop owner, not only its case owner
                    drafts.append(
                        FollowupDraft(
                            case.customer_id,
                            FollowupReason.COMPLAINT,
                            today,
                            owner_role,
                            f"case:{case.id}:escalated:{case.fix_due}",
                            note=f"Promise overdue since {case.fix_due}: {case.fix}",
                            case_id=case.id,
                        )
                    )
                self._store_drafts(drafts, result)
            if policies.birthday:
                for cid, owner in store.birthdays_on(today.month, today.day):
                    draft = birthday_draft(
                        customer_id=cid,
                        staff_id=owner,
                        month=today.month,
                        day=today.day,
                        today=today,
                        policies=policies,
                    )
                    if draft:
                        self._store_drafts([draft], result)
            if policies.confirm_high_risk:
                self._store_drafts(self._confirm_drafts(today), result)
        log.info("care scan for %s created %s follow-ups", today, result.total)
        return result

    def _confirm_drafts(self: Book, today: date) -> list[FollowupDraft]:
        """Tomorrow's high-risk appointments that are not confirmed (when risk exists)."""
        finder = getattr(self, "unconfirmed_high_risk", None)
        if finder is None:
            return []
        tomorrow = today + timedelta(days=1)
        drafts = []
        for v in finder(tomorrow):
            a = v.appointment
            drafts.append(
                FollowupDraft(
                    a.customer_id,
                    FollowupReason.CONFIRM,
                    today,
                    self._desk_staff(a.customer_id),
                    f"confirm:{a.id}",
                    note=", ".join(v.risk_reasons),
                    appointment_id=a.id,
                )
            )
        return drafts

    # absence call lists ------------------------------------------------------------------

    def absence(self: Book, absence_id: int) -> Absence:
        return store.load_absence(absence_id)

    def call_list(self: Book, absence_id: int) -> CallList:
        absence = self.absence(absence_id)
        visits = self.affected_by(absence)
        # appointments moved away or cancelled stay on the list: their customers must still
        # be told (they are known from the attempts and from the absence's follow-ups)
        attempts = store.contacts_for_absence(absence_id)
        shown = {v.appointment.id for v in visits}
        known = set(attempts) | set(store.absence_appointment_ids(absence_id))
        moved_ids = sorted(aid for aid in known if aid not in shown)
        if moved_ids:
            extra = [appt_store.load(aid) for aid in moved_ids]
            visits = visits + self._visits(extra)
        summaries = {
            c.id: c
            for c in customers.summaries(sorted({v.appointment.customer_id for v in visits}))
        }
        rows = []
        for v in sorted(visits, key=lambda v: v.appointment.start):
            tried = attempts.get(v.appointment.id, [])  # type: ignore[arg-type]
            card = summaries.get(v.appointment.customer_id)
            rows.append(
                CallListRow(
                    v,
                    call_state(tried),
                    tuple(tried),
                    v.customer_phone,
                    card.emails[0] if card and card.emails else "",
                )
            )
        return CallList(absence, self.staff_name(absence.staff_id), tuple(rows))

    def record_call(
        self: Book,
        absence_id: int,
        appointment_id: int,
        outcome: ContactOutcome | str,
        *,
        channel: Channel | str = Channel.CALL,
        summary: str = "",
        staff_id: int | None = None,
    ) -> Contact:
        a = appt_store.load(appointment_id)
        absence = self.absence(absence_id)
        text = summary.strip() or f"Told about {self.staff_name(absence.staff_id)}'s absence"
        return self.log_contact(
            a.customer_id,
            channel,
            outcome=outcome,
            summary=text,
            staff_id=staff_id,
            appointment_id=appointment_id,
            absence_id=absence_id,
        )

    def _after_call_list_contact(self: Book, contact: Contact) -> None:
        """Told: the front-desk follow-up is done. Not reached: it stays, due before the
        appointment, and says so."""
        assert contact.appointment_id is not None and contact.absence_id is not None
        for item in store.list_followups(customer_id=contact.customer_id):
            if (
                item.reason != FollowupReason.ABSENCE
                or item.appointment_id != contact.appointment_id
            ):
                continue
            if contact.reached:
                store.update_followup(
                    item.id,
                    None,
                    status=FollowupStatus.DONE.value,
                    outcome=f"Told ({contact.channel.value})",
                    done_at=contact.at.replace(tzinfo=None),
                    done_by=contact.staff_id,
                )
            else:
                line = f"[{self._local_day(contact.at).isoformat()}] not reached: {contact.outcome.value.replace('_', ' ')}"
                store.update_followup(item.id, None, note=f"{item.note}\n{line}".strip())
        if not contact.reached and self.care_policies().absence:
            a = appt_store.load(contact.appointment_id)
            if a.active:
                self._store_drafts(
                    [
                        absence_draft(
                            appointment_id=contact.appointment_id,
                            customer_id=contact.customer_id,
                            absence_id=contact.absence_id,
                            due=min(self.today(), self._local_day(a.start)),
                            desk_staff_id=self._desk_staff(contact.customer_id),
                        )
                    ],
                    None,
                )

    def later_slots_with_same_staff(
        self: Book, appointment_id: int, absence_id: int, count: int = 5
    ) -> list[Slot]:
        a = appt_store.load(appointment_id)
        absence = self.absence(absence_id)
        ids = tuple(x.service_id for x in a.services)
        start = max(absence.interval.end, self.clock())
        return self.free_slots(ids, a.staff_id, start, count)

    def colleagues_free_now(self: Book, appointment_id: int) -> list[int]:
        """Staff who could take the appointment at its own time instead."""
        a = appt_store.load(appointment_id)
        ids = tuple(x.service_id for x in a.services)
        free = []
        for person in self.staff(include_inactive=False):
            if person.id == a.staff_id:
                continue
            slots = self.free_slots(ids, person.id, a.start, 1)
            if slots and slots[0].start == a.start:
                free.append(person.id)
        return free

    def give_to_colleague(self: Book, appointment_id: int, staff_id: int) -> Appointment:
        a = appt_store.load(appointment_id)
        return self.move(appointment_id, a.start, staff_id=staff_id)

    def cancel_by_shop(self: Book, appointment_id: int, reason: str = "") -> Appointment:
        return self.set_status(
            appointment_id,
            S.CANCELLED,
            cancelled_by=CancelledBy.SHOP,
            reason=reason or "staff absence",
        )

    def absent_today(
        self: Book, staff_id: int, reason: str = "sick", note: str = ""
    ) -> tuple[Absence, list[Visit]]:
        """ "Not in today": an absence from now until the end of the shop's day."""
        now = self.clock()
        end = day_bounds_utc(self.today(), self.zone()).end
        return self.add_absence(staff_id, now, end, reason, note)

    # ownership ---------------------------------------------------------------------------

    def my_customers(self: Book, staff_id: int) -> list[dict[str, object]]:
        catalog.get_staff(staff_id)
        return store.my_customers(staff_id, self.clock())

    def handover(
        self: Book,
        from_staff: int,
        to_staff: int,
        note: str,
        customer_ids: list[int] | None = None,
    ) -> dict[str, int]:
        """Move all (or the selected) customers of one staff member to another, with a note,
        their open follow-ups, and an introduction follow-up for the new owner; one step."""
        if from_staff == to_staff:
            raise ValidationError("Pick a different staff member to hand over to.", "staff")
        if not note.strip():
            raise ValidationError("Write a handover note for the new owner.", "note")
        now = self.clock()
        today = self.today()
        with self.db.atomic():
            catalog.get_staff(from_staff)
            target = catalog.get_staff(to_staff)
            if not target.active:
                raise ValidationError(f"{target.name} no longer works here.", "staff")
            owned = set(store.customers_owned_by(from_staff))
            chosen = sorted(owned if customer_ids is None else set(customer_ids))
            stray = [cid for cid in chosen if cid not in owned]
            if stray:
                raise ValidationError(
                    f"Customer #{stray[0]} is not {self.staff_name(from_staff)}'s customer.",
                    "customers",
                )
            moved = store.set_owner(chosen, to_staff, now)
            followups = store.reassign_open_followups(chosen, from_staff, to_staff)
            intro = 0
            for cid in chosen:
                customers.add_event(
                    cid,
                    now,
                    "owner",
                    f"Handed over from {self.staff_name(from_staff)} to {target.name}: {note.strip()}",
                )
                made = store.insert_draft(
                    FollowupDraft(
                        cid,
                        FollowupReason.INTRODUCTION,
                        today + timedelta(days=1),
                        to_staff,
                        f"introduction:{cid}:{from_staff}:{to_staff}:{today.isoformat()}",
                        note=note.strip(),
                    ),
                    now,
                )
                intro += made is not None
        log.info("handover of %s customers from staff %s to %s", moved, from_staff, to_staff)
        return {"customers": moved, "followups": followups, "introductions": intro}

    # templates and messages --------------------------------------------------------------

    def templates(self: Book) -> dict[TemplateKey, Template]:
        stored = store.load_templates()
        return {key: stored.get(key, Template(key, *DEFAULT_TEMPLATES[key])) for key in TemplateKey}

    def save_template(self: Book, key: TemplateKey | str, subject: str, body: str) -> Template:
        which = TemplateKey(parse_enum(TemplateKey, str(key), "template"))
        check_template(subject, body)
        template = Template(which, subject.strip(), body.strip())
        with self.db.atomic():
            store.save_template(template)
        return template

    def message(
        self: Book,
        key: TemplateKey | str,
        *,
        customer_id: int | None = None,
        appointment_id: int | None = None,
    ) -> Message:
        """Fill a template for a customer (and an appointment, for date/time/staff/services)."""
        which = TemplateKey(parse_enum(TemplateKey, str(key), "template"))
        a = appt_store.load(appointment_id) if appointment_id is not None else None
        cid = a.customer_id if a else customer_id
        if cid is None:
            raise ValidationError("Pick a customer or an appointment.", "customer")
        card = customers.load(cid)
        values = MessageValues(
            first_name=first_name(card.name, card.call_name),
            name=card.name,
            shop=self.settings.shop_name,
        )
        if a is not None:
            when = a.start.astimezone(self.zone())
            values = dataclasses.replace(
                values,
                date=f"{when:%A} {when.day} {when:%B}",
                time=format_time(when),
                staff=self.staff_name(a.staff_id),
                services=a.service_names,
            )
        elif card.owner_id:
            values = dataclasses.replace(values, staff=self.staff_name(card.owner_id))
        template = self.templates()[which]
        return Message(
            which,
            cid,
            render(template.subject, values),
            render(template.body, values),
            card.phones[0].e164 if card.phones else "",
            card.emails[0].address if card.emails else "",
            appointment_id,
        )

    def message_sent(
        self: Book, message: Message, channel: Channel | str, *, staff_id: int | None = None
    ) -> Contact:
        """Log what was sent (copied, mailed, texted) as a contact on the customer."""
        return self.log_contact(
            message.customer_id,
            channel,
            summary=f"{message.key.value.replace('_', ' ').capitalize()}: {message.body}",
            staff_id=staff_id,
            appointment_id=message.appointment_id,
        )

    # timeline and the Today screen -------------------------------------------------------

    def care_entries(self: Book, customer_id: int) -> list[TimelineEntry]:
        tz = self.zone()
        entries = []
        for c in store.contacts(customer_id):
            how = c.channel.value.replace("_", " ")
            result = f" ({c.outcome.value.replace('_', ' ')})" if c.outcome.value else ""
            entries.append(
                TimelineEntry(c.at, "contact", f"{how.capitalize()}{result}: {c.summary}")
            )
        for f in store.followups_of(customer_id):
            midday = datetime.combine(f.due, time(12), tz)
            state = f.status.value if not f.open else "due"
            text = f"Follow-up {state} {f.due:%d %b %Y}: {f.title}"
            if f.outcome:
                text += f" — {f.outcome}"
            entries.append(TimelineEntry(f.done_at or midday, "followup", text))
        for case in store.list_cases(customer_id=customer_id):
            entries.append(
                TimelineEntry(
                    case.opened_at,
                    "case",
                    f"Case ({case.severity.value}, {case.status.value.replace('_', ' ')}): {case.words}",
                )
            )
        return entries

    def today_data(self: Book, day: date | None = None) -> TodayData:
        day = day or self.today()
        schedule = self.day(day)
        visits = tuple(
            sorted(
                (v for col in schedule.columns for v in col.visits if v.appointment.active),
                key=lambda v: v.appointment.start,
            )
        )
        open_items = store.list_followups(due_until=day)
        due = tuple(f for f in open_items if f.due == day)
        overdue = tuple(f for f in open_items if f.due < day)
        tomorrow = self.day(day + timedelta(days=1))
        unconfirmed = tuple(
            sorted(
                (
                    v
                    for col in tomorrow.columns
                    for v in col.visits
                    if v.appointment.status == S.BOOKED
                ),
                key=lambda v: (-(v.risk or 0), v.appointment.start),
            )
        )
        lists = tuple(
            self.call_list(a.id)
            for a in self.absences(day, day + timedelta(days=1))
            if a.id is not None
        )
        return TodayData(
            day, visits, due, overdue, unconfirmed, lists, tuple(self.overdue_promises())
        )

    # e-mail ------------------------------------------------------------------------------

    def smtp_settings(self: Book) -> SmtpSettings:
        return SmtpSettings.from_settings(self.settings.extra)

    def smtp_configured(self: Book) -> bool:
        return self.smtp_settings().configured

    def save_smtp(self: Book, smtp: SmtpSettings, password: str | None = None) -> bool:
        """Save the server settings; the password goes to the keyring (True if stored)."""
        smtp = smtp.validate()
        extra = {**self.settings.extra, **smtp.to_settings()}
        self.save_settings(dataclasses.replace(self.settings, extra=extra))
        return bool(password) and store_password(smtp, password)  # type: ignore[arg-type]

    def send_email(
        self: Book,
        message: Message,
        *,
        staff_id: int | None = None,
        password: str | None = None,
    ) -> Contact:
        """Send the message to the customer's e-mail address, then log it as a contact.
        A failure raises a one-line error and logs nothing."""
        smtp = self.smtp_settings()
        mail_message = build_message(smtp, message.email, message.subject, message.body)
        send(smtp, mail_message, password)
        return self.message_sent(message, Channel.EMAIL, staff_id=staff_id)
