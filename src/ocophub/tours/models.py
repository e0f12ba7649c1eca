"""Operators, tours and their stops, departures, bookings with payments and refunds, waiting lists,
check-ins. The rules are in the package's docstring; the state machines are the `*_TRANSITIONS` maps
below, each move one service and one event row."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.events.models import Session
from ocophub.places.models import CraftVillage
from ocophub.seats.models import Capacity, Hold

LAT_BOUNDS = (Decimal("20.5"), Decimal("21.5"))
LNG_BOUNDS = (Decimal("105.2"), Decimal("106.1"))


def _latitude(label: Any) -> Any:
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LAT_BOUNDS[0]), MaxValueValidator(LAT_BOUNDS[1])],
    )


def _longitude(label: Any) -> Any:
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LNG_BOUNDS[0]), MaxValueValidator(LNG_BOUNDS[1])],
    )


class OperatorKind(models.TextChoices):
    COMPANY = "company", _("licensed travel company")
    DEPARTMENT = "department", _("Department of Tourism")


class Operator(TimeStampedModel):
    """Who runs tours: a licensed travel company, or the Department of Tourism itself."""

    name = models.CharField(_("name"), max_length=200)
    folded_name = models.CharField(_("folded name"), max_length=200, editable=False, db_index=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=OperatorKind.choices, default=OperatorKind.COMPANY
    )
    # the international travel licence's number; the department itself has none
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # where refunds and commissions are paid from and to (VietQR needs the bank's BIN and the number)
    bank_bin = models.CharField(_("bank BIN"), max_length=8, blank=True)
    bank_name = models.CharField(_("bank"), max_length=120, blank=True)
    account_number = models.CharField(_("account number"), max_length=30, blank=True)
    account_holder = models.CharField(_("account holder"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_illustrative = models.BooleanField(
        _("illustrative data"), default=False, help_text=_("Demo values that are not from a source.")
    )

    class Meta:
        verbose_name = _("tour operator")
        verbose_name_plural = _("tour operators")
        ordering = ["folded_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence_number"], condition=~Q(licence_number=""), name="tours_operator_licence"
            ),
            models.CheckConstraint(
                condition=Q(kind="department") | ~Q(licence_number=""), name="tours_operator_company_licence"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BookingType(models.TextChoices):
    INSTANT = "instant", _("instant")
    ON_REQUEST = "on_request", _("on request")


class TourState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("tour state", "draft")
    PUBLISHED = "published", pgettext_lazy("tour state", "published")
    ARCHIVED = "archived", pgettext_lazy("tour state", "archived")


TOUR_TRANSITIONS: dict[str, tuple[str, ...]] = {
    TourState.DRAFT: (TourState.PUBLISHED, TourState.ARCHIVED),
    TourState.PUBLISHED: (TourState.ARCHIVED,),
    TourState.ARCHIVED: (),
}


def default_refund_rule() -> list[dict[str, int]]:
    """All back a week or more before the day, half from two days before, nothing later."""
    return [{"days": 7, "percent": 100}, {"days": 2, "percent": 50}]


class Tour(TimeStampedModel):
    """What an operator sells: an itinerary of stops, prices per person, its booking and
    cancellation rules."""

    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="tours"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    languages = models.JSONField(_("languages"), default=list, help_text=_('e.g. ["vi", "en"]'))
    included = models.TextField(_("included"), blank=True)
    excluded = models.TextField(_("not included"), blank=True)
    meeting_point = models.CharField(_("meeting point"), max_length=300)
    meeting_latitude = _latitude(_("meeting point latitude"))
    meeting_longitude = _longitude(_("meeting point longitude"))
    adult_price = VNDField(_("adult price (đồng)"), default=0)
    child_price = VNDField(_("child price (đồng)"), default=0)
    children_need_adult = models.BooleanField(_("children only with an adult"), default=True)
    booking_type = models.CharField(
        _("booking"), max_length=12, choices=BookingType.choices, default=BookingType.INSTANT
    )
    cutoff_hours = models.PositiveIntegerField(_("booking closes (hours before departure)"), default=24)
    refund_rule = models.JSONField(
        _("cancellation rule"),
        default=default_refund_rule,
        help_text=_('Share refunded by whole days before the departure: [{"days": 7, "percent": 100}, …]'),
    )
    state = models.CharField(_("state"), max_length=10, choices=TourState.choices, default=TourState.DRAFT)
    is_illustrative = models.BooleanField(
        _("illustrative data"), default=False, help_text=_("Demo values that are not from a source.")
    )

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["operator", "state"], name="tours_tour_operator_state")]
        constraints = [
            models.CheckConstraint(
                condition=Q(adult_price__gte=0) & Q(child_price__gte=0), name="tours_tour_prices_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TourEvent(TransitionEvent):
    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionEvent.Meta):
        verbose_name = _("tour state change")
        verbose_name_plural = _("tour state changes")


class StopKind(models.TextChoices):
    CENTER = "center", _("OCOP center")
    VILLAGE = "village", _("craft village")
    WORKSHOP = "workshop", _("workshop session")
    MEAL = "meal", _("meal")
    FREE_TIME = "free_time", _("free time")


class TourStop(models.Model):
    """One stop of a tour's itinerary, in order, with the time planned there."""

    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="stops")
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=10, choices=StopKind.choices)
    center = models.ForeignKey(
        Center, verbose_name=_("center"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        verbose_name=_("craft village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("workshop session"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    # where the stop is, when its center does not say (a village's square, a restaurant)
    latitude = _latitude(_("latitude"))
    longitude = _longitude(_("longitude"))
    minutes = models.PositiveIntegerField(_("planned minutes"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tour stop")
        verbose_name_plural = _("tour stops")
        ordering = ["tour_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["tour", "position"], name="tours_stop_position"),
            models.CheckConstraint(condition=Q(minutes__gt=0), name="tours_stop_minutes"),
            models.CheckConstraint(
                condition=(Q(kind="center") & Q(center__isnull=False))
                | (Q(kind="village") & Q(craft_village__isnull=False))
                | (Q(kind="workshop") & Q(session__isnull=False))
                | Q(kind__in=["meal", "free_time"]),
                name="tours_stop_kind_place",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title or self.get_kind_display()}"


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
