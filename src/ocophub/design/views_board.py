"""The studio board under /lam-viec/xuong-thiet-ke/: a center's design work in a period, as charts beside
tables, and its Excel file.

A center's managers and designers see their centers (one at a time with the filter when they have
several); the city sees every center. Anyone else is told the page does not exist; a center outside the
viewer's scope is 404 as well (accounts.permissions.can_view_studio_board).
"""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars
from ocophub.common.forms import date_field
from ocophub.common.money import format_vnd

from . import exports
from .selectors_board import Board, Scope, board_centers, studio_board, this_year

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTH = 560  # drawn beside a table: a narrower drawing keeps its text readable once scaled
MAX_DAYS = 366 * 5


class BoardForm(forms.Form):
    """The period (default: this calendar year) and, for whoever sees several centers, one of them."""

    start = date_field(gettext_lazy("From"))
    end = date_field(gettext_lazy("To"))
    center = forms.ChoiceField(required=False, label=gettext_lazy("Center"))

    def __init__(self, *args: Any, centers: list[Center], city: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ChoiceField)
        every = _("All centers") if city else _("All my centers")
        field.choices = [("", every), *((str(c.pk), c.name) for c in centers)]

    def clean(self) -> dict[str, Any]:
        """A period that does not end before it starts, of at most five years."""
        data = super().clean()
        assert data is not None, "Form.clean returns cleaned_data"
        default_start, default_end = this_year()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if "start" not in self.errors and "end" not in self.errors:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most five years."))
        data["start"], data["end"] = start, end
        return data


@dataclass
class Chosen:
    form: BoardForm
    centers: list[Center]
    center: Center | None
    city: bool
    scope: Scope | None  # None when the period is not valid


def _choose(request: HttpRequest) -> Chosen:
    """The viewer's centers, the one chosen and the period; 404 for a center outside the viewer's."""
    user = request.user
    if not permissions.can_view_studio_board(user):
        raise Http404
    city = permissions.can_view_city_overview(user)
    centers = list(board_centers(user))
    form = BoardForm(request.GET, centers=centers, city=city)
    valid = form.is_valid()
    if "center" in form.errors:
        raise Http404  # a center that does not exist or is not the viewer's
    picked = form.cleaned_data.get("center") or ""
    center = next((c for c in centers if str(c.pk) == picked), None)
    if center is not None and not permissions.can_view_studio_board(user, center):
        raise Http404
    if not valid:
        return Chosen(form, centers, center, city, None)
    if center is not None:
        ids: frozenset[int] | None = frozenset({center.pk})
    elif city:
        ids = None
    else:
        ids = frozenset(c.pk for c in centers)
    scope = Scope(ids, form.cleaned_data["start"], form.cleaned_data["end"])
    return Chosen(form, centers, center, city, scope)


def _money(value: float) -> str:
    return format_vnd(int(value))


def _charts(board: Board) -> dict[str, SafeString]:
    states = [row for row in board.by_state if row.count]
    return {
        "by_state": stacked_bars(
            [Bar(row.label, [row.count]) for row in states],
            [Series(_("Requests"), PALETTE[3])],
            title=_("Requests submitted in the period, by state"),
            width=WIDTH,
        ),
        "by_source": stacked_bars(
            [Bar(row.label, [row.subsidy, row.producer_share]) for row in board.by_source],
            [Series(_("Subsidy"), PALETTE[0]), Series(_("Paid by the producer"), PALETTE[1])],
            title=_("Cost of the requests by who pays (₫)"),
            width=WIDTH,
            fmt=_money,
            value_width=120,
        ),
    }


def _guard(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def board(request: HttpRequest) -> HttpResponse:
    """The studio board of the viewer's centers in a period."""
    if (response := _guard(request)) is not None:
        return response
    chosen = _choose(request)
    context: dict[str, Any] = {
        "form": chosen.form,
        "centers": chosen.centers,
        "center": chosen.center,
        "city": chosen.city,
        "shows_center_filter": chosen.city or len(chosen.centers) > 1,
    }
    if chosen.scope is None:
        return render(request, "design/board.html", {**context, "board": None}, status=400)
    result = studio_board(chosen.scope, city=chosen.city)
    user = request.user
    context.update(
        board=result,
        charts=_charts(result),
        open_rows=[
            (row, row.is_overdue(result.today), permissions.can_view_design_request(user, row))
            for row in result.open_rows
        ],
        query_string=request.GET.urlencode(),
    )
    return render(request, "design/board.html", context)


def export(request: HttpRequest) -> HttpResponse:
    """The board's requests and figures as an Excel file, with the same filters."""
    if (response := _guard(request)) is not None:
        return response
    chosen = _choose(request)
    if chosen.scope is None:
        context = {"form": chosen.form, "centers": chosen.centers, "center": chosen.center, "board": None}
        return render(request, "design/board.html", {**context, "city": chosen.city}, status=400)
    scope = chosen.scope
    result = studio_board(scope, city=chosen.city)
    content = exports.board_workbook(result, center=chosen.center)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="xuong-thiet-ke-{scope.start:%Y-%m-%d}-{scope.end:%Y-%m-%d}.xlsx"'
    )
    return response
