"""Design API, the moves of a request: the center takes it on (or not) and does the work, the producer
decides; references, versions and final files come as multipart uploads; the request's thread.

Each move is 404 to whoever may not see the request, 403 to whoever sees it but may not make the
move, and 409 — with nothing changed — when the request's state does not allow it.
"""

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from ocophub.accounts import permissions
from ocophub.accounts.auth import API_AUTH
from ocophub.common.api import ERRORS_AUTH, MAX_ID, MAX_LIMIT, MAX_OFFSET, paginate
from ocophub.common.errors import DomainError

from . import services
from .api_common import acting, answer, client_field_names, comment_out, comments_of, visible
from .models import COMMENT_MAX_LENGTH, DesignRequest, DesignVersion
from .schemas import (
    AcceptIn,
    ApproveIn,
    ChangesIn,
    CommentIn,
    DesignCommentOut,
    DesignCommentPage,
    DesignRequestDetail,
    ReasonIn,
    ReassignIn,
)

router = Router(auth=API_AUTH)

ANSWER = {200: DesignRequestDetail, **ERRORS_AUTH}
CREATED = {201: DesignRequestDetail, **ERRORS_AUTH}
RequestId = Path(..., ge=1, le=MAX_ID)


def _manages(user: Any, design_request: DesignRequest) -> bool:
    return permissions.can_manage_design_requests(user, design_request.center)


def _designer(designer_id: int) -> Any:
    designer = get_user_model().objects.filter(pk=designer_id).first()
    if designer is None:
        raise DomainError(
            _("The designer must work at this center."),
            fields={"designer_id": _("Not a designer of this center.")},
        )
    return designer


# --- the center's moves ----------------------------------------------------------------------------


@router.post("/requests/{request_id}/accept", response=ANSWER, summary="Accept a design request")
def accept_request(request: HttpRequest, payload: AcceptIn, request_id: int = RequestId) -> dict:
    """The center's managers take a submitted request on: a designer of the center, a due date (today
    or later) and the agreed price, whose subsidy must fit in what is left of the commitment."""
    design_request = acting(request, request_id, _manages)
    with client_field_names():
        services.design_request_accept(
            actor=request.user,
            request=design_request,
            designer=_designer(payload.designer_id),
            due_on=payload.due_on,
            price=payload.price,
        )
    return answer(request, design_request)


@router.post("/requests/{request_id}/decline", response=ANSWER, summary="Decline a design request")
def decline_request(request: HttpRequest, payload: ReasonIn, request_id: int = RequestId) -> dict:
    design_request = acting(request, request_id, _manages)
    services.design_request_decline(actor=request.user, request=design_request, reason=payload.reason)
    return answer(request, design_request)


@router.post("/requests/{request_id}/start", response=ANSWER, summary="Start the design work")
def start_request(request: HttpRequest, request_id: int = RequestId) -> dict:
    """The assigned designer (or a manager of the center) starts on an accepted request."""
    design_request = acting(request, request_id, permissions.can_work_on_design)
    services.design_request_start(actor=request.user, request=design_request)
    return answer(request, design_request)


@router.post("/requests/{request_id}/versions", response=CREATED, summary="Send a proposal")
def send_version(
    request: HttpRequest,
    request_id: int = RequestId,
    files: list[UploadedFile] = File(..., description="Images, PDF, SVG, AI or PSD files"),
    note: str = Form("", max_length=COMMENT_MAX_LENGTH),
) -> Status:
    """The designer sends the next numbered proposal, with its files (checked by their content)."""
    design_request = acting(request, request_id, permissions.can_work_on_design)
    services.design_version_send(actor=request.user, request=design_request, note=note, files=files)
    return Status(201, answer(request, design_request))


@router.post("/requests/{request_id}/deliver", response=CREATED, summary="Deliver the final files")
def deliver_request(
    request: HttpRequest,
    request_id: int = RequestId,
    files: list[UploadedFile] = File(..., description="The print-ready files"),
    note: str = Form("", max_length=COMMENT_MAX_LENGTH),
) -> Status:
    """The designer hands over the final files of the approved design."""
    design_request = acting(request, request_id, permissions.can_work_on_design)
    services.design_request_deliver(actor=request.user, request=design_request, note=note, files=files)
    return Status(201, answer(request, design_request))


