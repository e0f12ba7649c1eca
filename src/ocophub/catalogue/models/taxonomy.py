"""Rule sets of OCOP rating with their star bands, product taxonomies and deciding levels."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RuleSet(models.Model):
    """A legal basis of OCOP rating: 1048/QĐ-TTg, 148/QĐ-TTg, 1489/QĐ-TTg; chosen by decision date."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("applies to decisions from"))
    valid_to = models.DateField(_("applies to decisions until"), null=True, blank=True)
    max_a = models.PositiveSmallIntegerField(_("part A maximum"))
    max_b = models.PositiveSmallIntegerField(_("part B maximum"))
    max_c = models.PositiveSmallIntegerField(_("part C maximum"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> int:
        return self.max_a + self.max_b + self.max_c


class StarBand(models.Model):
    """Scores that give a star rating under a rule set (kept as data)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="bands"
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    min_score = models.DecimalField(_("from"), max_digits=5, decimal_places=2)
    max_score = models.DecimalField(_("to"), max_digits=5, decimal_places=2)
    is_confirmed = models.BooleanField(_("confirmed by a source"), default=True)

    class Meta:
        verbose_name = _("star band")
        verbose_name_plural = _("star bands")
        ordering = ["rule_set", "-stars"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "stars"], name="catalogue_band_once")]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.min_score}–{self.max_score}"


class TaxonomyLevel(models.TextChoices):
    GROUP = "group", _("Group")  # bộ sản phẩm / ngành
    SUBGROUP = "subgroup", _("Subgroup")  # nhóm
    CLASS = "class", _("Class")  # phân nhóm


class TaxonomyNode(models.Model):
    """A node of a rule set's product taxonomy: group → nhóm → phân nhóm (kept as data)."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="taxonomy"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=10, choices=TaxonomyLevel.choices)
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    folded_name = models.CharField(_("folded name"), max_length=200, editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_confirmed = models.BooleanField(_("confirmed by a source"), default=True)
    is_perishable = models.BooleanField(
        _("perishable"),
        default=False,
        help_text=_(
            "Goods of this group (and of the groups under it) are received only with an expiry date."
        ),
    )
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("taxonomy node")
        verbose_name_plural = _("taxonomy")
        ordering = ["rule_set", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "code"], name="catalogue_taxonomy_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> "TaxonomyNode":
        node = self
        while node.parent_id:
            node = node.parent  # type: ignore[assignment]
        return node

    @property
    def perishable(self) -> bool:
        """Whether this node or one above it is marked perishable (food, drinks, medicinal herbs)."""
        node: TaxonomyNode | None = self
        while node is not None:
            if node.is_perishable:
                return True
            node = node.parent if node.parent_id else None
        return False


class DecidingLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province / city")
    CENTRAL = "central", _("Central")


class StarDecider(models.Model):
    """Who recognises a star rating under a rule set: a certificate decided by any other level is refused.

    Kept as data beside the star bands, each row with its source, editable in the admin site."""

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), on_delete=models.CASCADE, related_name="deciders"
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(3), MaxValueValidator(5)]
    )
    level = models.CharField(_("deciding level"), max_length=10, choices=DecidingLevel.choices)
    is_confirmed = models.BooleanField(_("confirmed by a source"), default=True)
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("deciding level of a star rating")
        verbose_name_plural = _("deciding levels of the star ratings")
        ordering = ["rule_set", "stars", "level"]
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "stars", "level"], name="catalogue_decider_once"),
            models.CheckConstraint(
                condition=Q(stars__gte=3) & Q(stars__lte=5), name="catalogue_decider_stars"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stars}★ {self.get_level_display()}"
