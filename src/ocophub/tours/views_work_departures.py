"""An operator's departures (added one by one or repeating, cancelled, completed), a departure's
bookings (confirm an on-request one, record a VietQR transfer, cancel), its manifest in Excel, and the
guide's check-in at the meeting point under /lam-viec/tour/<operator>/soat-ve/."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ocophub.accounts import permissions
from ocophub.common.errors import DomainError
from ocophub.common.forms import problem_from_error, problem_from_form
from ocophub.common.xlsx import save, sheet, workbook

from . import services
from .forms_work import CheckInForm, DepartureForm, DepartureRecurrenceForm, PaymentForm, ReasonForm
from .models import Booking, BookingState, CheckIn, Departure, Operator, Payment, PaymentState, WaitlistEntry
from .services.base import clean_code
from .views_work import operator_for, status_of, tour_of, tour_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_POST
def departure_add(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    form = DepartureForm(request.POST)
    if not form.is_valid():
        return tour_page(
            request,
            found,
            tour,
            status=400,
            key="departure",
            problem=problem_from_form(form),
            departure_form=form,
        )
    data = form.cleaned_data
    starts_at = timezone.make_aware(dt.datetime.combine(data["day"], data["start"]))
    try:
        services.departure_create(actor=request.user, tour=tour, starts_at=starts_at, seats=data["seats"])
    except DomainError as error:
        problem = problem_from_error(error, form, {"starts_at": "day"})
        return tour_page(
            request,
            found,
            tour,
            status=status_of(error),
            key="departure",
            problem=problem,
            departure_form=form,
        )
    messages.success(request, _("The departure is added."))
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


@require_POST
def departures_recurring(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    tour = tour_of(found, pk)
    form = DepartureRecurrenceForm(request.POST)
    if not form.is_valid():
        return tour_page(
            request,
            found,
            tour,
            status=400,
            key="recurring",
            problem=problem_from_form(form),
            recurrence_form=form,
        )
    data = form.cleaned_data
    rule = {"freq": data["freq"], "byweekday": data["weekdays"] if data["freq"] == "weekly" else []}
    try:
        made = services.departures_create_recurring(
            actor=request.user,
            tour=tour,
            rule=rule,
            starts_on=data["starts_on"],
            start_time=data["start"],
            seats=data["seats"],
            until=data["until"],
            count=data["count"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form, {"starts_at": "starts_on", "rule": "freq"})
        return tour_page(
            request,
            found,
            tour,
            status=status_of(error),
            key="recurring",
            problem=problem,
            recurrence_form=form,
        )
    messages.success(request, _("%(n)s departures are added.") % {"n": len(made)})
    return redirect("tours_work:tour", operator=found.pk, pk=tour.pk)


def departure_of(operator: Operator, pk: int) -> Departure:
    return get_object_or_404(
        Departure.objects.select_related("tour", "capacity"), pk=pk, tour__operator=operator
    )


def manifest(departure: Departure) -> list[Booking]:
    """The departure's bookings, by number, each with what was paid and its check-in: two queries."""
    paid = (
        Payment.objects.filter(booking=OuterRef("pk"), state=PaymentState.SUCCEEDED)
        .values("booking")
        .annotate(n=Sum("amount"))
        .values("n")
    )
    rows: list[Booking] = list(
        Booking.objects.filter(departure=departure)
        .annotate(paid=Coalesce(Subquery(paid, output_field=IntegerField()), Value(0)))
        .order_by("pk")
    )
    checked = {row.booking_id: row for row in CheckIn.objects.filter(departure=departure)}
    for row in rows:
        row.checked = checked.get(row.pk)  # type: ignore[attr-defined]
    return rows


