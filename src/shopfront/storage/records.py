"""Peewee records (one class per table). Only the storage package uses these classes.

Times are stored as naive UTC; ``storage.convert`` turns them into aware datetimes.
Every editable record carries a ``version`` that each save increments, so a save based
on a stale copy is detected instead of silently overwriting another desk's change.
"""

from __future__ import annotations

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


class BaseRecord(Model):
    class Meta:
        database = database
        legacy_table_names = False


class MetaRecord(BaseRecord):
    """Identity and schema version of the book (``app``, ``schema_version``)."""

    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "shopfront_meta"


class SettingRecord(BaseRecord):
    key = CharField(primary_key=True)
    value = TextField()

    class Meta:
        table_name = "setting"


class StaffRecord(BaseRecord):
    name = CharField()
    role = CharField(default="staff")
    colour = CharField(default="#5B8DEF")
    active = BooleanField(default=True)
    version = IntegerField(default=1)

    class Meta:
        table_name = "staff"


class ServiceRecord(BaseRecord):
    name = CharField()
    category = CharField(default="")
    duration_min = IntegerField()
    price_minor = IntegerField()
    followup_days = IntegerField(null=True)
    active = BooleanField(default=True)
    version = IntegerField(default=1)

    class Meta:
        table_name = "service"


class CustomerRecord(BaseRecord):
    name = CharField()
    sort_name = CharField(index=True)  # folded name: A-Z lists and search order use its index
    call_name = CharField(default="")
    birth_year = IntegerField(null=True)
    birth_month = IntegerField(null=True)
    birth_day = IntegerField(null=True)
    notes = TextField(default="")
    preferences = TextField(default="")
    tags = TextField(default="")  # newline-separated
    marketing_consent = BooleanField(default=False)
    owner = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    backup = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    source = CharField(default="manual")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    archived_at = DateTimeField(null=True)  # no index: it would be chosen over sort_name
    merged_into = IntegerField(null=True)  # kept as a tombstone so its id is never reused
    # SQL defaults too, so bulk inserts that predate these columns keep working
    blocked = BooleanField(default=False, constraints=[SQL("DEFAULT FALSE")])
    blocked_reason = TextField(default="", constraints=[SQL("DEFAULT ''")])
    external_id = CharField(null=True)  # the id in the system it was imported from
    version = IntegerField(default=1)

    class Meta:
        table_name = "customer"


class PhoneRecord(BaseRecord):
    customer = ForeignKeyField(CustomerRecord, on_delete="CASCADE", backref="phone_rows")
    e164 = CharField(index=True)
    typed = CharField()
    label = CharField(default="mobile")
    position = IntegerField(default=0)

    class Meta:
        table_name = "customer_phone"


class EmailRecord(BaseRecord):
    customer = ForeignKeyField(CustomerRecord, on_delete="CASCADE", backref="email_rows")
    address = CharField()
    normalised = CharField(index=True)
    label = CharField(default="personal")
    position = IntegerField(default=0)

    class Meta:
        table_name = "customer_email"


class CustomerEventRecord(BaseRecord):
    """Card-level events for the timeline: created, merged, archived, restored, handed over."""

    customer = ForeignKeyField(CustomerRecord, on_delete="CASCADE", backref="events")
    at = DateTimeField(index=True)
    kind = CharField()
    summary = TextField(default="")
    staff = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "customer_event"


class WorkingHoursRecord(BaseRecord):
    """One working span of a staff member on a weekday (0 = Monday); breaks are the gaps."""

    staff = ForeignKeyField(StaffRecord, on_delete="CASCADE", backref="+")
    weekday = IntegerField()
    start_min = IntegerField()  # minutes after local midnight
    end_min = IntegerField()

    class Meta:
        table_name = "working_hours"


class AbsenceRecord(BaseRecord):
    staff = ForeignKeyField(StaffRecord, on_delete="CASCADE", backref="+")
    start_at = DateTimeField()
    end_at = DateTimeField()
    reason = CharField(default="other")  # sick, holiday, training, other
    note = TextField(default="")
    created_at = DateTimeField()

    class Meta:
        table_name = "absence"
        indexes = ((("staff", "start_at"), False),)


class SeriesRecord(BaseRecord):
    """A recurring booking: its appointments are ordinary rows pointing here."""

    every_weeks = IntegerField()
    created_at = DateTimeField()

    class Meta:
        table_name = "appointment_series"


class AppointmentRecord(BaseRecord):
    customer = ForeignKeyField(CustomerRecord, on_delete="RESTRICT", backref="+")
    staff = ForeignKeyField(StaffRecord, on_delete="RESTRICT", backref="+")
    start_at = DateTimeField()
    end_at = DateTimeField()
    booked_at = DateTimeField()
    source = CharField(default="phone")  # phone, walk-in, in person, online, imported
    status = CharField(default="booked")
    price_minor = IntegerField(default=0)
    final_price_minor = IntegerField(null=True)
    notes = TextField(default="")
    cancelled_by = CharField(null=True)  # customer, shop
    late_cancel = BooleanField(default=False)
    excused = BooleanField(default=False)
    excuse_reason = TextField(default="")
    series = ForeignKeyField(SeriesRecord, null=True, on_delete="SET NULL", backref="+")
    rebooked = BooleanField(null=True)  # at checkout: was the next visit booked?
    external_uid = CharField(null=True, index=True)  # iCalendar UID of an imported event
    version = IntegerField(default=1)

    class Meta:
        table_name = "appointment"
        indexes = (
            (("staff", "start_at"), False),
            (("customer", "start_at"), False),
            (("start_at",), False),
        )


