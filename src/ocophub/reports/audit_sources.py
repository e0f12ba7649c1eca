"""The audit trail's sources: one small adapter per table that already records a change.

Each adapter turns a bounded, filtered, ordered queryset of its table into uniform `Entry` rows. Nothing
is copied: the trail is read from the event tables, the ledgers and the rows of money, grants and logins.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps as django_apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue.models import Certificate, CertificateState, Product, ProductEvent, ProductStatus
from ocophub.centers.models import CenterEvent, Status
from ocophub.common.dates import format_datetime
from ocophub.common.models import ChangeRecord
from ocophub.common.money import VNDField, format_vnd
from ocophub.design.models import DesignEvent, RequestState
from ocophub.inventory.models import AgreementEvent, AgreementState
from ocophub.sales.models import OrderEvent, OrderStatus, SettlementEvent, SettlementState
from ocophub.seats.models import HoldEvent, HoldState

# The kinds of entry, as the filter offers them.
KINDS: dict[str, Any] = {
    "money": gettext_lazy("Money"),
    "stock": gettext_lazy("Stock"),
    "seats": gettext_lazy("Seats"),
    "price": gettext_lazy("Price"),
    "certificate": gettext_lazy("Certificate"),
    "center": gettext_lazy("Center status"),
    "role": gettext_lazy("Role"),
    "login": gettext_lazy("Login"),
    "design": gettext_lazy("Design"),
    "order": gettext_lazy("Order"),
    "settlement": gettext_lazy("Settlement"),
    "product": gettext_lazy("Product status"),
    "agreement": gettext_lazy("Consignment agreement"),
    "edit": gettext_lazy("Other edit"),
}

# The objects an entry may be looked up by (the filter's "object" type), with the id typed beside it.
OBJECT_TYPES: dict[str, Any] = {
    "product": gettext_lazy("Product"),
    "producer": gettext_lazy("Producer"),
    "center": gettext_lazy("Center"),
    "certificate": gettext_lazy("Certificate"),
    "order": gettext_lazy("Order"),
    "settlement": gettext_lazy("Settlement"),
    "design": gettext_lazy("Design request"),
    "user": gettext_lazy("User"),
}

CENTER_ROLES = (Role.CENTER_MANAGER, Role.CENTER_STAFF, Role.DESIGNER)


@dataclass
class Entry:
    """One line of the trail, whatever table it comes from."""

    at: dt.datetime
    source: str
    pk: int
    actor: str
    kind: str
    label: str
    what: str
    change: str = ""
    url: str = ""
    amount: int | None = None
    center_id: int | None = None
    producer_id: int | None = None

    @property
    def kind_label(self) -> str:
        return str(KINDS.get(self.kind, self.kind))

    @property
    def sort_key(self) -> tuple[dt.datetime, str, int]:
        return (self.at, self.source, self.pk)


@dataclass(frozen=True)
class Source:
    """How to read one table as trail entries.

    `at` is the time field, `actor` the user field (for the person filter), `center` and `producer`
    give the condition of a scope's rows (None: the table has no such scope and is shown to the city
    only), `objects` the condition per object type, `kind_q` narrows a table that holds several kinds.
    """

    key: str
    kinds: frozenset[str]
    rows: Callable[[], QuerySet[Any]]
    at: str
    entry: Callable[[Any, Any], Entry]
    actor: str | None = None
    person: Callable[[Any], Q] | None = None
    center: Callable[[int], Q] | None = None
    producer: Callable[[int], Q] | None = None
    objects: dict[str, Callable[[int], Q]] = field(default_factory=dict)
    kind_q: Callable[[str], Q] | None = None
    # fills what the entries need for a whole page at once (one query, whatever the page's rows)
    prepare: Callable[[list[Any]], None] | None = None

    def person_q(self, user: Any) -> Q | None:
        if self.person is not None:
            return self.person(user)
        if self.actor is None:
            return None
        return Q(**{self.actor: user})


def actor_name(user: Any) -> str:
    return str(user) if user is not None else _("system")


def _state(event: Any, choices: Any = None) -> str:
    """from → to of a transition event, named in the reader's language, with its reason."""
    names = dict(choices.choices) if choices is not None else {}
    before = names.get(event.from_state, event.from_state) or "—"
    text = f"{before} → {names.get(event.to_state, event.to_state)}"
    return f"{text} · {event.reason}" if event.reason else text


def vnd_text(amount: int) -> str:
    """An amount as the reader's language writes it (1.250.000 ₫ in Vietnamese)."""
    return format_vnd(amount)


def field_is(path: str) -> Callable[[int], Q]:
    """The condition "the field at `path` is the value", as a function of the value."""
    return lambda value: Q(**{path: value})


def _typed(object_type: str) -> Callable[[int], Q]:
    """The condition "the edit is of this record" for ChangeRecord, as a function of the id."""
    return lambda value: Q(object_type=object_type, object_id=value)


# --- links, only where the viewer may open them (the predicates of accounts.permissions) ---


def product_url(viewer: Any, product: Any) -> str:
    if permissions.is_city_admin(viewer) or product.producer_id in permissions.scope_ids(
        viewer, Role.PRODUCER_MEMBER
    ):
        return reverse("catalogue:product", args=[product.slug])
    return ""


