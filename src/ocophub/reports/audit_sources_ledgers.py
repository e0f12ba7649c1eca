"""The audit trail's sources of stock, seats, money, certificates, role grants and logins (see
audit_sources)."""

from typing import Any

from django.db.models import OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from ocophub.accounts import scopes
from ocophub.accounts.models import LoginAttempt, RoleGrant
from ocophub.accounts.services import login_key
from ocophub.catalogue.models import Certificate
from ocophub.common.dates import format_datetime
from ocophub.inventory.models import Movement
from ocophub.programme.models import Commitment, Disbursement
from ocophub.sales.models import Payment, Refund, RefundApproval, Shift

from .audit_sources import (
    CENTER_ROLES,
    Entry,
    Source,
    actor_name,
    center_url,
    field_is,
    order_url,
    product_url,
    vnd_text,
)

# --- the ledgers ---


def _running(delta: str) -> Subquery:
    """The figure after a movement: the sum of its stock's ledger up to it (the ledger is in id order,
    the order its rows were written in); one subquery per listed row, on the stock's own movements."""
    upto = (
        Movement.objects.filter(stock_id=OuterRef("stock_id"), pk__lte=OuterRef("pk"))
        .order_by()
        .values("stock_id")
        .annotate(total=Sum(delta))
        .values("total")[:1]
    )
    return Subquery(upto)


def _movement_entry(m: Movement, viewer: Any) -> Entry:
    parts = []
    if m.on_hand_delta:
        parts.append(
            _("on hand %(delta)+d → %(after)s") % {"delta": m.on_hand_delta, "after": m.on_hand_after}  # type: ignore[attr-defined]
        )
    if m.reserved_delta:
        parts.append(
            _("reserved %(delta)+d → %(after)s") % {"delta": m.reserved_delta, "after": m.reserved_after}  # type: ignore[attr-defined]
        )
    what = m.get_kind_display()
    if m.reason:
        what = f"{what} · {m.reason}"
    if m.reference:
        what = f"{what} · {m.reference}"
    return Entry(
        at=m.at,
        source="movement",
        pk=m.pk,
        actor=actor_name(m.actor),
        kind="stock",
        label=f"{m.stock.product} · {m.stock.center}",
        what=str(what),
        change=", ".join(parts),
        url=product_url(viewer, m.stock.product),
        center_id=m.stock.center_id,
        producer_id=m.stock.producer_id,
    )


MOVEMENTS = Source(
    key="movement",
    kinds=frozenset({"stock"}),
    rows=lambda: Movement.objects.select_related("actor", "stock__product", "stock__center").annotate(
        on_hand_after=_running("on_hand_delta"), reserved_after=_running("reserved_delta")
    ),
    at="at",
    actor="actor",
    entry=_movement_entry,
    center=field_is("stock__center_id"),
    producer=field_is("stock__producer_id"),
    objects={
        "product": field_is("stock__product_id"),
        "center": field_is("stock__center_id"),
        "producer": field_is("stock__producer_id"),
    },
)


# --- money ---


def _payment_owner(payment: Payment) -> tuple[str, Any]:
    """The receipt or order a payment belongs to, and its center."""
    if payment.sale is not None:
        return " ".join([_("Receipt"), payment.sale.number]), payment.sale.center
    assert payment.order is not None  # a payment has a sale or an order (sales_payment_has_owner)
    return " ".join([_("Order"), payment.order.number]), payment.order.center


def _payment_entry(p: Payment, viewer: Any) -> Entry:
    label, center = _payment_owner(p)
    what = _("Payment %(method)s, %(state)s") % {
        "method": p.get_method_display(),
        "state": p.get_state_display(),
    }
    if p.reference:
        what = f"{what} · {p.reference}"
    return Entry(
        # a payment is written already succeeded when the money arrives (counter sale, order_pay,
        # order_collect): its created_at is when it was paid
        at=p.created_at,
        source="payment",
        pk=p.pk,
        actor=actor_name(p.recorded_by),
        kind="money",
        label=label,
        what=what,
        change=f"+{vnd_text(p.amount)}",
        url=order_url(viewer, p.order) if p.order_id is not None else "",
        amount=p.amount,
        center_id=center.pk,
    )


PAYMENTS = Source(
    key="payment",
    kinds=frozenset({"money"}),
    rows=lambda: Payment.objects.select_related("recorded_by", "sale__center", "order__center"),
    at="created_at",
    actor="recorded_by",
    entry=_payment_entry,
    center=lambda pk: Q(sale__center_id=pk) | Q(order__center_id=pk),
    objects={
        "order": field_is("order_id"),
        "center": lambda pk: Q(sale__center_id=pk) | Q(order__center_id=pk),
    },
)


