"""Money back: what a sale's payments still hold, and how a refund is spread over them.

The drawer rule lives here: cash paid back comes out of the refunding user's open shift at the sale's
center, so that shift's expected cash (`counter.expected_cash`) accounts for it.
"""

from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.money import format_vnd

from ..models import PaymentMethod, PaymentState, Refund, RefundApproval, Return, Sale, Shift


def open_shift_of(user: Any, center: Center) -> Shift | None:
    """The user's drawer at a center: their shift there that is still open."""
    return Shift.objects.filter(center=center, opened_by=user, closed_at__isnull=True).first()


def paid(sale: Sale) -> int:
    return int(sale.payments.filter(state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"] or 0)


def refunded(sale: Sale) -> int:
    return int(
        Refund.objects.filter(payment__sale=sale, state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))[
            "n"
        ]
        or 0
    )


def refundable(sale: Sale) -> int:
    """What the sale's payments still hold: paid less refunded."""
    return paid(sale) - refunded(sale)


def refund_against(
    sale: Sale,
    amount: int,
    *,
    actor: Any,
    ret: Return | None,
    reason: str,
    approved_by: Any = None,
    approval: RefundApproval | None = None,
) -> list[Refund]:
    """Spread a refund over the sale's payments, last first; never more than each has left.

    Cash paid back at the counter comes out of a drawer: the refunding user's open shift at the sale's
    center, which must exist, so that the shift's expected cash accounts for it. A refund without goods
    (`approved_by` given) is also tied to that shift when paid back another way, so that the shift's
    report shows every such refund.
    """
    drawer = open_shift_of(actor, sale.center) if getattr(actor, "pk", None) else None
    remaining = amount
    refunds = []
    for payment in sale.payments.filter(state=PaymentState.SUCCEEDED).order_by("-created_at", "-pk"):
        left = payment.amount - int(
            payment.refunds.filter(state=PaymentState.SUCCEEDED).aggregate(n=Sum("amount"))["n"] or 0
        )
        part = min(left, remaining)
        if part > 0:
            if payment.method == PaymentMethod.CASH and drawer is None:
                raise Conflict(
                    _("Open a shift at this center to pay cash back."),
                    fields={"shift": _("No open shift.")},
                    code="no_shift",
                )
            in_shift = payment.method == PaymentMethod.CASH or approved_by is not None
            refunds.append(
                Refund.objects.create(
                    payment=payment,
                    ret=ret,
                    amount=part,
                    reason=reason[:300],
                    actor=actor,
                    shift=drawer if in_shift else None,
                    approved_by=approved_by,
                    approval=approval,
                )
            )
            remaining -= part
        if remaining == 0:
            break
    if remaining:
        raise DomainError(
            _("The refund is larger than what was paid and not yet refunded (%(left)s).")
            % {"left": format_vnd(amount - remaining)},
            fields={"amount": _("More than was paid.")},
            code="refund_too_large",
        )
    return refunds
