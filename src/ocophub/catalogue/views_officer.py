"""The unit officers' pages (and the city's): their unit's producers, and the OCOP certificates of
their products.

Each view parses, checks the scope, calls one service and renders. Anything outside the user's units
is 404; a user who is neither a unit officer nor a city administrator finds no such pages (404).
"""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.text import search_terms
from ocophub.places import selectors as places
from ocophub.places.models import AdministrativeUnit, CraftVillage, Level

from . import services
from .forms_officer import (
    MATCHES,
    CertificateForm,
    ProducerForm,
    RevokeForm,
    communes_matching,
    villages_matching,
)
from .models import EXPIRY_NOTICE_DAYS, Certificate, CertificateState, Producer

PAGE_SIZE = 25
# the certificates list flags those ending within this many days
SOON_DAYS = 90


def _typed(raw: str | None) -> str:
    """A search term as typed, without the NUL characters no database accepts in a string."""
    return (raw or "").replace("\x00", "").strip()[:100]


# --- scope ---------------------------------------------------------------------------------------------


def _units_or_404(request: HttpRequest) -> set[int] | None:
    """The officer's unit ids; None for the city (everything); 404 for anyone else."""
    if permissions.is_city_admin(request.user):
        return None
    units = permissions.officer_unit_ids(request.user)
    if not units:
        raise Http404
    return units


def _scoped(qs: QuerySet[Any], units: set[int] | None, prefix: str) -> QuerySet[Any]:
    return qs if units is None else qs.filter(places.units_q(units, prefix))


def _communes(units: set[int] | None) -> QuerySet[AdministrativeUnit]:
    """The communes and wards within the units, of either era: a producer recorded before the 2025
    reform keeps its old commune (the search offers only those in force today)."""
    qs = AdministrativeUnit.objects.filter(level=Level.COMMUNE).select_related("parent")
    return _scoped(qs, units, "")


def _villages(units: set[int] | None) -> QuerySet[CraftVillage]:
    return _scoped(CraftVillage.objects.all(), units, "commune")


def _producer_or_404(request: HttpRequest, producer_id: int) -> tuple[Producer, set[int] | None]:
    units = _units_or_404(request)
    producer = (
        _scoped(Producer.objects.all(), units, "commune")
        .filter(pk=producer_id)
        .select_related("commune__parent", "craft_village")
        .first()
    )
    if producer is None:
        raise Http404
    return producer, units


# --- producers -----------------------------------------------------------------------------------------


@login_required
@require_GET
def producers(request: HttpRequest) -> HttpResponse:
    """The unit's producers, by name, searchable, a page at a time."""
    units = _units_or_404(request)
    q = _typed(request.GET.get("q"))
    qs = _scoped(Producer.objects.all(), units, "commune")
    words = search_terms(q)
    if words:
        by_name = Q()
        for word in words:
            by_name &= Q(folded_name__contains=word)
        qs = qs.filter(by_name | Q(registration_number=q))
    qs = qs.select_related("commune__parent", "craft_village").order_by("folded_name", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/officer/producers.html",
        {"page": page, "q": q, "query_string": urlencode({"q": q}) if q else ""},
    )


def _producer_form_page(
    request: HttpRequest,
    form: ProducerForm,
    *,
    producer: Producer | None,
    status: int = 200,
    problem: Problem | None = None,
) -> HttpResponse:
    return render(
        request,
        "catalogue/officer/producer_form.html",
        {
            "form": form,
            "producer": producer,
            "commune_matches": form.commune_matches(),
            "village_matches": form.village_matches(),
            "limit": MATCHES,
            "problem": problem,
        },
        status=status,
    )


def _producer_fields(form: ProducerForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in (
            "name",
            "kind",
            "commune",
            "craft_village",
            "registration_number",
            "representative",
            "address",
            "phone",
            "email",
        )
    }


def _save_producer(request: HttpRequest, units: set[int] | None, producer: Producer | None) -> HttpResponse:
    initial: dict[str, Any] = {}
    if producer is not None:
        initial = {
            "name": producer.name,
            "kind": producer.kind,
            "commune": producer.commune,
            "craft_village": producer.craft_village,
            "registration_number": producer.registration_number or "",
            "representative": producer.representative,
            "address": producer.address,
            "phone": producer.phone,
            "email": producer.email,
        }
    communes, villages = _communes(units), _villages(units)
    if request.method != "POST":
        form = ProducerForm(initial=initial, communes=communes, villages=villages)
        return _producer_form_page(request, form, producer=producer)
    form = ProducerForm(request.POST, communes=communes, villages=villages)
    if request.POST.get("find"):  # without scripts, "Find" shows the matches and keeps what was typed
        form.is_valid()
        form.errors.clear()  # nothing was sent yet: the matches only
        return _producer_form_page(request, form, producer=producer)
    if not form.is_valid():
        return _producer_form_page(
            request, form, producer=producer, status=400, problem=problem_from_form(form)
        )
    try:
        saved = services.producer_save(actor=request.user, producer=producer, **_producer_fields(form))
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _producer_form_page(request, form, producer=producer, status=error.status, problem=problem)
    if producer is None:
        messages.success(request, _("Producer %(name)s registered.") % {"name": saved.name})
    else:
        messages.success(request, _("Producer %(name)s saved.") % {"name": saved.name})
    return redirect("catalogue_officer:producer", saved.pk)


@login_required
@require_http_methods(["GET", "POST"])
def producer_create(request: HttpRequest) -> HttpResponse:
    return _save_producer(request, _units_or_404(request), None)


