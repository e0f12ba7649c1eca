"""The user's producers, one producer's home, and its profile with its photos."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.accounts.models import Role
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form

from .. import services
from ..forms_workspace import PhotoForm, ProducerProfileForm
from ..models import Certificate, Producer, ProducerPhoto, Product, ProductStatus
from .pages import producer_or_404, with_remove_urls, workspace_page

PROFILE_FIELDS = ("representative", "address", "phone", "email", "website", "story")


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
    producer = producer_or_404(request, slug)
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
    return workspace_page(
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
    photos = with_remove_urls(list(producer.photos.all()), "producer_photo_remove", producer.slug)
    return workspace_page(
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
    producer = producer_or_404(request, slug)
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
    producer = producer_or_404(request, slug)
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
    producer = producer_or_404(request, slug)
    photo = ProducerPhoto.objects.filter(pk=photo_id, producer=producer).first()
    if photo is None:
        raise Http404
    try:
        services.producer_photo_remove(actor=request.user, photo=photo)
    except DomainError as error:
        return _profile_page(request, producer, problem=problem_from_error(error), status=error.status)
    messages.success(request, _("Photo removed."))
    return redirect("workspace:profile", producer.slug)
