"""Capacities, holds with their lines and events, and the seat ledger (the rules: the package's docstring)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.common.models import TimeStampedModel, TransitionEvent


class Capacity(TimeStampedModel):
    """The seats of one thing an owner sells places on: a session's room, a departure's vehicle."""

    owner_type = models.CharField(_("owner type"), max_length=60, help_text=_('e.g. "events.session"'))
    owner_id = models.PositiveBigIntegerField(_("owner id"))
    # one owner may have several capacities (a departure's vehicle and its guide's group), told apart here
    key = models.CharField(_("key"), max_length=40, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    total = models.IntegerField(_("total seats"), default=0)
    held = models.IntegerField(_("held seats"), default=0)
    taken = models.IntegerField(_("taken seats"), default=0)
    checked_in = models.IntegerField(_("checked-in seats"), default=0)

    class Meta:
        verbose_name = _("seat capacity")
        verbose_name_plural = _("seat capacities")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner_type", "owner_id", "key"], name="seats_capacity_owner"),
            models.CheckConstraint(condition=Q(held__gte=0), name="seats_held_not_negative"),
            models.CheckConstraint(condition=Q(taken__gte=0), name="seats_taken_not_negative"),
            models.CheckConstraint(condition=Q(total__gte=F("held") + F("taken")), name="seats_within_total"),
            models.CheckConstraint(
                condition=Q(checked_in__gte=0) & Q(checked_in__lte=F("taken")),
                name="seats_checked_in_within_taken",
            ),
        ]

    def __str__(self) -> str:
        return self.label or f"{self.owner_type}#{self.owner_id}{':' + self.key if self.key else ''}"

    @property
    def free(self) -> int:
        return self.total - self.held - self.taken


class HoldState(models.TextChoices):
    HELD = "held", pgettext_lazy("seat hold state", "held")
    CONFIRMED = "confirmed", pgettext_lazy("seat hold state", "confirmed")
    RELEASED = "released", pgettext_lazy("seat hold state", "released")
    EXPIRED = "expired", pgettext_lazy("seat hold state", "expired")
    CANCELLED = "cancelled", pgettext_lazy("seat hold state", "cancelled")


# A hold's life-cycle; each move is one service, one event row and the ledger rows of its seats.
HOLD_TRANSITIONS: dict[str, tuple[str, ...]] = {
    HoldState.HELD: (HoldState.CONFIRMED, HoldState.RELEASED, HoldState.EXPIRED),
    HoldState.CONFIRMED: (HoldState.CANCELLED,),
    HoldState.RELEASED: (),
    HoldState.EXPIRED: (),
    HoldState.CANCELLED: (),
}


class Hold(TimeStampedModel):
    """One booking's claim on seats of one or more capacities, all or nothing."""

    reference = models.CharField(_("reference"), max_length=80, blank=True, db_index=True)
    state = models.CharField(_("state"), max_length=10, choices=HoldState.choices, default=HoldState.HELD)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("seat hold")
        verbose_name_plural = _("seat holds")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["state", "expires_at"], name="seats_hold_expiry")]

    def __str__(self) -> str:
        return self.reference or f"#{self.pk}"


class HoldLine(models.Model):
    """The seats a hold has on one capacity. Live seats = quantity − cancelled; checked in ≤ live."""

    hold = models.ForeignKey(
        Hold, verbose_name=_("seat hold"), on_delete=models.CASCADE, related_name="lines"
    )
    capacity = models.ForeignKey(
        Capacity, verbose_name=_("seat capacity"), on_delete=models.PROTECT, related_name="hold_lines"
    )
    quantity = models.IntegerField(_("seats"))
    cancelled = models.IntegerField(_("cancelled seats"), default=0)
    checked_in = models.IntegerField(_("checked-in seats"), default=0)

    class Meta:
        verbose_name = _("seat hold line")
        verbose_name_plural = _("seat hold lines")
        ordering = ["capacity_id"]
        constraints = [
            models.UniqueConstraint(fields=["hold", "capacity"], name="seats_line_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="seats_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(cancelled__gte=0)
                & Q(checked_in__gte=0)
                & Q(quantity__gte=F("cancelled") + F("checked_in")),
                name="seats_line_counts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hold} · {self.capacity_id} × {self.quantity}"

    @property
    def live(self) -> int:
        """Seats still booked on this line (checked in or not)."""
        return self.quantity - self.cancelled


class HoldEvent(TransitionEvent):
    hold = models.ForeignKey(
        Hold, verbose_name=_("seat hold"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("seat hold status change")
        verbose_name_plural = _("seat hold status changes")
        indexes = [models.Index(fields=["at"], name="seats_holdevent_at")]


class MovementKind(models.TextChoices):
    HOLD = "hold", pgettext_lazy("seat movement", "held")
    CONFIRM = "confirm", pgettext_lazy("seat movement", "confirmed")
    RELEASE = "release", pgettext_lazy("seat movement", "released")
    EXPIRE = "expire", pgettext_lazy("seat movement", "expired")
    CANCEL = "cancel", pgettext_lazy("seat movement", "cancelled")
    CHECK_IN = "check_in", pgettext_lazy("seat movement", "checked in")
    RESIZE = "resize", pgettext_lazy("seat movement", "total changed")


class SeatMovement(models.Model):
    """One line of the append-only seat ledger.

    `quantity` is the number of seats moved (above zero), except for a resize, where it is the change
    of the total (either sign). The counters are therefore sums of the ledger: total = Σ resize,
    held = Σ hold − Σ confirm − Σ release − Σ expire, taken = Σ confirm − Σ cancel, checked in =
    Σ check-in.
    """

    capacity = models.ForeignKey(
        Capacity, verbose_name=_("seat capacity"), on_delete=models.PROTECT, related_name="movements"
    )
    hold = models.ForeignKey(
        Hold,
        verbose_name=_("seat hold"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="movements",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MovementKind.choices)
    quantity = models.IntegerField(_("seats"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
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
        verbose_name = _("seat movement")
        verbose_name_plural = _("seat movements")
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0) | (Q(kind="resize") & ~Q(quantity=0)),
                name="seats_movement_quantity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.quantity:+d}"
