"""The city's dashboard for the plan, and its Excel exports."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.centers import selectors as centers
from ocophub.centers.models import COUNTED_STATUSES, Center, Status
from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars
from ocophub.common.dates import local_today
from ocophub.common.forms import parse_date
from ocophub.common.money import format_vnd
from ocophub.places.selectors import unit_index

from . import exports, selectors
from .models import Commitment

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _guard(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_city_overview(request.user):
        raise Http404
    return None


def _plan_and_date(request: HttpRequest) -> tuple[selectors.Plan, dt.date, list]:
    plans = list(selectors.plans())
    if not plans:
        raise Http404
    code = request.GET.get("plan") or "276-KH-UBND"
    plan = next((p for p in plans if p.code == code), None)
    if plan is None:
        raise Http404
    on = parse_date(request.GET["date"]) if request.GET.get("date") else local_today()
    if on is None:
        raise Http404
    return plan, on, plans


def dashboard(request: HttpRequest) -> HttpResponse:
    if (response := _guard(request)) is not None:
        return response
    plan, on, plans = _plan_and_date(request)
    progress = selectors.progress(plan, on)
    progress_chart = stacked_bars(
        [
            Bar(
                f"{row.unit.code_display} {row.unit.name}",
                [row.counted, row.pipeline],
                marker=sum(tp.target.min_centers for tp in row.targets) or None,
            )
            for row in progress.units
        ],
        [
            Series(_("Recognised or operating"), PALETTE[0]),
            Series(_("Planned or under construction"), PALETTE[1]),
        ],
        title=_("Centers per unit on %(date)s (dashed: target)") % {"date": on.strftime("%d/%m/%Y")},
    )
    commitments = Commitment.objects.select_related("center")
    by_source = selectors.funding_totals(commitments, "source")
    funding_chart = stacked_bars(
        [Bar(row.label, [row.disbursed, row.outstanding]) for row in by_source],
        [Series(_("Disbursed"), PALETTE[0]), Series(_("Committed, not yet disbursed"), PALETTE[1])],
        title=_("Funding by source (₫)"),
        fmt=lambda v: format_vnd(int(v)),
        value_width=130,
    )
    at_date = {row.center.pk: row.status for row in selectors.centers_at(on)}
    map_points = [
        {
            "name": c.name,
            "lat": float(c.latitude or 0),  # never None: filtered below
            "lng": float(c.longitude or 0),
            "status": at_date.get(c.pk, ""),
            "label": str(Status(at_date[c.pk]).label) if c.pk in at_date else "",
            "counted": at_date.get(c.pk) in COUNTED_STATUSES,
            "url": reverse("centers:detail", args=[c.slug]),
        }
        for c in Center.objects.filter(pk__in=at_date, latitude__isnull=False, longitude__isnull=False)
    ]
    return render(
        request,
        "programme/dashboard.html",
        {
            "plan": plan,
            "plans": plans,
            "on": on,
            "progress": progress,
            "progress_chart": progress_chart,
            "by_source": by_source,
            "funding_chart": funding_chart,
            "funding_total": sum(r.committed for r in by_source),
            "disbursed_total": sum(r.disbursed for r in by_source),
            "map_points": map_points,
            "events": centers.latest_events(10),
            "counted_total": sum(progress.by_status.get(s, 0) for s in COUNTED_STATUSES),
        },
    )


def export_progress(request: HttpRequest) -> HttpResponse:
    if (response := _guard(request)) is not None:
        return response
    plan, on, _plans = _plan_and_date(request)
    content = exports.progress_workbook(selectors.progress(plan, on))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="tien-do-{plan.code}-{on:%Y-%m-%d}.xlsx"'
    return response


def export_funding(request: HttpRequest) -> HttpResponse:
    if (response := _guard(request)) is not None:
        return response
    commitments = Commitment.objects.select_related("center__commune")
    by_center = selectors.funding_totals(commitments, "center")
    by_source = selectors.funding_totals(commitments, "source")
    index = unit_index()
    places: dict[str, tuple[str, str]] = {}
    per_source: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for commitment in commitments:
        center = commitment.center
        districts = sorted(index.districts_of(center.commune_id))
        names = " / ".join(u.name for u in sorted((index.units[i] for i in districts), key=lambda u: u.code))
        places[str(center.pk)] = (center.commune.name, names)
        per_source[str(center.pk)][commitment.source] += commitment.amount
    content = exports.funding_workbook(by_center, by_source, places, per_source)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="nguon-von-{local_today():%Y-%m-%d}.xlsx"'
    return response
