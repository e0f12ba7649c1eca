"""The sales report pages: a period and a center, every summary as a chart beside its table, and Excel."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ocophub.accounts import permissions
from ocophub.common.charts import PALETTE, Bar, Series, stacked_bars
from ocophub.common.money import format_vnd

from .. import exports
from ..forms_settlements import MonthlyReportForm, ReportForm
from ..reports import Row, SalesReport, report_centers, sales_report
from ..reports_monthly import MonthlyReport, monthly_by_unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


WIDTH = 560  # drawn beside a table: a narrower drawing keeps its text readable once scaled


def _money(value: float) -> str:
    return format_vnd(int(value))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _net_chart(rows: list[Row], title: str) -> SafeString:
    """Net sales and returns stacked: the whole bar is the gross."""
    return stacked_bars(
        [Bar(row.label, [row.net, row.returns]) for row in rows],
        [Series(_("Net sales"), PALETTE[0]), Series(_("Returns"), PALETTE[2])],
        title=title,
        width=WIDTH,
        fmt=_money,
        value_width=110,
    )


def _charts(report: SalesReport) -> dict[str, SafeString]:
    charts = {
        "by_day": _net_chart(report.by_day, _("Sales by day (₫)")),
        "by_center": _net_chart(report.by_center, _("Sales by center (₫)")),
        "by_producer": _net_chart(report.by_producer, _("Sales by producer (₫)")),
        "by_group": _net_chart(report.by_group, _("Sales by product group (₫)")),
        "by_method": stacked_bars(
            [Bar(_capital(row.label), [row.net, row.refunded]) for row in report.by_method],
            [Series(_("Kept"), PALETTE[0]), Series(_("Refunded"), PALETTE[2])],
            title=_("Payments received by method (₫)"),
            width=WIDTH,
            fmt=_money,
            value_width=110,
        ),
        "top_quantity": stacked_bars(
            [Bar(row.label, [row.quantity]) for row in report.top_by_quantity],
            [Series(_("Units sold"), PALETTE[3])],
            title=_("Best sellers by quantity"),
            width=WIDTH,
        ),
        "top_amount": stacked_bars(
            [Bar(row.label, [row.amount]) for row in report.top_by_amount],
            [Series(_("Sales amount"), PALETTE[1])],
            title=_("Best sellers by amount (₫)"),
            width=WIDTH,
            fmt=_money,
            value_width=110,
        ),
        "stock_value": stacked_bars(
            [Bar(row["producer"], [row["value"]]) for row in report.stock_value],
            [Series(_("Stock value at list price"), PALETTE[4])],
            title=_("Stock value by producer (₫)"),
            width=WIDTH,
            fmt=_money,
            value_width=110,
        ),
    }
    return charts


def _report(request: HttpRequest) -> tuple[ReportForm, SalesReport | None]:
    centers = report_centers(request.user)
    form = ReportForm(request.GET, centers=centers)
    if not form.is_valid():
        return form, None
    chosen = [form.cleaned_data["center"]] if form.cleaned_data["center"] else list(centers)
    return form, sales_report(request.user, chosen, form.cleaned_data["start"], form.cleaned_data["end"])


def _guard(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not permissions.can_view_sales_reports(request.user):
        raise Http404
    return None


def sales_reports(request: HttpRequest) -> HttpResponse:
    """Sales of the user's centers (the city: every center) in a period, as charts and tables."""
    if (response := _guard(request)) is not None:
        return response
    form, report = _report(request)
    context: dict[str, Any] = {"form": form, "report": report}
    if report is None:
        return render(request, "sales/reports/sales.html", context, status=400)
    context["charts"] = _charts(report)
    context["query_string"] = request.GET.urlencode()
    return render(request, "sales/reports/sales.html", context)


def sales_reports_xlsx(request: HttpRequest) -> HttpResponse:
    """The report's tables as sheets of one Excel file."""
    if (response := _guard(request)) is not None:
        return response
    form, report = _report(request)
    if report is None:
        return render(request, "sales/reports/sales.html", {"form": form, "report": None}, status=400)
    response = HttpResponse(exports.report_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-ban-hang-{report.start:%Y-%m-%d}-{report.end:%Y-%m-%d}.xlsx"'
    )
    return response


def _monthly(request: HttpRequest) -> tuple[MonthlyReportForm, MonthlyReport | None]:
    centers = report_centers(request.user)
    form = MonthlyReportForm(request.GET, centers=centers)
    if not form.is_valid():
        return form, None
    chosen = [form.cleaned_data["center"]] if form.cleaned_data["center"] else list(centers)
    return form, monthly_by_unit(chosen, form.cleaned_data["start"], form.cleaned_data["end"])


def monthly_report(request: HttpRequest) -> HttpResponse:
    """Sales of the user's centers by district-level unit and month: net per month, and the totals."""
    if (response := _guard(request)) is not None:
        return response
    form, report = _monthly(request)
    context: dict[str, Any] = {"form": form, "report": report}
    if report is None:
        return render(request, "sales/reports/monthly.html", context, status=400)
    context["rows"] = [(unit, unit.cells(report.months), unit.total) for unit in report.units]
    context["chart"] = _net_chart([unit.total for unit in report.units], _("Sales by unit (₫)"))
    context["query_string"] = request.GET.urlencode()
    return render(request, "sales/reports/monthly.html", context)


def monthly_report_xlsx(request: HttpRequest) -> HttpResponse:
    """The monthly report as an Excel file: net by unit and month, and gross, returns and net by unit."""
    if (response := _guard(request)) is not None:
        return response
    form, report = _monthly(request)
    if report is None:
        return render(request, "sales/reports/monthly.html", {"form": form, "report": None}, status=400)
    response = HttpResponse(exports.monthly_workbook(report), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="ban-hang-theo-don-vi-{report.start:%Y-%m}-{report.end:%Y-%m}.xlsx"'
    )
    return response
