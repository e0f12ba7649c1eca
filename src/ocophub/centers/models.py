"""OCOP and craft-village centers: profile, functional spaces, hours, photos, life-cycle, recognition."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.places.models import AdministrativeUnit, Craft, CraftVillage

# Decision 6385/QĐ-UBND (14/12/2023): a center has at least 500 m² and four functional spaces; the
# transactions and workshops space has at least 100 m².
MIN_FLOOR_AREA_M2 = Decimal(500)
MIN_TRANSACTION_SPACE_M2 = Decimal(100)
MIN_OCOP_GOODS_SHARE = Decimal("0.60")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNED = "planned", _("Planned")
    UNDER_CONSTRUCTION = "under_construction", _("Under construction")
    RECOGNISED = "recognised", _("Recognised")
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


# The life-cycle. Any move not listed here is refused.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.PROPOSED: (Status.PLANNED, Status.CLOSED),
    Status.PLANNED: (Status.UNDER_CONSTRUCTION, Status.CLOSED),
    Status.UNDER_CONSTRUCTION: (Status.RECOGNISED, Status.CLOSED),
    Status.RECOGNISED: (Status.OPERATING, Status.SUSPENDED, Status.CLOSED),
    Status.OPERATING: (Status.SUSPENDED, Status.CLOSED),
    Status.SUSPENDED: (Status.OPERATING, Status.CLOSED),
    Status.CLOSED: (),
}

# Statuses in which a center counts towards a plan's target, and those on the way to it.
COUNTED_STATUSES = (Status.RECOGNISED, Status.OPERATING)
PIPELINE_STATUSES = (Status.PLANNED, Status.UNDER_CONSTRUCTION)
PUBLIC_STATUSES = (Status.RECOGNISED, Status.OPERATING)


class SpaceKind(models.TextChoices):
    """The four functional spaces of Decision 6385/QĐ-UBND."""

    DISPLAY_SALE = "display_sale", _("Display and sale")
    TRANSACTIONS = "transactions", _("Transactions and workshops")
    DEMONSTRATION = "demonstration", _("Demonstration, experience and product information")
    PHOTO = "photo", _("Photo space")


class Center(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    folded_name = models.CharField(_("folded name"), max_length=200, editable=False, db_index=True)
    craft_village = models.ForeignKey(
        CraftVillage,
        verbose_name=_("craft village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centers",
    )
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="centers",
        help_text=_(
            "The commune in force when the center was set up; later units follow from the conversion map."
        ),
    )
    unit_2025 = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit since 01/07/2025"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centers_2025",
        limit_choices_to={"era": "current", "level": "commune"},
        help_text=_(
            "The one commune or ward in force since 01/07/2025 the site lies in. Empty while unknown: "
            "the old commune was split and no one has said which part the site is in."
        ),
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
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
    crafts = models.ManyToManyField(Craft, verbose_name=_("crafts"), blank=True, related_name="centers")
    floor_area_m2 = models.DecimalField(
        _("floor area (m²)"),
        max_digits=9,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    operating_entity = models.CharField(_("operating entity"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    status_since = models.DateField(_("status since"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative data"), default=False, help_text=_("Demo values that are not from a source.")
    )

    class Meta:
        verbose_name = _("center")
        verbose_name_plural = _("centers")
        ordering = ["folded_name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(floor_area_m2__isnull=True) | Q(floor_area_m2__gte=0),
                name="centers_area_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def allowed_transitions(self) -> tuple[str, ...]:
        return TRANSITIONS[self.status]


class CenterSpace(models.Model):
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="spaces"
    )
    kind = models.CharField(_("space"), max_length=20, choices=SpaceKind.choices)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=1, validators=[MinValueValidator(Decimal(0))]
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("functional space")
        verbose_name_plural = _("functional spaces")
        ordering = ["center_id", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["center", "kind"], name="centers_space_one_per_kind"),
            models.CheckConstraint(condition=Q(area_m2__gte=0), name="centers_space_area_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.area_m2} m²)"


class OpeningHours(models.Model):
    """One opening period on a weekday (0 = Monday). Several rows make split hours."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="hours"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), validators=[MaxValueValidator(6)])
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["center_id", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="centers_hours_weekday"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="centers_hours_order"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday}: {self.opens:%H:%M}–{self.closes:%H:%M}"


def photo_path(instance: "CenterPhoto", filename: str) -> str:
    return f"centers/{instance.center_id}/{filename}"


class CenterPhoto(TimeStampedModel):
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["center_id", "position", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class CenterEvent(TransitionEvent):
    """A move in a center's life-cycle. `effective_on` is the day it took effect (a decision's date)."""

    # PROTECT: a center's history is never deleted with it; centers are closed instead
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="events"
    )
    effective_on = models.DateField(_("effective on"))

    class Meta(TransitionEvent.Meta):
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-effective_on", "-at", "-pk"]
        indexes = [
            models.Index(fields=["center", "effective_on"]),
            models.Index(fields=["at"], name="centers_centerevent_at"),
        ]

    def __str__(self) -> str:
        return f"{self.center}: {self.from_state or '∅'} → {self.to_state} ({self.effective_on:%d/%m/%Y})"


class Recognition(TimeStampedModel):
    """The decision that recognised a center: number, date, issuer, score and band."""

    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="recognitions"
    )
    decision_number = models.CharField(_("decision number"), max_length=60)
    decision_date = models.DateField(_("decision date"))
    issuer = models.CharField(_("issuer"), max_length=200)
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )
    band = models.CharField(_("band"), max_length=40, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-decision_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="centers_score_range",
            ),
            models.CheckConstraint(condition=~Q(decision_number=""), name="centers_recognition_has_number"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.decision_date:%d/%m/%Y})"


def band_for(score: Decimal | None) -> str:
    """The band a score falls in, as Decision 717/QĐ-SCT reported them ("80–<90", "70–<80")."""
    if score is None:
        return ""
    if score >= 90:
        return "90–100"
    low = int(score // 10) * 10
    return f"{low}–<{low + 10}"


class Criterion(models.Model):
    """A criterion of the recognition score sheet, kept as data (Decision 6385/QĐ-UBND)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    space = models.CharField(_("space"), max_length=20, choices=SpaceKind.choices, blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_confirmed = models.BooleanField(_("confirmed by a source"), default=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("recognition criterion")
        verbose_name_plural = _("recognition criteria")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gte=0), name="centers_criterion_points")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.max_points})"


class ScoreSheet(TimeStampedModel):
    center = models.ForeignKey(
        Center, verbose_name=_("center"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["-assessed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.center} {self.assessed_on:%d/%m/%Y}"

    @property
    def total(self) -> Decimal:
        return sum((score.points for score in self.scores.all()), Decimal(0))


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("points"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="centers_score_once"),
            models.CheckConstraint(condition=Q(points__gte=0), name="centers_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion.code}: {self.points}"