class AppointmentServiceRecord(BaseRecord):
    """A service inside an appointment, with its duration and price as booked."""

    appointment = ForeignKeyField(AppointmentRecord, on_delete="CASCADE", backref="+")
    service = ForeignKeyField(ServiceRecord, on_delete="RESTRICT", backref="+")
    position = IntegerField(default=0)
    duration_min = IntegerField()
    price_minor = IntegerField()

    class Meta:
        table_name = "appointment_service"


class StatusChangeRecord(BaseRecord):
    appointment = ForeignKeyField(AppointmentRecord, on_delete="CASCADE", backref="+")
    at = DateTimeField()
    old = CharField(null=True)  # None: the booking itself
    new = CharField()
    by_staff = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    reason = TextField(default="")

    class Meta:
        table_name = "status_change"


class ContactRecord(BaseRecord):
    """One interaction with a customer: a call, message, visit at the desk or a note."""

    customer = ForeignKeyField(CustomerRecord, on_delete="CASCADE", backref="+")
    at = DateTimeField()
    staff = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    channel = CharField()  # call, sms, email, in_person, note
    direction = CharField(default="out")  # out, in
    outcome = CharField(default="")  # reached, voicemail, no_answer, wrong_number ('' for notes)
    summary = TextField(default="")
    appointment = ForeignKeyField(AppointmentRecord, null=True, on_delete="SET NULL", backref="+")
    absence = ForeignKeyField(AbsenceRecord, null=True, on_delete="SET NULL", backref="+")

    class Meta:
        table_name = "contact"
        indexes = ((("customer", "at"), False), (("absence",), False))


class CaseRecord(BaseRecord):
    """A complaint or promise, from the customer's words to the outcome."""

    customer = ForeignKeyField(CustomerRecord, on_delete="CASCADE", backref="+")
    opened_at = DateTimeField()
    opened_by = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    appointment = ForeignKeyField(AppointmentRecord, null=True, on_delete="SET NULL", backref="+")
    words = TextField()  # what happened, in the customer's words
    severity = CharField(default="medium")  # low, medium, high
    apology = BooleanField(default=False)
    apology_by = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    fix = TextField(default="")  # the fix promised
    fix_due = DateField(null=True)  # local date
    owner = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    status = CharField(default="open")  # open, fix_promised, fixed, followed_up, closed
    fixed_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    resolution = TextField(default="")
    outcome = CharField(default="")  # satisfied, not_satisfied, unknown
    version = IntegerField(default=1)

    class Meta:
        table_name = "care_case"
        indexes = ((("customer",), False), (("status",), False))


class FollowupRecord(BaseRecord):
    """A personal task about one customer, with a due date and an owner."""

    customer = ForeignKeyField(CustomerRecord, on_delete="CASCADE", backref="+")
    reason = CharField()  # after_visit, first_visit, no_show, lapsed, complaint, absence, ...
    due = DateField()  # local date in the shop's zone
    staff = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    status = CharField(default="open")  # open, done, skipped
    outcome = TextField(default="")
    note = TextField(default="")
    created_at = DateTimeField()
    done_at = DateTimeField(null=True)
    done_by = ForeignKeyField(StaffRecord, null=True, on_delete="SET NULL", backref="+")
    appointment = ForeignKeyField(AppointmentRecord, null=True, on_delete="SET NULL", backref="+")
    case = ForeignKeyField(CaseRecord, null=True, on_delete="SET NULL", backref="+")
    absence = ForeignKeyField(AbsenceRecord, null=True, on_delete="SET NULL", backref="+")
    source_key = CharField(null=True, unique=True)  # what caused it: makes policy scans idempotent
    version = IntegerField(default=1)

    class Meta:
        table_name = "followup"
        indexes = ((("status", "due"), False), (("customer", "status"), False))


class TemplateRecord(BaseRecord):
    key = CharField(primary_key=True)  # confirmation, reminder, absence_notice, ...
    subject = TextField(default="")
    body = TextField()

    class Meta:
        table_name = "message_template"


SCHEMA_V1 = [
    MetaRecord,
    SettingRecord,
    StaffRecord,
    ServiceRecord,
    CustomerRecord,
    PhoneRecord,
    EmailRecord,
    CustomerEventRecord,
]
SCHEMA_V2 = [
    WorkingHoursRecord,
    AbsenceRecord,
    SeriesRecord,
    AppointmentRecord,
    AppointmentServiceRecord,
    StatusChangeRecord,
]
SCHEMA_V3 = [ContactRecord, CaseRecord, FollowupRecord, TemplateRecord]
ALL_RECORDS = [*SCHEMA_V1, *SCHEMA_V2, *SCHEMA_V3]
