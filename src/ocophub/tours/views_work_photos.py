"""An operator's photos of a tour, on the tour's work page: upload, caption and credit, reorder (the
first is the hero of the public page), remove. Another operator's tour or photo is 404."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ocophub.common.errors import DomainError
from ocophub.common.forms import problem_from_error, problem_from_form

from . import services
from .forms_work import TourPhotoForm, TourPhotoTextForm
from .models import Operator, Tour, TourPhoto
from .views_work import operator_for, status_of, tour_of, tour_page


def _found(request: HttpRequest, operator: int, pk: int) -> tuple[Operator, Tour] | HttpResponse:
    found = operator_for(request, operator)
    if isinstance(found, HttpResponse):
        return found
    return found, tour_of(found, pk)


def _photo_of(tour: Tour, photo_id: int) -> TourPhoto:
    photo = TourPhoto.objects.filter(pk=photo_id, tour=tour).select_related("tour").first()
    if photo is None:
        raise Http404
    return photo


def _back(operator: Operator, tour: Tour) -> HttpResponse:
    return redirect(f"{tour_url(operator, tour)}#photos-title")


def tour_url(operator: Operator, tour: Tour) -> str:
    from django.urls import reverse

    return reverse("tours_work:tour", kwargs={"operator": operator.pk, "pk": tour.pk})


@require_POST
def photo_add(request: HttpRequest, operator: int, pk: int) -> HttpResponse:
    found = _found(request, operator, pk)
    if isinstance(found, HttpResponse):
        return found
    op, tour = found
    form = TourPhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return tour_page(
            request, op, tour, status=400, key="photo", problem=problem_from_form(form), photo_form=form
        )
    try:
        services.tour_photo_add(
            actor=request.user,
            tour=tour,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
            credit=form.cleaned_data["credit"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form)
        return tour_page(
            request, op, tour, status=status_of(error), key="photo", problem=problem, photo_form=form
        )
    messages.success(request, _("Photo added."))
    return _back(op, tour)


@require_POST
def photo_edit(request: HttpRequest, operator: int, pk: int, photo: int) -> HttpResponse:
    found = _found(request, operator, pk)
    if isinstance(found, HttpResponse):
        return found
    op, tour = found
    row = _photo_of(tour, photo)
    form = TourPhotoTextForm(request.POST)
    if not form.is_valid():
        return tour_page(request, op, tour, status=400, key="photo", problem=problem_from_form(form))
    try:
        services.tour_photo_update(
            actor=request.user,
            photo=row,
            caption=form.cleaned_data["caption"],
            credit=form.cleaned_data["credit"],
        )
    except DomainError as error:
        return tour_page(
            request, op, tour, status=status_of(error), key="photo", problem=problem_from_error(error)
        )
    messages.success(request, _("The photo's caption is saved."))
    return _back(op, tour)


@require_POST
def photo_move(request: HttpRequest, operator: int, pk: int, photo: int) -> HttpResponse:
    found = _found(request, operator, pk)
    if isinstance(found, HttpResponse):
        return found
    op, tour = found
    row = _photo_of(tour, photo)
    direction = request.POST.get("direction", "")
    if direction not in ("up", "down"):
        return tour_page(
            request,
            op,
            tour,
            status=400,
            key="photo",
            problem=problem_from_error(
                DomainError(_("Move the photo up or down."), fields={"direction": _("Up or down.")})
            ),
        )
    try:
        services.tour_photo_move(actor=request.user, photo=row, up=direction == "up")
    except DomainError as error:
        return tour_page(
            request, op, tour, status=status_of(error), key="photo", problem=problem_from_error(error)
        )
    return _back(op, tour)


@require_POST
def photo_remove(request: HttpRequest, operator: int, pk: int, photo: int) -> HttpResponse:
    found = _found(request, operator, pk)
    if isinstance(found, HttpResponse):
        return found
    op, tour = found
    row = _photo_of(tour, photo)
    try:
        services.tour_photo_remove(actor=request.user, photo=row)
    except DomainError as error:
        return tour_page(
            request, op, tour, status=status_of(error), key="photo", problem=problem_from_error(error)
        )
    messages.success(request, _("Photo removed."))
    return _back(op, tour)
