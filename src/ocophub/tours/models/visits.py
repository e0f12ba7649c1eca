"""Visits of a departure's group to a center (recorded when the center's staff scan the tickets), the
tickets scanned there, and the commission a center agreed to pay an operator on the sales attributed
to its groups' visits."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ocophub.centers.models import Center

from .bookings import Booking, Departure
from .itineraries import Operator


class Visit(models.Model):
    """A departure's group at one center, once: from the first ticket scanned there (`arrived_at`) to
    that plus the stop's planned minutes (`ends_at`). `heads` is the sum of the parties scanned."""

    departure = models.ForeignKey(
        Departure, verbose_name=_("departure"), on_delete=models.PROTECT, related_name="visits"
    )
    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+")
    # the operator of the departure's tour when the group came (read by the reports without a join)
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="visits"
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    ends_at = models.DateTimeField(_("visit window ends"))
    heads = models.PositiveIntegerField(_("people"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tour visit")
        verbose_name_plural = _("tour visits")
        ordering = ["-arrived_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["departure", "center"], name="tours_visit_once_per_center"),
            models.CheckConstraint(condition=Q(ends_at__gte=F("arrived_at")), name="tours_visit_window"),
        ]
        indexes = [models.Index(fields=["center", "arrived_at"], name="tours_visit_center_when")]

    def __str__(self) -> str:
        return f"{self.departure} @ {self.center_id}"


class VisitTicket(models.Model):
    """One booking's ticket scanned at the visit's center: once per visit."""

    visit = models.ForeignKey(
        Visit, verbose_name=_("tour visit"), on_delete=models.CASCADE, related_name="tickets"
    )
    booking = models.ForeignKey(
        Booking, verbose_name=_("tour booking"), on_delete=models.PROTECT, related_name="visit_tickets"
    )
    heads = models.PositiveIntegerField(_("people"))
    at = models.DateTimeField(_("at"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ticket scanned at a center")
        verbose_name_plural = _("tickets scanned at centers")
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "booking"], name="tours_visit_ticket_once"),
        ]

    def __str__(self) -> str:
        return f"{self.booking_id} × {self.heads}"


class CommissionRate(models.Model):
    """The share of attributed sales a center pays an operator, in basis points (1 % = 100), from a
    day on; the rate of a sale is the latest one starting on or before its local day."""

    center = models.ForeignKey(Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="+")
    operator = models.ForeignKey(
        Operator, verbose_name=_("operator"), on_delete=models.PROTECT, related_name="commission_rates"
    )
    basis_points = models.PositiveIntegerField(_("rate (basis points)"))
    starts_on = models.DateField(_("from"))
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tour commission rate")
        verbose_name_plural = _("tour commission rates")
        ordering = ["center", "operator", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "operator", "starts_on"], name="tours_commission_once_per_day"
            ),
            models.CheckConstraint(
                condition=Q(basis_points__lte=10_000), name="tours_commission_at_most_all"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.center_id}/{self.operator_id}: {self.percent}"

    @property
    def percent(self) -> str:
        return percent_label(self.basis_points)


def percent_label(basis_points: int) -> str:
    """A rate as Vietnamese write it: 250 → "2,5%"."""
    return f"{basis_points / 100:g}".replace(".", ",") + "%"
