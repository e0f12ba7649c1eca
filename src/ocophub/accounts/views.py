"""Login, logout and the account page with personal API tokens."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.common import ratelimit
from ocophub.common.errors import DomainError, NotFound
from ocophub.common.ratelimit import RateLimited, address_key
from ocophub.common.text import fold

from . import permissions, services
from .forms import LoginForm, PasswordResetForm, SignUpForm, TokenForm
from .models import ApiToken, User


def _next_url(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        return ""
    return next_url


def login_view(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    status = 200
    form = LoginForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            login(request, form.user)
            return HttpResponseRedirect(next_url or "/")
        status = 429 if form.locked else 400
    return render(request, "accounts/login.html", {"form": form, "next": next_url}, status=status)


def signup(request: HttpRequest) -> HttpResponse:
    """A visitor makes a customer account and is logged in with it."""
    if request.user.is_authenticated:
        return redirect("accounts:account")
    next_url = _next_url(request)
    form = SignUpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            ratelimit.take(
                ratelimit.Limit.from_setting("signup:address", "RATE_SIGNUP_PER_ADDRESS"),
                address_key(request),
            )
        except RateLimited as error:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, error.message)
            return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.customer_sign_up(
                    full_name=data["full_name"],
                    email=data["email"] or None,
                    phone=data["phone"] or None,
                    password=data["password1"],
                )
            except DomainError as error:
                for field, message in error.fields.items():
                    form.add_error(field if field in form.fields else None, message)
            else:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
                messages.success(request, _("Welcome to OCOP Hub, %(name)s.") % {"name": user.full_name})
                return HttpResponseRedirect(next_url or reverse("accounts:account"))
        status = 400
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for the account's e-mail and sends a one-time link. Limited per client address (a 429
    says so) and per e-mail address (quietly: the answer is the same as when the link is sent, so
    that nobody learns which addresses have accounts)."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = PasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            ratelimit.take(
                ratelimit.Limit.from_setting("password_reset:address", "RATE_PASSWORD_RESET_PER_ADDRESS"),
                address_key(request),
            )
        except RateLimited as error:
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            ratelimit.take(
                ratelimit.Limit.from_setting("password_reset:email", "RATE_PASSWORD_RESET_PER_EMAIL"),
                fold(form.cleaned_data["email"]),
            )
        except RateLimited:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(timeout_hours=settings.PASSWORD_RESET_TIMEOUT // 3600, **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    assert isinstance(request.user, User), "login_required lets only a signed-in user through"
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
    assert isinstance(request.user, User), "login_required lets only a signed-in user through"
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
    assert isinstance(request.user, User), "login_required lets only a signed-in user through"
    try:
        token = services.api_token_revoke(actor=request.user, token_id=token_id)
    except NotFound as error:
        raise Http404 from error
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("accounts:account")