def order_url(viewer: Any, order: Any) -> str:
    if permissions.can_sell_at(viewer, order.center) or permissions.is_city_admin(viewer):
        return reverse("shop:center_order", args=[order.center.slug, order.number])
    return ""


def settlement_url(viewer: Any, settlement: Any) -> str:
    if permissions.can_view_settlement(viewer, settlement):
        return reverse("settlements:detail", args=[settlement.pk])
    return ""


def design_url(viewer: Any, request: Any) -> str:
    if permissions.can_view_design_request(viewer, request):
        return reverse("design:request", args=[request.pk])
    return ""


def center_url(viewer: Any, center: Any) -> str:
    if permissions.is_city_admin(viewer) or permissions.can_work_at_center(viewer, center):
        return reverse("centers:detail", args=[center.slug])
    return ""


# --- the edits (common.ChangeRecord) ---

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


# --- transitions (the TransitionEvent tables) ---


def _event(
    event: Any, key: str, kind: str, label: str, url: str = "", choices: Any = None, **scope: Any
) -> Entry:
    return Entry(
        at=event.at,
        source=key,
        pk=event.pk,
        actor=actor_name(event.actor),
        kind=kind,
        label=label,
        what=_("Status changed"),
        change=_state(event, choices),
        url=url,
        **scope,
    )


PRODUCT_EVENTS = Source(
    key="product_event",
    kinds=frozenset({"product"}),
    rows=lambda: ProductEvent.objects.select_related("actor", "product"),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _event(
        e,
        "product_event",
        "product",
        str(e.product),
        product_url(viewer, e.product),
        ProductStatus,
        producer_id=e.product.producer_id,
    ),
    producer=field_is("product__producer_id"),
    objects={"product": field_is("product_id"), "producer": field_is("product__producer_id")},
)

CENTER_EVENTS = Source(
    key="center_event",
    kinds=frozenset({"center"}),
    rows=lambda: CenterEvent.objects.select_related("actor", "center"),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _event(
        e,
        "center_event",
        "center",
        str(e.center),
        center_url(viewer, e.center),
        Status,
        center_id=e.center_id,
    ),
    center=field_is("center_id"),
    objects={"center": field_is("center_id")},
)

AGREEMENT_EVENTS = Source(
    key="agreement_event",
    kinds=frozenset({"agreement"}),
    rows=lambda: AgreementEvent.objects.select_related("actor", "agreement__producer", "agreement__center"),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _event(
        e,
        "agreement_event",
        "agreement",
        f"{e.agreement.producer} · {e.agreement.center}",
        "",
        AgreementState,
        center_id=e.agreement.center_id,
        producer_id=e.agreement.producer_id,
    ),
    center=field_is("agreement__center_id"),
    producer=field_is("agreement__producer_id"),
    objects={"center": field_is("agreement__center_id"), "producer": field_is("agreement__producer_id")},
)

ORDER_EVENTS = Source(
    key="order_event",
    kinds=frozenset({"order"}),
    rows=lambda: OrderEvent.objects.select_related("actor", "order__center"),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _event(
        e,
        "order_event",
        "order",
        " ".join([_("Order"), e.order.number]),
        order_url(viewer, e.order),
        OrderStatus,
        center_id=e.order.center_id,
    ),
    center=field_is("order__center_id"),
    objects={"order": field_is("order_id"), "center": field_is("order__center_id")},
)


def _settlement_entry(e: SettlementEvent, viewer: Any) -> Entry:
    entry = _event(
        e,
        "settlement_event",
        "settlement",
        str(e.settlement),
        settlement_url(viewer, e.settlement),
        SettlementState,
        center_id=e.settlement.center_id,
        producer_id=e.settlement.producer_id,
    )
    entry.amount = e.settlement.net
    return entry


SETTLEMENT_EVENTS = Source(
    key="settlement_event",
    kinds=frozenset({"settlement"}),
    rows=lambda: SettlementEvent.objects.select_related(
        "actor", "settlement__producer", "settlement__center"
    ),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _settlement_entry(e, viewer),
    center=field_is("settlement__center_id"),
    producer=field_is("settlement__producer_id"),
    objects={
        "settlement": field_is("settlement_id"),
        "center": field_is("settlement__center_id"),
        "producer": field_is("settlement__producer_id"),
    },
)

DESIGN_EVENTS = Source(
    key="design_event",
    kinds=frozenset({"design"}),
    rows=lambda: DesignEvent.objects.select_related("actor", "request"),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _event(
        e,
        "design_event",
        "design",
        str(e.request),
        design_url(viewer, e.request),
        RequestState,
        center_id=e.request.center_id,
        producer_id=e.request.producer_id,
    ),
    center=field_is("request__center_id"),
    producer=field_is("request__producer_id"),
    objects={
        "design": field_is("request_id"),
        "center": field_is("request__center_id"),
        "producer": field_is("request__producer_id"),
    },
)

HOLD_EVENTS = Source(
    key="hold_event",
    kinds=frozenset({"seats"}),
    rows=lambda: HoldEvent.objects.select_related("actor", "hold"),
    at="at",
    actor="actor",
    entry=lambda e, viewer: _event(
        e,
        "hold_event",
        "seats",
        " ".join([_("Seat hold"), e.hold.reference or str(e.hold_id)]),
        "",
        HoldState,
    ),
)
