"""Products, their photos and status changes, the catalogue's version row and its search words."""

from django.db import models
from django.db.models import F, Func, Q
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel, TransitionEvent
from ocophub.common.money import VNDField

from .producers import Producer
from .taxonomy import TaxonomyNode


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
        ordering = ["product_id", "position", "pk"]  # the column: "product" would join and sort by its name
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
        indexes = [models.Index(fields=["at"], name="catalogue_productevent_at")]


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
