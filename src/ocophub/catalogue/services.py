"""Writes to the catalogue: producers, products, their life-cycle, certificates, reference data."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.images import photo_check
from ocophub.common.services import change_record_write, changes_between, field_values
from ocophub.common.text import fold, slug
from ocophub.places.models import AdministrativeUnit, CraftVillage, Level

from . import search
from .gtin import gtin_is_valid
from .models import (
    CERTIFICATE_MONTHS,
    PRODUCT_TRANSITIONS,
    Certificate,
    DecidingLevel,
    Producer,
    ProducerKind,
    ProducerPhoto,
    Product,
    ProductEvent,
    ProductPhoto,
    ProductStatus,
    RuleSet,
    StarBand,
    StarDecider,
    TaxonomyLevel,
    TaxonomyNode,
    add_months,
)

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
    return producer


# --- products -------------------------------------------------------------------------------


def search_text_for(product: Product) -> str:
    """Folded text the search matches: product, producer, village, communes, crafts, group."""
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
    return fold(" ".join(parts))


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
                product=product, actor=_who(actor), from_state="", to_state=product.status
            )
        if before is not None:
            change_record_write(
                actor=actor, obj=product, changes=changes_between(before, field_values(product, fields))
            )
        search.reindex([product.pk])
    return product


def _with_relations(product: Product) -> Product:
    producer = (
        Producer.objects.select_related("commune__parent", "craft_village")
        .prefetch_related("craft_village__crafts")
        .get(pk=product.producer_id)
    )
    product.producer = producer
    return product


def _who(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


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
            product=product, actor=_who(actor), from_state=current, to_state=to, reason=reason
        )
        search.reindex([product.pk])
    product.status = to
    return product


def product_photo_add(
    *, actor: Any, product: Product, image: "UploadedFile[Any]", caption: str = ""
) -> ProductPhoto:
    """Add a product photo: JPEG, PNG or WebP, at most 8 MB, checked by reading the image itself."""
    photo_check(image)
    with transaction.atomic():
        return ProductPhoto.objects.create(
            product=product,
            image=image,
            caption=caption.replace("\x00", "")[:200],
            position=product.photos.count(),
        )


def producer_photo_add(
    *, actor: Any, producer: Producer, image: "UploadedFile[Any]", caption: str = ""
) -> ProducerPhoto:
    photo_check(image)
    with transaction.atomic():
        return ProducerPhoto.objects.create(
            producer=producer,
            image=image,
            caption=caption.replace("\x00", "")[:200],
            position=producer.photos.count(),
        )


# --- certificates ---------------------------------------------------------------------------


def rule_set_on(day: dt.date) -> RuleSet | None:
    """The rule set that governed decisions of that day."""
    for rule_set in RuleSet.objects.order_by("-valid_from"):
        if rule_set.valid_from <= day and (rule_set.valid_to is None or day <= rule_set.valid_to):
            return rule_set
    return None


def stars_for(rule_set: RuleSet, total: Decimal) -> int | None:
    for band in StarBand.objects.filter(rule_set=rule_set).order_by("-stars"):
        if band.min_score <= total <= band.max_score:
            return band.stars
    return None


# how a message names who decides: "recognised by the district"
LEVEL_PHRASES: dict[str, Promise] = {
    DecidingLevel.COMMUNE: gettext_lazy("the commune"),
    DecidingLevel.DISTRICT: gettext_lazy("the district"),
    DecidingLevel.PROVINCE: gettext_lazy("the province or city"),
    DecidingLevel.CENTRAL: gettext_lazy("the central council"),
}


def deciding_levels(rule_set: RuleSet, stars: int) -> list[str]:
    """The levels that recognise `stars` under the rule set, as the reference data records them."""
    return list(
        StarDecider.objects.filter(rule_set=rule_set, stars=stars)
        .order_by("level")
        .values_list("level", flat=True)
    )


def decider_refusal(rule_set: RuleSet, stars: int, level: str, levels: list[str] | None = None) -> str:
    """Why `level` may not decide `stars` under the rule set, naming who does; empty when it may."""
    levels = deciding_levels(rule_set, stars) if levels is None else levels
    if level in levels:
        return ""
    if not levels:
        return _(
            "No level is recorded as recognising %(stars)s-star products under %(rules)s/QĐ-TTg; the city "
            "administrator records it with the rule set in the admin site."
        ) % {"stars": stars, "rules": rule_set.code}
    separator = " {} ".format(_("or"))
    return _("Under %(rules)s/QĐ-TTg, %(stars)s-star products are recognised by %(levels)s.") % {
        "rules": rule_set.code,
        "stars": stars,
        "levels": separator.join(str(LEVEL_PHRASES[name]) for name in levels),
    }


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("Not a number.")
        return None
    if result < 0:
        errors[field] = _("Must be 0 or more.")
    return result


def certificate_issue(
    *,
    actor: Any,
    product: Product,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    deciding_level: str,
    stars: int | None = None,
    total_score: Any = None,
    score_a: Any = None,
    score_b: Any = None,
    score_c: Any = None,
    source: str = "",
    is_illustrative: bool = False,
) -> Certificate:
    """Record an OCOP certificate. The rule set follows from the decision date; the part scores stay
    within its maxima; a total gives the stars through the rule set's bands; only 3–5★ are certified,
    each by the level the rule set gives it (`StarDecider`: under 148 the district 3★, the province 4★,
    the central council 5★); the certificate is valid 36 months from the decision and supersedes the
    product's earlier ones."""
    errors: dict[str, str] = {}
    if not decision_number.strip():
        errors["decision_number"] = _("Required.")
    if not issuer.strip():
        errors["issuer"] = _("Required.")
    if decision_date > local_today():
        errors["decision_date"] = _("In the future.")
    if deciding_level not in DecidingLevel.values:
        errors["deciding_level"] = _("Unknown level.")
    rule_set = rule_set_on(decision_date)
    if rule_set is None:
        errors["decision_date"] = _("No OCOP rule set applies to this date.")
    parts = {
        name: _decimal(value, name, errors)
        for name, value in (("score_a", score_a), ("score_b", score_b), ("score_c", score_c))
    }
    total = _decimal(total_score, "total_score", errors)
    if rule_set is not None:
        for name, maximum in (
            ("score_a", rule_set.max_a),
            ("score_b", rule_set.max_b),
            ("score_c", rule_set.max_c),
        ):
            part = parts[name]
            if part is not None and part > maximum:
                errors[name] = _("At most %(max)s points under %(rules)s.") % {
                    "max": maximum,
                    "rules": rule_set.code,
                }
        if all(value is not None for value in parts.values()):
            summed = sum((value for value in parts.values() if value is not None), Decimal(0))
            if total is not None and total != summed:
                errors["total_score"] = _("The total must be the sum of the parts (%(sum)s).") % {
                    "sum": summed
                }
            total = summed
        if total is not None and total > rule_set.max_total:
            errors["total_score"] = _("At most %(max)s points.") % {"max": rule_set.max_total}
    if total is not None and rule_set is not None and "total_score" not in errors:
        banded = stars_for(rule_set, total)
        if stars is not None and banded is not None and stars != banded:
            errors["stars"] = _("%(total)s points give %(banded)s stars, not %(stars)s.") % {
                "total": total,
                "banded": banded,
                "stars": stars,
            }
        stars = stars if stars is not None else banded
    if stars is None:
        errors.setdefault("stars", _("Give the stars or the score."))
    elif not 3 <= stars <= 5:
        errors["stars"] = _("Only 3 to 5 stars are certified.")
    elif rule_set is not None and not {"deciding_level", "decision_date"} & errors.keys():
        refused = decider_refusal(rule_set, stars, deciding_level)
        if refused:
            errors["deciding_level"] = refused
    if errors:
        raise DomainError(_("The certificate could not be recorded."), fields=errors)
    assert rule_set is not None and stars is not None, "both are refused with an error above"
    with transaction.atomic():
        certificate = Certificate.objects.create(
            product=product,
            rule_set=rule_set,
            deciding_level=deciding_level,
            stars=stars,
            total_score=total,
            score_a=parts["score_a"],
            score_b=parts["score_b"],
            score_c=parts["score_c"],
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            issuer=issuer.strip(),
            valid_until=add_months(decision_date, CERTIFICATE_MONTHS),
            source=source,
            is_illustrative=is_illustrative,
            recorded_by=_who(actor),
        )
        Certificate.objects.filter(
            product=product, superseded_by__isnull=True, decision_date__lte=decision_date
        ).exclude(pk=certificate.pk).update(superseded_by=certificate)
    return certificate


