"""Reads shared by every app: the history of a record's edits."""

from django.db import models
from django.db.models import QuerySet

from .models import ChangeRecord


def changes_of(obj: models.Model) -> QuerySet[ChangeRecord]:
    """The edits of one record, newest first, with who made them."""
    return changes_of_type(obj._meta.label_lower, [obj.pk])


def changes_of_type(object_type: str, object_ids: list[int] | None = None) -> QuerySet[ChangeRecord]:
    """The edits of records of one type ("catalogue.product"), of the given ids when given."""
    qs = ChangeRecord.objects.filter(object_type=object_type).select_related("actor")
    if object_ids is not None:
        qs = qs.filter(object_id__in=object_ids)
    return qs.order_by("-at", "-pk")
