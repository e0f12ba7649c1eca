"""OCOP star certificates of products and their validity."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel

from .products import Product
from .taxonomy import DecidingLevel, RuleSet

CERTIFICATE_MONTHS = 36  # a certificate is valid 36 months from its decision (148/QĐ-TTg)
EXPIRY_NOTICE_DAYS = 30  # the producer is told at least 30 days before expiry


class CertificateState(models.TextChoices):
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter: 31/01 + 1 → 28/02)."""
    import calendar

    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Certificate(TimeStampedModel):
    """An OCOP star certificate of a product, valid 36 months from its decision."""

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="certificates"
    )
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.PROTECT, related_name="+"
    )
    deciding_level = models.CharField(_("deciding level"), max_length=10, choices=DecidingLevel.choices)
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    total_score = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_a = models.DecimalField(_("part A"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_b = models.DecimalField(_("part B"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_c = models.DecimalField(_("part C"), max_digits=5, decimal_places=2, null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issuer"), max_length=200)
    valid_until = models.DateField(_("valid until"))
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expiry_notified_on = models.DateField(_("expiry notice sent on"), null=True, blank=True)
    # set while a run of the expiry job is sending the notice, so that a concurrent run leaves it alone
    expiry_notice_claimed_at = models.DateTimeField(
        _("expiry notice being sent since"), null=True, blank=True, editable=False
    )
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    source = models.CharField(_("source"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        ordering = ["-decision_date", "-pk"]
        indexes = [
            models.Index(fields=["valid_until"]),
            models.Index(fields=["created_at"], name="catalogue_certificate_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__gte=3) & Q(stars__lte=5), name="catalogue_certificate_stars"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gt=models.F("decision_date")), name="catalogue_certificate_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.stars}★ ({self.decision_number})"

    def state_on(self, day: dt.date) -> str:
        if self.revoked_on is not None and self.revoked_on <= day:
            return CertificateState.REVOKED
        if self.superseded_by_id is not None:
            return CertificateState.SUPERSEDED
        if day > self.valid_until:
            return CertificateState.EXPIRED
        if (self.valid_until - day).days <= EXPIRY_NOTICE_DAYS:
            return CertificateState.EXPIRING
        return CertificateState.ACTIVE

    def is_valid_on(self, day: dt.date) -> bool:
        return self.state_on(day) in (CertificateState.ACTIVE, CertificateState.EXPIRING)
