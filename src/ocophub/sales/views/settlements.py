"""Settlement pages: the list, issuing a statement, the statement with its actions, its Excel file.

Who does what: the center's managers issue, cancel (while issued) and record the payout (once accepted);
the producer's members accept; the city reads every statement. A statement outside the user's scope is
404, and so is an action the user may not take on a statement they can read.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.money import round_vnd

from .. import exports, selectors, services, vietqr
from ..forms_settlements import (
    AnswerForm,
    CancelForm,
    DisputeForm,
    PayForm,
    SettlementFilterForm,
    SettlementForm,
)
from ..models import BankAccount, Settlement, SettlementState
from ..services.settlements import statement_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 25


def _has_settlement_scope(user: Any) -> bool:
    return permissions.can_view_city_overview(user) or bool(
        permissions.scope_ids(user, Role.CENTER_MANAGER, Role.PRODUCER_MEMBER)
    )


def _managed_centers(user: Any) -> Any:
    return Center.objects.filter(pk__in=permissions.scope_ids(user, Role.CENTER_MANAGER)).order_by(
        "name", "pk"
    )


def settlement_list(request: HttpRequest) -> HttpResponse:
    """The statements the user may see, newest period first, filtered by center, producer and state."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not _has_settlement_scope(request.user):
        raise Http404
    visible = selectors.visible_settlements(request.user)
    form = SettlementFilterForm(
        request.GET or None,
        centers=Center.objects.filter(pk__in=visible.values("center_id")).order_by("name", "pk"),
        producers=Producer.objects.filter(pk__in=visible.values("producer_id")).order_by("folded_name", "pk"),
    )
    qs = visible
    if form.is_bound and form.is_valid():
        if form.cleaned_data["center"]:
            qs = qs.filter(center=form.cleaned_data["center"])
        if form.cleaned_data["producer"]:
            qs = qs.filter(producer=form.cleaned_data["producer"])
        if form.cleaned_data["state"]:
            qs = qs.filter(state=form.cleaned_data["state"])
    page = Paginator(qs.order_by("-period_end", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "sales/settlements/list.html",
        {
            "form": form,
            "page": page,
            "settlements": page.object_list,
            "query_string": params.urlencode(),
            "can_issue": _managed_centers(request.user).exists(),
            "can_report": permissions.can_view_sales_reports(request.user),
            "disputed": visible.filter(state=SettlementState.DISPUTED).count(),
            "my_producers": list(
                Producer.objects.filter(
                    pk__in=permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)
                ).order_by("folded_name", "pk")
            ),
        },
        status=200 if not form.is_bound or form.is_valid() else 400,
    )