def _refund_entry(r: Refund, viewer: Any) -> Entry:
    label, center = _payment_owner(r.payment)
    what = _("Refund, %(state)s") % {"state": r.get_state_display()}
    if r.reason:
        what = f"{what} · {r.reason}"
    if r.approved_by_id is not None:
        what = " · ".join([what, _("approved by") + " " + str(r.approved_by)])
    return Entry(
        at=r.created_at,
        source="refund",
        pk=r.pk,
        actor=actor_name(r.actor),
        kind="money",
        label=label,
        what=what,
        change=f"−{vnd_text(r.amount)}",
        url=order_url(viewer, r.payment.order) if r.payment.order_id is not None else "",
        amount=-r.amount,
        center_id=center.pk,
    )


REFUNDS = Source(
    key="refund",
    kinds=frozenset({"money"}),
    rows=lambda: Refund.objects.select_related(
        "actor", "approved_by", "payment__sale__center", "payment__order__center"
    ),
    at="created_at",
    actor="actor",
    entry=_refund_entry,
    center=lambda pk: Q(payment__sale__center_id=pk) | Q(payment__order__center_id=pk),
    objects={
        "order": field_is("payment__order_id"),
        "center": lambda pk: Q(payment__sale__center_id=pk) | Q(payment__order__center_id=pk),
    },
)


def _approval_entry(approval: RefundApproval, viewer: Any) -> Entry:
    what = _("Refund approval issued, valid until %(until)s") % {
        "until": format_datetime(approval.expires_at)
    }
    return Entry(
        at=approval.issued_at,
        source="refund_approval",
        pk=approval.pk,
        actor=actor_name(approval.issued_by),
        kind="money",
        label=" ".join([_("Receipt"), approval.sale.number]),
        what=what,
        change=_("up to %(amount)s") % {"amount": vnd_text(approval.max_amount)},
        amount=approval.max_amount,
        center_id=approval.center_id,
    )


# a manager's one-time approval for a cashier's refund without goods; its use is the refund's row
REFUND_APPROVALS = Source(
    key="refund_approval",
    kinds=frozenset({"money"}),
    rows=lambda: RefundApproval.objects.select_related("issued_by", "sale"),
    at="issued_at",
    actor="issued_by",
    entry=_approval_entry,
    center=field_is("center_id"),
    objects={"center": field_is("center_id")},
)


def _shift_entry(shift: Shift, viewer: Any, *, closing: bool) -> Entry:
    if closing:
        what = _("Shift closed")
        expected, counted = shift.expected_cash or 0, shift.counted_cash or 0
        change = _("cash expected %(expected)s → counted %(counted)s") % {
            "expected": vnd_text(expected),
            "counted": vnd_text(counted),
        }
        if shift.notes:
            what = " · ".join([what, shift.notes])
    else:
        what = _("Shift opened")
        change = _("cash float %(amount)s") % {"amount": vnd_text(shift.opening_float)}
    return Entry(
        at=(shift.closed_at or shift.opened_at) if closing else shift.opened_at,
        source="shift_closed" if closing else "shift",
        pk=shift.pk,
        actor=actor_name(shift.closed_by if closing else shift.opened_by),
        kind="money",
        label=str(shift.center),
        what=what,
        change=change,
        amount=shift.variance if closing else shift.opening_float,
        center_id=shift.center_id,
    )


SHIFTS = Source(
    key="shift",
    kinds=frozenset({"money"}),
    rows=lambda: Shift.objects.select_related("opened_by", "center"),
    at="opened_at",
    actor="opened_by",
    entry=lambda shift, viewer: _shift_entry(shift, viewer, closing=False),
    center=field_is("center_id"),
    objects={"center": field_is("center_id")},
)

SHIFT_CLOSES = Source(
    key="shift_closed",
    kinds=frozenset({"money"}),
    rows=lambda: Shift.objects.filter(closed_at__isnull=False).select_related("closed_by", "center"),
    at="closed_at",
    actor="closed_by",
    entry=lambda shift, viewer: _shift_entry(shift, viewer, closing=True),
    center=field_is("center_id"),
    objects={"center": field_is("center_id")},
)


def _commitment_entry(c: Commitment, viewer: Any) -> Entry:
    return Entry(
        at=c.created_at,
        source="commitment",
        pk=c.pk,
        actor=actor_name(c.created_by),
        kind="money",
        label=str(c.center),
        what=_("Funding committed: %(source)s · %(document)s")
        % {"source": c.get_source_display(), "document": c.document},
        change=vnd_text(c.amount),
        url=center_url(viewer, c.center),
        amount=c.amount,
        center_id=c.center_id,
    )


COMMITMENTS = Source(
    key="commitment",
    kinds=frozenset({"money"}),
    rows=lambda: Commitment.objects.select_related("created_by", "center"),
    at="created_at",
    actor="created_by",
    entry=_commitment_entry,
    objects={"center": field_is("center_id")},
)


