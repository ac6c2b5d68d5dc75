"""Peewee records (one class per table). Only the storage package uses these classes.

Times are stored as naive UTC; ``storage.convert`` turns them into aware datetimes.
Every editable record carries a ``version`` that each save increments, so a save based
on a stale copy is detected instead of silently overwriting another desk's change.
"""

from __future__ import annotations

from peewee import (
    BooleanField,
    CharField,
    DatabaseProxy,
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
ALL_RECORDS = list(SCHEMA_V1)
