"""The producer workspace: a producer's members keep its profile, products, photos and see its
certificates.

Each view parses, checks `can_work_for_producer`, calls one catalogue service (the same ones the API
and the admin call) and renders. A producer the user is not a member of, and a product or photo of
another producer, is 404. Refused input re-renders the form with the message beside the field, with a
4xx status and nothing written.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.text import fold

from . import services
from .forms_workspace import (
    PhotoForm,
    ProducerProfileForm,
    ProductFilterForm,
    ProductForm,
    TransitionForm,
)
from .models import (
    PRODUCT_TRANSITIONS,
    Certificate,
    CertificateState,
    Producer,
    ProducerPhoto,
    Product,
    ProductPhoto,
    ProductStatus,
)

PAGE_SIZE = 25
PROFILE_FIELDS = ("representative", "address", "phone", "email", "website", "story")
PRODUCT_FIELDS = (
    "name",
    "taxonomy",
    "list_price",
    "unit",
    "gtin",
    "packaging",
    "description",
    "story",
    "materials",
    "name_en",
    "unit_en",
    "description_en",
)
# what the button that moves a product to each status says
# (publishing is the unit's decision, on the review pages: a member submits, withdraws and archives)
TRANSITION_LABELS = {
    ProductStatus.SUBMITTED: gettext_lazy("Submit for publication"),
    ProductStatus.ARCHIVED: gettext_lazy("Archive"),
    ProductStatus.DRAFT: gettext_lazy("Back to draft"),
}


def _producer_or_404(request: HttpRequest, slug: str) -> Producer:
    producer = Producer.objects.filter(slug=slug).first()
    if producer is None or not permissions.can_work_for_producer(request.user, producer):
        raise Http404
    return producer


def _product_or_404(producer: Producer, product_id: int) -> Product:
    product = (
        Product.objects.filter(pk=product_id, producer=producer)
        .select_related("taxonomy", "producer")
        .first()
    )
    if product is None:
        raise Http404
    return product


def _page(
    request: HttpRequest,
    template: str,
    producer: Producer,
    current: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    several = len(permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)) > 1
    return render(
        request,
        f"catalogue/workspace/{template}",
        {"producer": producer, "current": current, "several": several, **context},
        status=status,
    )


def _with_remove_urls(photos: list[Any], name: str, *args: Any) -> list[Any]:
    for photo in photos:
        photo.remove_url = reverse(f"workspace:{name}", args=[*args, photo.pk])
    return photos


# --- the user's producers, and one producer's home ------------------------------------------------


@login_required
@require_GET
def workspace_home(request: HttpRequest) -> HttpResponse:
    """The producers the user is a member of; straight to the workspace when there is just one."""
    ids = permissions.scope_ids(request.user, Role.PRODUCER_MEMBER)
    producers = list(Producer.objects.filter(pk__in=ids).order_by("folded_name", "pk")) if ids else []
    if not producers:
        raise Http404
    if len(producers) == 1:
        return redirect("workspace:producer", producers[0].slug)
    return render(request, "catalogue/workspace/home.html", {"producers": producers})


@login_required
@require_GET
def producer_home(request: HttpRequest, slug: str) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    by_status = dict(
        Product.objects.filter(producer=producer)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    today = local_today()
    valid = Certificate.objects.filter(
        product__producer=producer, revoked_on__isnull=True, superseded_by__isnull=True
    )
    return _page(
        request,
        "producer.html",
        producer,
        "home",
        {
            "counts": [
                (ProductStatus(status).label, status, by_status.get(status, 0)) for status in ProductStatus
            ],
            "product_total": sum(by_status.values()),
            "certificates_valid": valid.filter(valid_until__gte=today).count(),
            "certificates_expired": valid.filter(valid_until__lt=today).count(),
            "photo_count": producer.photos.count(),
        },
    )


# --- the profile ----------------------------------------------------------------------------------


def _profile_page(
    request: HttpRequest,
    producer: Producer,
    *,
    form: ProducerProfileForm | None = None,
    photo_form: PhotoForm | None = None,
    problem: Problem | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        form = ProducerProfileForm(initial={name: getattr(producer, name) for name in PROFILE_FIELDS})
    photos = _with_remove_urls(list(producer.photos.all()), "producer_photo_remove", producer.slug)
    return _page(
        request,
        "profile.html",
        producer,
        "profile",
        {
            "form": form,
            "photo_form": photo_form or PhotoForm(),
            "photos": photos,
            "problem": problem,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    if request.method != "POST":
        return _profile_page(request, producer)
    form = ProducerProfileForm(request.POST)
    if not form.is_valid():
        return _profile_page(request, producer, form=form, problem=problem_from_form(form), status=400)
    try:
        services.producer_save(actor=request.user, producer=producer, **form.cleaned_data)
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _profile_page(request, producer, form=form, problem=problem, status=error.status)
    messages.success(request, _("The profile of %(name)s is saved.") % {"name": producer.name})
    return redirect("workspace:profile", producer.slug)


@login_required
@require_POST
def producer_photo_add(request: HttpRequest, slug: str) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _profile_page(request, producer, photo_form=form, problem=problem_from_form(form), status=400)
    try:
        services.producer_photo_add(
            actor=request.user,
            producer=producer,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _profile_page(request, producer, photo_form=form, problem=problem, status=error.status)
    messages.success(request, _("Photo added."))
    return redirect("workspace:profile", producer.slug)


@login_required
@require_POST
def producer_photo_remove(request: HttpRequest, slug: str, photo_id: int) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    photo = ProducerPhoto.objects.filter(pk=photo_id, producer=producer).first()
    if photo is None:
        raise Http404
    try:
        services.producer_photo_remove(actor=request.user, photo=photo)
    except DomainError as error:
        return _profile_page(request, producer, problem=problem_from_error(error), status=error.status)
    messages.success(request, _("Photo removed."))
    return redirect("workspace:profile", producer.slug)


# --- products -------------------------------------------------------------------------------------


@login_required
@require_GET
def products(request: HttpRequest, slug: str) -> HttpResponse:
    """Every product of the producer, whatever its status, by name; filtered by status and name."""
    producer = _producer_or_404(request, slug)
    filters = ProductFilterForm(request.GET)
    if not filters.is_valid():
        return _page(request, "products.html", producer, "products", {"filters": filters, "page": None}, 400)
    qs = (
        Product.objects.filter(producer=producer)
        .select_related("taxonomy")
        .annotate(photo_count=Count("photos"))
        .order_by("folded_name", "pk")
    )
    if term := fold(filters.cleaned_data["q"]).strip():
        qs = qs.filter(folded_name__contains=term)
    if status := filters.cleaned_data["status"]:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(
        request,
        "products.html",
        producer,
        "products",
        {
            "filters": filters,
            "page": page,
            "query_string": query.urlencode(),
        },
    )


def _product_page(
    request: HttpRequest,
    producer: Producer,
    product: Product | None,
    *,
    form: ProductForm | None = None,
    photo_form: PhotoForm | None = None,
    problem: Problem | None = None,
    status: int = 200,
) -> HttpResponse:
    if form is None:
        initial = {name: getattr(product, name) for name in PRODUCT_FIELDS} if product else {}
        if initial.get("list_price") is not None:  # shown as typed: 250.000
            initial["list_price"] = f"{initial['list_price']:,}".replace(",", ".")
        form = ProductForm(
            initial=initial,
            current=product.taxonomy if product else None,
            product_pk=product.pk if product else None,
        )
    transitions = (
        [
            (to, TRANSITION_LABELS[ProductStatus(to)])
            for to in PRODUCT_TRANSITIONS[product.status]
            if to in TRANSITION_LABELS
        ]
        if product
        else []
    )
    photos = (
        _with_remove_urls(list(product.photos.all()), "product_photo_remove", producer.slug, product.pk)
        if product
        else []
    )
    return _page(
        request,
        "product.html",
        producer,
        "products",
        {
            "product": product,
            "form": form,
            "photo_form": photo_form or PhotoForm(),
            "photos": photos,
            "transitions": transitions,
            "problem": problem,
        },
        status=status,
    )


def _product_form(request: HttpRequest, product: Product | None) -> ProductForm:
    return ProductForm(
        request.POST,
        current=product.taxonomy if product else None,
        product_pk=product.pk if product else None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new product of the producer, as a draft: photos are added next, then it is submitted."""
    producer = _producer_or_404(request, slug)
    if request.method != "POST":
        return _product_page(request, producer, None)
    form = _product_form(request, None)
    if not form.is_valid():
        return _product_page(request, producer, None, form=form, problem=problem_from_form(form), status=400)
    try:
        product = services.product_save(actor=request.user, producer=producer, **form.cleaned_data)
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _product_page(request, producer, None, form=form, problem=problem, status=error.status)
    messages.success(
        request, _("%(name)s is saved as a draft. Add its photos, then submit it.") % {"name": product.name}
    )
    return redirect("workspace:product", producer.slug, product.pk)


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    product = _product_or_404(producer, product_id)
    if request.method != "POST":
        return _product_page(request, producer, product)
    form = _product_form(request, product)
    if not form.is_valid():
        return _product_page(
            request, producer, product, form=form, problem=problem_from_form(form), status=400
        )
    try:
        services.product_save(actor=request.user, product=product, **form.cleaned_data)
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _product_page(request, producer, product, form=form, problem=problem, status=error.status)
    messages.success(request, _("%(name)s is saved.") % {"name": form.cleaned_data["name"]})
    return redirect("workspace:product", producer.slug, product.pk)