def _disbursement_entry(d: Disbursement, viewer: Any) -> Entry:
    what = _("Funding disbursed · %(document)s") % {"document": d.document}
    if d.over_commitment:
        what = " · ".join([what, _("over the commitment") + ": " + d.override_reason])
    return Entry(
        at=d.created_at,
        source="disbursement",
        pk=d.pk,
        actor=actor_name(d.created_by),
        kind="money",
        label=str(d.commitment.center),
        what=what,
        change=vnd_text(d.amount),
        url=center_url(viewer, d.commitment.center),
        amount=d.amount,
        center_id=d.commitment.center_id,
    )


DISBURSEMENTS = Source(
    key="disbursement",
    kinds=frozenset({"money"}),
    rows=lambda: Disbursement.objects.select_related("created_by", "commitment__center"),
    at="created_at",
    actor="created_by",
    entry=_disbursement_entry,
    objects={"center": field_is("commitment__center_id")},
)


def _certificate_entry(c: Certificate, viewer: Any) -> Entry:
    return Entry(
        at=c.created_at,
        source="certificate",
        pk=c.pk,
        actor=actor_name(c.recorded_by),
        kind="certificate",
        label=str(c.product),
        what=_("Certificate issued: %(number)s, %(issuer)s")
        % {"number": c.decision_number, "issuer": c.issuer},
        change=f"— → {c.stars}★ · {c.decision_date:%d/%m/%Y}–{c.valid_until:%d/%m/%Y}",
        url=product_url(viewer, c.product),
        producer_id=c.product.producer_id,
    )


# The issue of a certificate is its row (recorded_by, created_at); its revocation is a ChangeRecord
# written by catalogue.services.certificate_revoke, read by the edits' source.
CERTIFICATES = Source(
    key="certificate",
    kinds=frozenset({"certificate"}),
    rows=lambda: Certificate.objects.select_related("recorded_by", "product"),
    at="created_at",
    actor="recorded_by",
    entry=_certificate_entry,
    producer=field_is("product__producer_id"),
    objects={
        "certificate": field_is("pk"),
        "product": field_is("product_id"),
        "producer": field_is("product__producer_id"),
    },
)


def _grant_scope_q(center: bool) -> Any:
    if center:
        return lambda pk: Q(role__in=CENTER_ROLES, scope_id=pk)
    return lambda pk: Q(role="producer_member", scope_id=pk)


def _grant_entry(g: RoleGrant, viewer: Any, *, revoked: bool) -> Entry:
    scope = g.scope_label
    role = f"{g.get_role_display()}{' · ' + scope if scope else ''}"
    return Entry(
        at=(g.revoked_at or g.created_at) if revoked else g.created_at,
        source="grant_revoked" if revoked else "grant",
        pk=g.pk,
        actor=actor_name(g.revoked_by if revoked else g.granted_by),
        kind="role",
        label=str(g.user),
        what=(_("Role revoked") + (f" · {g.revoke_reason}" if g.revoke_reason else ""))
        if revoked
        else _("Role granted"),
        change=f"{role} → —" if revoked else f"— → {role}",
        center_id=g.scope_id if g.role in CENTER_ROLES else None,
        producer_id=g.scope_id if g.role == "producer_member" else None,
    )


GRANTS = Source(
    key="grant",
    kinds=frozenset({"role"}),
    rows=lambda: RoleGrant.objects.select_related("user", "granted_by", "unit"),
    at="created_at",
    actor="granted_by",
    entry=lambda g, viewer: _grant_entry(g, viewer, revoked=False),
    center=_grant_scope_q(center=True),
    producer=_grant_scope_q(center=False),
    objects={"user": field_is("user_id")},
    prepare=scopes.attach_labels,
)

GRANT_REVOCATIONS = Source(
    key="grant_revoked",
    kinds=frozenset({"role"}),
    rows=lambda: RoleGrant.objects.filter(revoked_at__isnull=False).select_related(
        "user", "revoked_by", "unit"
    ),
    at="revoked_at",
    actor="revoked_by",
    entry=lambda g, viewer: _grant_entry(g, viewer, revoked=True),
    center=_grant_scope_q(center=True),
    producer=_grant_scope_q(center=False),
    objects={"user": field_is("user_id")},
    prepare=scopes.attach_labels,
)


def _login_entry(a: LoginAttempt, viewer: Any) -> Entry:
    return Entry(
        at=a.at,
        source="login",
        pk=a.pk,
        actor=a.login,
        kind="login",
        label=a.login,
        what=_("Logged in") if a.succeeded else _("Login failed"),
        change=a.ip_address or "",
    )


def _login_person(users: tuple[Any, ...]) -> Q:
    keys = [login_key(value) for user in users for value in (user.email, user.phone) if value]
    return Q(login__in=keys)


LOGINS = Source(
    key="login",
    kinds=frozenset({"login"}),
    rows=lambda: LoginAttempt.objects.all(),
    at="at",
    entry=_login_entry,
    person=_login_person,
    objects={"user": lambda pk: Q(pk__in=[])},
)
