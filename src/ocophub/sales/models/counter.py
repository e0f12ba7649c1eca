"""The counter and the money: bank accounts, shifts, sales and their lines, payments, returns, refunds."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.money import VNDField
from ocophub.inventory.models import Stock


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("cash")
    TRANSFER = "transfer", _("bank transfer (VietQR)")
    CARD = "card", _("card")


class BankAccount(models.Model):
    """Where transfers go: a center's account (for customers) or a producer's (for payouts)."""

    center = models.OneToOneField(
        Center, null=True, blank=True, on_delete=models.CASCADE, related_name="bank_account"
    )
    producer = models.OneToOneField(
        Producer, null=True, blank=True, on_delete=models.CASCADE, related_name="bank_account"
    )
    bank_bin = models.CharField(
        _("bank BIN (NAPAS)"),
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", _("Six digits, e.g. 970415."))],
    )
    bank_name = models.CharField(_("bank"), max_length=120)
    account_number = models.CharField(
        _("account number"),
        max_length=19,
        validators=[
            RegexValidator(r"^[0-9A-Za-z]{1,19}$", _("Digits and letters only, no spaces or dashes."))
        ],
    )
    holder = models.CharField(_("account holder"), max_length=120)
    # a deactivated account is kept as a record but receives nothing: no transfer code shows it
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        constraints = [
            models.CheckConstraint(
                condition=Q(center__isnull=False, producer__isnull=True)
                | Q(center__isnull=True, producer__isnull=False),
                name="sales_bank_account_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.account_number}"


class Shift(models.Model):
    """A cashier's session at a counter: the float at opening, the cash counted at closing."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="shifts"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    opening_float = VNDField(_("cash float"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    expected_cash = VNDField(_("expected cash"), null=True, blank=True)
    counted_cash = VNDField(_("counted cash"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "opened_by"],
                condition=Q(closed_at__isnull=True),
                name="sales_one_open_shift_per_cashier",
            ),
            models.CheckConstraint(condition=Q(opening_float__gte=0), name="sales_float_not_negative"),
            models.CheckConstraint(
                condition=Q(counted_cash__isnull=True) | Q(counted_cash__gte=0),
                name="sales_counted_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["opened_at"], name="sales_shift_opened_at"),
            models.Index(fields=["closed_at"], name="sales_shift_closed_at"),
        ]

    def __str__(self) -> str:
        return f"{self.center} · {self.opened_at:%d/%m/%Y %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def variance(self) -> int | None:
        if self.counted_cash is None or self.expected_cash is None:
            return None
        return self.counted_cash - self.expected_cash


class Channel(models.TextChoices):
    COUNTER = "counter", _("counter")
    ONLINE = "online", _("online shop")


