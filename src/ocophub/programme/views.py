"""The city's dashboard for the plan, and its Excel exports."""

import datetime as dt
from collections import defaultdict

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.centers import selectors as centers
from ocophub.centers.models import COUNTED_STATUSES, Center, Status
from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars
from ocophub.common.dates import local_today
from ocophub.common.forms import parse_date
from ocophub.common.money import format_vnd
from ocophub.places.models import AdministrativeUnit, Era
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


def _by_2025(request: HttpRequest) -> bool:
    """The switch: read the plan by the 126 units in force since 01/07/2025."""
    return request.GET.get("by") == "2025"


def _progress(request: HttpRequest, plan: selectors.Plan, on: dt.date) -> selectors.Progress:
    return selectors.progress_2025(plan, on) if _by_2025(request) else selectors.progress(plan, on)


def _progress_chart(progress: selectors.Progress, on: dt.date) -> SafeString:
    return stacked_bars(
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
    if (
        request.user.is_authenticated
        and not permissions.can_view_city_overview(request.user)
        and permissions.officer_unit_ids(request.user)
    ):
        return redirect("programme:units")  # a unit officer follows the plan in their own unit
    if (response := _guard(request)) is not None:
        return response
    plan, on, plans = _plan_and_date(request)
    progress = _progress(request, plan, on)
    progress_chart = _progress_chart(progress, on)
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
            "panels": [(template, panel(request.user, on)) for template, panel in selectors.DASHBOARD_PANELS],
            "counted_total": sum(progress.by_status.get(s, 0) for s in COUNTED_STATUSES),
            "by_2025": progress.era == Era.CURRENT,
        },
    )


def export_progress(request: HttpRequest) -> HttpResponse:
    if (response := _guard(request)) is not None:
        return response
    plan, on, _plans = _plan_and_date(request)
    content = exports.progress_workbook(_progress(request, plan, on))
    response = HttpResponse(content, content_type=XLSX)
    suffix = "-don-vi-2025" if _by_2025(request) else ""
    response["Content-Disposition"] = f'attachment; filename="tien-do-{plan.code}-{on:%Y-%m-%d}{suffix}.xlsx"'
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


# --- a unit officer's own units -------------------------------------------------------------------


def _own_units(request: HttpRequest) -> list[AdministrativeUnit]:
    ids = permissions.officer_unit_ids(request.user)
    return list(AdministrativeUnit.objects.filter(pk__in=ids).order_by("era", "code"))


def units(request: HttpRequest) -> HttpResponse:
    """The units whose plan progress the user follows: straight to it when there is one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if permissions.can_view_city_overview(request.user):
        return redirect("programme:dashboard")
    own = _own_units(request)
    if not own:
        raise Http404
    if len(own) == 1:
        return redirect("programme:unit", own[0].pk)
    return render(request, "programme/units.html", {"units": own})


def unit_dashboard(request: HttpRequest, unit_id: int) -> HttpResponse:
    """The plan's progress in one unit, for its officers and the city.

    An old district or commune is read as the city dashboard reads it (a center in every unit its
    commune lay in or went into); a unit in force since 01/07/2025 counts each center once, in the
    unit stored on it.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    unit = AdministrativeUnit.objects.filter(pk=unit_id).select_related("parent").first()
    allowed = permissions.can_view_city_overview(request.user) or unit_id in permissions.officer_unit_ids(
        request.user
    )
    if unit is None or not allowed:
        raise Http404
    plan, on, plans = _plan_and_date(request)
    if unit.era == Era.CURRENT:
        progress = selectors.progress_2025(plan, on, units=[unit])
    else:
        progress = selectors.progress(plan, on, units=[unit])
    row = progress.units[0]
    return render(
        request,
        "programme/unit.html",
        {
            "plan": plan,
            "plans": plans,
            "on": on,
            "unit": unit,
            "progress": progress,
            "row": row,
            "progress_chart": _progress_chart(progress, on),
            "by_2025": progress.era == Era.CURRENT,
        },
    )