def settlement_create(request: HttpRequest) -> HttpResponse:
    """Choose center, producer and period; preview the statement; then issue it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    centers = _managed_centers(request.user)
    if not centers.exists():
        producers = sorted(permissions.scope_ids(request.user, Role.PRODUCER_MEMBER))
        producer = Producer.objects.filter(pk__in=producers).order_by("pk").first()
        if producer is None or request.method == "POST":
            raise Http404
        # a producer's "statement so far" is its sales to date, which it reads but does not issue
        return redirect("sales_work:producer_sales", producer.slug)
    if request.method != "POST":
        form = SettlementForm(centers=centers, initial={"center": centers.first()})
        return render(request, "sales/settlements/create.html", {"form": form})
    form = SettlementForm(request.POST, centers=centers)
    if not form.is_valid():
        return render(request, "sales/settlements/create.html", {"form": form}, status=400)
    data = form.cleaned_data
    if not permissions.can_manage_center_operations(request.user, data["center"]):
        raise Http404
    if request.POST.get("action") != "issue":
        statement = services.settlement_preview(
            data["producer"], data["center"], data["period_start"], data["period_end"]
        )
        context = {
            "form": form,
            "preview": statement,
            "data": data,
            "rates": _rates(statement),
            "not_over": data["period_end"] >= local_today(),
        }
        return render(request, "sales/settlements/create.html", context)
    try:
        settlement = services.settlement_create(
            actor=request.user,
            producer=data["producer"],
            center=data["center"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        )
    except DomainError as error:
        context = {"form": form, "error": error}
        return render(request, "sales/settlements/create.html", context, status=error.status)
    messages.success(request, _("The statement is issued; the producer can now accept it."))
    return redirect("settlements:detail", settlement.pk)


def _rates(statement: services.Statement) -> list[dict[str, Any]]:
    """The commission per rate, as the statement computes it: round-half-up((sales − returns) × rate)."""
    return [
        {
            "rate": rate,
            "percent": exports.percent(rate),
            "gross": row["gross"],
            "returns": row["returns"],
            "net_sales": row["gross"] - row["returns"],
            "commission": round_vnd((row["gross"] - row["returns"]) * rate),
        }
        for rate, row in sorted(statement.by_rate.items())
    ]


def _visible(request: HttpRequest, pk: int) -> Settlement:
    settlement = get_object_or_404(
        Settlement.objects.select_related("producer", "center", "created_by"), pk=pk
    )
    if not permissions.can_view_settlement(request.user, settlement):
        raise Http404
    return settlement


def _lines(settlement: Settlement) -> tuple[Any, Any]:
    sale_lines = settlement.sale_lines.select_related("sale", "product").order_by("sale__created_at", "pk")
    return_lines = settlement.return_lines.select_related("ret__sale", "sale_line__product").order_by(
        "ret__created_at", "pk"
    )
    return sale_lines, return_lines


def _bank_account(producer: Producer) -> BankAccount | None:
    try:
        account = producer.bank_account
    except BankAccount.DoesNotExist:
        return None
    return account if account.active else None


def _detail(
    request: HttpRequest,
    settlement: Settlement,
    *,
    status: int = 200,
    error: DomainError | None = None,
    cancel_form: CancelForm | None = None,
    pay_form: PayForm | None = None,
    dispute_form: DisputeForm | None = None,
    answer_form: AnswerForm | None = None,
) -> HttpResponse:
    sale_lines, return_lines = _lines(settlement)
    sale_lines, return_lines = list(sale_lines), list(return_lines)
    for line in sale_lines:
        line.percent = exports.percent(line.commission_rate)
    for line in return_lines:
        line.percent = exports.percent(line.sale_line.commission_rate)
    statement = statement_of(settlement.sale_lines.all(), settlement.return_lines.all())
    manages = permissions.can_manage_center_operations(request.user, settlement.center)
    account = _bank_account(settlement.producer)
    qr = None
    if (
        manages
        and settlement.state == SettlementState.ACCEPTED
        and account is not None
        and settlement.net > 0
    ):
        try:
            qr = vietqr.svg(
                vietqr.payload(
                    bank_bin=account.bank_bin,
                    account=account.account_number,
                    amount=settlement.net,
                    message=f"QT {settlement.pk}",
                )
            )
        except ValueError:  # an account stored in a shape banks do not accept: no code rather than an error
            qr = None
    context = {
        "settlement": settlement,
        "sale_lines": sale_lines,
        "return_lines": return_lines,
        "rates": _rates(statement),
        "events": settlement.events.select_related("actor"),
        "can_accept": permissions.can_accept_settlement(request.user, settlement)
        and settlement.state == SettlementState.ISSUED,
        "can_dispute": permissions.can_dispute_settlement(request.user, settlement)
        and settlement.state == SettlementState.ISSUED,
        "can_answer": permissions.can_answer_settlement_dispute(request.user, settlement)
        and settlement.state == SettlementState.DISPUTED,
        "can_cancel": manages and settlement.state == SettlementState.ISSUED,
        "can_pay": manages and settlement.state == SettlementState.ACCEPTED,
        "manages": manages,
        "account": account,
        "qr": qr,
        "cancel_form": cancel_form or CancelForm(),
        "pay_form": pay_form or PayForm(),
        "dispute_form": dispute_form or DisputeForm(),
        "answer_form": answer_form or AnswerForm(),
        "error": error,
    }
    return render(request, "sales/settlements/detail.html", context, status=status)


def settlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement: numbers, commission per rate, its lines, its history and the next action."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _detail(request, _visible(request, pk))


@require_POST
def settlement_accept(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    settlement = _visible(request, pk)
    if not permissions.can_accept_settlement(request.user, settlement):
        raise Http404
    try:
        services.settlement_accept(actor=request.user, settlement=settlement)
    except DomainError as error:
        return _detail(request, settlement, status=error.status, error=error)
    messages.success(request, _("You accepted the statement; the center will pay out the net amount."))
    return redirect("settlements:detail", settlement.pk)


@require_POST
def settlement_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    """The producer's members say what is wrong with an issued statement instead of accepting it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    settlement = _visible(request, pk)
    if not permissions.can_dispute_settlement(request.user, settlement):
        raise Http404
    form = DisputeForm(request.POST)
    if not form.is_valid():
        return _detail(request, settlement, status=400, dispute_form=form)
    try:
        services.settlement_dispute(
            actor=request.user, settlement=settlement, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _detail(request, settlement, status=error.status, error=error, dispute_form=form)
    messages.success(request, _("Your dispute is sent; the center's managers will answer it."))
    return redirect("settlements:detail", settlement.pk)


@require_POST
def settlement_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """The center's managers answer a dispute: confirm the statement, or cancel it for a corrected one."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    settlement = _visible(request, pk)
    if not permissions.can_answer_settlement_dispute(request.user, settlement):
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, settlement, status=400, answer_form=form)
    try:
        services.settlement_answer(
            actor=request.user,
            settlement=settlement,
            reply=form.cleaned_data["reply"],
            outcome=form.cleaned_data["outcome"],
        )
    except DomainError as error:
        return _detail(request, settlement, status=error.status, error=error, answer_form=form)
    if form.cleaned_data["outcome"] == AnswerForm.CANCEL:
        messages.success(request, _("The statement is cancelled; issue a corrected one for the same period."))
    else:
        messages.success(request, _("The statement is confirmed; the producer is asked to accept it."))
    return redirect("settlements:detail", settlement.pk)


@require_POST
def settlement_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    settlement = _visible(request, pk)
    if not permissions.can_manage_center_operations(request.user, settlement.center):
        raise Http404
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _detail(request, settlement, status=400, cancel_form=form)
    try:
        services.settlement_cancel(
            actor=request.user, settlement=settlement, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _detail(request, settlement, status=error.status, error=error, cancel_form=form)
    messages.success(request, _("The statement is cancelled; its sales can be settled again."))
    return redirect("settlements:detail", settlement.pk)


@require_POST
def settlement_pay(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    settlement = _visible(request, pk)
    if not permissions.can_manage_center_operations(request.user, settlement.center):
        raise Http404
    form = PayForm(request.POST)
    if not form.is_valid():
        return _detail(request, settlement, status=400, pay_form=form)
    try:
        services.settlement_pay(
            actor=request.user,
            settlement=settlement,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )
    except DomainError as error:
        return _detail(request, settlement, status=error.status, error=error, pay_form=form)
    messages.success(request, _("The payout is recorded."))
    return redirect("settlements:detail", settlement.pk)


def settlement_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The statement as an Excel file: summary, commission per rate, sale lines, return lines."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    settlement = _visible(request, pk)
    sale_lines, return_lines = _lines(settlement)
    statement = statement_of(settlement.sale_lines.all(), settlement.return_lines.all())
    content = exports.settlement_workbook(settlement, statement, list(sale_lines), list(return_lines))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="bang-ke-quyet-toan-{settlement.pk}-{settlement.period_end:%Y-%m}.xlsx"'
    )
    return response
