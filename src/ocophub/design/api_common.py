"""What the design studio's API operations share: the answers' shapes, the request a caller may see
or act on, and the field names a service's refusal is told in."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja.errors import AuthorizationError
from pydantic import BaseModel

from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.inventory.api import center_ref

from . import selectors
from .models import (
    DesignComment,
    DesignEvent,
    DesignFile,
    DesignKind,
    DesignRequest,
    DesignVersion,
    FileRole,
    RequestState,
)

# the services name the objects they were given; the API's clients sent their ids
API_FIELD_NAMES = {
    "producer": "producer_id",
    "center": "center_id",
    "products": "product_ids",
    "commitment": "commitment_id",
    "designer": "designer_id",
}


@contextmanager
def client_field_names() -> Iterator[None]:
    """A service's refusal, its fields named as the client sent them (`product_ids`, not `products`)."""
    try:
        yield
    except DomainError as exc:
        exc.fields = {API_FIELD_NAMES.get(name, name): message for name, message in exc.fields.items()}
        raise


def as_json(schema: type[BaseModel], data: dict[str, Any]) -> dict[str, Any]:
    """The answer as the client receives it, so that an Idempotency-Key replay is byte for byte the same."""
    return schema.model_validate(data).model_dump(mode="json")


def person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def request_out(row: DesignRequest, today: dt.date | None = None) -> dict[str, Any]:
    """A request as the lists show it; its producer, center and designer are read with it."""
    producer = row.producer
    return {
        "id": row.pk,
        "number": row.number,
        "title": row.title,
        "kind": row.kind,
        "kind_label": str(DesignKind(row.kind).label),
        "state": row.state,
        "state_label": str(RequestState(row.state).label),
        "producer": {"id": producer.pk, "slug": producer.slug, "name": producer.name},
        "center": center_ref(row.center),
        "designer": person(row.designer) if row.designer_id else None,
        "wished_on": row.wished_on,
        "due_on": row.due_on,
        "budget": row.budget,
        "price": row.price,
        "cost": row.cost,
        "payer": row.payer,
        "subsidy_percent": row.subsidy_percent,
        "subsidy_amount": row.subsidy_amount,
        "producer_amount": row.producer_amount,
        "overdue": row.is_overdue(today or local_today()),
        "submitted_at": row.submitted_at,
    }


def file_url(row: DesignFile) -> str:
    return reverse("api:design_file", kwargs={"file_id": row.pk})


def file_out(row: DesignFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "role": row.role,
        "name": row.original_name,
        "file_type": row.file_type,
        "is_image": row.is_image,
        "size": row.size,
        "uploaded_at": row.uploaded_at,
        "uploaded_by": str(row.uploaded_by) if row.uploaded_by_id else None,
        "url": file_url(row),
    }


def comment_out(row: DesignComment) -> dict[str, Any]:
    return {
        "id": row.pk,
        "author": str(row.author) if row.author_id else None,
        "body": row.body,
        "version": version.number if (version := row.version) else None,
        "created_at": row.created_at,
    }


def comments_of(design_request: DesignRequest) -> Any:
    return DesignComment.objects.filter(request=design_request).select_related("author", "version")


def request_detail(design_request: DesignRequest) -> dict[str, Any]:
    """One request with its products, files, versions, events and thread, in a fixed number of queries."""
    files = DesignFile.objects.filter(request=design_request).select_related("uploaded_by").order_by("pk")
    versions = (
        DesignVersion.objects.filter(request=design_request)
        .select_related("created_by")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("number")
    )
    events = DesignEvent.objects.filter(request=design_request).select_related("actor").order_by("at", "pk")
    return {
        **request_out(design_request),
        "brief": design_request.brief,
        "products": [
            {"id": p.pk, "slug": p.slug, "name": p.name}
            for p in design_request.products.order_by("name", "pk")
        ],
        "commitment_id": design_request.commitment_id,
        "decline_reason": design_request.decline_reason,
        "delivered_at": design_request.delivered_at,
        "terms_accepted_at": design_request.terms_accepted_at,
        "portfolio_allowed": design_request.portfolio_allowed,
        "references": [file_out(f) for f in files.filter(role=FileRole.REFERENCE)],
        "versions": [
            {
                "number": v.number,
                "kind": v.kind,
                "note": v.note,
                "created_at": v.created_at,
                "created_by": str(v.created_by) if v.created_by_id else None,
                "files": [file_out(f) for f in v.files.all()],
            }
            for v in versions
        ],
        "events": [
            {
                "from_state": e.from_state,
                "to_state": e.to_state,
                "at": e.at,
                "reason": e.reason,
                "actor": str(e.actor) if e.actor_id else None,
                "detail": e.detail,
            }
            for e in events
        ],
        "comments": [comment_out(c) for c in comments_of(design_request)],
    }


def visible(request: HttpRequest, request_id: int) -> DesignRequest:
    """The request, when the caller may see it; 404 otherwise."""
    design_request = selectors.request_for(request.user, request_id)
    if design_request is None:
        raise Http404
    return design_request


def acting(
    request: HttpRequest, request_id: int, allowed: Callable[[Any, DesignRequest], bool]
) -> DesignRequest:
    """The request, when the caller may see it (404 otherwise) and make this move (403 otherwise)."""
    design_request = visible(request, request_id)
    if not allowed(request.user, design_request):
        raise AuthorizationError
    return design_request


def answer(request: HttpRequest, design_request: DesignRequest) -> dict[str, Any]:
    """The request as it stands after a move, read again."""
    return request_detail(visible(request, design_request.pk))
