"""Writes of the design studio: one service per move of a request, each in one transaction, each
leaving a DesignEvent row and sending its e-mails after the commit.

Permission is the caller's (pages and the API ask accounts.permissions); these services enforce the
workflow (TRANSITIONS), the request's own rules and the subsidy's limit.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts.models import Role, RoleGrant
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError
from ocophub.programme.models import Commitment

from ..models import (
    BRIEF_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    OPEN_STATES,
    TITLE_MAX_LENGTH,
    TRANSITIONS,
    DesignComment,
    DesignEvent,
    DesignKind,
    DesignRequest,
    DesignVersion,
    FileRole,
    Payer,
    RequestState,
    VersionKind,
)
from .checks import (
    WORKING_CENTER_STATES,
    Upload,
    acting_user,
    checked_amount,
    checked_files,
    checked_future_date,
    checked_payment,
    files_store,
    first_image,
    locked,
    move,
    notify_after_commit,
    required_text,
    subsidy_check,
)


@transaction.atomic
def design_request_submit(
    *,
    actor: Any,
    producer: Producer,
    center: Center,
    kind: str,
    title: str,
    products: Sequence[Product],
    brief: str,
    wished_on: dt.date | None,
    budget: int,
    payer: str = Payer.PRODUCER,
    subsidy_percent: int | None = None,
    commitment: Commitment | None = None,
    references: Sequence[Upload] = (),
) -> DesignRequest:
    """A producer asks a center's studio for a design of some of its own products."""
    if center.status not in WORKING_CENTER_STATES:
        raise DomainError(
            _("This center's studio does not take requests."), fields={"center": _("Not a working center.")}
        )
    if kind not in DesignKind.values:
        raise DomainError(_("Choose the kind of design."), fields={"kind": _("Choose one of the options.")})
    title = required_text(title, "title", _("Give the request a title."), TITLE_MAX_LENGTH)
    brief = required_text(
        brief, "brief", _("Write the brief: what the design should achieve."), BRIEF_MAX_LENGTH
    )
    products = list(products)
    if not products:
        raise DomainError(
            _("Choose the products the design is for."), fields={"products": _("Choose at least one.")}
        )
    if any(product.producer_id != producer.pk for product in products):
        raise DomainError(
            _("A request can only be for the producer's own products."),
            fields={"products": _("Not a product of this producer.")},
        )
    wished_on = checked_future_date(wished_on, "wished_on", _("The wished date is in the past."))
    budget = checked_amount(budget, "budget")
    payer, percent, commitment = checked_payment(
        center=center, payer=payer, subsidy_percent=subsidy_percent, commitment=commitment
    )
    checked = checked_files(list(references), "references")
    now = timezone.now()
    request = DesignRequest(
        number=f"tmp-{uuid.uuid4().hex[:16]}",
        producer=producer,
        center=center,
        kind=kind,
        title=title,
        brief=brief,
        wished_on=wished_on,
        budget=budget,
        payer=payer,
        subsidy_percent=percent,
        commitment=commitment,
        submitted_at=now,
        submitted_by=acting_user(actor),
    )
    subsidy_check(request)
    request.save()
    request.number = f"TK-{timezone.localtime(now):%Y}-{request.pk:05d}"
    request.save(update_fields=["number"])
    request.products.set(products)
    files_store(request, checked, role=FileRole.REFERENCE, version=None, actor=actor)
    DesignEvent.objects.create(request=request, actor=acting_user(actor), to_state=RequestState.SUBMITTED)
    notify_after_commit(request.pk, RequestState.SUBMITTED)
    return request


def _check_designer(center_id: int, designer: Any) -> None:
    if designer is None or not getattr(designer, "pk", None):
        raise DomainError(_("Choose the designer."), fields={"designer": _("Required.")})
    works_there = (
        RoleGrant.objects.live()
        .filter(user=designer, scope_id=center_id, role__in=[Role.DESIGNER, Role.CENTER_MANAGER])
        .exists()
    )
    if not works_there or not designer.is_active:
        raise DomainError(
            _("The designer must work at this center."),
            fields={"designer": _("Not a designer of this center.")},
        )