def heads_of(rows: list[Booking]) -> dict[str, int]:
    active = [
        row for row in rows if row.state in (BookingState.CONFIRMED, BookingState.HELD, BookingState.PENDING)
    ]
    confirmed = [row for row in rows if row.state == BookingState.CONFIRMED]
    return {
        "adults": sum(row.adults for row in confirmed),
        "children": sum(row.children for row in confirmed),
        "confirmed": sum(row.adults + row.children for row in confirmed),
        "waiting": sum(row.adults + row.children for row in active if row.state != BookingState.CONFIRMED),
        "checked_in": sum(row.checked.heads for row in rows if row.checked),  # type: ignore[attr-defined]
    }


def departure_page(
    request: HttpRequest, operator: Operator, departure: Departure, *, status: int = 200, **more: Any
) -> HttpResponse:
    rows = manifest(departure)
    context = {
        "operator": operator,
        "departure": departure,
        "tour": departure.tour,
        "bookings": rows,
        "heads": heads_of(rows),
        "waitlist": list(WaitlistEntry.objects.filter(departure=departure).order_by("pk")[:200]),
        "cancel_form": more.pop("cancel_form", None) or ReasonForm(),
        "payment_form": PaymentForm(),
        "can_manage": permissions.can_manage_operator_tours(request.user, operator),
        "has_left": departure.starts_at <= timezone.now(),
        **more,
    }
    return render(request, "tours/work/departure.html", context, status=status)


