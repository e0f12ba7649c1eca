from django.contrib import admin

from ocophub.common.admin import ViewOnlyAdmin

from .models import Commitment, Disbursement, Plan, Target


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0
    autocomplete_fields = ["area", "communes"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "issued_on", "issuer"]
    search_fields = ["number", "title"]
    autocomplete_fields = ["units"]
    inlines = [TargetInline]


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    fk_name = "commitment"
    extra = 0
    readonly_fields = [
        "amount",
        "disbursed_on",
        "document",
        "over_commitment",
        "override_reason",
        "override_by",
    ]
    can_delete = False

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False  # disbursements go through the service that checks the commitment


@admin.register(Commitment)
class CommitmentAdmin(ViewOnlyAdmin):
    """Commitments and disbursements are written through the API, which validates amounts and dates."""

    list_display = ["center", "source", "amount", "committed_on", "document", "is_illustrative"]
    list_filter = ["source", "is_illustrative"]
    list_select_related = ["center"]
    inlines = [DisbursementInline]