@transaction.atomic
def design_request_accept(
    *, actor: Any, request: DesignRequest, designer: Any, due_on: dt.date | None, price: int
) -> DesignRequest:
    """The center's manager takes the request on: a designer, a due date and the agreed price."""
    request = locked(request)
    if RequestState.ACCEPTED in TRANSITIONS.get(request.state, ()):
        _check_designer(request.center_id, designer)
    due_on = checked_future_date(due_on, "due_on", _("The due date is in the past."))
    price = checked_amount(price, "price")
    detail = {"designer": getattr(designer, "pk", None), "due_on": due_on.isoformat(), "price": price}
    request = move(request, RequestState.ACCEPTED, actor=actor, detail=detail)
    request.price = price
    request.designer = designer
    request.due_on = due_on
    subsidy_check(request)
    request.save(update_fields=["state", "price", "designer", "due_on", "updated_at"])
    notify_after_commit(request.pk, RequestState.ACCEPTED)
    return request


@transaction.atomic
def design_request_decline(*, actor: Any, request: DesignRequest, reason: str) -> DesignRequest:
    text = required_text(reason, "reason", _("Say why the request is declined."), COMMENT_MAX_LENGTH)
    request = move(request, RequestState.DECLINED, actor=actor, reason=text)
    request.decline_reason = text
    request.save(update_fields=["state", "decline_reason", "updated_at"])
    notify_after_commit(request.pk, RequestState.DECLINED)
    return request


@transaction.atomic
def design_request_cancel(*, actor: Any, request: DesignRequest, reason: str) -> DesignRequest:
    """The producer withdraws a request before a proposal is on the table (or while changes are asked)."""
    text = required_text(reason, "reason", _("Say why the request is withdrawn."), COMMENT_MAX_LENGTH)
    request = move(request, RequestState.CANCELLED, actor=actor, reason=text)
    request.save(update_fields=["state", "updated_at"])
    notify_after_commit(request.pk, RequestState.CANCELLED)
    return request


@transaction.atomic
def design_request_start(*, actor: Any, request: DesignRequest) -> DesignRequest:
    request = move(request, RequestState.IN_PROGRESS, actor=actor)
    request.save(update_fields=["state", "updated_at"])
    notify_after_commit(request.pk, RequestState.IN_PROGRESS)
    return request


