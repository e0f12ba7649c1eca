"""Admin views of capacities, holds and the seat ledger, to read only.

Seats change only through the services (conditional updates with a ledger row); the ledger is
append-only: nobody adds, changes or deletes anything here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Capacity, Hold, HoldEvent, HoldLine, SeatMovement


class ViewOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class HoldLineInline(ViewOnlyInline):
    model = HoldLine
    readonly_fields = ("capacity", "quantity", "cancelled", "checked_in")
    fields = readonly_fields


class HoldEventInline(ViewOnlyInline):
    model = HoldEvent
    readonly_fields = ("from_state", "to_state", "at", "actor", "reason")
    fields = readonly_fields


@admin.register(Capacity)
class CapacityAdmin(ViewOnly):
    list_display = ["__str__", "owner_type", "owner_id", "key", "total", "held", "taken", "checked_in"]
    list_filter = ["owner_type"]
    search_fields = ["label", "owner_type", "key"]
    readonly_fields = ["owner_type", "owner_id", "key", "label", "total", "held", "taken", "checked_in"]


@admin.register(Hold)
class HoldAdmin(ViewOnly):
    list_display = ["__str__", "state", "expires_at", "created_at"]
    list_filter = ["state"]
    search_fields = ["reference"]
    date_hierarchy = "created_at"
    readonly_fields = ("reference", "state", "expires_at", "created_at", "updated_at")
    fields = readonly_fields
    inlines = [HoldLineInline, HoldEventInline]


@admin.register(SeatMovement)
class SeatMovementAdmin(ViewOnly):
    list_display = ["at", "kind", "capacity", "quantity", "hold", "actor"]
    list_filter = ["kind", "capacity__owner_type"]
    search_fields = ["reason", "hold__reference", "capacity__label"]
    list_select_related = ["capacity", "hold", "actor"]
    date_hierarchy = "at"
    readonly_fields = ["capacity", "hold", "kind", "quantity", "reason", "actor", "at"]