def certificate_revoke(
    *, actor: Any, certificate: Certificate, reason: str, on: dt.date | None = None
) -> Certificate:
    """Revoke a certificate with the reason, keeping who revoked it. A revoked certificate is the
    archive of one: certificates are never deleted."""
    if not reason.strip():
        raise DomainError(_("Give the reason for the revocation."), fields={"reason": _("Required.")})
    with transaction.atomic():
        moved = Certificate.objects.filter(pk=certificate.pk, revoked_on__isnull=True).update(
            revoked_on=on or local_today(),
            revoked_reason=reason.strip(),
            revoked_by=_who(actor),
            updated_at=timezone.now(),
        )
        if moved != 1:
            raise Conflict(_("This certificate is already revoked."))
    certificate.refresh_from_db()
    return certificate


# --- reference data -------------------------------------------------------------------------


_LEVELS = [TaxonomyLevel.GROUP, TaxonomyLevel.SUBGROUP, TaxonomyLevel.CLASS]


def _taxonomy_load(rule_set: RuleSet, groups: list[dict[str, Any]], source: str) -> None:
    """Create or refresh a rule set's taxonomy tree, depth first, keeping the file's order."""
    stack: list[tuple[dict[str, Any], TaxonomyNode | None, int]] = [
        (node, None, 0) for node in reversed(groups)
    ]
    position = 0
    while stack:
        node, parent, depth = stack.pop()
        position += 1
        defaults = {
            "parent": parent,
            "level": _LEVELS[depth],
            "name": node["name"],
            "name_en": node.get("name_en", ""),
            "folded_name": fold(node["name"]),
            "position": position,
            "is_confirmed": depth == 0,  # the groups are sourced; nhóm and phân nhóm not yet
            "source": source,
        }
        saved, _created = TaxonomyNode.objects.update_or_create(
            rule_set=rule_set,
            code=node["code"],
            defaults=defaults,
            # the perishable mark is set when a node is made; afterwards the admin site's choice stands
            create_defaults={**defaults, "is_perishable": node.get("perishable", False)},
        )
        stack.extend((child, saved, depth + 1) for child in reversed(node.get("children", [])))


