"""The audit trail's pages: the city's whole trail, a center's and a producer's own entries."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from ocophub.accounts import permissions
from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center

from . import audit_trail, exports
from .audit_sources import Entry
from .audit_trail import PAGE_SIZE, Cursor, entries
from .forms import AuditFilterForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _center(request: HttpRequest, slug: str) -> Center:
    center = Center.objects.filter(slug=slug).first()
    if center is None or not (
        permissions.is_city_admin(request.user)
        or permissions.can_manage_center_operations(request.user, center)
    ):
        raise Http404
    return center


def _producer(request: HttpRequest, slug: str) -> Producer:
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not (
        permissions.is_city_admin(request.user) or permissions.can_work_for_producer(request.user, producer)
    ):
        raise Http404
    return producer


def _scope(request: HttpRequest, kind: str, slug: str | None) -> tuple[dict[str, Any], str, str, str]:
    """The filter scope, its name, and the page's and the export's addresses."""
    if kind == "center" and slug is not None:
        center = _center(request, slug)
        return (
            {"center_id": center.pk},
            center.name,
            reverse("audit:center", args=[slug]),
            reverse("audit:center_excel", args=[slug]),
        )
    if kind == "producer" and slug is not None:
        producer = _producer(request, slug)
        return (
            {"producer_id": producer.pk},
            producer.name,
            reverse("audit:producer", args=[slug]),
            reverse("audit:producer_excel", args=[slug]),
        )
    if not permissions.is_city_admin(request.user):
        raise Http404
    return {}, "", reverse("audit:list"), reverse("audit:excel")


def _trail(request: HttpRequest, kind: str = "city", slug: str | None = None) -> HttpResponse:
    """Newest first, 50 a page, the next page by a cursor kept in the link."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope, scope_name, here, excel = _scope(request, kind, slug)
    form = AuditFilterForm(request.GET)
    rows: list[Entry] = []
    following: Cursor | None = None
    valid = form.is_valid()
    if valid:
        rows, following = entries(
            form.filters(**scope), request.user, cursor=Cursor.decode(request.GET.get("sau"))
        )
    params = request.GET.copy()
    params.pop("sau", None)
    query = params.urlencode()
    return render(
        request,
        "reports/audit_list.html",
        {
            "form": form,
            "entries": rows,
            "next_cursor": following.encode() if following else "",
            "query_string": query,
            "paged": "sau" in request.GET,
            "scope_name": scope_name,
            "here": here,
            "excel_url": f"{excel}?{query}" if query else excel,
            "page_size": PAGE_SIZE,
            "export_cap": f"{audit_trail.EXPORT_CAP:,}".replace(",", "."),
        },
        status=200 if valid else 400,
    )


def _excel(request: HttpRequest, kind: str = "city", slug: str | None = None) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    scope, scope_name, _here, _excel_url = _scope(request, kind, slug)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return _trail(request, kind, slug)
    filters = form.filters(**scope)
    cap = audit_trail.EXPORT_CAP
    rows, cut = audit_trail.export_entries(filters, request.user, cap=cap)
    workbook = exports.audit_workbook(rows, filters, cut=cut, cap=cap, scope=scope_name)
    response = HttpResponse(workbook, content_type=XLSX)
    first, last = form.cleaned_data["start"], form.cleaned_data["end"]
    response["Content-Disposition"] = f'attachment; filename="nhat-ky-{first:%Y-%m-%d}-{last:%Y-%m-%d}.xlsx"'
    return response


def audit_list(request: HttpRequest) -> HttpResponse:
    return _trail(request)


def audit_excel(request: HttpRequest) -> HttpResponse:
    return _excel(request)


def center_audit(request: HttpRequest, slug: str) -> HttpResponse:
    return _trail(request, "center", slug)


def center_audit_excel(request: HttpRequest, slug: str) -> HttpResponse:
    return _excel(request, "center", slug)


def producer_audit(request: HttpRequest, slug: str) -> HttpResponse:
    return _trail(request, "producer", slug)


def producer_audit_excel(request: HttpRequest, slug: str) -> HttpResponse:
    return _excel(request, "producer", slug)
