"""Online orders: the pipeline, its lines held in lots, and its events."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ocophub.catalogue.models import Product
from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.inventory.models import Stock
from ocophub.places.models import AdministrativeUnit


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
    CONFIRMED = "confirmed", _("confirmed, to be paid at pick-up")
    PAID = "paid", _("paid")
    READY = "ready", _("ready for pick-up")
    SHIPPED = "shipped", _("shipped")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")
    REFUNDED = "refunded", _("refunded")


# The order pipeline; each move is one service call and one OrderEvent row.
ORDER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    OrderStatus.AWAITING_PAYMENT: (OrderStatus.PAID, OrderStatus.CANCELLED),
    # paid at pick-up: handing the goods over records the payment and completes the order in one step
    OrderStatus.CONFIRMED: (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
    OrderStatus.PAID: (OrderStatus.READY, OrderStatus.SHIPPED, OrderStatus.REFUNDED),
    OrderStatus.READY: (OrderStatus.COMPLETED, OrderStatus.REFUNDED),
    OrderStatus.SHIPPED: (OrderStatus.COMPLETED, OrderStatus.REFUNDED),
    OrderStatus.COMPLETED: (),
    OrderStatus.CANCELLED: (),
    OrderStatus.REFUNDED: (),
}


# Orders whose next step is the center's: a transfer to look for, goods to get ready or hand over.
DESK_NEW_STATUSES: tuple[str, ...] = (OrderStatus.AWAITING_PAYMENT, OrderStatus.CONFIRMED, OrderStatus.PAID)

# Unpaid orders: they hold goods until `hold_until` and are released when it passes.
UNPAID_STATUSES: tuple[str, ...] = (OrderStatus.AWAITING_PAYMENT, OrderStatus.CONFIRMED)


class PaymentTiming(models.TextChoices):
    ADVANCE = "advance", _("bank transfer (VietQR) before pick-up or delivery")
    AT_PICKUP = "at_pickup", _("pay when collecting at the center")


class Fulfilment(models.TextChoices):
    PICKUP = "pickup", _("pick-up at the center")
    DELIVERY = "delivery", _("delivery to an address")


class Order(TimeStampedModel):
    """An online order from one center: its goods are held until it is paid or the hold runs out.

    An order paid by transfer holds them for the short payment time; a pick-up order paid at the
    center is confirmed at once and holds them until its pick-up deadline.
    """

    number = models.CharField(_("order number"), max_length=20, unique=True)
    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    name = models.CharField(_("name"), max_length=120)
    # empty when the customer gave only a phone: the notices then go by text message
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="orders"
    )
    fulfilment = models.CharField(_("fulfilment"), max_length=10, choices=Fulfilment.choices)
    payment_timing = models.CharField(
        _("payment"), max_length=10, choices=PaymentTiming.choices, default=PaymentTiming.ADVANCE
    )
    address = models.CharField(_("delivery address"), max_length=300, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune or ward"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, default=OrderStatus.AWAITING_PAYMENT
    )
    hold_until = models.DateTimeField(_("held until"), db_index=True)
    total = VNDField(_("total"))
    client_ip = models.GenericIPAddressField(_("placed from address"), null=True, blank=True)

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="sales_order_total_not_negative"),
            models.CheckConstraint(
                condition=Q(fulfilment="pickup") | ~Q(address=""), name="sales_delivery_has_address"
            ),
            models.CheckConstraint(
                condition=Q(fulfilment="pickup") | Q(payment_timing="advance"),
                name="sales_pay_at_pickup_is_pickup",
            ),
        ]
        indexes = [models.Index(fields=["status", "hold_until"]), models.Index(fields=["center", "status"])]

    def __str__(self) -> str:
        return self.number


class OrderLine(models.Model):
    """One product of an order, held in one lot (a product split over lots has one line per lot)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    stock = models.ForeignKey(Stock, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = VNDField(_("unit price"))
    amount = VNDField(_("amount"))
    # the agreement's rate at checkout: the sale keeps it even if the agreement ends before payment
    commission_rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_order_line_positive"),
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_price")), name="sales_order_line_amount"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class OrderEvent(TransitionEvent):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")

    class Meta(TransitionEvent.Meta):
        indexes = [models.Index(fields=["at"], name="sales_orderevent_at")]