def reference_load(data: dict[str, Any]) -> None:
    """Create or refresh the rule sets, their star bands and the taxonomy, and add who decides each star
    rating to a rule set that has none recorded yet (idempotent)."""
    with transaction.atomic():
        for row in data["rule_sets"]:
            rule_set, _created = RuleSet.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "valid_from": dt.date.fromisoformat(row["valid_from"]),
                    "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                    "max_a": row["max_a"],
                    "max_b": row["max_b"],
                    "max_c": row["max_c"],
                    "source": row["source"],
                },
            )
            for band in data["bands"]:
                StarBand.objects.update_or_create(
                    rule_set=rule_set,
                    stars=band["stars"],
                    defaults={
                        "min_score": Decimal(band["min"]),
                        "max_score": Decimal(band["max"]),
                        "is_confirmed": row["bands_confirmed"],
                    },
                )
            _taxonomy_load(rule_set, row.get("groups", []), row["source"])
            # loaded once: from then on the admin site's rows are the rule, and a re-run keeps them
            if not StarDecider.objects.filter(rule_set=rule_set).exists():
                StarDecider.objects.bulk_create(
                    StarDecider(
                        rule_set=rule_set,
                        stars=decider["stars"],
                        level=decider["level"],
                        is_confirmed=decider.get("confirmed", True),
                        source=decider["source"],
                    )
                    for decider in row.get("deciders", [])
                )
