"""Login, logout and the account page with personal API tokens."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.common.dates import format_datetime
from ocophub.common.errors import DomainError, NotFound

from . import permissions, services
from .forms import LoginForm, TokenForm
from .models import ApiToken


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = ""
    status = 200
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        identifier = request.POST.get("username", "")
        locked_until = services.login_locked_until(identifier)
        if locked_until is not None:
            form.is_valid()  # bind the fields so the form re-renders
            form.errors.clear()
            form.add_error(
                None,
                _("Too many failed logins. This login is locked until %(time)s.")
                % {"time": format_datetime(locked_until)},
            )
            status = 429
        elif form.is_valid():
            services.login_attempt_record(
                identifier=identifier, succeeded=True, ip_address=_client_ip(request)
            )
            login(request, form.user)
            return HttpResponseRedirect(next_url or "/")
        else:
            services.login_attempt_record(
                identifier=identifier, succeeded=False, ip_address=_client_ip(request)
            )
            status = 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    tokens = ApiToken.objects.filter(user=request.user)
    new_token = request.session.pop("new_token", None)
    return render(
        request,
        "accounts/account.html",
        {
            "grants": permissions.roles_of(request.user),
            "tokens": tokens,
            "form": TokenForm(),
            "new_token": new_token,
        },
    )


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        tokens = ApiToken.objects.filter(user=request.user)
        return render(
            request,
            "accounts/account.html",
            {"grants": permissions.roles_of(request.user), "tokens": tokens, "form": form},
            status=400,
        )
    try:
        token, raw = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("accounts:account")
    request.session["new_token"] = {"id": token.pk, "raw": raw}
    return redirect("accounts:account")


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.api_token_revoke(actor=request.user, token_id=token_id)
    except NotFound as error:
        raise Http404 from error
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:account")