@login_required
@require_http_methods(["GET", "POST"])
def producer_edit(request: HttpRequest, producer_id: int) -> HttpResponse:
    producer, units = _producer_or_404(request, producer_id)
    return _save_producer(request, units, producer)


@login_required
@require_GET
def commune_choices(request: HttpRequest) -> HttpResponse:
    """The communes of the user's units matching what was typed (htmx)."""
    units = _units_or_404(request)
    query = _typed(request.GET.get("commune_query"))
    return render(
        request,
        "catalogue/officer/_choices.html",
        {
            "id": "commune-choices",
            "name": "commune",
            "required": True,
            "matches": communes_matching(_communes(units), query),
            "query": query,
            "limit": MATCHES,
        },
    )


@login_required
@require_GET
def village_choices(request: HttpRequest) -> HttpResponse:
    """The craft villages of the user's units matching what was typed (htmx)."""
    units = _units_or_404(request)
    query = _typed(request.GET.get("village_query"))
    return render(
        request,
        "catalogue/officer/_choices.html",
        {
            "id": "village-choices",
            "name": "craft_village",
            "required": False,
            "matches": villages_matching(_villages(units), query),
            "query": query,
            "limit": MATCHES,
        },
    )


# --- one producer and its certificates -----------------------------------------------------------------


class CertificateRow:
    """A certificate as the lists show it: its state and the days it has left."""

    def __init__(self, certificate: Certificate, today: dt.date) -> None:
        self.certificate = certificate
        self.state = certificate.state_on(today)
        self.state_label = CertificateState(self.state).label
        self.days_left = (certificate.valid_until - today).days
        self.in_force = self.state in (CertificateState.ACTIVE, CertificateState.EXPIRING)
        self.expiring = self.in_force and self.days_left <= EXPIRY_NOTICE_DAYS


def _producer_page(
    request: HttpRequest,
    producer: Producer,
    *,
    form: CertificateForm | None = None,
    status: int = 200,
    problem: Problem | None = None,
) -> HttpResponse:
    today = local_today()
    certificates = list(
        Certificate.objects.filter(product__producer=producer)
        .select_related("product")
        .order_by("product__folded_name", "-decision_date", "-pk")
    )
    rows = [CertificateRow(certificate, today) for certificate in certificates]
    return render(
        request,
        "catalogue/officer/producer.html",
        {
            "producer": producer,
            "products": list(producer.products.order_by("folded_name", "pk")),
            "certificates": rows,
            "form": form or CertificateForm(producer=producer),
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_GET
def producer_detail(request: HttpRequest, producer_id: int) -> HttpResponse:
    producer, _units = _producer_or_404(request, producer_id)
    return _producer_page(request, producer)


@login_required
@require_POST
def certificate_create(request: HttpRequest, producer_id: int) -> HttpResponse:
    """Record an OCOP certificate of one of the producer's products (valid 36 months from the decision)."""
    producer, _units = _producer_or_404(request, producer_id)
    form = CertificateForm(request.POST, producer=producer)
    if not form.is_valid():
        return _producer_page(request, producer, form=form, status=400, problem=problem_from_form(form))
    data = form.cleaned_data
    try:
        certificate = services.certificate_issue(
            actor=request.user,
            product=data["product"],
            stars=data["stars"],
            deciding_level=data["deciding_level"],
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            issuer=data["issuer"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _producer_page(request, producer, form=form, status=error.status, problem=problem)
    messages.success(
        request,
        _("Certificate %(number)s recorded: %(stars)s stars, valid until %(until)s.")
        % {
            "number": certificate.decision_number,
            "stars": certificate.stars,
            "until": certificate.valid_until.strftime("%d/%m/%Y"),
        },
    )
    return redirect("catalogue_officer:producer", producer.pk)


# --- the unit's certificates ---------------------------------------------------------------------------


@login_required
@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    """The unit's certificates in force, the soonest to end first, with the days left; `?sap-het-han=1`
    keeps those ending within 90 days."""
    units = _units_or_404(request)
    today = local_today()
    soon = request.GET.get("sap-het-han") == "1"
    qs = _scoped(Certificate.objects.all(), units, "product__producer__commune").filter(
        revoked_on__isnull=True, superseded_by__isnull=True, valid_until__gte=today
    )
    if soon:
        qs = qs.filter(valid_until__lte=today + dt.timedelta(days=SOON_DAYS))
    qs = qs.select_related("product__producer").order_by("valid_until", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [CertificateRow(certificate, today) for certificate in page]
    return render(
        request,
        "catalogue/officer/certificates.html",
        {
            "page": page,
            "rows": rows,
            "soon": soon,
            "soon_days": SOON_DAYS,
            "query_string": "sap-het-han=1" if soon else "",
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, certificate_id: int) -> HttpResponse:
    """Revoke a certificate of the unit, with the reason."""
    units = _units_or_404(request)
    certificate = (
        _scoped(Certificate.objects.all(), units, "product__producer__commune")
        .filter(pk=certificate_id)
        .select_related("product__producer__commune__parent", "product__producer__craft_village")
        .first()
    )
    if certificate is None:
        raise Http404
    producer = certificate.product.producer
    form = RevokeForm(request.POST)
    if not form.is_valid():
        return _producer_page(request, producer, status=400, problem=problem_from_form(form))
    try:
        services.certificate_revoke(
            actor=request.user, certificate=certificate, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return _producer_page(request, producer, status=error.status, problem=problem_from_error(error))
    messages.success(request, _("Certificate %(number)s revoked.") % {"number": certificate.decision_number})
    return redirect("catalogue_officer:producer", producer.pk)
