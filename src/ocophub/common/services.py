"""Writes shared by every app: the change records that keep the history of edits."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from .models import ChangeRecord


def acting_user(actor: Any) -> Any:
    """The user behind a write, for a "by" column: None for the system (loaders, jobs, anonymous)."""
    return actor if getattr(actor, "pk", None) else None


def json_value(value: Any) -> Any:
    """A value as the history keeps it: a related object as {"id", "label"}, numbers and dates as
    text where JSON has no exact type for them (Decimal, date), the rest as it is."""
    if isinstance(value, models.Model):
        return {"id": value.pk, "label": str(value)}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_value(item) for item in value]
        return sorted(items, key=lambda item: str(_identity(item)))
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _identity(value: Any) -> Any:
    """What makes two kept values the same: a related object by its id (its name may change)."""
    if isinstance(value, dict) and set(value) == {"id", "label"}:
        return value["id"]
    if isinstance(value, list):
        return [_identity(item) for item in value]
    return value


def field_values(instance: models.Model, names: Iterable[str]) -> dict[str, Any]:
    """The named fields of a saved or unsaved row, as the history keeps them. Many-to-many fields
    are read from the database, so take them before and after the write that sets them."""
    values: dict[str, Any] = {}
    for name in names:
        field = instance._meta.get_field(name)
        if field.many_to_many:
            values[name] = json_value(list(getattr(instance, name).all())) if instance.pk else []
        elif field.is_relation:
            values[name] = json_value(getattr(instance, name))
        else:
            values[name] = json_value(getattr(instance, name))
    return values


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """field → [before, after] for every field whose value differs."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if _identity(before.get(name)) != _identity(value)
    }


def change_record_write(
    *,
    actor: Any,
    obj: models.Model,
    changes: dict[str, list[Any]],
    note: str = "",
) -> ChangeRecord | None:
    """Keep one edit of `obj` in its history, in the caller's transaction; nothing when nothing
    changed and there is no note."""
    if not changes and not note:
        return None
    with transaction.atomic():
        return ChangeRecord.objects.create(
            object_type=obj._meta.label_lower,
            object_id=obj.pk,
            actor=actor if getattr(actor, "pk", None) else None,
            changes=changes,
            note=note[:2000],
        )
