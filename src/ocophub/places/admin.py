from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from ocophub.common.admin import ServiceAdmin

from . import policy, services
from .models import AdministrativeUnit, Craft, CraftVillage, UnitSuccession


class ReadOnlyForNonAdmins(admin.ModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return policy.current.can_edit_places(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return policy.current.can_edit_places(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return policy.current.can_use_admin_site(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.current.can_use_admin_site(request.user)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(ReadOnlyForNonAdmins):
    list_display = ["code", "name", "era", "level", "division_type", "parent", "valid_from", "valid_to"]
    list_filter = ["era", "level", "division_type"]
    search_fields = ["name", "folded_name", "code"]
    list_select_related = ["parent"]
    readonly_fields = ["era", "level", "code", "folded_name", "slug", "source"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # units come from the loader only


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(ReadOnlyForNonAdmins):
    list_display = ["predecessor", "successor", "effective_date", "partly_merged"]
    list_filter = ["effective_date", "partly_merged"]
    list_select_related = ["predecessor", "successor"]
    search_fields = ["predecessor__folded_name", "successor__folded_name"]

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Craft)
class CraftAdmin(ReadOnlyForNonAdmins):
    list_display = ["name", "name_en", "slug"]
    prepopulated_fields = {}


@admin.register(CraftVillage)
class CraftVillageAdmin(ReadOnlyForNonAdmins, ServiceAdmin):
    """Saved through the service, which checks the commune."""

    list_display = ["name", "commune", "title", "title_year"]
    list_filter = ["title"]
    search_fields = ["name", "folded_name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    filter_horizontal = ["crafts"]
    readonly_fields = ["slug"]

    def service_save(self, request: HttpRequest, form: ModelForm, change: bool) -> Any:
        data = form.cleaned_data
        return services.craft_village_save(
            actor=request.user,
            village=form.instance if change else None,
            name=data.get("name", ""),
            commune=data["commune"],  # a required field: the service runs only on a valid form
            crafts=list(data.get("crafts", [])),
            title=data.get("title", ""),
            title_year=data.get("title_year"),
            description=data.get("description", ""),
            source=data.get("source", ""),
        )
