"""Departures, bookings with their payments and refunds, waiting lists and check-ins (the state maps
below, each move one service and one event row)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.seats.models import Capacity, Hold

from .itineraries import Tour


class DepartureState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("departure state", "scheduled")
    SOLD_OUT = "sold_out", pgettext_lazy("departure state", "sold out")
    CANCELLED = "cancelled", pgettext_lazy("departure state", "cancelled")
    COMPLETED = "completed", pgettext_lazy("departure state", "completed")


DEPARTURE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    DepartureState.SCHEDULED: (DepartureState.SOLD_OUT, DepartureState.CANCELLED, DepartureState.COMPLETED),
    DepartureState.SOLD_OUT: (DepartureState.SCHEDULED, DepartureState.CANCELLED, DepartureState.COMPLETED),
    DepartureState.CANCELLED: (),
    DepartureState.COMPLETED: (),
}

# a departure in these states still runs (and takes bookings when scheduled)
RUNNING_STATES = (DepartureState.SCHEDULED, DepartureState.SOLD_OUT)


class Departure(TimeStampedModel):
    """One dated run of a tour; its vehicle's seats are a seats.Capacity."""

    tour = models.ForeignKey(
        Tour, verbose_name=_("tour"), on_delete=models.PROTECT, related_name="departures"
    )
    starts_at = models.DateTimeField(_("departs at"))
    # set by departure_create right after the row exists (the capacity is named by the departure's id)
    capacity = models.OneToOneField(
        Capacity, verbose_name=_("vehicle seats"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=DepartureState.choices, default=DepartureState.SCHEDULED
    )

    class Meta:
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["state", "starts_at"], name="tours_departure_when")]

    def __str__(self) -> str:
        return f"{self.tour} {self.starts_at:%d/%m/%Y %H:%M}"


