from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DesignComment, DesignEvent, DesignFile, DesignRequest, DesignVersion, ProductDesign


class EventInline(admin.TabularInline):
    model = DesignEvent
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "from_state", "to_state", "reason", "detail")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(DesignRequest)
class DesignRequestAdmin(admin.ModelAdmin):
    """Read in the admin; every move goes through the studio's pages (services), never a raw edit."""

    list_display = ("number", "title", "producer", "center", "kind", "state", "designer", "due_on")
    list_filter = ("state", "kind", "center")
    search_fields = ("number", "title", "producer__name")
    inlines = [EventInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for model in (DesignVersion, DesignFile, DesignComment, ProductDesign):
    admin.site.register(model)
