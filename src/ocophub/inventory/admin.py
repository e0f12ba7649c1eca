"""Admin views of agreements, lots, stock and the ledger.

Quantities change only through the services (conditional updates with a ledger row), and agreements
are signed and ended on the center's agreement page (overlap checks, events): the admin only shows
them. The ledger is append-only: nobody adds, changes or deletes a
movement here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Agreement, AgreementEvent, Lot, Movement, Stock


class NoAddOrDelete(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnly(NoAddOrDelete):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AgreementEventInline(admin.TabularInline):
    model = AgreementEvent
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "at", "actor", "reason")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ViewOnly):
    list_display = ["producer", "center", "commission_rate", "starts_on", "ends_on", "state"]
    list_filter = ["state", "center"]
    search_fields = ["producer__name", "producer__folded_name", "center__name"]
    list_select_related = ["producer", "center"]
    readonly_fields = ("producer", "center", "commission_rate", "starts_on", "ends_on", "state", "notes")
    fields = readonly_fields
    inlines = [AgreementEventInline]


@admin.register(Lot)
class LotAdmin(ViewOnly):
    list_display = ["product", "code", "produced_on", "expires_on"]
    search_fields = ["product__name", "product__folded_name", "code"]
    list_select_related = ["product"]
    readonly_fields = ["product", "code", "produced_on", "expires_on"]


@admin.register(Stock)
class StockAdmin(ViewOnly):
    list_display = ["center", "product", "lot", "producer", "on_hand", "reserved"]
    list_filter = ["center"]
    search_fields = ["product__name", "product__folded_name", "lot__code", "producer__name"]
    list_select_related = ["center", "product", "lot__product", "producer"]
    readonly_fields = ["center", "product", "lot", "producer", "on_hand", "reserved"]


@admin.register(Movement)
class MovementAdmin(ViewOnly):
    list_display = ["at", "kind", "stock", "on_hand_delta", "reserved_delta", "reference", "actor"]
    list_filter = ["kind", "stock__center"]
    search_fields = ["reference", "reason", "stock__product__name"]
    list_select_related = ["stock__center", "stock__lot__product", "actor"]
    date_hierarchy = "at"
    readonly_fields = [
        "stock",
        "kind",
        "on_hand_delta",
        "reserved_delta",
        "reason",
        "reference",
        "actor",
        "at",
    ]
