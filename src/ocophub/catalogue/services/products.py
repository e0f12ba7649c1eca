"""Writes to the catalogue: producers, products, their life-cycle and photos."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict, DomainError
from ocophub.common.images import photo_check
from ocophub.common.services import acting_user, change_record_write, changes_between, field_values
from ocophub.common.text import fold, search_terms, slug
from ocophub.common.thumbnails import thumbnails_make
from ocophub.places.models import AdministrativeUnit, CraftVillage, Level

from .. import notices, search
from ..gtin import gtin_is_valid
from ..models import (
    PRODUCT_TRANSITIONS,
    Producer,
    ProducerKind,
    ProducerPhoto,
    Product,
    ProductEvent,
    ProductPhoto,
    ProductStatus,
)
from .stars import catalogue_version_bump

PRODUCER_FIELDS = frozenset(
    {
        "name",
        "kind",
        "registration_number",
        "representative",
        "address",
        "commune",
        "craft_village",
        "phone",
        "email",
        "website",
        "story",
        "is_illustrative",
        "source",
        "is_active",
    }
)
PRODUCT_FIELDS = frozenset(
    {
        "name",
        "name_en",
        "unit_en",
        "description_en",
        "taxonomy",
        "description",
        "story",
        "materials",
        "packaging",
        "unit",
        "gtin",
        "list_price",
        "is_illustrative",
        "source",
    }
)


def _unique_slug(model: Any, text: str, exclude_pk: int | None = None) -> str:
    base = slug(text) or "muc"
    candidate, n = base, 1
    while model.objects.filter(slug=candidate).exclude(pk=exclude_pk).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _clean(instance: Any, message: str) -> None:
    try:
        instance.full_clean(exclude=["slug", "folded_name", "search_text"])
    except ValidationError as error:
        fields = {name: " ".join(str(m) for m in messages) for name, messages in error.message_dict.items()}
        raise DomainError(message, fields=fields) from error


# --- producers ------------------------------------------------------------------------------


def producer_save(*, actor: Any, producer: Producer | None = None, **fields: Any) -> Producer:
    """Create a producer, or change the given fields of one; its products' search text follows."""
    unknown = set(fields) - PRODUCER_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields."), fields={name: _("Unknown field.") for name in unknown})
    commune = fields.get("commune", producer.commune if producer else None)
    if not isinstance(commune, AdministrativeUnit) or commune.level != Level.COMMUNE:
        raise DomainError(
            _("Choose a commune or ward of Hanoi."), fields={"commune": _("Not a commune of Hanoi.")}
        )
    if fields.get("kind") is not None and fields["kind"] not in ProducerKind.values:
        raise DomainError(_("Unknown kind of producer."), fields={"kind": _("Unknown kind of producer.")})
    if "registration_number" in fields:
        fields["registration_number"] = (fields["registration_number"] or "").strip() or None
    with transaction.atomic():
        if producer is None:
            producer = Producer()
            before = None
        else:
            producer = Producer.objects.select_for_update().get(pk=producer.pk)
            before = field_values(producer, fields)
        for name, value in fields.items():
            setattr(producer, name, value)
        producer.name = producer.name.strip()
        producer.folded_name = fold(producer.name)
        if not producer.slug:
            producer.slug = _unique_slug(Producer, producer.name)
        _clean(producer, _("The producer could not be saved."))
        producer.save()
        if before is not None:
            change_record_write(
                actor=actor, obj=producer, changes=changes_between(before, field_values(producer, fields))
            )
        # the producer's name, commune and village are part of its products' search text
        products = list(Product.objects.filter(producer=producer).select_related("taxonomy__parent__parent"))
        for product in products:
            product = _with_relations(product)
            product.search_text = search_text_for(product)
        Product.objects.bulk_update(products, ["search_text"], batch_size=500)
        search.reindex([product.pk for product in products])
        catalogue_version_bump()  # its district and village are facets of its products
    return producer


# --- products -------------------------------------------------------------------------------


def search_text_for(product: Product) -> str:
    """The words the search matches, folded and space-separated (letters and digits only, as queries
    are cut): product, producer, village, communes, crafts, group."""
    producer = product.producer
    parts = [product.name, producer.name]
    village: CraftVillage | None = producer.craft_village
    if village is not None:
        parts.append(village.name)
        parts += [craft.name for craft in village.crafts.all()]
    commune = producer.commune
    parts.append(commune.name)
    if commune.parent is not None and commune.parent.level == Level.DISTRICT:
        parts.append(commune.parent.name)
    node = product.taxonomy
    if node is not None:
        parts.append(node.name)
        if node.parent_id:
            parts.append(node.group.name)
    return " ".join(search_terms(" ".join(parts)))


