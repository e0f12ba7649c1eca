"""Producers, the OCOP taxonomy and rule sets, products and their OCOP certificates."""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField
from ocophub.places.models import AdministrativeUnit, CraftVillage

CERTIFICATE_MONTHS = 36  # a certificate is valid 36 months from its decision (148/QĐ-TTg)
EXPIRY_NOTICE_DAYS = 30  # the producer is told at least 30 days before expiry


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
        ordering = ["producer", "position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


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


class ProductStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


PRODUCT_TRANSITIONS: dict[str, tuple[str, ...]] = {
    # a producer submits; the unit officer (or the city) publishes or sends it back to draft
    ProductStatus.DRAFT: (ProductStatus.SUBMITTED, ProductStatus.PUBLISHED, ProductStatus.ARCHIVED),
    ProductStatus.SUBMITTED: (ProductStatus.PUBLISHED, ProductStatus.DRAFT, ProductStatus.ARCHIVED),
    ProductStatus.PUBLISHED: (ProductStatus.DRAFT, ProductStatus.ARCHIVED),
    ProductStatus.ARCHIVED: (ProductStatus.DRAFT,),
}


class StarsOrZero(Func):
    """COALESCE(stars, 0) with the 0 written in the SQL, not passed as a parameter: SQLite uses an index
    on an expression only for the same expression, and `?` is not `0`."""

    template = "COALESCE(%(expressions)s, 0)"
    arity = 1
    output_field = models.PositiveSmallIntegerField()


# how lists sort by stars: the current stars, 0 for none (so that products without stars come last)
STARS_SORT_KEY = StarsOrZero(F("current_stars"))


class CatalogueVersion(models.Model):
    """One row whose number every write that can change the whole catalogue's facet counts bumps; the
    cached counts are keyed by it."""

    n = models.PositiveBigIntegerField(default=0)
    # drawn anew by every bump: a number that came back (a restored backup, a rolled-back transaction)
    # never meets the counts cached under it before
    token = models.CharField(max_length=32, blank=True, default="")
    # the day the daily job last brought every product's current stars up to date
    stars_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return str(self.n)


class Product(TimeStampedModel):
    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    folded_name = models.CharField(_("folded name"), max_length=200, editable=False, db_index=True)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    taxonomy = models.ForeignKey(
        TaxonomyNode,
        verbose_name=_("product group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("story"), blank=True)
    materials = models.TextField(_("materials or ingredients"), blank=True)
    packaging = models.CharField(_("packaging"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("e.g. bộ, chiếc, hộp 500 g"))
    # the English site shows these when they are filled, the Vietnamese text otherwise
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    unit_en = models.CharField(
        _("English unit"), max_length=40, blank=True, help_text=_("e.g. set, piece, 500 g box")
    )
    description_en = models.TextField(_("English description"), blank=True)
    gtin = models.CharField(_("GTIN / barcode"), max_length=14, null=True, blank=True, unique=True)
    list_price = VNDField(_("list price (₫)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    search_text = models.TextField(
        _("search text"), editable=False, default="", help_text=_("folded text the search indexes")
    )
    is_illustrative = models.BooleanField(_("illustrative data"), default=False)
    source = models.CharField(_("source"), max_length=400, blank=True)
    # the stars of the certificate the product shows today (`selectors.badge`), kept by the certificate
    # services and the daily job so that lists sort by stars without reading the certificates
    current_stars = models.PositiveSmallIntegerField(
        _("current stars"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["folded_name", "pk"]
        # one per list order, so that a page of any order is read from an index (keyset or offset)
        indexes = [
            models.Index(fields=["status", "folded_name", "id"], name="catalogue_product_by_name"),
            models.Index(fields=["status", "list_price", "id"], name="catalogue_product_by_price"),
            models.Index(fields=["status", "created_at", "id"], name="catalogue_product_by_age"),
            # sort=stars: products without stars last on both databases (SQLite has no NULLS LAST in an
            # index, so the key is the stars or 0)
            models.Index(
                F("status"),
                STARS_SORT_KEY.desc(),
                F("folded_name"),
                F("id"),
                name="catalogue_product_status_stars",
            ),
            models.Index(STARS_SORT_KEY.desc(), F("folded_name"), F("id"), name="catalogue_product_stars"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(list_price__isnull=True) | Q(list_price__gte=0),
                name="catalogue_price_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductPhoto(TimeStampedModel):
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="products/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class ProductEvent(TransitionEvent):
    # PROTECT: a product's history is never deleted with it; products are archived instead
    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="events"
    )

    class Meta(TransitionEvent.Meta):
        verbose_name = _("product status change")
        verbose_name_plural = _("product status changes")


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
        indexes = [models.Index(fields=["valid_until"])]
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


class SearchWord(models.Model):
    """A word of some product's search text: the vocabulary that typo and split matches are looked up
    in (`search.contract`). Words are added by `search.reindex`; `search.rebuild_vocabulary` (daily)
    drops the words no product uses any more."""

    MAX_LENGTH = 64

    word = models.CharField(max_length=MAX_LENGTH, primary_key=True)
    length = models.PositiveSmallIntegerField(db_index=True)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word
