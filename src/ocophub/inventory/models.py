"""Consignment agreements, lots, stock per center and lot, and the append-only movement ledger.

Stock never goes below zero: every change is a conditional UPDATE that checks the row count, the
database refuses negative quantities (CheckConstraint), and the ledger row is written in the same
transaction. The ledger therefore sums to the stock: Σ on-hand deltas = on hand, Σ reserved deltas =
reserved, for every stock row.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel, TransitionEvent


class AgreementState(models.TextChoices):
    # "active" alone is also a user account's flag; an agreement is "in force"
    DRAFT = "draft", pgettext_lazy("consignment agreement state", "draft")
    ACTIVE = "active", pgettext_lazy("consignment agreement state", "active")
    ENDED = "ended", pgettext_lazy("consignment agreement state", "ended")


# The agreement's life-cycle; each move is one service and one event row.
AGREEMENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    AgreementState.DRAFT: (AgreementState.ACTIVE, AgreementState.ENDED),
    AgreementState.ACTIVE: (AgreementState.ENDED,),
    AgreementState.ENDED: (),
}

MAX_COMMISSION_RATE = Decimal("0.5")


class Agreement(TimeStampedModel):
    """A producer consigns goods to a center, which keeps a commission on what it sells."""

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="agreements"
    )
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="agreements"
    )
    commission_rate = models.DecimalField(
        _("commission rate"),
        max_digits=5,
        decimal_places=4,
        help_text=_("Share of the sale price the center keeps, e.g. 0.2000 for 20%."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=AgreementState.choices, default=AgreementState.DRAFT
    )
    notes = models.TextField(_("notes"), blank=True)

    percent: str  # the rate as the agreement pages show it (set there, not stored)

    class Meta:
        verbose_name = _("consignment agreement")
        verbose_name_plural = _("consignment agreements")
        ordering = ["center__name", "producer__folded_name", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0) & Q(commission_rate__lte=MAX_COMMISSION_RATE),
                name="inventory_agreement_rate_range",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="inventory_agreement_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.producer} — {self.center}"


class AgreementEvent(TransitionEvent):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("consignment agreement"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("agreement status change")
        verbose_name_plural = _("agreement status changes")
        indexes = [models.Index(fields=["at"], name="inventory_agreementevent_at")]


class Lot(models.Model):
    """A batch of one product. Goods without dates share the product's lot with an empty code."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="lots"
    )
    code = models.CharField(_("lot code"), max_length=40, blank=True)
    produced_on = models.DateField(_("produced on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["product", "code"], name="inventory_lot_unique_code"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(produced_on__isnull=True)
                | Q(expires_on__gte=F("produced_on")),
                name="inventory_lot_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.code}" if self.code else str(self.product)


class Stock(models.Model):
    """What one center holds of one lot. Available = on hand − reserved (held for online orders)."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="stock"
    )
    lot = models.ForeignKey(Lot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="stock")
    # the lot's product and its producer, kept here so that lists and sums need no join
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="stock"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="stock"
    )
    on_hand = models.IntegerField(_("on hand"), default=0)
    reserved = models.IntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("stock")
        verbose_name_plural = _("stock")
        constraints = [
            models.UniqueConstraint(fields=["center", "lot"], name="inventory_stock_unique"),
            models.CheckConstraint(condition=Q(on_hand__gte=0), name="inventory_on_hand_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="inventory_reserved_not_negative"),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")), name="inventory_reserved_within_on_hand"
            ),
        ]
        indexes = [models.Index(fields=["center", "product"]), models.Index(fields=["producer", "center"])]

    def __str__(self) -> str:
        return f"{self.center} · {self.lot}"

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIVED = "received", _("received from the producer")
    SOLD = "sold", _("sold")
    CUSTOMER_RETURN = "customer_return", _("returned by a customer")
    RETURNED = "returned", _("returned to the producer")
    TRANSFER_OUT = "transfer_out", _("transferred out")
    TRANSFER_IN = "transfer_in", _("transferred in")
    ADJUSTED = "adjusted", _("adjusted")
    RESERVED = "reserved", _("reserved for an order")
    RELEASED = "released", _("released from an order")


class Movement(models.Model):
    """One line of the append-only ledger: how on hand and reserved changed, by whom and why."""

    stock = models.ForeignKey(
        Stock, verbose_name=_("stock"), on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MovementKind.choices)
    on_hand_delta = models.IntegerField(_("on-hand change"), default=0)
    reserved_delta = models.IntegerField(_("reserved change"), default=0)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(on_hand_delta=0) | ~Q(reserved_delta=0), name="inventory_movement_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.on_hand_delta:+d}/{self.reserved_delta:+d}"