def _check_product(fields: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    gtin = fields.get("gtin")
    if gtin:
        fields["gtin"] = gtin = str(gtin).strip()
        if not gtin_is_valid(gtin):
            errors["gtin"] = _("Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit.")
    elif "gtin" in fields:
        fields["gtin"] = None
    if "list_price" in fields and fields["list_price"] is not None:
        price = fields["list_price"]
        if isinstance(price, bool) or not isinstance(price, int):
            errors["list_price"] = _("Whole đồng only.")
        elif price < 0:
            errors["list_price"] = _("A price cannot be negative.")
    if errors:
        raise DomainError(_("The product could not be saved."), fields=errors)


def product_save(
    *, actor: Any, product: Product | None = None, producer: Producer | None = None, **fields: Any
) -> Product:
    """Create a product of `producer` (a draft), or change the given fields of one."""
    unknown = set(fields) - PRODUCT_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields."), fields={name: _("Unknown field.") for name in unknown})
    _check_product(fields)
    with transaction.atomic():
        if product is None:
            if producer is None:
                raise DomainError(_("Choose the producer."), fields={"producer": _("Required.")})
            if not producer.is_active:
                raise DomainError(
                    _("This producer is inactive: it adds no new products."),
                    fields={"producer": _("Inactive producer.")},
                )
            product = Product(producer=producer, status=ProductStatus.DRAFT)
            creating = True
            before = None
        else:
            product = Product.objects.select_for_update().get(pk=product.pk)
            creating = False
            before = field_values(product, fields)
        for name, value in fields.items():
            setattr(product, name, value)
        product.name = product.name.strip()
        product.folded_name = fold(product.name)
        if not product.slug:
            product.slug = _unique_slug(Product, product.name)
        product = _with_relations(product)
        product.search_text = search_text_for(product)
        _clean(product, _("The product could not be saved."))
        product.save()
        if creating:
            ProductEvent.objects.create(
                product=product, actor=acting_user(actor), from_state="", to_state=product.status
            )
        if before is not None:
            change_record_write(
                actor=actor, obj=product, changes=changes_between(before, field_values(product, fields))
            )
        search.reindex([product.pk])
        catalogue_version_bump()
    return product


def _with_relations(product: Product) -> Product:
    producer = (
        Producer.objects.select_related("commune__parent", "craft_village")
        .prefetch_related("craft_village__crafts")
        .get(pk=product.producer_id)
    )
    product.producer = producer
    return product


def product_transition(*, actor: Any, product: Product, to: str, reason: str = "") -> Product:
    """draft → published → archived (and back to draft); anything else is refused."""
    if to not in ProductStatus.values:
        raise DomainError(_("Unknown status."), fields={"to": _("Unknown status.")})
    current = product.status
    if to not in PRODUCT_TRANSITIONS[current]:
        raise DomainError(
            _("A product that is “%(from)s” cannot become “%(to)s”.")
            % {"from": ProductStatus(current).label, "to": ProductStatus(to).label},
            fields={"to": _("Not allowed from the current status.")},
            code="illegal_transition",
        )
    with transaction.atomic():
        if Product.objects.filter(pk=product.pk, status=current).update(status=to) != 1:
            raise Conflict(_("The product's status changed meanwhile; reload and try again."))
        ProductEvent.objects.create(
            product=product, actor=acting_user(actor), from_state=current, to_state=to, reason=reason
        )
        search.reindex([product.pk])
        catalogue_version_bump()
    product.status = to
    return product


def product_submit(*, actor: Any, product: Product) -> Product:
    """A producer sends a draft for review; the officers of its unit are told by e-mail."""
    product = product_transition(actor=actor, product=product, to=ProductStatus.SUBMITTED)
    transaction.on_commit(lambda: notices.review_notice_send(product.pk, ProductStatus.SUBMITTED))
    return product


def product_review(*, actor: Any, product: Product, publish: bool, reason: str = "") -> Product:
    """The unit's decision on a submitted product: publish it, or send it back to draft with a reason the
    producer reads in the e-mail. Only a submitted product is reviewed."""
    reason = reason.strip()
    if product.status != ProductStatus.SUBMITTED:
        raise DomainError(
            _("Only a product awaiting review can be published or sent back here."), code="illegal_transition"
        )
    if not publish and not reason:
        raise DomainError(
            _("Say what the producer should change."), fields={"reason": _("This field is required.")}
        )
    if len(reason) > 2000:
        raise DomainError(_("The reason is too long."), fields={"reason": _("At most 2000 characters.")})
    to = ProductStatus.PUBLISHED if publish else ProductStatus.DRAFT
    product = product_transition(actor=actor, product=product, to=to, reason=reason)
    transaction.on_commit(lambda: notices.review_notice_send(product.pk, to, reason))
    return product


def product_photo_add(
    *, actor: Any, product: Product, image: "UploadedFile[Any]", caption: str = ""
) -> ProductPhoto:
    """Add a product photo: JPEG, PNG or WebP, at most 8 MB, checked by reading the image itself."""
    photo_check(image)
    with transaction.atomic():
        photo = ProductPhoto.objects.create(
            product=product,
            image=image,
            caption=caption.replace("\x00", "")[:200],
            position=product.photos.count(),
        )
        thumbnails_make(photo.image.name)
        catalogue_version_bump()  # the first photo is on the product's card
        return photo


def producer_photo_add(
    *, actor: Any, producer: Producer, image: "UploadedFile[Any]", caption: str = ""
) -> ProducerPhoto:
    photo_check(image)
    with transaction.atomic():
        photo = ProducerPhoto.objects.create(
            producer=producer,
            image=image,
            caption=caption.replace("\x00", "")[:200],
            position=producer.photos.count(),
        )
        thumbnails_make(photo.image.name)
        return photo


def _file_delete_on_commit(photo: ProductPhoto | ProducerPhoto) -> None:
    # the file goes once the row is gone for good; a rolled-back removal keeps both
    storage, name = photo.image.storage, photo.image.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def product_photo_remove(*, actor: Any, photo: ProductPhoto) -> None:
    """Remove a product photo and, once that is committed, its file."""
    with transaction.atomic():
        if ProductPhoto.objects.filter(pk=photo.pk).delete()[0] != 1:
            raise Conflict(_("The photo was removed meanwhile."))
        _file_delete_on_commit(photo)
        catalogue_version_bump()


def producer_photo_remove(*, actor: Any, photo: ProducerPhoto) -> None:
    """Remove a producer photo and, once that is committed, its file."""
    with transaction.atomic():
        if ProducerPhoto.objects.filter(pk=photo.pk).delete()[0] != 1:
            raise Conflict(_("The photo was removed meanwhile."))
        _file_delete_on_commit(photo)
