"""Reads of the design studio shared by pages and the API."""

from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from ocophub.accounts import permissions
from ocophub.accounts.models import Role

from .models import DesignComment, DesignEvent, DesignFile, DesignRequest, DesignVersion


def visible_requests(user: Any) -> QuerySet[DesignRequest]:
    """Every request the user may see (accounts.permissions.can_view_design_request, as a filter)."""
    base = DesignRequest.objects.select_related("producer", "center", "designer")
    if permissions.can_view_city_overview(user):
        return base
    if not permissions.is_authenticated(user):
        return base.none()
    producers = permissions.scope_ids(user, Role.PRODUCER_MEMBER)
    managed = permissions.scope_ids(user, Role.CENTER_MANAGER)
    designing = permissions.scope_ids(user, Role.DESIGNER, Role.CENTER_MANAGER)
    return base.filter(
        Q(producer_id__in=producers)
        | Q(center_id__in=managed)
        | Q(designer_id=user.pk, center_id__in=designing)
    )


def request_for(user: Any, pk: int) -> DesignRequest | None:
    """One request, or None when it does not exist or the user may not see it."""
    design_request = (
        DesignRequest.objects.select_related("producer", "center", "designer").filter(pk=pk).first()
    )
    if design_request is None or not permissions.can_view_design_request(user, design_request):
        return None
    return design_request


def request_page(design_request: DesignRequest) -> dict[str, Any]:
    """What a request's page shows, read in a fixed number of queries."""
    files = DesignFile.objects.filter(request=design_request).order_by("pk")
    versions = list(
        DesignVersion.objects.filter(request=design_request)
        .select_related("created_by")
        .prefetch_related(Prefetch("files", queryset=files))
        .order_by("number")
    )
    return {
        "products": list(design_request.products.order_by("name", "pk")),
        "references": [row for row in files if row.role == "reference"],
        "versions": versions,
        "comments": list(
            DesignComment.objects.filter(request=design_request).select_related("author", "version")
        ),
        "events": list(
            DesignEvent.objects.filter(request=design_request).select_related("actor").order_by("at", "pk")
        ),
    }


def center_requests(user: Any, center: Any, *, state: str = "") -> QuerySet[DesignRequest]:
    """A center's requests as the user may see them (a manager all, a designer those assigned to
    them), the next due first and those without a due date (not accepted yet) last."""
    rows = visible_requests(user).filter(center=center)
    if state:
        rows = rows.filter(state=state)
    return rows.order_by(F("due_on").asc(nulls_last=True), "-submitted_at", "-pk")
