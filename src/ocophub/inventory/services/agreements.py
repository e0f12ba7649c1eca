"""Consignment agreements: creating them, moving them between states, finding the active one."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError

from ..models import AGREEMENT_TRANSITIONS, MAX_COMMISSION_RATE, Agreement, AgreementEvent, AgreementState


def _rate(value: Decimal | str | float | int) -> Decimal:
    if isinstance(value, float):
        value = str(value)
    try:
        rate = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        rate = Decimal(-1)
    if (
        not rate.is_finite()
        or rate < 0
        or rate > MAX_COMMISSION_RATE
        or rate != rate.quantize(Decimal("0.0001"))
    ):
        raise DomainError(
            _("The commission rate must be between 0 and 0.5 with at most four decimals."),
            fields={"commission_rate": _("Between 0 and 0.5 (e.g. 0.2 for 20%).")},
        )
    return rate


def _overlapping(producer: Producer, center: Center, starts_on: dt.date, ends_on: dt.date | None) -> Any:
    qs = Agreement.objects.filter(producer=producer, center=center).exclude(state=AgreementState.ENDED)
    qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    return qs


@transaction.atomic
def agreement_create(
    *,
    actor: Any,
    producer: Producer,
    center: Center,
    commission_rate: Decimal | str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    notes: str = "",
    activate: bool = True,
) -> Agreement:
    """A producer × center agreement. Two agreements of one pair may not cover the same day."""
    rate = _rate(commission_rate)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(
            _("The agreement cannot end before it starts."), fields={"ends_on": _("Before the start date.")}
        )
    if _overlapping(producer, center, starts_on, ends_on).exists():
        raise Conflict(
            _("This producer already has an agreement with this center for these dates."),
            fields={"starts_on": _("Overlaps another agreement.")},
        )
    agreement = Agreement.objects.create(
        producer=producer,
        center=center,
        commission_rate=rate,
        starts_on=starts_on,
        ends_on=ends_on,
        notes=notes,
    )
    AgreementEvent.objects.create(agreement=agreement, actor=actor, to_state=AgreementState.DRAFT)
    if activate:
        agreement_move(actor=actor, agreement=agreement, to_state=AgreementState.ACTIVE)
    return agreement


@transaction.atomic
def agreement_move(*, actor: Any, agreement: Agreement, to_state: str, reason: str = "") -> Agreement:
    """Activate or end an agreement; an ended agreement's end date becomes today when it had none."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if to_state not in AGREEMENT_TRANSITIONS.get(agreement.state, ()):
        raise Conflict(
            _("An agreement in state “%(state)s” cannot move to “%(to)s”.")
            % {"state": agreement.get_state_display(), "to": AgreementState(to_state).label}
            if to_state in AgreementState.values
            else _("Unknown state."),
            fields={"state": _("Not allowed from the current state.")},
        )
    from_state = agreement.state
    agreement.state = to_state
    fields = ["state", "updated_at"]
    if to_state == AgreementState.ENDED and agreement.ends_on is None:
        agreement.ends_on = max(local_today(), agreement.starts_on)
        fields.append("ends_on")
    agreement.save(update_fields=fields)
    AgreementEvent.objects.create(
        agreement=agreement, actor=actor, from_state=from_state, to_state=to_state, reason=reason
    )
    return agreement


def active_agreement(producer_id: int, center_id: int, day: dt.date | None = None) -> Agreement | None:
    day = day or local_today()
    return (
        Agreement.objects.filter(
            producer_id=producer_id, center_id=center_id, state=AgreementState.ACTIVE, starts_on__lte=day
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .first()
    )


def require_agreement(producer_id: int, center_id: int, day: dt.date | None = None) -> Agreement:
    agreement = active_agreement(producer_id, center_id, day)
    if agreement is None:
        raise DomainError(
            _("The producer has no active consignment agreement with this center."),
            fields={"product": _("No active consignment agreement.")},
            code="no_agreement",
        )
    return agreement
