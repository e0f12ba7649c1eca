"""Centers in the admin. The record is saved through the centers' services (history kept); spaces,
hours, photos, recognitions and the life-cycle change on the center's pages and the API, and are
shown here. A center is never deleted once it has history: it is closed instead."""

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from ocophub.accounts import permissions
from ocophub.common.admin import HistoryMixin, KeepHistoryAdmin, ReadOnlyInline, ServiceAdmin, ViewOnlyAdmin

from . import services
from .models import (
    Center,
    CenterEvent,
    CenterPhoto,
    CenterSpace,
    Criterion,
    OpeningHours,
    Recognition,
    ScoreSheet,
)


class SpaceInline(ReadOnlyInline):
    model = CenterSpace
    fields = ("kind", "area_m2", "notes")
    readonly_fields = fields


class HoursInline(ReadOnlyInline):
    model = OpeningHours
    fields = ("weekday", "opens", "closes")
    readonly_fields = fields


class PhotoInline(ReadOnlyInline):
    model = CenterPhoto
    fields = ("image", "caption", "position")
    readonly_fields = fields


class RecognitionInline(ReadOnlyInline):
    model = Recognition
    fields = ("decision_number", "decision_date", "issuer", "score", "band", "source")
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    """Moves go through the life-cycle service (API), which checks the transition map."""

    model = CenterEvent
    fields = ("from_state", "to_state", "effective_on", "at", "actor", "reason")
    readonly_fields = fields


@admin.register(Center)
class CenterAdmin(HistoryMixin, KeepHistoryAdmin, ServiceAdmin):
    list_display = ["name", "commune", "status", "status_since", "is_illustrative"]
    list_filter = ["status", "is_illustrative"]
    search_fields = ["name", "folded_name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["slug", "status", "status_since", "change_history"]
    filter_horizontal = ["crafts"]
    inlines = [SpaceInline, HoursInline, PhotoInline, RecognitionInline, EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and permissions.is_city_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_center_record(request.user, obj))

    def service_save(self, request: HttpRequest, form: ModelForm, change: bool) -> Center:
        values = self.changed_values(form, services.PROFILE_FIELDS, change)
        crafts = list(form.cleaned_data["crafts"]) if "crafts" in form.cleaned_data else None
        if change:
            if "crafts" not in form.changed_data:
                crafts = None
            return services.center_update(actor=request.user, center=form.instance, crafts=crafts, **values)
        values.pop("commune", None)
        values.pop("craft_village", None)
        return services.center_create(
            actor=request.user,
            name=form.cleaned_data.get("name", ""),
            commune=form.cleaned_data.get("commune"),
            craft_village=form.cleaned_data.get("craft_village"),
            crafts=crafts,
            **{name: value for name, value in values.items() if name != "name"},
        )


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """The criteria are data: the city completes the unsourced row here."""

    list_display = ["position", "code", "name", "max_points", "is_confirmed"]
    list_editable = ["name", "max_points", "is_confirmed"]
    ordering = ["position"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ViewOnlyAdmin):
    """Score sheets are recorded through the service that checks each criterion's maximum."""

    list_display = ["center", "assessed_on", "assessor"]
    list_select_related = ["center", "assessor"]
