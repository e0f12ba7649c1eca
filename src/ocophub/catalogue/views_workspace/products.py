"""A producer's products: the list, the form, photos and status moves."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form
from ocophub.common.text import fold

from .. import services
from ..forms_workspace import PhotoForm, ProductFilterForm, ProductForm, TransitionForm
from ..models import PRODUCT_TRANSITIONS, Producer, Product, ProductPhoto, ProductStatus
from .pages import producer_or_404, with_remove_urls, workspace_page

PAGE_SIZE = 25


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


def _product_or_404(producer: Producer, product_id: int) -> Product:
    product = (
        Product.objects.filter(pk=product_id, producer=producer)
        .select_related("taxonomy", "producer")
        .first()
    )
    if product is None:
        raise Http404
    return product


@login_required
@require_GET
def products(request: HttpRequest, slug: str) -> HttpResponse:
    """Every product of the producer, whatever its status, by name; filtered by status and name."""
    producer = producer_or_404(request, slug)
    filters = ProductFilterForm(request.GET)
    if not filters.is_valid():
        return workspace_page(
            request, "products.html", producer, "products", {"filters": filters, "page": None}, 400
        )
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
    return workspace_page(
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
        with_remove_urls(list(product.photos.all()), "product_photo_remove", producer.slug, product.pk)
        if product
        else []
    )
    return workspace_page(
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
    producer = producer_or_404(request, slug)
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
    producer = producer_or_404(request, slug)
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
    producer = producer_or_404(request, slug)
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
    producer = producer_or_404(request, slug)
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
    producer = producer_or_404(request, slug)
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
