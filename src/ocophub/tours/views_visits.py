"""The visits' pages. At a center (/lam-viec/trung-tam/<slug>/khach-tour/): its staff scan the tour
tickets when a group arrives (the events' door pattern and checkin.js: keyboard-wedge scanner,
camera, typed code), read the month's visits with their attributed counter sales, a chart and the
commission statement, and its manager records the commission rates. For an operator
(/lam-viec/tour/<operator>/khach-tai-trung-tam/): the visits of its departures and its commission
statement. The Department of Tourism reads every center's and operator's; others' are 404."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars
from ocophub.common.errors import DomainError
from ocophub.events.forms_center import CheckInForm
from ocophub.events.views_center import center_for

from . import selectors_visits as sv
from . import services
from .exports_visits import visits_workbook
from .models import Operator, VisitTicket
from .services.base import clean_code
from .views_work import operator_for, status_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# what the scan page shows for each refusal of the service, by its code
REFUSALS = {
    "already_checked_in": "already",
    "other_center": "other_center",
    "not_found": "unknown",
    "not_paid": "not_paid",
    "cancelled": "cancelled",
    "wrong_day": "wrong_day",
}


def can_read_center_visits(user: Any, center: Center) -> bool:
    """The center's staff and managers read its visits; the Department of Tourism reads all."""
    return permissions.can_check_in_at(user, center) or permissions.is_tourism_department(user)


def _scan_page(
    request: HttpRequest, center: Center, *, form: CheckInForm, result: dict[str, Any] | None, status: int
) -> HttpResponse:
    day = timezone.localdate()
    today = sv.days_visits(day, day, center_ids=[center.pk])
    context = {
        "center": center,
        "form": form,
        "result": result,
        "today": today,
        "day": day,
        "heads": sum(r.visit.heads for r in today),
    }
    template = "tours/center/_scan_panel.html" if getattr(request, "htmx", None) else "tours/center/scan.html"
    return render(request, template, context, status=status)


def scan(request: HttpRequest, slug: str) -> HttpResponse:
    """The center's staff scan a tour ticket: the group's visit is recorded, each ticket once."""
    center = center_for(request, slug, permissions.can_check_in_at)
    if isinstance(center, HttpResponse):
        return center
    if request.method != "POST":
        return _scan_page(request, center, form=CheckInForm(), result=None, status=200)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        result: dict[str, Any] = {"kind": "invalid", "message": _("Enter or scan a ticket code.")}
        return _scan_page(request, center, form=form, result=result, status=400)
    code = form.cleaned_data["code"]
    try:
        ticket = services.visit_check_in(actor=request.user, center=center, code=code)
    except DomainError as error:
        kind = REFUSALS.get(error.code, "not_valid")
        result = {"kind": kind, "message": error.message, "code": code}
        if kind == "already":
            cleaned = clean_code(code)
            result["ticket"] = (
                VisitTicket.objects.filter(booking__code=cleaned, visit__center=center)
                .select_related("booking", "visit__departure__tour")
                .first()
            )
        return _scan_page(request, center, form=CheckInForm(), result=result, status=status_of(error))
    result = {"kind": "ok", "ticket": ticket, "visit": ticket.visit}
    if getattr(request, "htmx", None):
        return _scan_page(request, center, form=CheckInForm(), result=result, status=200)
    messages.success(
        request,
        _("Checked in: %(name)s, %(n)s people — %(tour)s.")
        % {"name": ticket.booking.name, "n": ticket.heads, "tour": ticket.visit.departure.tour.title},
    )
    return redirect("tours_center:scan", slug=center.slug)


def _months(first: dt.date) -> dict[str, str]:
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    return {
        "previous": f"{previous:%Y-%m}",
        "next": f"{sv.next_month(first):%Y-%m}",
        "this": f"{first:%Y-%m}",
    }


def _report(rows: list[sv.VisitRow], first: dt.date) -> dict[str, Any]:
    """What the visits' reports show: the rows, the statement, totals and a chart of heads per day."""
    lines = sv.statement(rows)
    per_day: dict[dt.date, list[int]] = {}
    for row in rows:
        day = timezone.localtime(row.visit.arrived_at).date()
        per_day.setdefault(day, [0, 0])
        per_day[day][0] += row.visit.heads
    chart = (
        stacked_bars(
            [Bar(f"{day:%d/%m}", [heads]) for day, (heads, _n) in sorted(per_day.items())],
            [Series(_("Tour visitors"), PALETTE[0])],
            title=_("Tour visitors by day, %(month)s") % {"month": f"{first:%m/%Y}"},
        )
        if per_day
        else ""
    )
    return {
        "rows": rows,
        "lines": lines,
        "first": first,
        "months": _months(first),
        "heads": sum(r.visit.heads for r in rows),
        "sales": sum(r.total for r in rows),
        "commission": sum(line.commission for line in lines),
        "chart": chart,
    }