@router.post("/requests/{request_id}/close", response=ANSWER, summary="Close a delivered request")
def close_request(request: HttpRequest, request_id: int = RequestId) -> dict:
    design_request = acting(request, request_id, _manages)
    services.design_request_close(actor=request.user, request=design_request)
    return answer(request, design_request)


@router.post("/requests/{request_id}/reassign", response=ANSWER, summary="Give the work to another designer")
def reassign_request(request: HttpRequest, payload: ReassignIn, request_id: int = RequestId) -> dict:
    """The center's managers give an open request to another designer of the center, and may move
    its due date."""
    design_request = acting(request, request_id, _manages)
    with client_field_names():
        services.design_request_reassign(
            actor=request.user,
            request=design_request,
            designer=_designer(payload.designer_id),
            due_on=payload.due_on,
            reason=payload.reason,
        )
    return answer(request, design_request)


# --- the producer's moves --------------------------------------------------------------------------


@router.post("/requests/{request_id}/references", response=CREATED, summary="Add reference files")
def add_references(
    request: HttpRequest,
    request_id: int = RequestId,
    files: list[UploadedFile] = File(..., description="Photos of the current label, sketches…"),
) -> Status:
    """The producer's members add references while the design is being made (until it is delivered)."""
    design_request = acting(request, request_id, permissions.can_decide_design)
    services.design_reference_add(actor=request.user, request=design_request, files=files)
    return Status(201, answer(request, design_request))


@router.post("/requests/{request_id}/changes", response=ANSWER, summary="Ask for changes")
def request_changes(request: HttpRequest, payload: ChangesIn, request_id: int = RequestId) -> dict:
    """The producer's members ask for changes to the latest proposal, saying which."""
    design_request = acting(request, request_id, permissions.can_decide_design)
    services.design_changes_request(actor=request.user, request=design_request, comment=payload.comment)
    return answer(request, design_request)


@router.post("/requests/{request_id}/approve", response=ANSWER, summary="Approve the latest proposal")
def approve_request(request: HttpRequest, payload: ApproveIn, request_id: int = RequestId) -> dict:
    """The producer's members approve the latest proposal and accept the usage terms
    (`accept_terms` must be true); `portfolio_allowed` lets the center show the design."""
    design_request = acting(request, request_id, permissions.can_decide_design)
    services.design_request_approve(
        actor=request.user,
        request=design_request,
        accept_terms=payload.accept_terms,
        portfolio_allowed=payload.portfolio_allowed,
    )
    return answer(request, design_request)


@router.post("/requests/{request_id}/cancel", response=ANSWER, summary="Withdraw a design request")
def cancel_request(request: HttpRequest, payload: ReasonIn, request_id: int = RequestId) -> dict:
    """The producer's members withdraw a request before a proposal is on the table, or while changes
    are asked."""
    design_request = acting(request, request_id, permissions.can_decide_design)
    services.design_request_cancel(actor=request.user, request=design_request, reason=payload.reason)
    return answer(request, design_request)


# --- the thread ------------------------------------------------------------------------------------


class CommentQuery(Schema):
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/requests/{request_id}/comments",
    response={200: DesignCommentPage, **ERRORS_AUTH},
    summary="A request's comments",
)
def list_comments(request: HttpRequest, filters: Query[CommentQuery], request_id: int = RequestId) -> dict:
    """Oldest first."""
    design_request = visible(request, request_id)
    count, rows = paginate(
        comments_of(design_request).order_by("created_at", "pk"), filters.limit, filters.offset
    )
    return {
        "count": count,
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [comment_out(row) for row in rows],
    }


@router.post(
    "/requests/{request_id}/comments",
    response={201: DesignCommentOut, **ERRORS_AUTH},
    summary="Write in a request's thread",
)
def add_comment(request: HttpRequest, payload: CommentIn, request_id: int = RequestId) -> Status:
    """The producer's members, the assigned designer and the center's managers (the city reads only);
    `version` ties the comment to one of the request's versions."""
    design_request = acting(request, request_id, permissions.can_comment_on_design)
    version = None
    if payload.version is not None:
        version = DesignVersion.objects.filter(request=design_request, number=payload.version).first()
        if version is None:
            raise DomainError(_("That version is not of this request."), fields={"version": _("Not found.")})
    row = services.design_comment_add(
        actor=request.user, request=design_request, body=payload.body, version=version
    )
    return Status(201, comment_out(comments_of(design_request).get(pk=row.pk)))
