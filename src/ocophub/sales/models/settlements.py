"""Settlements: what a center owes a producer for a period."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.models import TransitionEvent
from ocophub.common.money import VNDField


class SettlementState(models.TextChoices):
    ISSUED = "issued", _("issued, awaiting the producer")
    DISPUTED = "disputed", _("disputed by the producer")
    ACCEPTED = "accepted", _("accepted by the producer")
    PAID = "paid", _("paid out")
    CANCELLED = "cancelled", _("cancelled")


# A disputed statement goes back to the producer once the center confirms it (issued again, to accept
# or dispute), or is cancelled so that a corrected one can be issued for the same period.
SETTLEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SettlementState.ISSUED: (SettlementState.ACCEPTED, SettlementState.DISPUTED, SettlementState.CANCELLED),
    SettlementState.DISPUTED: (SettlementState.ISSUED, SettlementState.CANCELLED),
    SettlementState.ACCEPTED: (SettlementState.PAID,),
    SettlementState.PAID: (),
    SettlementState.CANCELLED: (),
}


DISPUTE_MAX_LENGTH = 2000


class Settlement(models.Model):
    """What a center owes a producer for one period: sales less returns less the commission."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="settlements"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="settlements"
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    state = models.CharField(
        _("state"), max_length=10, choices=SettlementState.choices, default=SettlementState.ISSUED
    )
    units_sold = models.IntegerField(_("units sold"))
    units_returned = models.IntegerField(_("units returned"))
    gross = VNDField(_("gross sales"))
    returns = VNDField(_("returns"))
    commission = VNDField(_("commission"))
    net = VNDField(_("net payable"))
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payout_reference = models.CharField(_("transfer reference"), max_length=100, blank=True)
    dispute_reason = models.TextField(_("reason of the dispute"), max_length=DISPUTE_MAX_LENGTH, blank=True)
    dispute_reply = models.TextField(_("the center's reply"), max_length=DISPUTE_MAX_LENGTH, blank=True)

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="sales_settlement_period"
            ),
            models.CheckConstraint(
                condition=Q(net=F("gross") - F("returns") - F("commission")), name="sales_settlement_net"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.producer} · {self.center} · {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"


class SettlementEvent(TransitionEvent):
    settlement = models.ForeignKey(Settlement, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        indexes = [models.Index(fields=["at"], name="sales_settlementevent_at")]
