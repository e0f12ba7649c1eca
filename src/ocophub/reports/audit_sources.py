"""The audit trail's sources: one small adapter per table that already records a change.

Each adapter turns a bounded, filtered, ordered queryset of its table into uniform `Entry` rows. Nothing
is copied: the trail is read from the event tables, the ledgers and the rows of money, grants and logins.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue.models import ProductEvent, ProductStatus
from ocophub.centers.models import CenterEvent, Status
from ocophub.common.money import format_vnd
from ocophub.design.models import DesignEvent, RequestState
from ocophub.inventory.models import AgreementEvent, AgreementState
from ocophub.sales.models import OrderEvent, OrderStatus, SettlementEvent, SettlementState

# The kinds of entry, as the filter offers them.
KINDS: dict[str, Any] = {
    "money": gettext_lazy("Money"),
    "stock": gettext_lazy("Stock"),
    "seats": gettext_lazy("Seats"),
    "event": gettext_lazy("Event status"),
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
    "event": gettext_lazy("Event"),
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
    person: Callable[[tuple[Any, ...]], Q] | None = None
    center: Callable[[int], Q] | None = None
    producer: Callable[[int], Q] | None = None
    objects: dict[str, Callable[[int], Q]] = field(default_factory=dict)
    kind_q: Callable[[str], Q] | None = None
    # fills what the entries need for a whole page at once (one query, whatever the page's rows)
    prepare: Callable[[list[Any]], None] | None = None

    def person_q(self, users: tuple[Any, ...]) -> Q | None:
        """The rows made by any of `users`; None when the table names nobody."""
        if self.person is not None:
            return self.person(users)
        if self.actor is None:
            return None
        return Q(**{f"{self.actor}__in": [user.pk for user in users]})


def actor_name(user: Any) -> str:
    return str(user) if user is not None else _("system")


def state_change(event: Any, choices: Any = None) -> str:
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
        change=state_change(event, choices),
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
