from django.contrib import admin

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


class ProducerPhotoInline(admin.TabularInline):
    model = ProducerPhoto
    extra = 0


@admin.register(Producer)
class ProducerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "registration_number", "commune", "craft_village", "is_illustrative"]
    list_filter = ["kind", "is_illustrative"]
    search_fields = ["name", "folded_name", "registration_number"]
    list_select_related = ["commune", "craft_village"]
    autocomplete_fields = ["commune"]
    readonly_fields = ["slug", "folded_name"]
    inlines = [ProducerPhotoInline]


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0


class ProductEventInline(admin.TabularInline):
    model = ProductEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_state", "to_state", "at", "actor", "reason"]

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
    list_display = ["name", "producer", "status", "list_price", "is_illustrative"]
    list_filter = ["status", "is_illustrative"]
    search_fields = ["name", "folded_name", "gtin"]
    list_select_related = ["producer"]
    readonly_fields = ["slug", "folded_name", "status", "search_text"]
    autocomplete_fields = ["producer", "taxonomy"]
    inlines = [ProductPhotoInline, ProductEventInline]

    def has_add_permission(self, request: object) -> bool:
        return False  # through the API or the import, which validate and index


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["product", "stars", "decision_number", "decision_date", "valid_until", "revoked_on"]
    list_filter = ["stars", "rule_set", "deciding_level"]
    search_fields = ["product__name", "decision_number"]
    list_select_related = ["product"]
    readonly_fields = [f.name for f in Certificate._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False  # through the API, which applies the rule set
