"""The Department of Tourism's work pages: the operators, their details and their members."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import services as account_services
from ocophub.accounts.models import Role, RoleGrant
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.text import fold

from . import services
from .forms_work import MemberForm, OperatorForm
from .models import Operator
from .views_work import LIST_LIMIT, department, status_of


@require_GET
def operator_list(request: HttpRequest) -> HttpResponse:
    """Every operator (at most LIST_LIMIT, by name), searched by name, with its tours counted."""
    refused = department(request)
    if refused:
        return refused
    query = request.GET.get("q", "")[:100].strip()
    rows = Operator.objects.annotate(tour_count=Count("tours")).order_by("folded_name", "pk")
    if query:
        rows = rows.filter(Q(folded_name__contains=fold(query)) | Q(licence_number__icontains=query))
    operators = list(rows[: LIST_LIMIT + 1])
    return render(
        request,
        "tours/work/operator_list.html",
        {
            "operators": operators[:LIST_LIMIT],
            "more": len(operators) > LIST_LIMIT,
            "query": query,
            "limit": LIST_LIMIT,
        },
    )


def _operator_page(
    request: HttpRequest,
    operator: Operator | None,
    form: OperatorForm,
    *,
    status: int = 200,
    problem: Problem | None = None,
    problem_key: str = "operator",
    member_form: MemberForm | None = None,
) -> HttpResponse:
    members = (
        list(
            RoleGrant.objects.live()
            .filter(role=Role.OPERATOR_MEMBER, scope_id=operator.pk)
            .select_related("user")
            .order_by("pk")[:LIST_LIMIT]
        )
        if operator
        else []
    )
    return render(
        request,
        "tours/work/operator_form.html",
        {
            "operator": operator,
            "form": form,
            "problem": problem,
            "problem_key": problem_key,
            "members": members,
            "member_form": member_form or MemberForm(),
        },
        status=status,
    )


@require_POST
def member_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """The department makes a person a member of the operator (revoking is in the city's admin)."""
    refused = department(request)
    if refused:
        return refused
    operator = get_object_or_404(Operator, pk=pk)
    initial = {name: getattr(operator, name) for name in OPERATOR_INITIAL}
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _operator_page(
            request,
            operator,
            OperatorForm(initial=initial),
            status=400,
            problem=problem_from_form(form),
            problem_key="member",
            member_form=form,
        )
    user = form.cleaned_data["login"]
    try:
        account_services.role_grant(
            actor=request.user, user=user, role=Role.OPERATOR_MEMBER, scope_id=operator.pk
        )
    except DomainError as error:
        return _operator_page(
            request,
            operator,
            OperatorForm(initial=initial),
            status=status_of(error),
            problem=problem_from_error(error, form),
            problem_key="member",
            member_form=form,
        )
    messages.success(
        request, _("%(user)s is now a member of %(operator)s.") % {"user": user, "operator": operator.name}
    )
    return redirect("tours_work:operator_edit", pk=operator.pk)


OPERATOR_INITIAL = (
    "name",
    "kind",
    "licence_number",
    "contact_name",
    "phone",
    "email",
    "bank_bin",
    "bank_name",
    "account_number",
    "account_holder",
    "is_active",
)


def operator_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Register an operator (no pk) or change one's details; unticking "active" deactivates it."""
    refused = department(request)
    if refused:
        return refused
    operator = get_object_or_404(Operator, pk=pk) if pk is not None else None
    if request.method != "POST":
        initial = {name: getattr(operator, name) for name in OPERATOR_INITIAL} if operator else None
        return _operator_page(request, operator, OperatorForm(initial=initial))
    form = OperatorForm(request.POST)
    if not form.is_valid():
        return _operator_page(request, operator, form, status=400, problem=problem_from_form(form))
    data = form.cleaned_data
    try:
        if operator is None:
            operator = services.operator_create(actor=request.user, **data)
            messages.success(request, _("The operator is registered."))
        else:
            services.operator_update(actor=request.user, operator=operator, **data)
            messages.success(request, _("The operator's details are saved."))
    except DomainError as error:
        return _operator_page(
            request, operator, form, status=status_of(error), problem=problem_from_error(error, form)
        )
    return redirect("tours_work:operators")


# --- an operator's tours ------------------------------------------------------------------------------
