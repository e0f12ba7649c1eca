"""Plans and their targets, and the funding of centers by source."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocophub.centers.models import Center
from ocophub.common.models import TimeStampedModel
from ocophub.common.money import VNDField, format_vnd
from ocophub.places.models import AdministrativeUnit


class Plan(TimeStampedModel):
    """A plan of the city (Plan 276/KH-UBND …), with the units it covers and its targets."""

    code = models.SlugField(_("code"), max_length=40, unique=True, help_text=_("For URLs: 276-KH-UBND"))
    number = models.CharField(_("number"), max_length=40)
    title = models.CharField(_("title"), max_length=400)
    issued_on = models.DateField(_("issued on"))
    issuer = models.CharField(_("issuer"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    source = models.CharField(_("source"), max_length=400)
    units = models.ManyToManyField(
        AdministrativeUnit,
        verbose_name=_("units covered"),
        blank=True,
        related_name="plans",
        help_text=_("The units the plan's progress is reported by."),
    )

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["issued_on", "code"]

    def __str__(self) -> str:
        return self.number


class Target(models.Model):
    """How many centers, where, by when.

    `area` is a district, a commune or a new unit; empty means city-wide. `communes`, when given,
    limits the count to centers in those communes. `counts_from` counts only centers recognised on or
    after that day ("5–10 more in 2024").
    """

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets")
    label = models.CharField(_("label"), max_length=200)
    area = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    communes = models.ManyToManyField(
        AdministrativeUnit, verbose_name=_("only in"), blank=True, related_name="+"
    )
    min_centers = models.PositiveIntegerField(_("at least"))
    max_centers = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"))
    due_on = models.DateField(_("due on"))
    counts_from = models.DateField(_("counts centers recognised from"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=400)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(min_centers__gte=1), name="programme_target_min"),
            models.CheckConstraint(
                condition=Q(max_centers__isnull=True) | Q(max_centers__gte=models.F("min_centers")),
                name="programme_target_range",
            ),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("starts_on")), name="programme_target_dates"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class FundingSource(models.TextChoices):
    """The funding sources of Plan 276/KH-UBND."""

    STATE_CITY = "state_city", _("State budget — city")
    STATE_DISTRICT = "state_district", _("State budget — district")
    STATE_COMMUNE = "state_commune", _("State budget — commune")
    SOCIAL_ENTERPRISE = "social_enterprise", _("Socialised capital — enterprises")
    SOCIAL_ORGANISATION = "social_organisation", _("Socialised capital — organisations")
    SOCIAL_INDIVIDUAL = "social_individual", _("Socialised capital — individuals")
    AID_DOMESTIC = "aid_domestic", _("Aid and sponsorship — domestic")
    AID_FOREIGN = "aid_foreign", _("Aid and sponsorship — foreign")
    OTHER = "other", _("Other lawful sources")


class FundingGroup(models.TextChoices):
    STATE = "state", _("State budget")
    SOCIALISED = "socialised", _("Socialised capital")
    AID = "aid", _("Aid and sponsorship")
    OTHER = "other", _("Other lawful sources")


SOURCE_GROUP: dict[str, str] = {
    FundingSource.STATE_CITY: FundingGroup.STATE,
    FundingSource.STATE_DISTRICT: FundingGroup.STATE,
    FundingSource.STATE_COMMUNE: FundingGroup.STATE,
    FundingSource.SOCIAL_ENTERPRISE: FundingGroup.SOCIALISED,
    FundingSource.SOCIAL_ORGANISATION: FundingGroup.SOCIALISED,
    FundingSource.SOCIAL_INDIVIDUAL: FundingGroup.SOCIALISED,
    FundingSource.AID_DOMESTIC: FundingGroup.AID,
    FundingSource.AID_FOREIGN: FundingGroup.AID,
    FundingSource.OTHER: FundingGroup.OTHER,
}


class Commitment(TimeStampedModel):
    """Money promised to a center by one source, in đồng."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="commitments"
    )
    source = models.CharField(_("source of funds"), max_length=24, choices=FundingSource.choices)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    amount = VNDField(_("amount (₫)"))
    committed_on = models.DateField(_("committed on"))
    document = models.CharField(_("document reference"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("funding commitment")
        verbose_name_plural = _("funding commitments")
        ordering = ["-committed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="programme_commitment_positive")
        ]
        indexes = [models.Index(fields=["created_at"], name="programme_commitment_created")]

    def __str__(self) -> str:
        return f"{self.center} — {self.get_source_display()} — {format_vnd(self.amount)}"


class Disbursement(TimeStampedModel):
    """Money actually paid against a commitment. Going over the commitment needs a logged override."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = VNDField(_("amount (₫)"))
    disbursed_on = models.DateField(_("disbursed on"))
    document = models.CharField(_("document reference"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    over_commitment = models.BooleanField(_("over the commitment"), default=False)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("override by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-disbursed_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="programme_disbursement_positive"),
            models.CheckConstraint(
                condition=Q(over_commitment=False) | ~Q(override_reason=""),
                name="programme_override_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="programme_disbursement_created")]

    def __str__(self) -> str:
        return f"{format_vnd(self.amount)} ({self.disbursed_on:%d/%m/%Y})"
