"""Staff, services and business settings: small tables read whole."""

from __future__ import annotations

import dataclasses

from shopfront.core.customers import Role, Service, ShopSettings, Staff
from shopfront.errors import NotFoundError
from shopfront.storage.records import ServiceRecord, SettingRecord, StaffRecord

_SETTING_FIELDS = {f.name: f.type for f in dataclasses.fields(ShopSettings) if f.name != "extra"}


def _staff(row: StaffRecord) -> Staff:
    return Staff(row.name, row.id, Role(row.role), row.colour, bool(row.active))


def list_staff(include_inactive: bool = True) -> list[Staff]:
    """Everyone A-Z. Plain SQL: the day view lists the staff on every day switch."""
    db = StaffRecord._meta.database
    where = "" if include_inactive else f" WHERE active = {db.param}"
    rows = db.execute_sql(
        f"SELECT name, id, role, colour, active FROM staff{where} ORDER BY name, id",
        [] if include_inactive else [True],
    )
    return [
        Staff(name, sid, Role(role), colour, bool(active))
        for name, sid, role, colour, active in rows
    ]


def get_staff(staff_id: int) -> Staff:
    row = StaffRecord.get_or_none(StaffRecord.id == staff_id)
    if row is None:
        raise NotFoundError(f"There is no staff member #{staff_id}.")
    return _staff(row)


def save_staff(staff: Staff) -> Staff:
    values = {
        "name": staff.name,
        "role": str(staff.role),
        "colour": staff.colour,
        "active": staff.active,
    }
    if staff.id:
        get_staff(staff.id)
        StaffRecord.update(version=StaffRecord.version + 1, **values).where(
            StaffRecord.id == staff.id
        ).execute()
        return staff
    return dataclasses.replace(staff, id=StaffRecord.insert(**values).execute())


def _service(row: ServiceRecord) -> Service:
    return Service(
        row.name,
        row.duration_min,
        row.price_minor,
        row.id,
        row.category,
        row.followup_days,
        bool(row.active),
    )


def list_services(include_inactive: bool = True) -> list[Service]:
    query = ServiceRecord.select().order_by(ServiceRecord.category, ServiceRecord.name)
    if not include_inactive:
        query = query.where(ServiceRecord.active == True)  # noqa: E712
    return [_service(row) for row in query]


def get_service(service_id: int) -> Service:
    row = ServiceRecord.get_or_none(ServiceRecord.id == service_id)
    if row is None:
        raise NotFoundError(f"There is no service #{service_id}.")
    return _service(row)


def save_service(service: Service) -> Service:
    values = {
        "name": service.name,
        "category": service.category,
        "duration_min": service.duration_min,
        "price_minor": service.price_minor,
        "followup_days": service.followup_days,
        "active": service.active,
    }
    if service.id:
        get_service(service.id)
        ServiceRecord.update(version=ServiceRecord.version + 1, **values).where(
            ServiceRecord.id == service.id
        ).execute()
        return service
    return dataclasses.replace(service, id=ServiceRecord.insert(**values).execute())


def load_settings() -> ShopSettings:
    stored = {row.key: row.value for row in SettingRecord.select()}
    values: dict[str, object] = {}
    for name, kind in _SETTING_FIELDS.items():
        if name in stored:
            values[name] = int(stored[name]) if kind in (int, "int") else stored[name]
    extra = {k: v for k, v in stored.items() if k not in _SETTING_FIELDS}
    return ShopSettings(**values, extra=extra)  # type: ignore[arg-type]


def save_settings(settings: ShopSettings) -> None:
    rows = [(name, str(getattr(settings, name))) for name in _SETTING_FIELDS]
    rows += list(settings.extra.items())
    for key, value in rows:
        SettingRecord.replace(key=key, value=value).execute()
