"""`shopfront followups|followup|cases|case|contact|calllist|call|care-scan|handover|
my-customers`: customer care from the command line, over the same use cases as the window."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from shopfront.cli.output import emit
from shopfront.cli.session import open_book
from shopfront.core.care import (
    CASE_STATUS_TEXT,
    Case,
    CasePatch,
    CaseStatus,
    Channel,
    ContactOutcome,
    Followup,
    FollowupReason,
    Severity,
)
from shopfront.errors import ShopfrontError

if TYPE_CHECKING:
    from shopfront.book import Book
    from shopfront.usecases.care import CallList


def register(sub, common) -> None:
    p = sub.add_parser("followups", parents=[common()], help="follow-ups: due, overdue, mine")
    p.add_argument("--due", help="due on or before this date (YYYY-MM-DD or 'today')")
    p.add_argument("--staff", type=int, help="only this staff member's")
    p.add_argument("--overdue", action="store_true", help="only the overdue ones")
    p.add_argument("--customer", type=int, help="only this customer's")
    p.add_argument("--all", action="store_true", help="done and skipped ones too")
    p.set_defaults(handler=followups)

    p = sub.add_parser("followup", help="add, complete, skip or snooze a follow-up")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("add", parents=[common()])
    a.add_argument("customer", type=int)
    a.add_argument("--due", required=True, help="YYYY-MM-DD or 'today'")
    a.add_argument("--note", default="")
    a.add_argument("--staff", type=int, help="default: the customer's owner")
    a.set_defaults(handler=followup_add)
    for name, helptext in (("done", "outcome (required)"), ("skip", "why it is skipped")):
        a = actions.add_parser(name, parents=[common()])
        a.add_argument("id", type=int)
        a.add_argument("--outcome", required=True, help=helptext)
        a.add_argument("--by", type=int, help="staff id of who did it")
        a.set_defaults(handler=followup_finish, finish=name)
    a = actions.add_parser("snooze", parents=[common()])
    a.add_argument("id", type=int)
    a.add_argument("--to", dest="to_date", required=True, help="the new due date")
    a.add_argument("--reason", required=True)
    a.set_defaults(handler=followup_snooze)

    p = sub.add_parser("cases", parents=[common()], help="complaint and promise cases")
    p.add_argument("--open", action="store_true", help="only open cases")
    p.add_argument("--customer", type=int)
    p.set_defaults(handler=cases)

    p = sub.add_parser("case", help="open or update a complaint/promise case")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("open", parents=[common()])
    a.add_argument("customer", type=int)
    a.add_argument("--words", required=True, help="what happened, in the customer's words")
    a.add_argument("--severity", choices=[s.value for s in Severity], default="medium")
    a.add_argument("--apology-by", type=int, help="staff id who apologised")
    a.add_argument("--fix", default="", help="the fix promised")
    a.add_argument("--fix-due", help="YYYY-MM-DD")
    a.add_argument("--owner", type=int)
    a.add_argument("--appointment", type=int)
    a.set_defaults(handler=case_open)
    a = actions.add_parser("update", parents=[common()])
    a.add_argument("id", type=int)
    a.add_argument("--status", choices=[s.value for s in CaseStatus])
    a.add_argument("--fix")
    a.add_argument("--fix-due")
    a.add_argument("--owner", type=int)
    a.add_argument("--resolution")
    a.add_argument("--outcome", help="e.g. satisfied, not_satisfied")
    a.set_defaults(handler=case_update)

    p = sub.add_parser("contact", help="log a call, message, visit or note")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    a = actions.add_parser("log", parents=[common()])
    a.add_argument("customer", type=int)
    a.add_argument("--channel", choices=[c.value for c in Channel], default="call")
    a.add_argument("--outcome", choices=[o.value for o in ContactOutcome if o.value], default="")
    a.add_argument("--direction", choices=("out", "in"), default="out")
    a.add_argument("--summary", default="")
    a.add_argument("--staff", type=int)
    a.set_defaults(handler=contact_log)
    a = actions.add_parser("list", parents=[common()])
    a.add_argument("customer", type=int)
    a.set_defaults(handler=contact_list)

    p = sub.add_parser("calllist", parents=[common()], help="an absence's call list")
    p.add_argument("absence_id", type=int)
    p.set_defaults(handler=calllist)

    p = sub.add_parser("call", parents=[common()], help="record a call-list attempt")
    p.add_argument("absence_id", type=int)
    p.add_argument("appointment_id", type=int)
    p.add_argument("--outcome", required=True, choices=[o.value for o in ContactOutcome if o.value])
    p.add_argument("--channel", choices=[c.value for c in Channel], default="call")
    p.add_argument("--summary", default="")
    p.set_defaults(handler=call)

    p = sub.add_parser("care-scan", parents=[common()], help="run the follow-up policies")
    p.add_argument("--today", help="the day to scan for (default: today)")
    p.set_defaults(handler=care_scan)

    p = sub.add_parser("handover", parents=[common()], help="move customers to another owner")
    p.add_argument("--from", dest="from_staff", type=int, required=True)
    p.add_argument("--to", dest="to_staff", type=int, required=True)
    p.add_argument("--note", required=True)
    p.add_argument("--customer", type=int, action="append", help="only these (repeatable)")
    p.set_defaults(handler=handover)

    p = sub.add_parser("my-customers", parents=[common()], help="a staff member's customers")
    p.add_argument("staff_id", type=int)
    p.set_defaults(handler=my_customers)


# parsing ----------------------------------------------------------------------------------


def parse_date(text: str | None, book: Book) -> date | None:
    if text is None:
        return None
    if text.strip().lower() == "today":
        return book.today()
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShopfrontError(f"'{text}' is not a date such as 2026-11-24 (or 'today').") from None


# JSON -------------------------------------------------------------------------------------


def followup_json(f: Followup, names: dict[int, str], today: date) -> dict[str, Any]:
    return {
        "id": f.id,
        "customer_id": f.customer_id,
        "customer": f.customer_name,
        "reason": f.reason.value,
        "title": f.title,
        "due": f.due.isoformat(),
        "staff_id": f.staff_id,
        "staff": names.get(f.staff_id or 0),
        "status": f.status.value,
        "overdue": f.overdue(today),
        "note": f.note,
        "outcome": f.outcome,
        "appointment_id": f.appointment_id,
        "case_id": f.case_id,
        "absence_id": f.absence_id,
        "version": f.version,
    }


def case_json(c: Case, names: dict[int, str], today: date, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "id": c.id,
        "customer_id": c.customer_id,
        "customer": c.customer_name,
        "opened_at": c.opened_at.astimezone(tz).isoformat(),
        "words": c.words,
        "severity": c.severity.value,
        "apology": c.apology,
        "apology_by": names.get(c.apology_by or 0),
        "fix": c.fix,
        "fix_due": c.fix_due.isoformat() if c.fix_due else None,
        "owner_id": c.owner_id,
        "owner": names.get(c.owner_id or 0),
        "status": c.status.value,
        "promise_overdue": c.promise_overdue(today),
        "resolution": c.resolution,
        "outcome": c.outcome,
        "closed_at": c.closed_at.astimezone(tz).isoformat() if c.closed_at else None,
        "version": c.version,
    }


def call_list_json(calls: CallList, tz: ZoneInfo) -> list[dict[str, Any]]:
    return [
        {
            "appointment_id": row.visit.appointment.id,
            "customer_id": row.visit.appointment.customer_id,
            "customer": row.visit.customer_name,
            "phone": row.phone,
            "email": row.email,
            "start": row.visit.appointment.start.astimezone(tz).isoformat(),
            "services": row.visit.appointment.service_names,
            "status": row.visit.appointment.status.value,
            "state": row.state.value,
            "attempts": len(row.attempts),
        }
        for row in calls.rows
    ]


def call_list_text(calls: CallList, tz: ZoneInfo) -> str:
    a = calls.absence
    lines = [
        f"Call list for absence #{a.id}: {calls.staff_name}, {a.reason.value}, "
        f"{a.interval.start.astimezone(tz):%a %d %b %H:%M} – "
        f"{a.interval.end.astimezone(tz):%a %d %b %H:%M}"
    ]
    for row in calls.rows:
        when = row.visit.appointment.start.astimezone(tz)
        lines.append(
            f"  #{row.visit.appointment.id:<6} {when:%a %d %b %H:%M}  {row.visit.customer_name}"
            f"  {row.phone or '(no phone)'}  {row.visit.appointment.service_names}"
            f"  [{row.state.value.replace('_', ' ')}]"
        )
    if not calls.rows:
        lines.append("  No appointments are affected.")
    return "\n".join(lines)


def _names(book: Book) -> dict[int, str]:
    return {s.id: s.name for s in book.staff()}


# handlers ---------------------------------------------------------------------------------


def followups(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        if args.staff is not None:
            book.get_staff(args.staff)
        items = book.followups(
            due=parse_date(args.due, book),
            staff_id=args.staff,
            overdue=args.overdue,
            status=None if args.all else "open",
            customer_id=args.customer,
        )
        today, names = book.today(), _names(book)
        lines = [
            f"#{f.id:<6} {f.due.isoformat()}{' OVERDUE' if f.overdue(today) else ''}  "
            f"{f.customer_name}: {f.title}{' — ' + f.note if f.note else ''}"
            f"  [{names.get(f.staff_id or 0, '?')}]"
            + (f" ({f.status.value}: {f.outcome})" if not f.open else "")
            for f in items
        ]
        emit(
            {"followups": [followup_json(f, names, today) for f in items], "count": len(items)},
            args.json,
            "\n".join(lines) or "No follow-ups.",
        )
    return 0


def followup_add(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        due = parse_date(args.due, book)
        assert due is not None
        item = book.add_followup(args.customer, due, note=args.note, staff_id=args.staff)
        emit(
            followup_json(item, _names(book), book.today()),
            args.json,
            f"Follow-up #{item.id} for {item.customer_name}, due {item.due.isoformat()}.",
        )
    return 0


def followup_finish(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        if args.finish == "done":
            item = book.complete_followup(args.id, args.outcome, by_staff_id=args.by)
        else:
            item = book.skip_followup(args.id, args.outcome, by_staff_id=args.by)
        emit(
            followup_json(item, _names(book), book.today()),
            args.json,
            f"Follow-up #{item.id} {item.status.value}: {item.outcome}",
        )
    return 0


def followup_snooze(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        new_due = parse_date(args.to_date, book)
        assert new_due is not None
        item = book.snooze_followup(args.id, new_due, args.reason)
        emit(
            followup_json(item, _names(book), book.today()),
            args.json,
            f"Follow-up #{item.id} now due {item.due.isoformat()}.",
        )
    return 0


def cases(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        found = book.cases(open_only=args.open, customer_id=args.customer)
        today, names, tz = book.today(), _names(book), book.zone()
        lines = [
            f"#{c.id:<5} {c.opened_at.astimezone(tz):%d %b %Y}  {c.customer_name}  "
            f"[{CASE_STATUS_TEXT[c.status]}, {c.severity.value}]"
            f"{' PROMISE OVERDUE' if c.promise_overdue(today) else ''}  {c.words}"
            + (f"  (fix: {c.fix} by {c.fix_due})" if c.fix else "")
            for c in found
        ]
        emit(
            {"cases": [case_json(c, names, today, tz) for c in found], "count": len(found)},
            args.json,
            "\n".join(lines) or "No cases.",
        )
    return 0


def case_open(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        opened = book.open_case(
            args.customer,
            args.words,
            severity=args.severity,
            apology=args.apology_by is not None,
            apology_by=args.apology_by,
            fix=args.fix,
            fix_due=parse_date(args.fix_due, book),
            owner_id=args.owner,
            appointment_id=args.appointment,
        )
        emit(
            case_json(opened, _names(book), book.today(), book.zone()),
            args.json,
            f"Case #{opened.id} opened for {opened.customer_name} ({CASE_STATUS_TEXT[opened.status]}).",
        )
    return 0


def case_update(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        patch = CasePatch(
            status=CaseStatus(args.status) if args.status else None,
            fix=args.fix,
            fix_due=parse_date(args.fix_due, book),
            owner_id=args.owner,
            resolution=args.resolution,
            outcome=args.outcome,
        )
        changed = book.update_case(args.id, patch)
        emit(
            case_json(changed, _names(book), book.today(), book.zone()),
            args.json,
            f"Case #{changed.id}: {CASE_STATUS_TEXT[changed.status]}.",
        )
    return 0


def contact_log(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        logged = book.log_contact(
            args.customer,
            args.channel,
            outcome=args.outcome,
            summary=args.summary,
            direction=args.direction,
            staff_id=args.staff,
        )
        emit(
            {
                "id": logged.id,
                "customer_id": logged.customer_id,
                "channel": logged.channel.value,
                "outcome": logged.outcome.value,
                "at": logged.at.astimezone(book.zone()).isoformat(),
            },
            args.json,
            f"Logged {logged.channel.value} #{logged.id}.",
        )
    return 0


def contact_list(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        book.customer(args.customer)
        tz, names = book.zone(), _names(book)
        found = book.contacts(args.customer)
        data = [
            {
                "id": c.id,
                "at": c.at.astimezone(tz).isoformat(),
                "channel": c.channel.value,
                "direction": c.direction.value,
                "outcome": c.outcome.value,
                "summary": c.summary,
                "staff": names.get(c.staff_id or 0),
            }
            for c in found
        ]
        lines = [
            f"{c.at.astimezone(tz):%d %b %Y %H:%M}  {c.channel.value}"
            f"{' (' + c.outcome.value.replace('_', ' ') + ')' if c.outcome.value else ''}  {c.summary}"
            for c in found
        ]
        emit({"contacts": data}, args.json, "\n".join(lines) or "No contacts logged.")
    return 0


def calllist(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        calls = book.call_list(args.absence_id)
        tz = book.zone()
        emit(
            {
                "absence_id": calls.absence.id,
                "staff": calls.staff_name,
                "call_list": call_list_json(calls, tz),
            },
            args.json,
            call_list_text(calls, tz),
        )
    return 0


def call(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        book.record_call(
            args.absence_id,
            args.appointment_id,
            args.outcome,
            channel=args.channel,
            summary=args.summary,
        )
        calls = book.call_list(args.absence_id)
        tz = book.zone()
        emit(
            {"absence_id": calls.absence.id, "call_list": call_list_json(calls, tz)},
            args.json,
            call_list_text(calls, tz),
        )
    return 0


def care_scan(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        day = parse_date(args.today, book) or book.today()
        result = book.care_scan(day)
        created = dict(sorted(result.created.items()))
        text = f"Care scan for {day.isoformat()}: {result.total} new follow-up(s)" + (
            " (" + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in created.items()) + ")"
            if created
            else ""
        )
        emit({"today": day.isoformat(), "created": created, "total": result.total}, args.json, text)
    return 0


def handover(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        result = book.handover(args.from_staff, args.to_staff, args.note, args.customer)
        emit(
            result,
            args.json,
            f"Handed over {result['customers']} customer(s) and {result['followups']} open "
            f"follow-up(s) to {book.staff_name(args.to_staff)}.",
        )
    return 0


def my_customers(args: argparse.Namespace) -> int:
    with open_book(args, create=False) as book:
        rows = book.my_customers(args.staff_id)
        tz = book.zone()

        def when(value: object) -> str | None:
            return value.astimezone(tz).isoformat() if value else None  # type: ignore[attr-defined]

        data = [
            {**r, "last_visit": when(r["last_visit"]), "next_visit": when(r["next_visit"])}
            for r in rows
        ]
        lines = [
            f"#{r['id']:<6} {r['name']}  ({r['role']})  last {(r['last_visit'] or '-')[:10]}"
            f"  next {(r['next_visit'] or '-')[:10]}  follow-ups {r['open_followups']}"
            f"  cases {r['open_cases']}"
            for r in data
        ]
        emit(
            {"customers": data, "count": len(data)}, args.json, "\n".join(lines) or "No customers."
        )
    return 0


REASONS = [r.value for r in FollowupReason]