@login_required
@require_POST
def product_photo_add(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    product = _product_or_404(producer, product_id)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _product_page(
            request, producer, product, photo_form=form, problem=problem_from_form(form), status=400
        )
    try:
        services.product_photo_add(
            actor=request.user,
            product=product,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return _product_page(
            request, producer, product, photo_form=form, problem=problem, status=error.status
        )
    messages.success(request, _("Photo added."))
    return redirect("workspace:product", producer.slug, product.pk)


@login_required
@require_POST
def product_photo_remove(request: HttpRequest, slug: str, product_id: int, photo_id: int) -> HttpResponse:
    producer = _producer_or_404(request, slug)
    product = _product_or_404(producer, product_id)
    photo = ProductPhoto.objects.filter(pk=photo_id, product=product).first()
    if photo is None:
        raise Http404
    try:
        services.product_photo_remove(actor=request.user, photo=photo)
    except DomainError as error:
        return _product_page(
            request, producer, product, problem=problem_from_error(error), status=error.status
        )
    messages.success(request, _("Photo removed."))
    return redirect("workspace:product", producer.slug, product.pk)


@login_required
@require_POST
def product_transition(request: HttpRequest, slug: str, product_id: int) -> HttpResponse:
    """Submit a draft for publication, archive a product, or bring it back to draft."""
    producer = _producer_or_404(request, slug)
    product = _product_or_404(producer, product_id)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _product_page(request, producer, product, problem=problem_from_form(form), status=400)
    to = form.cleaned_data["to"]
    try:
        if not permissions.can_move_product(request.user, product, to):
            raise DomainError(
                _("Publishing is decided by your unit's officers: submit the product for review."),
                fields={"to": _("Not allowed from the current status.")},
            )
        if to == ProductStatus.SUBMITTED:
            services.product_submit(actor=request.user, product=product)
        else:
            services.product_transition(actor=request.user, product=product, to=to)
    except DomainError as error:
        return _product_page(
            request, producer, product, problem=problem_from_error(error), status=error.status
        )
    messages.success(
        request,
        _("%(name)s is now “%(status)s”.")
        % {"name": product.name, "status": ProductStatus(product.status).label},
    )
    return redirect("workspace:product", producer.slug, product.pk)


# --- certificates ---------------------------------------------------------------------------------


@dataclass
class CertificateRow:
    certificate: Certificate
    state: str
    days_left: int

    @property
    def expired(self) -> bool:
        return self.state == CertificateState.EXPIRED


def _certificate_rows(producer: Producer, day: dt.date) -> list[CertificateRow]:
    rows = (
        Certificate.objects.filter(product__producer=producer)
        .select_related("product")
        .order_by("-valid_until", "-pk")
    )
    return [CertificateRow(c, c.state_on(day), (c.valid_until - day).days) for c in rows]


@login_required
@require_GET
def certificates(request: HttpRequest, slug: str) -> HttpResponse:
    """The OCOP certificates of the producer's products: stars, valid until, days left."""
    producer = _producer_or_404(request, slug)
    return _page(
        request,
        "certificates.html",
        producer,
        "certificates",
        {
            "rows": _certificate_rows(producer, local_today()),
            "states": CertificateState,
        },
    )
