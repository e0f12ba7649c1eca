from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ApiToken, LoginAttempt, RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]
    readonly_fields = ["granted_by"]


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
    list_filter = ["is_active", "is_staff", "grants__role"]
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
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["user", "name", "prefix", "digest", "created_at", "last_used_at"]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    list_display = ["login", "succeeded", "ip_address", "at"]
    list_filter = ["succeeded"]
    search_fields = ["login"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
