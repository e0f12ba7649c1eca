"""Administrative units of Hanoi across the 2025 reforms, their succession, and craft villages.

Two systems are held side by side and never overwritten:
- the three-tier system (city → 30 districts → communes) in force until 30/06/2025, including the
  communes dissolved by Resolution 1286/NQ-UBTVQH15 on 01/01/2025;
- the two-tier system (city → 126 communes and wards) in force from 01/07/2025
  (Resolution 1656/NQ-UBTVQH15).
A record elsewhere keeps the unit it had on its own date; `UnitSuccession` links old to new.
"""

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel

REFORM_2025_01 = dt.date(2025, 1, 1)
REFORM_2025_07 = dt.date(2025, 7, 1)
LAST_DAY_THREE_TIER = dt.date(2025, 6, 30)
LAST_DAY_BEFORE_2025_01 = dt.date(2024, 12, 31)


class Era(models.TextChoices):
    LEGACY = "legacy", _("until 30/06/2025 (three tiers)")
    CURRENT = "current", _("from 01/07/2025 (two tiers)")


class Level(models.TextChoices):
    CITY = "city", _("city")
    DISTRICT = "district", _("district level")
    COMMUNE = "commune", _("commune level")


class DivisionType(models.TextChoices):
    CITY = "thanh_pho_tw", _("centrally governed city")
    URBAN_DISTRICT = "quan", _("urban district (quận)")
    RURAL_DISTRICT = "huyen", _("rural district (huyện)")
    TOWN = "thi_xa", _("town (thị xã)")
    PROVINCIAL_CITY = "thanh_pho", _("provincial city")
    WARD = "phuong", _("ward (phường)")
    COMMUNE = "xa", _("commune (xã)")
    TOWNSHIP = "thi_tran", _("township (thị trấn)")


# The plan's units (Plan 276/KH-UBND): every huyện and the thị xã.
PLAN_DISTRICT_TYPES = (DivisionType.RURAL_DISTRICT, DivisionType.TOWN)


class AdministrativeUnitQuerySet(models.QuerySet["AdministrativeUnit"]):
    def in_force_on(self, day: dt.date) -> "AdministrativeUnitQuerySet":
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def districts(self) -> "AdministrativeUnitQuerySet":
        return self.filter(level=Level.DISTRICT)

    def communes(self) -> "AdministrativeUnitQuerySet":
        return self.filter(level=Level.COMMUNE)


class AdministrativeUnit(TimeStampedModel):
    """A unit as it was (or is) in force between `valid_from` and `valid_to`.

    `valid_from` is empty when the unit predates the records we hold; `valid_to` is empty while the
    unit is in force. Codes are the national statistics codes; the same number can name a different
    unit in another era (577 was Xã Đa Tốn and is now Xã Bát Tràng), so a unit is identified by its
    era, level, code and end date together.
    """

    era = models.CharField(_("system"), max_length=10, choices=Era.choices)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    division_type = models.CharField(_("type"), max_length=16, choices=DivisionType.choices)
    code = models.PositiveIntegerField(_("code"))
    name = models.CharField(_("name"), max_length=120)
    folded_name = models.CharField(_("folded name"), max_length=120, db_index=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=140, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)

    objects = AdministrativeUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        ordering = ["era", "level", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_to"],
                condition=Q(era="legacy"),
                name="places_unit_legacy_unique",
            ),
            models.UniqueConstraint(
                fields=["level", "code"], condition=Q(era="current"), name="places_unit_current_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="places_unit_valid_range",
            ),
            models.CheckConstraint(
                condition=Q(era="current") | Q(valid_to__isnull=False), name="places_unit_legacy_ended"
            ),
        ]
        indexes = [models.Index(fields=["era", "level", "code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def code_display(self) -> str:
        width = 3 if self.level == Level.DISTRICT else 5 if self.level == Level.COMMUNE else 2
        return f"{self.code:0{width}d}"

    def in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitSuccession(models.Model):
    """The official old → new map: which units took over a unit's area on `effective_date`.

    `partly_merged` is set when only part of the old unit went to this successor (the old unit was
    split across several new ones), as marked in the official conversion table.
    """

    predecessor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("old unit"), on_delete=models.CASCADE, related_name="successions"
    )
    successor = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("new unit"), on_delete=models.CASCADE, related_name="predecessions"
    )
    effective_date = models.DateField(_("effective date"))
    partly_merged = models.BooleanField(_("partly merged"), default=False)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("unit conversion")
        verbose_name_plural = _("unit conversions")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="places_succession_unique"),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")), name="places_succession_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Craft(models.Model):
    """A craft (nghề): ceramics, lacquer, silk weaving …"""

    name = models.CharField(_("craft name"), max_length=100, unique=True)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)

    class Meta:
        verbose_name = _("craft")
        verbose_name_plural = _("crafts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RecognisedTitle(models.TextChoices):
    CRAFT_VILLAGE = "lang_nghe", _("Craft village")
    TRADITIONAL_CRAFT_VILLAGE = "lang_nghe_truyen_thong", _("Traditional craft village")
    TRADITIONAL_CRAFT = "nghe_truyen_thong", _("Traditional craft")
    NONE = "", _("Not recognised")


class CraftVillage(TimeStampedModel):
    """A craft village: the village, the commune it lies in (as of the three-tier system), its crafts."""

    name = models.CharField(_("village name"), max_length=120)
    folded_name = models.CharField(_("folded name"), max_length=120, db_index=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=140, unique=True)
    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="craft_villages",
        limit_choices_to={"level": Level.COMMUNE, "era": Era.LEGACY},
    )
    crafts = models.ManyToManyField(Craft, verbose_name=_("craft"), related_name="villages", blank=True)
    title = models.CharField(
        _("recognised title"), max_length=32, choices=RecognisedTitle.choices, blank=True, default=""
    )
    title_year = models.PositiveSmallIntegerField(_("year recognised"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("craft village")
        verbose_name_plural = _("craft villages")
        ordering = ["folded_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(title_year__isnull=True) | (Q(title_year__gte=1900) & Q(title_year__lte=2100)),
                name="places_village_title_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name
