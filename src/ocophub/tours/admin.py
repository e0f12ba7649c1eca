"""Admin views of operators, tours, departures, bookings and waiting lists, to read only.

Every write goes through the services (seats held, refunds computed, parties e-mailed); the admin
shows what happened.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Booking,
    BookingEvent,
    CheckIn,
    CommissionRate,
    Departure,
    DepartureEvent,
    Operator,
    Payment,
    Refund,
    Tour,
    TourEvent,
    TourStop,
    Visit,
    VisitTicket,
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


@admin.register(Operator)
class OperatorAdmin(ViewOnly):
    list_display = ("name", "kind", "licence_number", "phone", "email", "is_active", "is_illustrative")
    list_filter = ("kind", "is_active", "is_illustrative")
    search_fields = ("name", "licence_number")


class StopInline(ViewOnlyInline):
    model = TourStop
    fields = ("position", "kind", "center", "craft_village", "session", "title", "minutes")
    readonly_fields = fields


class TourEventInline(ViewOnlyInline):
    model = TourEvent
    fields = ("at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields


@admin.register(Tour)
class TourAdmin(ViewOnly):
    list_display = (
        "title",
        "operator",
        "state",
        "booking_type",
        "adult_price",
        "child_price",
        "is_illustrative",
    )
    list_filter = ("state", "booking_type", "is_illustrative")
    search_fields = ("title", "slug")
    list_select_related = ("operator",)
    inlines = [StopInline, TourEventInline]


class DepartureEventInline(ViewOnlyInline):
    model = DepartureEvent
    fields = ("at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields


@admin.register(Departure)
class DepartureAdmin(ViewOnly):
    list_display = ("tour", "starts_at", "state")
    list_filter = ("state",)
    list_select_related = ("tour",)
    raw_id_fields = ("tour", "capacity")
    inlines = [DepartureEventInline]


class PaymentInline(ViewOnlyInline):
    model = Payment
    fields = ("created_at", "amount", "state", "reference")
    readonly_fields = fields


class BookingEventInline(ViewOnlyInline):
    model = BookingEvent
    fields = ("at", "actor", "from_state", "to_state", "reason")
    readonly_fields = fields


@admin.register(Booking)
class BookingAdmin(ViewOnly):
    list_display = ("code", "name", "departure", "adults", "children", "state", "total")
    list_filter = ("state",)
    search_fields = ("code", "name", "email")
    list_select_related = ("departure__tour",)
    raw_id_fields = ("departure", "customer", "hold")
    inlines = [PaymentInline, BookingEventInline]


@admin.register(Refund)
class RefundAdmin(ViewOnly):
    list_display = ("created_at", "payment", "amount", "state", "reason")
    raw_id_fields = ("payment",)


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ViewOnly):
    list_display = ("name", "departure", "adults", "children", "state", "offered_until")
    list_filter = ("state",)
    list_select_related = ("departure__tour",)
    raw_id_fields = ("departure", "customer", "booking")


@admin.register(CheckIn)
class CheckInAdmin(ViewOnly):
    list_display = ("at", "booking", "departure", "heads")
    list_select_related = ("booking", "departure__tour")
    raw_id_fields = ("booking", "departure")


class VisitTicketInline(ViewOnlyInline):
    model = VisitTicket
    fields = ("booking", "heads", "at", "actor")
    readonly_fields = fields


@admin.register(Visit)
class VisitAdmin(ViewOnly):
    list_display = ("arrived_at", "center", "departure", "operator", "heads", "ends_at")
    list_select_related = ("center", "departure__tour", "operator")
    inlines = [VisitTicketInline]


@admin.register(CommissionRate)
class CommissionRateAdmin(ViewOnly):
    list_display = ("center", "operator", "basis_points", "starts_on", "actor")
    list_select_related = ("center", "operator", "actor")