def _xlsx(rows: list[sv.VisitRow], name: str) -> HttpResponse:
    response = HttpResponse(visits_workbook(rows, sv.statement(rows)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def center_visits(request: HttpRequest, slug: str) -> HttpResponse:
    """ "Khách đoàn tour": the month's visits to the center with their attributed sales, a chart of
    heads per day, the commission due per operator; five queries whatever the number of visits."""
    center = center_for(request, slug, can_read_center_visits)
    if isinstance(center, HttpResponse):
        return center
    first = sv.month_start(request.GET.get("thang"))
    rows = sv.month_visits(first, center_ids=[center.pk])
    context = _report(rows, first) | {
        "center": center,
        "can_scan": permissions.can_check_in_at(request.user, center),
        "can_rate": permissions.can_manage_center_operations(request.user, center),
    }
    return render(request, "tours/center/visits.html", context)


def center_visits_export(request: HttpRequest, slug: str) -> HttpResponse:
    center = center_for(request, slug, can_read_center_visits)
    if isinstance(center, HttpResponse):
        return center
    first = sv.month_start(request.GET.get("thang"))
    return _xlsx(sv.month_visits(first, center_ids=[center.pk]), f"khach-tour-{center.slug}-{first:%Y-%m}")


def _rates_page(request: HttpRequest, center: Center, *, errors: dict[str, str], status: int) -> HttpResponse:
    context = {
        "center": center,
        "rates": sv.rates_of(center),
        "operators": sv.operators_visiting(center),
        "errors": errors,
        "data": request.POST if request.method == "POST" else {},
        "today": timezone.localdate(),
    }
    return render(request, "tours/center/rates.html", context, status=status)


def _whole(text: str) -> int | str:
    text = (text or "").strip()
    return int(text) if text.isdigit() else text


def _percent_to_bp(text: str) -> int | str:
    """ "2,5" or "2.5" (%) → 250 basis points; anything else is passed on for the service to refuse."""
    text = (text or "").strip().replace(",", ".")
    try:
        whole, _dot, part = text.partition(".")
        if not whole.isdigit() or (part and (not part.isdigit() or len(part) > 2)):
            return text
        return int(whole) * 100 + int((part + "00")[:2])
    except ValueError:
        return text


def commission_rates(request: HttpRequest, slug: str) -> HttpResponse:
    """The center's manager records the commission paid to each operator on attributed sales."""
    center = center_for(request, slug, permissions.can_manage_center_operations)
    if isinstance(center, HttpResponse):
        return center
    if request.method != "POST":
        return _rates_page(request, center, errors={}, status=200)
    try:
        starts_on = dt.datetime.strptime(request.POST.get("starts_on", "").strip(), "%d/%m/%Y").date()
    except ValueError:
        starts_on = None
    try:
        services.commission_rate_set(
            actor=request.user,
            center=center,
            operator=_whole(request.POST.get("operator", "")),
            basis_points=_percent_to_bp(request.POST.get("percent", "")),
            starts_on=starts_on,
        )
    except DomainError as error:
        fields = dict(error.fields)
        if fields.pop("basis_points", None):  # the form asks for a percentage, not basis points
            fields["percent"] = _("The rate is a percentage from 0 to 100, with at most two decimals.")
        return _rates_page(request, center, errors=fields, status=status_of(error))
    messages.success(request, _("The commission rate is recorded."))
    return redirect("tours_center:rates", slug=center.slug)


def operator_visits(request: HttpRequest, operator: int) -> HttpResponse:
    """The visits of the operator's departures to the centers in a month and its commission statement."""
    found = operator_for(request, operator, permissions.can_view_operator_tours)
    if isinstance(found, HttpResponse):
        return found
    first = sv.month_start(request.GET.get("thang"))
    rows = sv.month_visits(first, operator_ids=[found.pk])
    return render(request, "tours/work/visits.html", _report(rows, first) | {"operator": found})


def operator_visits_export(request: HttpRequest, operator: int) -> HttpResponse:
    found: Operator | HttpResponse = operator_for(request, operator, permissions.can_view_operator_tours)
    if isinstance(found, HttpResponse):
        return found
    first = sv.month_start(request.GET.get("thang"))
    return _xlsx(sv.month_visits(first, operator_ids=[found.pk]), f"hoa-hong-{found.pk}-{first:%Y-%m}")
