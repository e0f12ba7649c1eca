"""What every design service checks: texts, amounts, dates, files, who pays and the subsidy's limit."""

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.money import format_vnd
from ocophub.programme.models import Commitment

from .. import notices
from ..files import MAX_FILES_PER_UPLOAD, design_file_check
from ..models import (
    DRAWING_STATES,
    IMAGE_TYPES,
    TRANSITIONS,
    DesignEvent,
    DesignFile,
    DesignKind,
    DesignRequest,
    DesignVersion,
    Payer,
    RequestState,
)

# the most a design can cost, in đồng: far above any real job, low enough to stop a typo of zeros
MAX_PRICE = 10**11
# centers whose studio takes requests
WORKING_CENTER_STATES = ("recognised", "operating")
# kinds of design a product's page shows as its current one
PRODUCT_DESIGN_KINDS: tuple[str, ...] = (DesignKind.LABEL, DesignKind.PACKAGING)
Upload = UploadedFile[Any]


def required_text(value: str | None, field: str, required: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise DomainError(required, fields={field: _("Required.")})
    if len(text) > limit:
        message = _("At most %(n)s characters.") % {"n": limit}
        raise DomainError(message, fields={field: message})
    return text


def checked_amount(value: Any, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(_("Give a whole number of đồng."), fields={field: _("A whole number of đồng.")})
    if value < 0:
        raise DomainError(_("An amount cannot be negative."), fields={field: _("Cannot be negative.")})
    if value > MAX_PRICE:
        message = _("At most %(amount)s.") % {"amount": format_vnd(MAX_PRICE)}
        raise DomainError(message, fields={field: message})
    return value


def checked_future_date(value: dt.date | None, field: str, message: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(_("Give a date."), fields={field: _("Required.")})
    if value < local_today():
        raise DomainError(message, fields={field: _("In the past.")})
    return value


def checked_files(files: Sequence[Upload], field: str) -> list[tuple[Upload, str]]:
    if len(files) > MAX_FILES_PER_UPLOAD:
        message = _("At most %(n)s files at a time.") % {"n": MAX_FILES_PER_UPLOAD}
        raise DomainError(message, fields={field: message})
    return [(upload, design_file_check(upload, field)) for upload in files]


def files_store(
    request: DesignRequest,
    checked: list[tuple[Upload, str]],
    *,
    role: str,
    version: DesignVersion | None,
    actor: Any,
) -> list[DesignFile]:
    stored = []
    for upload, kind in checked:
        upload.seek(0)
        row = DesignFile(
            request=request,
            version=version,
            role=role,
            original_name=(upload.name or "tep")[:200],
            file_type=kind,
            size=upload.size or 0,
            uploaded_by=acting_user(actor),
        )
        row.file.save(upload.name or "tep", upload, save=False)
        row.save()
        stored.append(row)
    if stored:
        from ..previews import previews_make

        names = [str(row.file.name) for row in stored if row.file_type in IMAGE_TYPES]
        transaction.on_commit(lambda: previews_make(names))
    return stored


def acting_user(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def locked(request: DesignRequest) -> DesignRequest:
    return DesignRequest.objects.select_for_update().select_related("producer", "center").get(pk=request.pk)


def move(
    request: DesignRequest,
    to_state: str,
    *,
    actor: Any,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> DesignRequest:
    """Lock the request, check the move against TRANSITIONS, write its event row; the caller saves."""
    request = locked(request)
    if to_state not in TRANSITIONS.get(request.state, ()):
        raise Conflict(
            _("A request that is “%(state)s” cannot become “%(to)s”.")
            % {"state": request.get_state_display(), "to": RequestState(to_state).label},
            fields={"state": _("Not allowed from the current state.")},
        )
    DesignEvent.objects.create(
        request=request,
        actor=acting_user(actor),
        from_state=request.state,
        to_state=to_state,
        reason=reason[:2000],
        detail=detail or {},
    )
    request.state = to_state
    return request


def notify_after_commit(request_id: int, event: str, **extra: Any) -> None:
    transaction.on_commit(lambda: notices.request_notice_send(request_id, event, **extra))


def commitment_remaining(commitment: Commitment, *, excluding: int | None = None) -> int:
    """What is left of a commitment for design subsidies: its amount less the subsidies of the
    requests drawing on it (every request but a declined or cancelled one)."""
    drawing = DesignRequest.objects.filter(commitment=commitment, state__in=DRAWING_STATES)
    if excluding is not None:
        drawing = drawing.exclude(pk=excluding)
    used = sum(row.subsidy_amount for row in drawing.only("budget", "price", "subsidy_percent"))
    return int(commitment.amount) - used


def checked_payment(
    *, center: Center, payer: str, subsidy_percent: int | None, commitment: Commitment | None
) -> tuple[str, int, Commitment | None]:
    if payer not in Payer.values:
        raise DomainError(_("Say who pays."), fields={"payer": _("Choose one of the options.")})
    if payer == Payer.PRODUCER:
        return payer, 0, None
    if commitment is None:
        raise DomainError(
            _("Choose the funding commitment the subsidy comes from."), fields={"commitment": _("Required.")}
        )
    if commitment.center_id != center.pk:
        raise DomainError(
            _("The subsidy must come from a commitment to this center."),
            fields={"commitment": _("Not a commitment to this center.")},
        )
    if payer == Payer.SUBSIDY:
        return payer, 100, commitment
    if (
        isinstance(subsidy_percent, bool)
        or not isinstance(subsidy_percent, int)
        or not 0 < subsidy_percent < 100
    ):
        raise DomainError(
            _("The producer's share and the subsidy's share must add up to 100 %, each more than 0."),
            fields={"subsidy_percent": _("Between 1 and 99 %.")},
        )
    return payer, subsidy_percent, commitment


def subsidy_check(request: DesignRequest) -> None:
    """The request's subsidy fits in what is left of its commitment (locked: two requests racing for
    the last of a commitment cannot both have it)."""
    if request.commitment_id is None:
        return
    commitment = Commitment.objects.select_for_update().get(pk=request.commitment_id)
    remaining = commitment_remaining(commitment, excluding=request.pk)
    if request.subsidy_amount > remaining:
        raise DomainError(
            _("The subsidy (%(asked)s) is more than what is left of the commitment (%(left)s).")
            % {"asked": format_vnd(request.subsidy_amount), "left": format_vnd(max(remaining, 0))},
            fields={"commitment": _("Not enough left.")},
        )


def first_image(request: DesignRequest, role: str) -> DesignFile | None:
    return (
        request.files.filter(role=role, file_type__in=IMAGE_TYPES).order_by("-version__number", "pk").first()
    )
