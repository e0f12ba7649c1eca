"""The center manager's staff page: the live roles at the center, granting and revoking staff roles.

A manager hands out only the center's staff roles (accounts.permissions.CENTER_STAFF_ROLES), at their
own center; any other center, and any other kind of grant, is reported missing (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.accounts import selectors as accounts
from ocophub.accounts import services as account_services
from ocophub.accounts.models import Role
from ocophub.common.errors import DomainError

from .forms_staff import GrantForm, RevokeForm
from .models import Center


def _managed_center(request: HttpRequest, slug: str) -> Center:
    center = Center.objects.filter(slug=slug).first()
    if center is None or not permissions.can_manage_center_staff(request.user, center):
        raise Http404
    return center


def _page(
    request: HttpRequest,
    center: Center,
    *,
    form: GrantForm | None = None,
    revoke_form: RevokeForm | None = None,
    revoking: int | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "centers/workspace/staff.html",
        {
            "center": center,
            "grants": list(accounts.center_grants(center.pk)),
            "form": form or GrantForm(),
            "revoke_form": revoke_form or RevokeForm(),
            "revoking": revoking,
            "revocable": permissions.CENTER_STAFF_ROLES,
        },
        status=status,
    )


@login_required
@require_GET
def staff(request: HttpRequest, slug: str) -> HttpResponse:
    """Who holds a role at the center, since when and granted by whom."""
    return _page(request, _managed_center(request, slug))


@login_required
@require_POST
def staff_grant(request: HttpRequest, slug: str) -> HttpResponse:
    center = _managed_center(request, slug)
    form = GrantForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the marked fields."))
        return _page(request, center, form=form, status=400)
    user, role = form.cleaned_data["login"], form.cleaned_data["role"]
    try:
        account_services.role_grant(actor=request.user, user=user, role=role, scope_id=center.pk)
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, center, form=form, status=error.status)
    messages.success(
        request,
        _("%(user)s is now “%(role)s” at %(center)s.")
        % {"user": user, "role": Role(role).label, "center": center.name},
    )
    return redirect("center_ws:staff", slug=center.slug)


@login_required
@require_POST
def staff_revoke(request: HttpRequest, slug: str, grant_id: int) -> HttpResponse:
    center = _managed_center(request, slug)
    grant = accounts.center_grant(center.pk, grant_id, permissions.CENTER_STAFF_ROLES)
    if grant is None:
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for the revocation."))
        return _page(request, center, revoke_form=form, revoking=grant.pk, status=400)
    try:
        account_services.role_grant_revoke(
            actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        messages.error(request, error.message)
        return _page(request, center, revoke_form=form, revoking=grant.pk, status=error.status)
    messages.success(
        request,
        _("The role “%(role)s” of %(user)s is revoked.")
        % {"role": grant.get_role_display(), "user": grant.user},
    )
    return redirect("center_ws:staff", slug=center.slug)
