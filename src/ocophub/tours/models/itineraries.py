"""Operators, tours and their itineraries' stops (the state map of a tour below)."""

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.events.models import Session
from ocophub.places.models import CraftVillage

LAT_BOUNDS = (Decimal("20.5"), Decimal("21.5"))
LNG_BOUNDS = (Decimal("105.2"), Decimal("106.1"))


def latitude_field(label: Any) -> Any:
    return models.DecimalField(
        label,
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(LAT_BOUNDS[0]), MaxValueValidator(LAT_BOUNDS[1])],
    )


def longitude_field(label: Any) -> Any:
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
    meeting_latitude = latitude_field(_("meeting point latitude"))
    meeting_longitude = longitude_field(_("meeting point longitude"))
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
    latitude = latitude_field(_("latitude"))
    longitude = longitude_field(_("longitude"))
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
