"""The door of a center's events: staff scan a ticket (a keyboard-wedge scanner types the code into
the field and presses Enter; the phone's camera reads it through the browser's BarcodeDetector; or
the code is typed) and see at once who came, or why the ticket is refused. Today's head counts stand
beside. Answers are a partial for htmx, or the whole page (a redirect after a check-in)."""

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from ocophub.accounts import permissions
from ocophub.centers.models import Center
from ocophub.common.errors import DomainError

from . import selectors_center, services
from .forms_center import CheckInForm
from .views_center import center_for, status_of

# what the page shows for each refusal of the service, by its code
REFUSALS = {
    "already_checked_in": "already",
    "other_center": "other_center",
    "not_found": "unknown",
    "not_paid": "not_paid",
    "session_cancelled": "cancelled",
}


def htmx_of(request: HttpRequest) -> bool:
    details: HtmxDetails | None = getattr(request, "htmx", None)
    return bool(details)


def _page(
    request: HttpRequest, center: Center, *, form: CheckInForm, result: dict[str, Any] | None, status: int
) -> HttpResponse:
    today = selectors_center.today_at(center)
    context = {
        "center": center,
        "form": form,
        "result": result,
        "today": today,
        "today_checked_in": sum(row.checked_in for row in today),
        "today_expected": sum(row.expected for row in today),
        "day": timezone.localdate(),
    }
    template = "events/center/_checkin_panel.html" if htmx_of(request) else "events/center/checkin.html"
    return render(request, template, context, status=status)


def check_in(request: HttpRequest, slug: str) -> HttpResponse:
    center = center_for(request, slug, permissions.can_check_in_at)
    if isinstance(center, HttpResponse):
        return center
    if request.method != "POST":
        return _page(request, center, form=CheckInForm(), result=None, status=200)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        result: dict[str, Any] = {"kind": "invalid", "message": _("Enter or scan a ticket code.")}
        return _page(request, center, form=form, result=result, status=400)
    code = form.cleaned_data["code"]
    try:
        made = services.check_in_by_code(actor=request.user, code=code, center=center)
    except DomainError as error:
        kind = REFUSALS.get(error.code, "refused")
        if kind == "refused" and error.code.startswith("state_"):
            kind = "not_valid"
        result = {"kind": kind, "message": error.message, "code": code}
        if kind == "already":
            result["check_in"] = selectors_center.checked_in_of(code)
        return _page(request, center, form=CheckInForm(), result=result, status=status_of(error))
    registration = made.registration
    result = {"kind": "ok", "check_in": made, "registration": registration, "session": made.session}
    if htmx_of(request):
        return _page(request, center, form=CheckInForm(), result=result, status=200)
    messages.success(
        request,
        _("Checked in: %(name)s, %(n)s people — %(event)s.")
        % {"name": registration.name, "n": made.heads, "event": made.session.event.title},
    )
    return redirect("events_center:check_in", slug=center.slug)