class DepartureEvent(TransitionEvent):
    departure = models.ForeignKey(
        Departure, verbose_name=_("departure"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("departure state change")
        verbose_name_plural = _("departure state changes")


class BookingState(models.TextChoices):
    HELD = "held", pgettext_lazy("booking state", "held")
    PENDING = "pending_confirmation", pgettext_lazy("booking state", "awaiting confirmation")
    CONFIRMED = "confirmed", pgettext_lazy("booking state", "confirmed")
    CANCELLED = "cancelled", pgettext_lazy("booking state", "cancelled")
    EXPIRED = "expired", pgettext_lazy("booking state", "expired")


BOOKING_TRANSITIONS: dict[str, tuple[str, ...]] = {
    BookingState.HELD: (BookingState.CONFIRMED, BookingState.CANCELLED, BookingState.EXPIRED),
    BookingState.PENDING: (BookingState.CONFIRMED, BookingState.CANCELLED, BookingState.EXPIRED),
    BookingState.CONFIRMED: (BookingState.CANCELLED,),
    BookingState.CANCELLED: (),
    BookingState.EXPIRED: (),
}

# a booking that keeps its seats
ACTIVE_STATES = (BookingState.HELD, BookingState.PENDING, BookingState.CONFIRMED)


class Booking(TimeStampedModel):
    """A party's seats on one departure; its ticket is `code`. What is paid is the sum of its payments."""

    departure = models.ForeignKey(
        Departure, verbose_name=_("departure"), on_delete=models.PROTECT, related_name="bookings"
    )
    adults = models.IntegerField(_("adults"))
    children = models.IntegerField(_("children"), default=0)
    name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tour_bookings",
    )
    hold = models.OneToOneField(Hold, verbose_name=_("seat hold"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=20, choices=BookingState.choices, default=BookingState.HELD
    )
    code = models.CharField(_("ticket code"), max_length=20, unique=True)
    total = VNDField(_("total (đồng)"), default=0)
    expires_at = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("tour booking")
        verbose_name_plural = _("tour bookings")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(adults__gte=0), name="tours_booking_adults"),
            models.CheckConstraint(condition=Q(children__gte=0), name="tours_booking_children"),
            models.CheckConstraint(condition=Q(adults__gte=1 - F("children")), name="tours_booking_party"),
            models.CheckConstraint(condition=Q(total__gte=0), name="tours_booking_total"),
        ]
        indexes = [models.Index(fields=["departure", "state"], name="tours_booking_departure")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def party(self) -> int:
        return self.adults + self.children


class BookingEvent(TransitionEvent):
    booking = models.ForeignKey(
        Booking, verbose_name=_("tour booking"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("tour booking state change")
        verbose_name_plural = _("tour booking state changes")


class PaymentState(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class Payment(models.Model):
    """Money received for a booking (a VietQR transfer); what is paid is the sum of the succeeded ones."""

    booking = models.ForeignKey(
        Booking, verbose_name=_("tour booking"), on_delete=models.PROTECT, related_name="payments"
    )
    amount = VNDField(_("amount"))
    state = models.CharField(_("state"), max_length=10, choices=PaymentState.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tour payment")
        verbose_name_plural = _("tour payments")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tours_payment_positive")]

    def __str__(self) -> str:
        return f"{self.booking_id}: {self.amount}"


class Refund(models.Model):
    """Money paid back against one payment; never more than the payment less earlier refunds."""

    payment = models.ForeignKey(
        Payment, verbose_name=_("payment"), on_delete=models.PROTECT, related_name="refunds"
    )
    amount = VNDField(_("amount"))
    state = models.CharField(
        _("state"), max_length=10, choices=PaymentState.choices, default=PaymentState.SUCCEEDED
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tour refund")
        verbose_name_plural = _("tour refunds")
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tours_refund_positive")]

    def __str__(self) -> str:
        return f"{self.payment_id}: −{self.amount}"


class WaitlistState(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("waiting list state", "waiting")
    OFFERED = "offered", pgettext_lazy("waiting list state", "offered")
    ACCEPTED = "accepted", pgettext_lazy("waiting list state", "accepted")
    EXPIRED = "expired", pgettext_lazy("waiting list state", "expired")
    LEFT = "left", pgettext_lazy("waiting list state", "left")


WAITLIST_TRANSITIONS: dict[str, tuple[str, ...]] = {
    WaitlistState.WAITING: (WaitlistState.OFFERED, WaitlistState.LEFT, WaitlistState.EXPIRED),
    WaitlistState.OFFERED: (WaitlistState.ACCEPTED, WaitlistState.EXPIRED, WaitlistState.LEFT),
    WaitlistState.ACCEPTED: (),
    WaitlistState.EXPIRED: (),
    WaitlistState.LEFT: (),
}


class WaitlistEntry(TimeStampedModel):
    """A party waiting for seats on a full departure; the position is the order of joining (pk)."""

    departure = models.ForeignKey(
        Departure, verbose_name=_("departure"), on_delete=models.PROTECT, related_name="waitlist"
    )
    adults = models.IntegerField(_("adults"))
    children = models.IntegerField(_("children"), default=0)
    name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=10, choices=WaitlistState.choices, default=WaitlistState.WAITING
    )
    offered_until = models.DateTimeField(_("offer open until"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking,
        verbose_name=_("booking offered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="waitlist_entry",
    )

    class Meta:
        verbose_name = _("tour waiting list entry")
        verbose_name_plural = _("tour waiting list entries")
        ordering = ["departure", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(adults__gte=0) & Q(children__gte=0) & Q(adults__gte=1 - F("children")),
                name="tours_waitlist_party",
            ),
            models.UniqueConstraint(
                fields=["departure", "email"],
                condition=Q(state__in=["waiting", "offered"]),
                name="tours_waitlist_once_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["departure", "state"], name="tours_waitlist_departure")]

    def __str__(self) -> str:
        return f"{self.name} ({self.adults + self.children})"

    @property
    def party(self) -> int:
        return self.adults + self.children


class CheckIn(models.Model):
    """A party checked in at the meeting point by the guide (the seats' own count is on the hold's line)."""

    booking = models.OneToOneField(
        Booking, verbose_name=_("tour booking"), on_delete=models.PROTECT, related_name="check_in"
    )
    departure = models.ForeignKey(
        Departure, verbose_name=_("departure"), on_delete=models.PROTECT, related_name="+"
    )
    heads = models.PositiveIntegerField(_("people"))
    at = models.DateTimeField(_("at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tour check-in")
        verbose_name_plural = _("tour check-ins")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.booking_id} × {self.heads}"
