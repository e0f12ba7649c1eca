"""Admin views of events, sessions, registrations and waiting lists, to read only.

Every write goes through the services (seats held, refunds computed, parties e-mailed); the admin
shows what happened.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    CheckIn,
    Event,
    EventEvent,
    EventPhoto,
    Payment,
    Refund,
    Registration,
    RegistrationEvent,
    Session,
    WaitlistEntry,
)


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


class SessionInline(ViewOnlyInline):
    model = Session
    fields = ("starts_at", "ends_at", "price", "state")
    readonly_fields = fields


class PhotoInline(ViewOnlyInline):
    model = EventPhoto
    fields = ("image", "caption", "position")
    readonly_fields = fields


class EventEventInline(ViewOnlyInline):
    model = EventEvent
    fields = ("at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields


@admin.register(Event)
class EventAdmin(ViewOnly):
    list_display = ("title", "kind", "center", "state", "is_illustrative")
    list_filter = ("kind", "state", "is_illustrative")
    search_fields = ("title", "slug")
    list_select_related = ("center",)
    inlines = [SessionInline, PhotoInline, EventEventInline]


class PaymentInline(ViewOnlyInline):
    model = Payment
    fields = ("created_at", "method", "amount", "state", "reference")
    readonly_fields = fields


class RegistrationEventInline(ViewOnlyInline):
    model = RegistrationEvent
    fields = ("at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields


@admin.register(Registration)
class RegistrationAdmin(ViewOnly):
    list_display = ("code", "name", "session", "party_size", "state", "amount", "payment_method")
    list_filter = ("state", "payment_method")
    search_fields = ("code", "name", "email")
    list_select_related = ("session__event",)
    raw_id_fields = ("session", "customer", "hold")
    inlines = [PaymentInline, RegistrationEventInline]


@admin.register(Refund)
class RefundAdmin(ViewOnly):
    list_display = ("created_at", "payment", "amount", "state", "reason")
    raw_id_fields = ("payment",)


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ViewOnly):
    list_display = ("name", "session", "party_size", "state", "offered_until")
    list_filter = ("state",)
    list_select_related = ("session__event",)
    raw_id_fields = ("session", "customer", "registration")


@admin.register(CheckIn)
class CheckInAdmin(ViewOnly):
    list_display = ("at", "registration", "center", "day", "heads")
    list_select_related = ("registration", "center")
    raw_id_fields = ("registration", "session", "center")
