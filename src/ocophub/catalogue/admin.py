"""The catalogue in the admin. Producers and products are saved through their services (search
text, index and history follow); certificates are recorded and revoked through the API and only
shown here. Producers, products and certificates with history are never deleted: a product is
archived, a producer made inactive, a certificate revoked."""

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from ocophub.accounts import permissions
from ocophub.common.admin import HistoryMixin, KeepHistoryAdmin, ReadOnlyInline, ServiceAdmin, ViewOnlyAdmin

from . import services
from .models import (
    Certificate,
    Producer,
    ProducerPhoto,
    Product,
    ProductEvent,
    ProductPhoto,
    RuleSet,
    StarBand,
    StarDecider,
    TaxonomyNode,
)


class StarBandInline(admin.TabularInline):
    model = StarBand
    extra = 0


class StarDeciderInline(admin.TabularInline):
    """Who recognises each star rating under the rule set; certificates decided by others are refused."""

    model = StarDecider
    extra = 0


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "valid_from", "valid_to", "max_a", "max_b", "max_c"]
    inlines = [StarBandInline, StarDeciderInline]


@admin.register(TaxonomyNode)
class TaxonomyNodeAdmin(admin.ModelAdmin):
    """The city administrator completes the nhóm and phân nhóm here, and marks the perishable groups."""

    list_display = [
        "code",
        "name",
        "level",
        "parent",
        "rule_set",
        "is_confirmed",
        "is_perishable",
        "position",
    ]
    list_filter = ["rule_set", "level", "is_confirmed", "is_perishable"]
    search_fields = ["code", "name", "folded_name"]
    list_select_related = ["parent", "rule_set"]
    readonly_fields = ["folded_name"]


class ProducerPhotoInline(ReadOnlyInline):
    model = ProducerPhoto
    fields = ("image", "caption", "position")
    readonly_fields = fields


@admin.register(Producer)
class ProducerAdmin(HistoryMixin, KeepHistoryAdmin, ServiceAdmin):
    list_display = [
        "name",
        "kind",
        "registration_number",
        "commune",
        "craft_village",
        "is_active",
        "is_illustrative",
    ]
    list_filter = ["kind", "is_active", "is_illustrative"]
    search_fields = ["name", "folded_name", "registration_number"]
    list_select_related = ["commune", "craft_village"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["slug", "folded_name", "change_history"]
    inlines = [ProducerPhotoInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_producer(request.user, obj))

    def service_save(self, request: HttpRequest, form: ModelForm, change: bool) -> Producer:
        values = self.changed_values(form, services.PRODUCER_FIELDS, change)
        return services.producer_save(
            actor=request.user, producer=form.instance if change else None, **values
        )


class ProductPhotoInline(ReadOnlyInline):
    model = ProductPhoto
    fields = ("image", "caption", "position")
    readonly_fields = fields


class ProductEventInline(ReadOnlyInline):
    model = ProductEvent
    fields = ("from_state", "to_state", "at", "actor", "reason")
    readonly_fields = fields


@admin.register(Product)
class ProductAdmin(HistoryMixin, KeepHistoryAdmin, ServiceAdmin):
    list_display = ["name", "producer", "status", "list_price", "is_illustrative"]
    list_filter = ["status", "is_illustrative"]
    search_fields = ["name", "folded_name", "gtin"]
    list_select_related = ["producer"]
    readonly_fields = ["slug", "folded_name", "status", "search_text", "change_history"]
    autocomplete_fields = ["producer", "taxonomy"]
    inlines = [ProductPhotoInline, ProductEventInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        # a product stays with its producer: their history (stock, sales, settlements) goes together
        return [*fields, "producer"] if obj is not None else fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or permissions.can_edit_producer(request.user, obj.producer))

    def service_save(self, request: HttpRequest, form: ModelForm, change: bool) -> Product:
        values = self.changed_values(form, services.PRODUCT_FIELDS, change)
        if change:
            return services.product_save(actor=request.user, product=form.instance, **values)
        return services.product_save(actor=request.user, producer=form.cleaned_data.get("producer"), **values)


@admin.register(Certificate)
class CertificateAdmin(ViewOnlyAdmin):
    """Certificates are recorded and revoked through the API, which applies the rule set; a
    certificate is never deleted (a revoked one stays as the record)."""

    list_display = [
        "product",
        "stars",
        "decision_number",
        "decision_date",
        "valid_until",
        "revoked_on",
        "recorded_by",
        "revoked_by",
    ]
    list_filter = ["stars", "rule_set", "deciding_level"]
    search_fields = ["product__name", "decision_number"]
    list_select_related = ["product", "recorded_by", "revoked_by"]
    readonly_fields = [f.name for f in Certificate._meta.fields]