class Sale(models.Model):
    """One receipt: goods sold at the counter, or an online order once it is paid."""

    client_uuid = models.UUIDField(
        _("client id"), unique=True, help_text=_("Made by the till; a retry reuses it.")
    )
    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="sales"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    shift = models.ForeignKey(
        Shift, verbose_name=_("shift"), null=True, blank=True, on_delete=models.PROTECT, related_name="sales"
    )
    seller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("seller"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    order = models.OneToOneField(
        "Order", verbose_name=_("order"), null=True, blank=True, on_delete=models.PROTECT, related_name="sale"
    )
    created_at = models.DateTimeField(_("sold at"), auto_now_add=True, db_index=True)
    total = VNDField(_("total"))

    class Meta:
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(total__gte=0), name="sales_sale_total_not_negative")
        ]
        indexes = [models.Index(fields=["center", "created_at"])]

    def __str__(self) -> str:
        return self.number


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="+"
    )
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="+"
    )
    stock = models.ForeignKey(Stock, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = VNDField(_("unit price"))
    amount = VNDField(_("amount"))
    commission_rate = models.DecimalField(_("commission rate"), max_digits=5, decimal_places=4)
    settlement = models.ForeignKey(
        "Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="sale_lines"
    )

    class Meta:
        verbose_name = _("sale line")
        verbose_name_plural = _("sale lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_line_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="sales_line_price_not_negative"),
            models.CheckConstraint(
                condition=Q(amount=F("quantity") * F("unit_price")),
                name="sales_line_amount_is_quantity_by_price",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id}"


class PaymentState(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class Payment(models.Model):
    """Money received for a sale or an order. What is paid is the sum of the succeeded ones."""

    sale = models.ForeignKey(Sale, null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    order = models.ForeignKey(
        "Order", null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
    amount = VNDField(_("amount"))
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices)
    tendered = VNDField(_("cash tendered"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_payment_positive"),
            models.CheckConstraint(
                condition=Q(sale__isnull=False) | Q(order__isnull=False), name="sales_payment_has_owner"
            ),
            models.CheckConstraint(
                condition=Q(tendered__isnull=True) | Q(tendered__gte=F("amount")),
                name="sales_tendered_covers",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="sales_payment_created_at")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.amount}"

    @property
    def change(self) -> int:
        return (self.tendered - self.amount) if self.tendered is not None else 0


class Return(models.Model):
    """Goods a customer brings back against a receipt, with the money refunded for them."""

    sale = models.ForeignKey(Sale, verbose_name=_("sale"), on_delete=models.PROTECT, related_name="returns")
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )
    number = models.CharField(_("return number"), max_length=20, unique=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300)
    restock = models.BooleanField(_("back on the shelf"), default=True)
    amount = VNDField(_("amount"))

    class Meta:
        verbose_name = _("return")
        verbose_name_plural = _("returns")
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="sales_return_not_negative")]

    def __str__(self) -> str:
        return self.number


class ReturnLine(models.Model):
    ret = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="lines")
    sale_line = models.ForeignKey(SaleLine, on_delete=models.PROTECT, related_name="returns")
    quantity = models.PositiveIntegerField(_("quantity"))
    amount = VNDField(_("amount"))
    settlement = models.ForeignKey(
        "Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="return_lines"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_return_line_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sales_return_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.sale_line_id}"


REFUND_APPROVAL_MINUTES = 10  # long enough to walk to the till and type the code, short enough to go stale


class RefundApproval(models.Model):
    """A manager's one-time approval of a refund without goods: for one receipt, up to an amount.

    The manager is shown a short code, which the cashier types into the refund form. Only the code's
    keyed hash is kept. It is valid for `REFUND_APPROVAL_MINUTES` and used once: the refund takes it by a
    conditional update in its own transaction.
    """

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="refund_approvals"
    )
    sale = models.ForeignKey(
        Sale, verbose_name=_("sale"), on_delete=models.PROTECT, related_name="refund_approvals"
    )
    max_amount = VNDField(_("approved up to"))
    code_hash = models.CharField(max_length=64, db_index=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("approved at"))
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("used by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("refund approval")
        verbose_name_plural = _("refund approvals")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_amount__gt=0), name="sales_approval_amount_positive"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("issued_at")), name="sales_approval_expires_after_issue"
            ),
        ]
        indexes = [models.Index(fields=["issued_at"], name="sales_refundapproval_issued_at")]

    def __str__(self) -> str:
        return f"{self.sale} ≤ {self.max_amount}"


class Refund(models.Model):
    """Money paid back against one payment; never more than the payment less earlier refunds."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    ret = models.ForeignKey(Return, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds")
    # the drawer cash was paid back from (cash refunds at the counter), for the shift's expected cash; for
    # a refund without goods, the shift it was made in whatever the method, for the shift's report
    shift = models.ForeignKey(
        Shift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )
    amount = VNDField(_("amount"))
    state = models.CharField(
        _("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.SUCCEEDED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # a refund without goods: the manager who made or approved it, and the approval a cashier used
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approval = models.ForeignKey(
        RefundApproval,
        verbose_name=_("refund approval"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="refunds",
    )

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="sales_refund_positive")]
        indexes = [models.Index(fields=["created_at"], name="sales_refund_created_at")]

    def __str__(self) -> str:
        return f"{self.amount}"
