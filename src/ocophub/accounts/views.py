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
from .forms import LoginForm, PasswordResetForm, PhoneResetCodeForm, SignUpForm, TokenForm
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
        if form.phone:
            return self._send_code(form.phone)
        try:
            ratelimit.take(
                ratelimit.Limit.from_setting("password_reset:email", "RATE_PASSWORD_RESET_PER_EMAIL"),
                fold(form.cleaned_data["email"]),
            )
        except RateLimited:
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

    def _send_code(self, phone: str) -> HttpResponse:
        """A code by text message, limited per phone quietly; the code page follows in every case."""
        try:
            ratelimit.take(
                ratelimit.Limit.from_setting("password_reset:phone", "RATE_PASSWORD_RESET_PER_PHONE"), phone
            )
        except RateLimited:
            pass
        else:
            services.phone_reset_code_send(phone=phone)
        self.request.session[PHONE_RESET_SESSION_KEY] = {"phone": phone, "wrong": 0}
        return HttpResponseRedirect(reverse("accounts:password_reset_code"))


PHONE_RESET_SESSION_KEY = "phone_reset"


def password_reset_code(request: HttpRequest) -> HttpResponse:
    """The code texted to the phone and the new password. Wrong codes are counted against the code;
    every refusal is a 4xx and changes no password."""
    pending = request.session.get(PHONE_RESET_SESSION_KEY)
    if not isinstance(pending, dict) or not pending.get("phone"):
        messages.info(request, _("Enter your phone number first: we text you a code."))
        return redirect("accounts:password_reset")
    phone = str(pending["phone"])
    form = PhoneResetCodeForm(request.POST or None)
    status = 200
    context = {"form": form, "phone": phone, "minutes": settings.PHONE_RESET_CODE_MINUTES}
    if request.method == "POST":
        try:
            ratelimit.take(
                ratelimit.Limit.from_setting(
                    "password_reset_code:address", "RATE_PASSWORD_RESET_CODE_PER_ADDRESS"
                ),
                address_key(request),
            )
        except RateLimited as error:
            form.is_valid()
            form.errors.clear()
            form.add_error(None, error.message)
            return render(request, "accounts/password_reset_code.html", context, status=429)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.phone_reset_code_use(phone=phone, code=data["code"], password=data["new_password1"])
            except DomainError as error:
                if error.code == "wrong_code":
                    wrong = int(pending.get("wrong") or 0) + 1
                    request.session[PHONE_RESET_SESSION_KEY] = {"phone": phone, "wrong": wrong}
                    if wrong >= settings.PHONE_RESET_CODE_MAX_TRIES:
                        error = DomainError(
                            _(
                                "A wrong code was entered %(n)s times: the code no longer works. "
                                "Ask for a new code."
                            )
                            % {"n": wrong},
                            fields={"code": _("Ask for a new code.")},
                        )
                form.add_error(None, error.message)
                for field, message in error.fields.items():
                    if field in form.fields and message != error.message:
                        form.add_error(field, message)
            else:
                request.session.pop(PHONE_RESET_SESSION_KEY, None)
                messages.success(request, _("Your new password is saved: log in with it."))
                return redirect("accounts:password_reset_complete")
    return render(request, "accounts/password_reset_code.html", context, status=status)


class PasswordChangeView(auth_views.PasswordChangeView):
    """A logged-in user changes their password (the old one first); the session stays logged in."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def form_invalid(self, form: Any) -> HttpResponse:
        return self.render_to_response(self.get_context_data(form=form), status=400)


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
