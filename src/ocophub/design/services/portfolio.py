"""The portfolio's writes: the producer's consent to show a design, and a delivered design set as a
product's current label or package."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Product
from ocophub.common.errors import Conflict, DomainError
from ocophub.programme.models import Commitment

from ..models import (
    DONE_STATES,
    DRAWING_STATES,
    DesignFile,
    DesignRequest,
    FileRole,
    ProductDesign,
)
from .checks import PRODUCT_DESIGN_KINDS, acting_user, commitment_remaining, first_image, locked


@transaction.atomic
def design_portfolio_set(*, actor: Any, request: DesignRequest, allowed: bool) -> DesignRequest:
    """The producer lets the center show a design in its portfolio, or withdraws it (kept as a change
    record of the request)."""
    from ocophub.common.services import change_record_write

    request = locked(request)
    if request.terms_accepted_at is None:
        raise Conflict(
            _("The portfolio choice is made when the design is approved."),
            fields={"portfolio_allowed": _("Not yet approved.")},
        )
    if request.portfolio_allowed != bool(allowed):
        change_record_write(
            actor=actor,
            obj=request,
            changes={"portfolio_allowed": [request.portfolio_allowed, bool(allowed)]},
        )
        request.portfolio_allowed = bool(allowed)
        request.save(update_fields=["portfolio_allowed", "updated_at"])
    return request


@transaction.atomic
def product_design_set(
    *, actor: Any, request: DesignRequest, product: Product, kind: str, file: DesignFile | None = None
) -> ProductDesign:
    """Make a delivered design the product's current label or package, shown on the product's page."""
    if request.state not in DONE_STATES:
        raise Conflict(_("Only a delivered design can be used."), fields={"request": _("Not delivered.")})
    if kind not in PRODUCT_DESIGN_KINDS:
        raise DomainError(_("Choose label or package."), fields={"kind": _("Choose one of the options.")})
    if not request.products.filter(pk=product.pk).exists():
        raise DomainError(
            _("The design was not made for this product."),
            fields={"product": _("Not a product of the request.")},
        )
    if file is not None and (
        file.request_id != request.pk or file.role != FileRole.FINAL or not file.is_image
    ):
        raise DomainError(_("Choose one of the final images."), fields={"file": _("Not a final image.")})
    chosen = file or first_image(request, FileRole.FINAL) or request.after_file
    row, _created = ProductDesign.objects.update_or_create(
        product=product,
        kind=kind,
        defaults={"request": request, "file": chosen, "set_by": acting_user(actor)},
    )
    from ocophub.common.services import change_record_write

    change_record_write(actor=actor, obj=product, changes={}, note=f"{kind}: {request.number}")
    return row


def subsidy_used(commitment: Commitment) -> int:
    """The design subsidies drawn on a commitment, for the plan tracker's pages."""
    return int(commitment.amount) - commitment_remaining(commitment)


def subsidy_totals(requests: Any) -> int:
    """Sum of the subsidies of a queryset of requests (the agreed price, or the budget before)."""
    rows = requests.filter(state__in=DRAWING_STATES).only("budget", "price", "subsidy_percent")
    return sum(row.subsidy_amount for row in rows)
