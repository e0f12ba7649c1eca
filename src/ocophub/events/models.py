"""Events, sessions, registrations with their payments and refunds, waiting lists and check-ins.

The rules are in the package's docstring; the state machines are the `*_TRANSITIONS` maps below, each
move one service and one event row.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.seats.models import Capacity, Hold

# The languages an event may be held in (ISO 639-1), Vietnamese first.
EVENT_LANGUAGES: dict[str, str] = {
    "vi": "Tiếng Việt",
    "en": "English",
    "fr": "Français",
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
}


class EventKind(models.TextChoices):
    EXHIBITION = "exhibition", _("exhibition")
    FAIR = "fair", _("fair")
    LAUNCH = "launch", _("product launch")
    DEMONSTRATION = "demonstration", _("demonstration")
    WORKSHOP = "workshop", _("hands-on workshop")
    TRADE = "trade", _("trade session")


class EventState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("event state", "draft")
    PUBLISHED = "published", pgettext_lazy("event state", "published")
    CANCELLED = "cancelled", pgettext_lazy("event state", "cancelled")


EVENT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    EventState.DRAFT: (EventState.PUBLISHED, EventState.CANCELLED),
    EventState.PUBLISHED: (EventState.CANCELLED,),
    EventState.CANCELLED: (),
}


class Event(TimeStampedModel):
    """A promotion event organised by one center, held there or at another address in Hanoi."""

    center = models.ForeignKey(
        Center, verbose_name=_("organising center"), on_delete=models.PROTECT, related_name="promotion_events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    # empty: the event is held at the center itself
    address = models.CharField(_("address (when not at the center)"), max_length=300, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("20.5")), MaxValueValidator(Decimal("21.5"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("105.2")), MaxValueValidator(Decimal("106.1"))],
    )
    languages = models.JSONField(_("languages"), default=list, help_text=_('e.g. ["vi", "en"]'))
    products = models.ManyToManyField(
        Product, verbose_name=_("featured products"), blank=True, related_name="promotion_events"
    )
    producers = models.ManyToManyField(
        Producer, verbose_name=_("featured producers"), blank=True, related_name="promotion_events"
    )
    state = models.CharField(_("state"), max_length=10, choices=EventState.choices, default=EventState.DRAFT)
    is_illustrative = models.BooleanField(
        _("illustrative data"), default=False, help_text=_("Demo values that are not from a source.")
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["center", "state"], name="events_event_center_state")]

    def __str__(self) -> str:
        return self.title


class EventPhoto(TimeStampedModel):
    event = models.ForeignKey(Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to="events/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event_id", "position", "pk"]  # the column: "event" would join and sort by its name
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class EventEvent(TransitionEvent):
    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("event state change")
        verbose_name_plural = _("event state changes")
        indexes = [models.Index(fields=["at"], name="events_eventevent_at")]


class SessionState(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("session state", "scheduled")
    CANCELLED = "cancelled", pgettext_lazy("session state", "cancelled")


SESSION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    SessionState.SCHEDULED: (SessionState.CANCELLED,),
    SessionState.CANCELLED: (),
}


def default_refund_rule() -> list[dict[str, int]]:
    """All back a week or more before the day, half from two days before, nothing later."""
    return [{"days": 7, "percent": 100}, {"days": 2, "percent": 50}]


class Session(TimeStampedModel):
    """One dated occurrence of an event, with its seats (a seats.Capacity) and its price per person."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.PROTECT, related_name="sessions"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    # set by session_create right after the row exists (the capacity is named by the session's id)
    capacity = models.OneToOneField(
        Capacity, verbose_name=_("seats"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    price = VNDField(_("price per person (đồng)"), default=0)
    makes = models.CharField(_("what each participant makes and takes home"), max_length=300, blank=True)
    refund_rule = models.JSONField(
        _("cancellation rule"),
        default=default_refund_rule,
        help_text=_('Share refunded by whole days before the start: [{"days": 7, "percent": 100}, …]'),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SessionState.choices, default=SessionState.SCHEDULED
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["state", "starts_at"], name="events_session_when")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="events_session_ends_after"),
            models.CheckConstraint(condition=Q(price__gte=0), name="events_session_price_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def is_free(self) -> bool:
        return self.price == 0


class SessionEvent(TransitionEvent):
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("session state change")
        verbose_name_plural = _("session state changes")
        indexes = [models.Index(fields=["at"], name="events_sessionevent_at")]


class PaymentMethod(models.TextChoices):
    VIETQR = "vietqr", _("bank transfer (VietQR)")
    DOOR = "door", _("at the door")


class RegistrationState(models.TextChoices):
    HELD = "held", pgettext_lazy("registration state", "held")
    CONFIRMED = "confirmed", pgettext_lazy("registration state", "confirmed")
    CANCELLED = "cancelled", pgettext_lazy("registration state", "cancelled")
    EXPIRED = "expired", pgettext_lazy("registration state", "expired")
    REFUNDED = "refunded", pgettext_lazy("registration state", "refunded")


REGISTRATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    RegistrationState.HELD: (
        RegistrationState.CONFIRMED,
        RegistrationState.CANCELLED,
        RegistrationState.EXPIRED,
    ),
    RegistrationState.CONFIRMED: (RegistrationState.CANCELLED, RegistrationState.REFUNDED),
    RegistrationState.CANCELLED: (),
    RegistrationState.EXPIRED: (),
    RegistrationState.REFUNDED: (),
}

# A registration that keeps its seats (and blocks the same contact from registering again)
ACTIVE_STATES = (RegistrationState.HELD, RegistrationState.CONFIRMED)


class Registration(TimeStampedModel):
    """A party's places at one session; its ticket is `code`. What is paid is the sum of its payments."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="registrations"
    )
    party_size = models.PositiveIntegerField(_("people"))
    name = models.CharField(_("contact name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    customer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("customer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    hold = models.OneToOneField(Hold, verbose_name=_("seat hold"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=10, choices=RegistrationState.choices, default=RegistrationState.HELD
    )
    code = models.CharField(_("ticket code"), max_length=20, unique=True)
    amount = VNDField(_("amount (đồng)"), default=0)
    payment_method = models.CharField(_("payment"), max_length=10, choices=PaymentMethod.choices, blank=True)
    expires_at = models.DateTimeField(_("held until"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(party_size__gt=0), name="events_registration_party"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="events_registration_amount"),
            # one active registration per contact and session, whatever races
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(state__in=["held", "confirmed"]),
                name="events_registration_once_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["session", "state"], name="events_registration_session")]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class RegistrationEvent(TransitionEvent):
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="history"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("registration state change")
        verbose_name_plural = _("registration state changes")
        indexes = [models.Index(fields=["at"], name="events_registrationevent_at")]


class PaymentState(models.TextChoices):
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class Payment(models.Model):
    """Money received for a registration; what is paid is the sum of the succeeded ones."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="payments"
    )
    method = models.CharField(_("method"), max_length=10, choices=PaymentMethod.choices)
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
        verbose_name = _("event payment")
        verbose_name_plural = _("event payments")
        indexes = [models.Index(fields=["created_at"], name="events_payment_created_at")]
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="events_payment_positive")]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.amount}"


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
        verbose_name = _("event refund")
        verbose_name_plural = _("event refunds")
        indexes = [models.Index(fields=["created_at"], name="events_refund_created_at")]
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="events_refund_positive")]

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
    """A party waiting for seats at a full session; the position is the order of joining (pk)."""

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="waitlist"
    )
    party_size = models.PositiveIntegerField(_("people"))
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
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration offered"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="waitlist_entry",
    )

    class Meta:
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")
        ordering = ["session", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(party_size__gt=0), name="events_waitlist_party"),
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=Q(state__in=["waiting", "offered"]),
                name="events_waitlist_once_per_contact",
            ),
        ]
        indexes = [models.Index(fields=["session", "state"], name="events_waitlist_session")]

    def __str__(self) -> str:
        return f"{self.name} ({self.party_size})"


class CheckIn(models.Model):
    """A party checked in at its session (the seats' own count is on the hold's line): for head counts.

    The center and the local day are kept on the row so that head counts per center and per day are
    one grouped query."""

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.PROTECT, related_name="check_in"
    )
    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.PROTECT, related_name="+"
    )
    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+")
    day = models.DateField(_("day"))
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
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["center", "day"], name="events_checkin_center_day"),
            models.Index(fields=["at"], name="events_checkin_at"),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id} × {self.heads}"