def _next_number(request: DesignRequest) -> int:
    """The next version's number (the request is locked by the caller, so no other can take it)."""
    return (request.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1


def _version(request: DesignRequest, number: int, *, kind: str, note: str, actor: Any) -> DesignVersion:
    return DesignVersion.objects.create(
        request=request, number=number, kind=kind, note=note, created_by=acting_user(actor)
    )


@transaction.atomic
def design_version_send(
    *, actor: Any, request: DesignRequest, note: str, files: Sequence[Upload]
) -> DesignVersion:
    """The designer sends a proposal: the next numbered version, with its files and a note."""
    note = (note or "").strip()
    if len(note) > COMMENT_MAX_LENGTH:
        message = _("At most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH}
        raise DomainError(message, fields={"note": message})
    checked = checked_files(list(files), "files")
    if not checked:
        raise DomainError(_("Attach the proposal's files."), fields={"files": _("At least one file.")})
    request = locked(request)
    number = _next_number(request)
    request = move(request, RequestState.PROPOSAL_SENT, actor=actor, reason=note, detail={"version": number})
    request.save(update_fields=["state", "updated_at"])
    version = _version(request, number, kind=VersionKind.PROPOSAL, note=note, actor=actor)
    files_store(request, checked, role=FileRole.PROPOSAL, version=version, actor=actor)
    notify_after_commit(request.pk, RequestState.PROPOSAL_SENT, version=version.number)
    return version


def _latest_version(request: DesignRequest) -> DesignVersion | None:
    return request.versions.order_by("-number").first()


@transaction.atomic
def design_changes_request(*, actor: Any, request: DesignRequest, comment: str) -> DesignComment:
    """The producer asks for changes to the latest version; the comment says which."""
    text = required_text(comment, "comment", _("Say what should change."), COMMENT_MAX_LENGTH)
    request = move(request, RequestState.CHANGES_REQUESTED, actor=actor, reason=text)
    request.save(update_fields=["state", "updated_at"])
    row = DesignComment.objects.create(
        request=request, author=acting_user(actor), body=text, version=_latest_version(request)
    )
    notify_after_commit(request.pk, RequestState.CHANGES_REQUESTED)
    return row


@transaction.atomic
def design_request_approve(
    *, actor: Any, request: DesignRequest, accept_terms: bool, portfolio_allowed: bool
) -> DesignRequest:
    """The producer approves the latest version and accepts the usage terms: the producer may use the
    design freely; the center may show it in its portfolio unless the producer declines here."""
    if accept_terms is not True:
        raise DomainError(
            _("Accept the usage terms to approve the design."), fields={"accept_terms": _("Required.")}
        )
    request = locked(request)
    latest = _latest_version(request)
    detail = {"version": latest.number if latest else None, "portfolio_allowed": bool(portfolio_allowed)}
    request = move(request, RequestState.APPROVED, actor=actor, detail=detail)
    request.terms_accepted_at = timezone.now()
    request.terms_accepted_by = acting_user(actor)
    request.portfolio_allowed = bool(portfolio_allowed)
    request.save(
        update_fields=["state", "terms_accepted_at", "terms_accepted_by", "portfolio_allowed", "updated_at"]
    )
    notify_after_commit(request.pk, RequestState.APPROVED)
    return request


@transaction.atomic
def design_request_deliver(
    *, actor: Any, request: DesignRequest, note: str, files: Sequence[Upload]
) -> DesignVersion:
    """The designer hands over the final, print-ready files of the approved design. The portfolio's
    "before" is the producer's first reference image, its "after" the first final image (or the
    approved proposal's)."""
    note = (note or "").strip()
    if len(note) > COMMENT_MAX_LENGTH:
        message = _("At most %(n)s characters.") % {"n": COMMENT_MAX_LENGTH}
        raise DomainError(message, fields={"note": message})
    checked = checked_files(list(files), "files")
    if not checked:
        raise DomainError(_("Attach the final files."), fields={"files": _("At least one file.")})
    request = locked(request)
    number = _next_number(request)
    request = move(request, RequestState.DELIVERED, actor=actor, reason=note, detail={"version": number})
    version = _version(request, number, kind=VersionKind.FINAL, note=note, actor=actor)
    files_store(request, checked, role=FileRole.FINAL, version=version, actor=actor)
    request.delivered_at = timezone.now()
    request.before_file = first_image(request, FileRole.REFERENCE)
    request.after_file = first_image(request, FileRole.FINAL) or first_image(request, FileRole.PROPOSAL)
    request.save(update_fields=["state", "delivered_at", "before_file", "after_file", "updated_at"])
    notify_after_commit(request.pk, RequestState.DELIVERED)
    return version


@transaction.atomic
def design_request_close(*, actor: Any, request: DesignRequest) -> DesignRequest:
    request = move(request, RequestState.CLOSED, actor=actor)
    request.save(update_fields=["state", "updated_at"])
    notify_after_commit(request.pk, RequestState.CLOSED)
    return request


@transaction.atomic
def design_request_reassign(
    *, actor: Any, request: DesignRequest, designer: Any, due_on: dt.date | None = None, reason: str = ""
) -> DesignRequest:
    """The manager gives the work to another designer (and may move the due date); the event row
    goes from the state to itself and names both designers."""
    request = locked(request)
    if request.state not in OPEN_STATES:
        raise Conflict(
            _("A request that is “%(state)s” cannot be reassigned.") % {"state": request.get_state_display()},
            fields={"state": _("Not allowed from the current state.")},
        )
    _check_designer(request.center_id, designer)
    if due_on is not None:
        request.due_on = checked_future_date(due_on, "due_on", _("The due date is in the past."))
    if designer.pk == request.designer_id and due_on is None:
        raise DomainError(
            _("The request is already assigned to this designer."), fields={"designer": _("No change.")}
        )
    previous = request.designer_id
    request.designer = designer
    request.save(update_fields=["designer", "due_on", "updated_at"])
    DesignEvent.objects.create(
        request=request,
        actor=acting_user(actor),
        from_state=request.state,
        to_state=request.state,
        reason=(reason or "").strip()[:2000],
        detail={
            "reassigned": True,
            "from": previous,
            "to": designer.pk,
            "due_on": request.due_on.isoformat() if request.due_on else None,
        },
    )
    notify_after_commit(request.pk, "reassigned", previous_designer=previous)
    return request


@transaction.atomic
def design_comment_add(
    *, actor: Any, request: DesignRequest, body: str, version: DesignVersion | None = None
) -> DesignComment:
    text = required_text(body, "body", _("The comment is empty."), COMMENT_MAX_LENGTH)
    if version is not None and version.request_id != request.pk:
        raise DomainError(_("That version is not of this request."), fields={"version": _("Not found.")})
    row = DesignComment.objects.create(request=request, author=acting_user(actor), body=text, version=version)
    notify_after_commit(request.pk, "comment", author=getattr(actor, "pk", None))
    return row
