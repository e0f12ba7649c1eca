"""Refunds without goods: a manager's, or a cashier's with a manager's one-time approval."""

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.money import format_vnd

from ..models import REFUND_APPROVAL_MINUTES, Refund, RefundApproval, Sale
from ..pricing import check_amount
from .payments import refund_against, refundable


class ApprovalRequired(DomainError):
    status = 403
    code = "approval_required"


APPROVAL_CODE_DIGITS = 6


def _code_hash(code: str) -> str:
    # keyed with the site's secret: the stored hashes of six-digit codes cannot be reversed by trying all
    return salted_hmac("ocophub.sales.refund-approval", code, algorithm="sha256").hexdigest()


def approval_code_read(raw: str | None) -> str:
    """The code as typed, without the spaces and dashes people put in it ("482 915", "482-915")."""
    return "".join(ch for ch in (raw or "") if ch.isascii() and ch.isdigit())[: APPROVAL_CODE_DIGITS + 4]


def approval_code_show(code: str) -> str:
    return f"{code[:3]} {code[3:]}"


@transaction.atomic
def refund_approval_issue(*, actor: Any, sale: Sale, max_amount: int) -> tuple[RefundApproval, str]:
    """A manager of the sale's center approves one refund without goods against it, up to `max_amount`
    (at most what its payments still hold). Returns the approval and its code, shown once to the
    manager; the code is valid for `REFUND_APPROVAL_MINUTES`."""
    check_amount(max_amount, "max_amount", allow_zero=False)
    sale = Sale.objects.select_for_update().select_related("center").get(pk=sale.pk)
    if not permissions.can_approve_refunds(actor, sale.center):
        raise ApprovalRequired(
            _("Only a manager of this center approves refunds without goods."),
            fields={"max_amount": _("Not a manager of this center.")},
        )
    left = refundable(sale)
    if left <= 0:
        raise DomainError(
            _("Everything paid for this receipt has already been refunded."),
            fields={"max_amount": _("Nothing left to refund.")},
            code="nothing_to_refund",
        )
    if max_amount > left:
        raise DomainError(
            _("This receipt has only %(left)s left to refund.") % {"left": format_vnd(left)},
            fields={"max_amount": _("At most %(left)s.") % {"left": format_vnd(left)}},
            code="refund_too_large",
        )
    code = f"{secrets.randbelow(10**APPROVAL_CODE_DIGITS):0{APPROVAL_CODE_DIGITS}d}"
    now = timezone.now()
    approval = RefundApproval.objects.create(
        center=sale.center,
        sale=sale,
        max_amount=max_amount,
        code_hash=_code_hash(code),
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(minutes=REFUND_APPROVAL_MINUTES),
    )
    return approval, code


def _approval_take(*, actor: Any, sale: Sale, amount: int, code: str) -> RefundApproval:
    """Use the approval the code stands for: one for this receipt, still valid, unused, covering
    `amount`. It is taken by a conditional update, so two refunds cannot both use it."""
    code = approval_code_read(code)
    if not code:
        raise ApprovalRequired(
            _(
                "A refund without goods needs the approval of the center's manager: ask them for a refund "
                "code and enter it."
            ),
            fields={"approval_code": _("Enter the code the manager was given.")},
        )
    now = timezone.now()
    same_code = list(
        RefundApproval.objects.filter(code_hash=_code_hash(code)).order_by("-issued_at", "-pk")[:20]
    )
    for_sale = [a for a in same_code if a.sale_id == sale.pk]
    usable = [a for a in for_sale if a.used_at is None and a.expires_at > now]
    if not usable:
        raise _approval_refusal(sale, same_code, for_sale)
    approval = usable[0]
    if amount > approval.max_amount:
        raise DomainError(
            _("The manager approved a refund of at most %(max)s.") % {"max": format_vnd(approval.max_amount)},
            fields={"amount": _("At most %(max)s.") % {"max": format_vnd(approval.max_amount)}},
            code="approval_amount_exceeded",
        )
    taken = RefundApproval.objects.filter(pk=approval.pk, used_at__isnull=True, expires_at__gt=now).update(
        used_at=now, used_by=actor
    )
    if taken != 1:
        raise Conflict(
            _("This refund code has just been used."),
            fields={"approval_code": _("Already used.")},
            code="approval_used",
        )
    return approval


def _approval_refusal(
    sale: Sale, same_code: list[RefundApproval], for_sale: list[RefundApproval]
) -> DomainError:
    if for_sale and for_sale[0].used_at is not None:
        return Conflict(
            _(
                "This refund code was already used; each code serves one refund. Ask the manager for a "
                "new one."
            ),
            fields={"approval_code": _("Already used.")},
            code="approval_used",
        )
    if for_sale:
        return DomainError(
            _(
                "This refund code has expired (codes are valid for %(minutes)s minutes). Ask the manager "
                "for a new one."
            )
            % {"minutes": REFUND_APPROVAL_MINUTES},
            fields={"approval_code": _("Expired.")},
            code="approval_expired",
        )
    if any(a.center_id == sale.center_id for a in same_code):
        return DomainError(
            _("This refund code was given for another receipt."),
            fields={"approval_code": _("For another receipt.")},
            code="approval_other_sale",
        )
    if same_code:
        return DomainError(
            _("This refund code was given at another center."),
            fields={"approval_code": _("For another center.")},
            code="approval_other_center",
        )
    return DomainError(
        _("Unknown refund code: check the digits, or ask the manager for a new code."),
        fields={"approval_code": _("Unknown code.")},
        code="approval_invalid",
    )


@transaction.atomic
def refund_create(
    *, actor: Any, sale: Sale, amount: int, reason: str, approval_code: str = ""
) -> list[Refund]:
    """Money back without goods (a price correction, a goodwill gesture), within what was paid.

    A manager of the sale's center refunds directly; anyone else needs the code of a manager's one-time
    approval for this receipt, covering the amount (`refund_approval_issue`), which the refund uses up.
    Each refund row records the manager who made or approved it, and the shift it was made in, whose
    report shows it on its own line. The center bears it: the producer's settlement counts goods sold
    and returned, not these refunds.
    """
    check_amount(amount, "amount", allow_zero=False)
    if not reason.strip():
        raise DomainError(_("Say why the money is refunded."), fields={"reason": _("Required.")})
    sale = Sale.objects.select_for_update().select_related("center").get(pk=sale.pk)
    if permissions.can_refund_without_goods(actor, sale.center):
        approval, approved_by = None, actor
    else:
        approval = _approval_take(actor=actor, sale=sale, amount=amount, code=approval_code)
        approved_by = approval.issued_by
    return refund_against(
        sale, amount, actor=actor, ret=None, reason=reason, approved_by=approved_by, approval=approval
    )
