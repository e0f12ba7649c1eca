"""The audit trail's source of edits: common.ChangeRecord, each changed field named in the reader's
language with its value before and after (see audit_sources)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.catalogue.models import Certificate, CertificateState, Product
from ocophub.common.dates import format_datetime
from ocophub.common.models import ChangeRecord
from ocophub.common.money import VNDField

from .audit_sources import Entry, Source, actor_name, center_url, product_url, vnd_text

# --- the edits (common.ChangeRecord) ---


def _typed(object_type: str) -> Callable[[int], Q]:
    """The condition "the edit is of this record", as a function of the id."""
    return lambda value: Q(object_type=object_type, object_id=value)


PRICE_Q = Q(object_type="catalogue.product", changes__has_key="list_price")
CERTIFICATE_Q = Q(object_type="catalogue.certificate")
# role grants are read from their own rows (granted_by, revoked_by), not twice
GRANT_Q = Q(object_type="accounts.rolegrant")
CHANGE_TYPES = {
    "product": "catalogue.product",
    "producer": "catalogue.producer",
    "center": "centers.center",
    "certificate": "catalogue.certificate",
    "user": "accounts.user",
}


def _change_kind_q(kind: str) -> Q:
    return {
        "price": PRICE_Q,
        "certificate": CERTIFICATE_Q,
        "edit": ~PRICE_Q & ~CERTIFICATE_Q,
    }[kind]


def _change_kind(record: ChangeRecord) -> str:
    if record.object_type == "catalogue.product" and "list_price" in (record.changes or {}):
        return "price"
    if record.object_type == "catalogue.certificate":
        return "certificate"
    # a center's status moves are its CenterEvent rows; its edits (name, hours…) are edits
    return "edit"


def _show(value: Any) -> str:
    """A value kept in an edit record, as the reader expects it: dates dd/mm/yyyy, times local."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return str(value.get("label") or value.get("name") or value.get("id") or value)
    if isinstance(value, str) and len(value) >= 10 and value[4:5] == "-" and value[7:8] == "-":
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        return format_datetime(moment) if timezone.is_aware(moment) else moment.strftime("%d/%m/%Y %H:%M")
    return str(value)


# fields an edit record names that are not columns of the model
EXTRA_FIELDS: dict[tuple[str, str], tuple[Any, Any]] = {
    ("catalogue.certificate", "state"): (gettext_lazy("state"), CertificateState),
}


def _field_naming(object_type: str, name: str) -> tuple[str, dict[Any, Any], bool]:
    """The field's name in the reader's language, the names of its choices, and whether it is money."""
    if (object_type, name) in EXTRA_FIELDS:
        label, choices = EXTRA_FIELDS[(object_type, name)]
        return str(label), dict(choices.choices), False
    try:
        model_field = django_apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return name, {}, False
    label = str(getattr(model_field, "verbose_name", name))
    return label, dict(getattr(model_field, "flatchoices", None) or []), isinstance(model_field, VNDField)


def change_text(changes: dict[str, Any], object_type: str = "") -> str:
    """field: before → after, for each changed field, named in the reader's language."""
    parts = []
    for name, pair in (changes or {}).items():
        before, after = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
        label, names, money = _field_naming(object_type, name)
        if names:
            before, after = names.get(before, before), names.get(after, after)
        if money:
            before, after = (vnd_text(v) if isinstance(v, int) else v for v in (before, after))
        parts.append(f"{label}: {_show(before)} → {_show(after)}")
    return "; ".join(parts)


def _change_prepare(records: list[ChangeRecord]) -> None:
    """Name the edited records of a page: one query per type of record on it."""
    from ocophub.accounts.models import User
    from ocophub.catalogue.models import Producer
    from ocophub.centers.models import Center

    wanted: dict[str, set[int]] = defaultdict(set)
    for record in records:
        wanted[record.object_type].add(record.object_id)
    readers: dict[str, Callable[[set[int]], QuerySet[Any]]] = {
        "catalogue.product": lambda ids: Product.objects.filter(pk__in=ids),
        "catalogue.producer": lambda ids: Producer.objects.filter(pk__in=ids),
        "centers.center": lambda ids: Center.objects.filter(pk__in=ids),
        "catalogue.certificate": lambda ids: Certificate.objects.filter(pk__in=ids).select_related("product"),
        "accounts.user": lambda ids: User.objects.filter(pk__in=ids),
    }
    found = {
        label: {obj.pk: obj for obj in readers[label](ids)}
        for label, ids in wanted.items()
        if label in readers
    }
    for record in records:
        obj = found.get(record.object_type, {}).get(record.object_id)
        record._audit_object = obj  # type: ignore[attr-defined]


def _change_link(record: ChangeRecord, obj: Any, viewer: Any) -> str:
    if obj is None:
        return ""
    if record.object_type == "catalogue.product":
        return product_url(viewer, obj)
    if record.object_type == "catalogue.certificate":
        return product_url(viewer, obj.product)
    if record.object_type == "centers.center":
        return center_url(viewer, obj)
    return ""


def _change_entry(record: ChangeRecord, viewer: Any) -> Entry:
    kind = _change_kind(record)
    obj = getattr(record, "_audit_object", None)
    what = _("Edited")
    if record.object_type == "catalogue.certificate" and "revoked_on" in (record.changes or {}):
        what = _("Certificate revoked")
    if record.note:
        what = f"{what} · {record.note}"
    return Entry(
        at=record.at,
        source="change",
        pk=record.pk,
        actor=actor_name(record.actor),
        kind=kind,
        label=str(obj) if obj is not None else f"{record.object_type} #{record.object_id}",
        what=what,
        change=change_text(record.changes, record.object_type),
        url=_change_link(record, obj, viewer),
    )


def _change_producer(producer_id: int) -> Q:
    products = Product.objects.filter(producer_id=producer_id).values("pk")
    certificates = Certificate.objects.filter(product__producer_id=producer_id).values("pk")
    return (
        Q(object_type="catalogue.producer", object_id=producer_id)
        | Q(object_type="catalogue.product", object_id__in=products)
        | Q(object_type="catalogue.certificate", object_id__in=certificates)
    )


CHANGES = Source(
    key="change",
    kinds=frozenset({"price", "certificate", "edit"}),
    rows=lambda: ChangeRecord.objects.exclude(GRANT_Q).select_related("actor"),
    at="at",
    actor="actor",
    entry=_change_entry,
    center=lambda pk: Q(object_type="centers.center", object_id=pk),
    producer=_change_producer,
    objects={name: _typed(label) for name, label in CHANGE_TYPES.items()},
    kind_q=_change_kind_q,
    prepare=_change_prepare,
)
