"""The admin site: OCOP Hub's name, and its login guarded like the site's own."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ocophub.accounts.forms import AdminLoginForm


class AdminSite(admin.AdminSite):
    site_header = _("OCOP Hub administration")
    site_title = _("OCOP Hub administration")
    index_title = _("Administration")
    login_form = AdminLoginForm

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        """A refused login answers 400, or 429 while the login or the address is locked."""
        response = super().login(request, extra_context)
        form = getattr(response, "context_data", {}).get("form") if request.method == "POST" else None
        if form is not None and form.errors and response.status_code == 200:
            response.status_code = 429 if getattr(form, "locked", False) else 400
        return response
