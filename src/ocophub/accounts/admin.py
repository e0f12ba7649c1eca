"""Users, role grants and tokens in the admin.

Grants are made and revoked through the services (who granted, who revoked, when and why are
kept; a revoked grant stays as a record). A center or producer is picked by search, never from a
list of them all; lists show the name of what a grant is over.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteMixin, get_select2_language
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ocophub.common.admin import ReadOnlyInline, ServiceAdmin, ViewOnlyAdmin
from ocophub.common.errors import DomainError
from ocophub.common.forms import parse_id

from . import permissions, scopes, services
from .models import ROLE_SCOPE, ApiToken, LoginAttempt, Role, RoleGrant, ScopeKind, User

# the scope kinds picked by search on the grant form, and the form field of each
SCOPE_FIELDS: dict[str, str] = {ScopeKind.CENTER: "center", ScopeKind.PRODUCER: "producer"}
SEARCH_PAGE = 20


class ScopeSelect(forms.Select):
    """A center or producer picked by search (select2 over the grant admin's search view): only
    the chosen object is ever rendered as an option."""

    def __init__(self, kind: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind = kind
        self.i18n_name = get_select2_language()

    media = AutocompleteMixin.media

    def build_attrs(
        self, base_attrs: dict[str, Any], extra_attrs: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        attrs = super().build_attrs(base_attrs, extra_attrs=extra_attrs)
        attrs.update(
            {
                "data-ajax--cache": "true",
                "data-ajax--delay": 250,
                "data-ajax--type": "GET",
                "data-ajax--url": reverse("admin:accounts_rolegrant_scopes") + f"?kind={self.kind}",
                "data-app-label": "accounts",
                "data-model-name": "rolegrant",
                "data-field-name": SCOPE_FIELDS[self.kind],
                "data-theme": "admin-autocomplete",
                "data-allow-clear": "true",
                "data-placeholder": "",
                "lang": self.i18n_name,
                "class": (attrs.get("class", "") + " admin-autocomplete").strip(),
            }
        )
        return attrs

    def optgroups(self, name: str, value: list[str], attrs: dict[str, Any] | None = None) -> list[Any]:
        options = [self.create_option(name, "", "", False, 0)]
        ids = [pk for pk in (parse_id(raw) for raw in value) if pk is not None]
        for pk, label in scopes.labels(self.kind, ids).items():
            options.append(self.create_option(name, pk, label, True, len(options)))
        return [(None, options, 0)]


class RoleGrantForm(ModelForm):
    center = forms.IntegerField(
        label=_("center"), required=False, min_value=1, widget=ScopeSelect(ScopeKind.CENTER)
    )
    producer = forms.IntegerField(
        label=_("OCOP producer"), required=False, min_value=1, widget=ScopeSelect(ScopeKind.PRODUCER)
    )

    class Meta:
        model = RoleGrant
        fields = ["user", "role", "unit"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        assert data is not None, "ModelForm.clean returns cleaned_data"
        kind = ROLE_SCOPE.get(data.get("role", ""))
        for scope_kind, name in SCOPE_FIELDS.items():
            if data.get(name) and kind != scope_kind:
                self.add_error(
                    name,
                    gettext("This role is not held over a %(kind)s.") % {"kind": ScopeKind(scope_kind).label},
                )
        if kind in SCOPE_FIELDS and not data.get(SCOPE_FIELDS[kind]):
            self.add_error(
                SCOPE_FIELDS[kind], gettext("Choose the %(kind)s.") % {"kind": ScopeKind(kind).label}
            )
        if kind == ScopeKind.UNIT and not data.get("unit"):
            self.add_error("unit", gettext("Choose the administrative unit."))
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # the service checks the scope and keeps one live grant per role and scope
        return {*super()._get_validation_exclusions(), "scope_id", "revoked_at"}  # type: ignore[misc]  # django-stubs: BaseModelForm._get_validation_exclusions is missing

    @property
    def scope_id(self) -> int | None:
        kind = ROLE_SCOPE.get(self.cleaned_data.get("role", ""))
        return self.cleaned_data.get(SCOPE_FIELDS[kind]) if kind in SCOPE_FIELDS else None


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for revocation"), widget=forms.Textarea(attrs={"rows": 3}))


class LiveFilter(admin.SimpleListFilter):
    title = _("in force")
    parameter_name = "live"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("yes", _("In force")), ("no", _("Revoked"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


class GrantChangeList(ChangeList):
    def get_results(self, request: HttpRequest) -> None:
        super().get_results(request)
        scopes.attach_labels(self.result_list)  # one query per scope kind for the whole page


@admin.register(RoleGrant)
class RoleGrantAdmin(ServiceAdmin):
    form = RoleGrantForm
    list_display = ["user", "role", "scope", "granted_by", "created_at", "revoked_at", "revoked_by"]
    list_filter = [LiveFilter, "role"]
    search_fields = ["user__full_name", "user__email", "user__phone"]
    list_select_related = ["user", "unit", "granted_by", "revoked_by"]
    autocomplete_fields = ["user", "unit"]
    readonly_fields = [
        "user",
        "role",
        "scope",
        "granted_by",
        "created_at",
        "revoked_at",
        "revoked_by",
        "revoke_reason",
        "revoke_link",
    ]

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return GrantChangeList

    # the list form of what BaseModelAdmin.get_fields may answer (names, or rows of names)
    def get_fields(
        self, request: HttpRequest, obj: Any = None
    ) -> list[str | list[str] | tuple[str, ...] | tuple[()]]:
        if obj is None:
            return ["user", "role", "unit", "center", "producer"]
        return list(self.readonly_fields)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.readonly_fields) if obj is not None else []

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.can_grant_roles(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a grant is not edited: it is revoked, and another granted

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a revoked grant stays as the record of who held the role

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return permissions.can_use_admin_site(request.user) and (
            permissions.can_grant_roles(request.user) or super().has_view_permission(request, obj)
        )

    @admin.display(description=_("scope"))
    def scope(self, grant: RoleGrant) -> str:
        return grant.scope_label or "—"

    @admin.display(description=_("revoke"))
    def revoke_link(self, grant: RoleGrant) -> str:
        if not grant.is_live:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:accounts_rolegrant_revoke", args=[grant.pk]),
            _("Revoke this grant"),
        )

    def form_field_for(self, form: ModelForm, service_field: str) -> str:
        if service_field == "scope_id":
            kind = ROLE_SCOPE.get(form.cleaned_data.get("role", ""))
            return SCOPE_FIELDS.get(kind or "", service_field)
        return service_field

    def service_save(self, request: HttpRequest, form: ModelForm, change: bool) -> RoleGrant:
        data = form.cleaned_data
        return services.role_grant(
            actor=request.user,
            user=data["user"],
            role=data["role"],
            unit=data.get("unit"),
            scope_id=form.scope_id,  # type: ignore[attr-defined]
        )

    def get_urls(self) -> list[Any]:
        own = [
            path("scopes/", self.admin_site.admin_view(self.scope_search), name="accounts_rolegrant_scopes"),
            path(
                "<int:grant_id>/revoke/",
                self.admin_site.admin_view(self.revoke_view),
                name="accounts_rolegrant_revoke",
            ),
        ]
        return own + super().get_urls()

    def scope_search(self, request: HttpRequest) -> JsonResponse:
        """Select2's answer: centers or producers whose name contains the typed text, a page at a time."""
        if not permissions.can_grant_roles(request.user):
            raise PermissionDenied
        kind = request.GET.get("kind", "")
        if kind not in SCOPE_FIELDS or scopes.resolver_for(kind) is None:
            raise Http404
        page = parse_id(request.GET.get("page")) or 1
        if page > 1000:
            raise Http404
        rows = scopes.search(
            kind, request.GET.get("term", "")[:100], (page - 1) * SEARCH_PAGE, SEARCH_PAGE + 1
        )
        return JsonResponse(
            {
                "results": [{"id": str(pk), "text": label} for pk, label in rows[:SEARCH_PAGE]],
                "pagination": {"more": len(rows) > SEARCH_PAGE},
            }
        )

    def revoke_view(self, request: HttpRequest, grant_id: int) -> HttpResponse:
        if not permissions.can_grant_roles(request.user):
            raise PermissionDenied
        grant = get_object_or_404(RoleGrant.objects.select_related("user", "unit"), pk=grant_id)
        form = RevokeForm(request.POST or None)
        status = 200
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    services.role_grant_revoke(
                        actor=request.user, grant=grant, reason=form.cleaned_data["reason"]
                    )
                except DomainError as error:
                    form.add_error("reason", error.fields.get("reason") or error.message)
                else:
                    messages.success(request, gettext("The grant was revoked."))
                    return HttpResponseRedirect(reverse("admin:accounts_rolegrant_change", args=[grant.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Revoke a role grant"),
            "grant": grant,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/accounts/rolegrant/revoke.html", context, status=status)


class RoleGrantInline(ReadOnlyInline):
    model = RoleGrant
    fk_name = "user"
    fields = ("role", "scope", "granted_by", "created_at", "revoked_at", "revoked_by")
    readonly_fields = fields
    verbose_name_plural = _("role grants (made and revoked from the role grant list)")

    @admin.display(description=_("scope"))
    def scope(self, grant: RoleGrant) -> str:
        return grant.scope_label or "—"


class GrantedRoleFilter(admin.SimpleListFilter):
    """Users by a role they hold now (revoked grants do not count)."""

    title = _("role")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return list(Role.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(grants__role=self.value(), grants__revoked_at__isnull=True).distinct()
        return queryset


class UserCreateForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "phone")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = ("full_name", "email", "phone", "password", "is_active", "is_staff", "is_superuser")
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "phone", "is_active", "is_staff"]
    search_fields = ["full_name", "email", "phone"]
    list_filter = ["is_active", "is_staff", GrantedRoleFilter]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("full_name", "email", "phone", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("full_name", "email", "phone", "password1", "password2")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(ViewOnlyAdmin):
    """Tokens are made and revoked by their owners on the account page."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ViewOnlyAdmin):
    list_display = ["login", "succeeded", "ip_address", "at"]
    list_filter = ["succeeded"]
    search_fields = ["login"]
