from django.contrib import admin

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


class SpaceInline(admin.TabularInline):
    model = CenterSpace
    extra = 0


class HoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class PhotoInline(admin.TabularInline):
    model = CenterPhoto
    extra = 0


class RecognitionInline(admin.TabularInline):
    model = Recognition
    extra = 0
    readonly_fields = ["decision_number", "decision_date", "issuer", "score", "band", "source"]
    can_delete = False


class EventInline(admin.TabularInline):
    model = CenterEvent
    extra = 0
    readonly_fields = ["from_state", "to_state", "effective_on", "at", "actor", "reason"]
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False  # moves go through the life-cycle service (API), which checks the transition map


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "status", "status_since", "is_illustrative"]
    list_filter = ["status", "is_illustrative"]
    search_fields = ["name", "folded_name"]
    list_select_related = ["commune"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["slug", "status", "status_since"]
    filter_horizontal = ["crafts"]
    inlines = [SpaceInline, HoursInline, PhotoInline, RecognitionInline, EventInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["position", "code", "name", "max_points", "is_confirmed"]
    list_editable = ["name", "max_points", "is_confirmed"]
    ordering = ["position"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(admin.ModelAdmin):
    list_display = ["center", "assessed_on", "assessor"]
    list_select_related = ["center", "assessor"]