@require_GET
def departure_bookings(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = operator_for(request, operator, permissions.can_view_operator_tours)
    if isinstance(found, HttpResponse):
        return found
    return departure_page(request, found, departure_of(found, pk))


@require_POST
def departure_cancel(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    departure = departure_of(found, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.departure_cancel(actor=request.user, departure=departure, reason=reason)
    except DomainError as error:
        problem = problem_from_error(error, form)
        return departure_page(
            request,
            found,
            departure,
            status=status_of(error),
            problem=problem,
            problem_key="cancel",
            cancel_form=form,
        )
    messages.success(request, _("The departure is cancelled; the booked parties are refunded and told."))
    return redirect("tours_work:departure", operator=found.pk, pk=departure.pk)


@require_POST
def departure_complete(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    departure = departure_of(found, pk)
    try:
        services.departure_complete(actor=request.user, departure=departure)
    except DomainError as error:
        return departure_page(
            request,
            found,
            departure,
            status=status_of(error),
            problem=problem_from_error(error),
            problem_key="state",
        )
    messages.success(request, _("The departure is completed."))
    return redirect("tours_work:departure", operator=found.pk, pk=departure.pk)


MANIFEST_HEADERS = (
    "Ticket code",
    "Contact name",
    "E-mail",
    "Phone",
    "Adults",
    "Children",
    "State",
    "Total",
    "Paid",
    "Checked in at",
    "People checked in",
)


def manifest_workbook(departure: Departure) -> bytes:
    wb = workbook()
    rows = [
        [
            row.code,
            row.name,
            row.email,
            row.phone,
            row.adults,
            row.children,
            row.get_state_display(),
            row.total,
            row.paid,  # type: ignore[attr-defined]
            f"{timezone.localtime(row.checked.at):%d/%m/%Y %H:%M}" if row.checked else "",  # type: ignore[attr-defined]
            row.checked.heads if row.checked else "",  # type: ignore[attr-defined]
        ]
        for row in manifest(departure)
    ]
    sheet(wb.active, _("Manifest"), [_(header) for header in MANIFEST_HEADERS], rows, money_columns={8, 9})
    return save(wb)


@require_GET
def departure_export(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = operator_for(request, operator, permissions.can_view_operator_tours)
    if isinstance(found, HttpResponse):
        return found
    departure = departure_of(found, pk)
    response = HttpResponse(manifest_workbook(departure), content_type=XLSX)
    day = timezone.localtime(departure.starts_at)
    response["Content-Disposition"] = (
        f'attachment; filename="danh-sach-khach-{departure.pk}-{day:%Y-%m-%d}.xlsx"'
    )
    return response


def _booking_write(request: HttpRequest, operator: int, pk: int, write: Any, done: str) -> HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    booking = get_object_or_404(
        Booking.objects.select_related("departure__tour", "departure__capacity"),
        pk=pk,
        departure__tour__operator=found,
    )
    try:
        write(booking)
    except DomainError as error:
        return departure_page(
            request,
            found,
            booking.departure,
            status=status_of(error),
            problem=problem_from_error(error),
            problem_key=f"booking-{booking.pk}",
        )
    messages.success(request, done)
    return redirect("tours_work:departure", operator=found.pk, pk=booking.departure_id)


@require_POST
def booking_confirm(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    return _booking_write(
        request,
        operator,
        pk,
        lambda booking: services.booking_confirm(actor=request.user, booking=booking),
        _("The booking is confirmed; the party is told to pay."),
    )


@require_POST
def booking_pay(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    form = PaymentForm(request.POST)
    reference = form.cleaned_data["reference"] if form.is_valid() else ""
    return _booking_write(
        request,
        operator,
        pk,
        lambda booking: services.booking_pay(actor=request.user, booking=booking, reference=reference),
        _("The transfer is recorded."),
    )


@require_POST
def booking_cancel(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    reason = (request.POST.get("reason") or "").strip()[:300] or _("Cancelled by the operator.")
    return _booking_write(
        request,
        operator,
        pk,
        lambda booking: services.booking_cancel(actor=request.user, booking=booking, reason=reason),
        _("The booking is cancelled."),
    )


# --- the guide's check-in ---------------------------------------------------------------------------

REFUSALS = {
    "already_checked_in": "already",
    "not_found": "unknown",
    "not_paid": "not_paid",
    "cancelled": "cancelled",
    "other_operator": "other_operator",
}


def _checkin_page(
    request: HttpRequest, operator: Operator, *, form: CheckInForm, result: dict[str, Any] | None, status: int
) -> HttpResponse:
    today = timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    departures = list(
        Departure.objects.filter(
            tour__operator=operator, starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1)
        )
        .select_related("tour", "capacity")
        .order_by("starts_at", "pk")
    )
    context = {"operator": operator, "form": form, "result": result, "departures": departures, "day": today}
    template = (
        "tours/work/_checkin_panel.html" if getattr(request, "htmx", None) else "tours/work/checkin.html"
    )
    return render(request, template, context, status=status)


def check_in(request: HttpRequest, operator: int) -> HttpResponse:
    """The guide scans the party's ticket at the meeting point: its seats are checked in once."""
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    if request.method != "POST":
        return _checkin_page(request, found, form=CheckInForm(), result=None, status=200)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        result: dict[str, Any] = {"kind": "invalid", "message": _("Enter or scan a ticket code.")}
        return _checkin_page(request, found, form=form, result=result, status=400)
    code = form.cleaned_data["code"]
    cleaned = clean_code(code)
    try:
        booking = Booking.objects.filter(code=cleaned).select_related("departure__tour").first()
        if booking is not None and booking.departure.tour.operator_id != found.pk:
            raise DomainError(
                _("This ticket is for another operator's tour."),
                fields={"code": _("Another operator's ticket.")},
                code="other_operator",
            )
        made = services.check_in_by_code(actor=request.user, code=code)
    except DomainError as error:
        kind = REFUSALS.get(error.code, "not_valid")
        result = {"kind": kind, "message": error.message, "code": cleaned}
        if kind == "already":
            result["check_in"] = (
                CheckIn.objects.filter(booking__code=cleaned)
                .select_related("booking", "departure__tour")
                .first()
            )
        return _checkin_page(request, found, form=CheckInForm(), result=result, status=status_of(error))
    result = {"kind": "ok", "check_in": made, "booking": made.booking, "departure": made.departure}
    if getattr(request, "htmx", None):
        return _checkin_page(request, found, form=CheckInForm(), result=result, status=200)
    messages.success(
        request,
        _("Checked in: %(name)s, %(n)s people — %(tour)s.")
        % {"name": made.booking.name, "n": made.heads, "tour": made.departure.tour.title},
    )
    return redirect("tours_work:check_in", operator=found.pk)
