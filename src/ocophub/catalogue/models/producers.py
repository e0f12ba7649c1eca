"""Producers ("chủ thể OCOP") and their photos."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel
from ocophub.places.models import AdministrativeUnit, CraftVillage


class ProducerKind(models.TextChoices):
    COOPERATIVE = "cooperative", _("Cooperative")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
    ENTERPRISE = "enterprise", _("Enterprise")
    FARM = "farm", _("Farm")
    HOUSEHOLD = "household", _("Registered household business")
    ASSOCIATION = "association", _("Association")


class Producer(TimeStampedModel):
    """An OCOP producer ("chủ thể OCOP")."""

    name = models.CharField(_("name"), max_length=200)
    folded_name = models.CharField(_("folded name"), max_length=200, editable=False, db_index=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=ProducerKind.choices)
    registration_number = models.CharField(
        _("registration or tax number"), max_length=30, null=True, blank=True, unique=True
    )
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    commune = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="producers"
    )
    craft_village = models.ForeignKey(
        CraftVillage,
        verbose_name=_("craft village"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="producers",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    story = models.TextField(_("story"), blank=True, help_text=_("Paragraphs separated by a blank line."))
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    source = models.CharField(_("source"), max_length=400, blank=True)
    # a producer is never deleted once it has history; it stops instead (no new products)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive producer keeps its history but adds no new products."),
    )

    class Meta:
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        ordering = ["folded_name", "pk"]

    def __str__(self) -> str:
        return self.name


class ProducerPhoto(TimeStampedModel):
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="producers/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["producer_id", "position", "pk"]  # the column: "producer" would join and sort by its name
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""
