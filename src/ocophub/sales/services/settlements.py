"""Settlements: what a center owes a producer for a period, issued, accepted, paid out.

Rounding rule (documented in the README): the commission is computed per commission rate on the
period's net sales at that rate — (sales − returns) × rate — rounded half up to the whole đồng (halves
away from zero, so a negative net at a rate, when returns exceed sales, gives back the same commission
its sales took), then summed over the rates. Net payable = gross sales − returns − commission, so the
statement adds up to the đồng. Lines are read by the local date (Asia/Ho_Chi_Minh) of their sale or return.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role, RoleGrant
from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.money import round_vnd

from ..models import (
    DISPUTE_MAX_LENGTH,
    SETTLEMENT_TRANSITIONS,
    ReturnLine,
    SaleLine,
    Settlement,
    SettlementEvent,
    SettlementState,
)
from ..selectors import local_range


@dataclass
class Statement:
    """The numbers of a settlement before (or as) it is issued."""

    units_sold: int = 0
    units_returned: int = 0
    gross: int = 0
    returns: int = 0
    commission: int = 0
    by_rate: dict[Decimal, dict[str, int]] = field(default_factory=dict)

    @property
    def net(self) -> int:
        return self.gross - self.returns - self.commission


def commission_for(by_rate: dict[Decimal, dict[str, int]]) -> int:
    """Σ over rates of round-half-up((sales − returns) × rate)."""
    return sum(round_vnd((row["gross"] - row["returns"]) * rate) for rate, row in by_rate.items())


def _lines(
    producer: Producer, center: Center, start: dt.date, end: dt.date
) -> tuple[QuerySet[SaleLine], QuerySet[ReturnLine]]:
    since, until = local_range(start, end)
    sale_lines = SaleLine.objects.filter(
        producer=producer,
        sale__center=center,
        settlement__isnull=True,
        sale__created_at__gte=since,
        sale__created_at__lt=until,
    )
    return_lines = ReturnLine.objects.filter(
        sale_line__producer=producer,
        sale_line__sale__center=center,
        settlement__isnull=True,
        ret__created_at__gte=since,
        ret__created_at__lt=until,
    )
    return sale_lines, return_lines


def statement_of(sale_lines: QuerySet[SaleLine], return_lines: QuerySet[ReturnLine]) -> Statement:
    statement = Statement()
    by_rate: dict[Decimal, dict[str, int]] = defaultdict(lambda: {"gross": 0, "returns": 0})
    for quantity, amount, rate in sale_lines.values_list("quantity", "amount", "commission_rate"):
        statement.units_sold += quantity
        statement.gross += amount
        by_rate[rate]["gross"] += amount
    for quantity, amount, rate in return_lines.values_list(
        "quantity", "amount", "sale_line__commission_rate"
    ):
        statement.units_returned += quantity
        statement.returns += amount
        by_rate[rate]["returns"] += amount
    statement.by_rate = dict(by_rate)
    statement.commission = commission_for(statement.by_rate)
    return statement


def settlement_preview(producer: Producer, center: Center, start: dt.date, end: dt.date) -> Statement:
    return statement_of(*_lines(producer, center, start, end))


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise DomainError(
            _("The period ends before it starts."), fields={"period_end": _("Before the start.")}
        )
    if end >= local_today():
        raise DomainError(
            _("Settle a period only once it is over (it must end before today)."),
            fields={"period_end": _("Not over yet.")},
        )


@transaction.atomic
def settlement_create(
    *, actor: Any, producer: Producer, center: Center, period_start: dt.date, period_end: dt.date
) -> Settlement:
    """Issue the statement of a finished period; its sales and returns are then settled and frozen."""
    _check_period(period_start, period_end)
    Producer.objects.select_for_update().filter(pk=producer.pk).first()  # one issuer at a time per producer
    overlapping = Settlement.objects.filter(
        producer=producer, center=center, period_start__lte=period_end, period_end__gte=period_start
    ).exclude(state=SettlementState.CANCELLED)
    if overlapping.exists():
        raise Conflict(
            _("A settlement of this producer and center already covers part of this period."),
            fields={"period_start": _("Overlaps another settlement.")},
        )
    sale_lines, return_lines = _lines(producer, center, period_start, period_end)
    statement = statement_of(sale_lines, return_lines)
    settlement = Settlement.objects.create(
        producer=producer,
        center=center,
        period_start=period_start,
        period_end=period_end,
        units_sold=statement.units_sold,
        units_returned=statement.units_returned,
        gross=statement.gross,
        returns=statement.returns,
        commission=statement.commission,
        net=statement.net,
        created_by=actor,
    )
    SaleLine.objects.filter(pk__in=list(sale_lines.values_list("pk", flat=True))).update(
        settlement=settlement
    )
    ReturnLine.objects.filter(pk__in=list(return_lines.values_list("pk", flat=True))).update(
        settlement=settlement
    )
    SettlementEvent.objects.create(settlement=settlement, actor=actor, to_state=SettlementState.ISSUED)
    return settlement


def _move(settlement: Settlement, to_state: str, *, actor: Any, reason: str = "") -> Settlement:
    settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
    if to_state not in SETTLEMENT_TRANSITIONS.get(settlement.state, ()):
        raise Conflict(
            _("A settlement that is “%(state)s” cannot become “%(to)s”.")
            % {"state": settlement.get_state_display(), "to": SettlementState(to_state).label},
            fields={"state": _("Not allowed from the current state.")},
        )
    SettlementEvent.objects.create(
        settlement=settlement,
        actor=actor,
        from_state=settlement.state,
        to_state=to_state,
        reason=reason[:2000],
    )
    settlement.state = to_state
    return settlement


@transaction.atomic
def settlement_accept(*, actor: Any, settlement: Settlement) -> Settlement:
    settlement = _move(settlement, SettlementState.ACCEPTED, actor=actor)
    settlement.save(update_fields=["state"])
    return settlement


@transaction.atomic
def settlement_cancel(*, actor: Any, settlement: Settlement, reason: str) -> Settlement:
    """Withdraw an issued statement (not yet accepted); its sales and returns are free to settle again."""
    if not reason.strip():
        raise DomainError(_("Say why the statement is withdrawn."), fields={"reason": _("Required.")})
    settlement = _move(settlement, SettlementState.CANCELLED, actor=actor, reason=reason)
    settlement.save(update_fields=["state"])
    SaleLine.objects.filter(settlement=settlement).update(settlement=None)
    ReturnLine.objects.filter(settlement=settlement).update(settlement=None)
    return settlement


@transaction.atomic
def settlement_pay(*, actor: Any, settlement: Settlement, paid_on: dt.date, reference: str) -> Settlement:
    """Record the payout transfer to the producer."""
    if paid_on > local_today():
        raise DomainError(_("The payout date is in the future."), fields={"paid_on": _("In the future.")})
    if not reference.strip():
        raise DomainError(_("Give the transfer reference."), fields={"reference": _("Required.")})
    settlement = _move(settlement, SettlementState.PAID, actor=actor, reason=reference)
    if paid_on < settlement.period_end:
        raise DomainError(
            _("The payout cannot precede the period's end."), fields={"paid_on": _("Too early.")}
        )
    settlement.paid_on = paid_on
    settlement.payout_reference = reference.strip()[:100]
    settlement.save(update_fields=["state", "paid_on", "payout_reference"])
    return settlement


ANSWER_CONFIRM = "confirm"
ANSWER_CANCEL = "cancel"
ANSWERS = (ANSWER_CONFIRM, ANSWER_CANCEL)


def _text(value: str, name: str, required_message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(required_message, fields={name: _("Required.")})
    if len(text) > DISPUTE_MAX_LENGTH:
        raise DomainError(
            _("At most %(n)s characters.") % {"n": DISPUTE_MAX_LENGTH},
            fields={name: _("At most %(n)s characters.") % {"n": DISPUTE_MAX_LENGTH}},
        )
    return text


def _emails(role: str, scope_id: int, extra: str = "") -> list[str]:
    grants = RoleGrant.objects.live().filter(role=role, scope_id=scope_id).select_related("user")
    emails = {grant.user.email for grant in grants if grant.user.email and grant.user.is_active}
    if extra:
        emails.add(extra)
    return sorted(emails)


def _notify(settlement_id: int, template: str, role: str) -> None:
    """E-mail the people concerned: the center's managers of a dispute, the producer of the answer."""
    settlement = Settlement.objects.select_related("producer", "center").get(pk=settlement_id)
    if role == Role.CENTER_MANAGER:
        recipients = _emails(role, settlement.center_id)
    else:
        recipients = _emails(role, settlement.producer_id, settlement.producer.email or "")
    if not recipients:
        return
    link = f"{settings.SITE_URL}{reverse('settlements:detail', args=[settlement.pk])}"
    with translation.override(settings.LANGUAGE_CODE):
        context = {"settlement": settlement, "link": link}
        subject = render_to_string(f"sales/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"sales/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)


@transaction.atomic
def settlement_dispute(*, actor: Any, settlement: Settlement, reason: str) -> Settlement:
    """The producer disputes an issued statement, saying why; the center's managers are told by e-mail
    and answer it."""
    text = _text(reason, "reason", _("Say what is wrong with the statement."))
    settlement = _move(settlement, SettlementState.DISPUTED, actor=actor, reason=text)
    settlement.dispute_reason = text
    settlement.dispute_reply = ""
    settlement.save(update_fields=["state", "dispute_reason", "dispute_reply"])
    settlement_id = settlement.pk
    transaction.on_commit(lambda: _notify(settlement_id, "settlement_disputed", Role.CENTER_MANAGER))
    return settlement


@transaction.atomic
def settlement_answer(*, actor: Any, settlement: Settlement, reply: str, outcome: str) -> Settlement:
    """The center answers a dispute: it confirms the statement (issued again, for the producer to accept
    or dispute) or cancels it, releasing its sales and returns so that a corrected one can be issued.
    The producer is told by e-mail."""
    if outcome not in ANSWERS:
        raise DomainError(
            _("Confirm or cancel the statement."), fields={"outcome": _("Choose one of the answers.")}
        )
    text = _text(reply, "reply", _("Write the reply to the producer."))
    to_state = SettlementState.ISSUED if outcome == ANSWER_CONFIRM else SettlementState.CANCELLED
    settlement = _move(settlement, to_state, actor=actor, reason=text)
    settlement.dispute_reply = text
    settlement.save(update_fields=["state", "dispute_reply"])
    if to_state == SettlementState.CANCELLED:
        SaleLine.objects.filter(settlement=settlement).update(settlement=None)
        ReturnLine.objects.filter(settlement=settlement).update(settlement=None)
    settlement_id = settlement.pk
    transaction.on_commit(lambda: _notify(settlement_id, "settlement_answered", Role.PRODUCER_MEMBER))
    return settlement
