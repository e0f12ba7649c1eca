"""Work pages of centers for the unit officers and the city: register, edit, hours, photos, the
life-cycle, score sheets and the recognition decision.

Each view parses, checks the permission predicate, calls one service and renders. A center outside
the user's units is 404. Refused input re-renders the page with the message and the fields it
concerns, with a 4xx status and nothing written.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ocophub.accounts import permissions
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.common.forms import Problem, problem_from_error, problem_from_form

from . import selectors, services
from .forms import (
    COMMUNE_MATCHES,
    SPACE_FIELDS,
    CenterForm,
    HoursForm,
    PhotoForm,
    ScoreSheetForm,
    TransitionForm,
    commune_label,
    communes_matching,
)
from .models import Center, ScoreSheet, SpaceKind, Status


def _form_field(name: str) -> str:
    """The form field of a field the center services name."""
    return name.replace("spaces.", "space_").replace("recognition.", "")


def _can_work(user: Any) -> bool:
    return permissions.is_city_admin(user) or bool(permissions.officer_unit_ids(user))


def _center_or_404(request: HttpRequest, slug: str) -> Center:
    center = selectors.editable_centers(request.user).filter(slug=slug).first()
    if center is None or not permissions.can_edit_center_record(request.user, center):
        raise Http404
    return center


@login_required
@require_GET
def center_list(request: HttpRequest) -> HttpResponse:
    """The centers of the user's units (every center for the city)."""
    if not _can_work(request.user):
        raise Http404
    centers = list(
        selectors.editable_centers(request.user)
        .select_related("commune__parent", "unit_2025")
        .order_by("folded_name", "pk")
    )
    return render(request, "centers/work/list.html", {"centers": centers})


@login_required
@require_GET
def commune_choices(request: HttpRequest) -> HttpResponse:
    """The communes matching what was typed, as choices for the center form (htmx)."""
    if not _can_work(request.user):
        raise Http404
    query = request.GET.get("commune_query", "")[:100]
    return render(
        request,
        "centers/work/_commune_choices.html",
        {
            "matches": [(unit, commune_label(unit)) for unit in communes_matching(request.user, query)],
            "query": query,
            "chosen": "",
            "limit": COMMUNE_MATCHES,
        },
    )


def _form_page(
    request: HttpRequest, form: CenterForm, center: Center | None, *, status: int = 200, problem: Any = None
) -> HttpResponse:
    return render(
        request,
        "centers/work/form.html",
        {
            "form": form,
            "center": center,
            "problem": problem,
            "commune_matches": [(unit, commune_label(unit)) for unit in form.commune_matches()],
            "unit_choices": form.unit_choices(),
            "commune_limit": COMMUNE_MATCHES,
            "space_fields": [form[name] for name in SPACE_FIELDS.values()],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def center_create(request: HttpRequest) -> HttpResponse:
    if not _can_work(request.user):
        raise Http404
    if request.method != "POST":
        return _form_page(request, CenterForm(user=request.user), None)
    form = CenterForm(request.POST, user=request.user)
    if request.POST.get("find"):  # without scripts, "Find" shows the matches and keeps what was typed
        form.is_valid()
        form.errors.pop("commune", None)
        return _form_page(request, form, None)
    if not form.is_valid():
        return _form_page(request, form, None, status=400, problem=problem_from_form(form))
    profile = form.profile()
    try:
        center = services.center_create(
            actor=request.user,
            spaces=form.spaces(),
            unit_2025=form.cleaned_data["unit_2025"],
            **profile,
        )
    except DomainError as error:
        problem = problem_from_error(error, form, _form_field)
        return _form_page(request, form, None, status=error.status, problem=problem)
    messages.success(request, _("Center “%(name)s” registered.") % {"name": center.name})
    return redirect("centers_work:manage", center.slug)


@login_required
@require_http_methods(["GET", "POST"])
def center_edit(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center_or_404(request, slug)
    if request.method != "POST":
        spaces = {space.kind: space.area_m2 for space in center.spaces.all()}
        initial: dict[str, Any] = {
            name: getattr(center, name)
            for name in [
                "name",
                "commune",
                "unit_2025",
                "address",
                "operating_entity",
                "contact_name",
                "contact_phone",
                "contact_email",
                "website",
                "floor_area_m2",
                "description",
                "source",
            ]
        }
        initial.update({SPACE_FIELDS[kind]: area for kind, area in spaces.items()})
        return _form_page(request, CenterForm(initial=initial, user=request.user), center)
    form = CenterForm(request.POST, user=request.user)
    if request.POST.get("find"):
        form.is_valid()
        form.errors.pop("commune", None)
        return _form_page(request, form, center)
    if not form.is_valid():
        return _form_page(request, form, center, status=400, problem=problem_from_form(form))
    try:
        services.center_update(
            actor=request.user,
            center=center,
            spaces=form.spaces(),
            unit_2025=form.cleaned_data["unit_2025"],
            **form.profile(),
        )
    except DomainError as error:
        problem = problem_from_error(error, form, _form_field)
        return _form_page(request, form, center, status=error.status, problem=problem)
    messages.success(request, _("Center “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
    return redirect("centers_work:manage", center.slug)


def _manage_page(
    request: HttpRequest,
    center: Center,
    *,
    status: int = 200,
    problem: Problem | None = None,
    hours_form: HoursForm | None = None,
    photo_form: PhotoForm | None = None,
    transition_form: TransitionForm | None = None,
) -> HttpResponse:
    center = selectors.with_details(Center.objects.filter(pk=center.pk)).select_related("unit_2025").get()
    if hours_form is None:
        initial: dict[str, Any] = {}
        for row in center.hours.all():
            initial.setdefault(f"opens_{row.weekday}", row.opens)
            initial.setdefault(f"closes_{row.weekday}", row.closes)
        hours_form = HoursForm(initial=initial)
    sheets = list(
        ScoreSheet.objects.filter(center=center)
        .prefetch_related("scores")
        .order_by("-assessed_on", "-pk")[:10]
    )
    spaces = {space.kind: space for space in center.spaces.all()}
    return render(
        request,
        "centers/work/manage.html",
        {
            "center": center,
            "problem": problem,
            "moves": [(to, Status(to).label) for to in center.allowed_transitions],
            "recognised": Status.RECOGNISED,
            "transition_form": transition_form or TransitionForm(initial={"effective_on": local_today()}),
            "hours_form": hours_form,
            "photo_form": photo_form or PhotoForm(),
            "sheets": sheets,
            "latest_total": sheets[0].total if sheets else None,
            "spaces": [(SpaceKind(kind).label, spaces.get(kind)) for kind in SpaceKind.values],
            "recognition": next(iter(center.recognitions.all()), None),
            "requirements": selectors.requirements(center),
            "events": list(
                center.events.select_related("actor").order_by("-effective_on", "-at", "-pk")[:10]
            ),
        },
        status=status,
    )


@login_required
@require_GET
def center_manage(request: HttpRequest, slug: str) -> HttpResponse:
    return _manage_page(request, _center_or_404(request, slug))


@login_required
@require_POST
def center_transition(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center_or_404(request, slug)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _manage_page(
            request, center, status=400, problem=problem_from_form(form), transition_form=form
        )
    data = form.cleaned_data
    recognition = None
    if data["to"] == Status.RECOGNISED:
        recognition = services.RecognitionInput(
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
            issuer=data["issuer"],
            score=data["score"],
        )
    try:
        services.center_transition(
            actor=request.user,
            center=center,
            to=data["to"],
            reason=data["reason"],
            effective_on=data["effective_on"],
            recognition=recognition,
        )
    except DomainError as error:
        problem = problem_from_error(error, form, _form_field)
        return _manage_page(request, center, status=error.status, problem=problem, transition_form=form)
    messages.success(
        request,
        _("“%(name)s” is now “%(status)s”.") % {"name": center.name, "status": Status(data["to"]).label},
    )
    return redirect("centers_work:manage", center.slug)


@login_required
@require_POST
def center_hours(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center_or_404(request, slug)
    form = HoursForm(request.POST)
    if not form.is_valid():
        return _manage_page(request, center, status=400, problem=problem_from_form(form), hours_form=form)
    try:
        services.center_hours_set(actor=request.user, center=center, hours=form.hours())
    except DomainError as error:
        problem = problem_from_error(error, form, _form_field)
        return _manage_page(request, center, status=error.status, problem=problem, hours_form=form)
    messages.success(request, _("Opening hours saved."))
    return redirect("centers_work:manage", center.slug)


@login_required
@require_POST
def center_photo(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center_or_404(request, slug)
    form = PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manage_page(request, center, status=400, problem=problem_from_form(form), photo_form=form)
    try:
        services.center_photo_add(
            actor=request.user,
            center=center,
            image=form.cleaned_data["image"],
            caption=form.cleaned_data["caption"],
        )
    except DomainError as error:
        problem = problem_from_error(error, form, _form_field)
        return _manage_page(request, center, status=error.status, problem=problem, photo_form=form)
    messages.success(request, _("Photo added."))
    return redirect("centers_work:manage", center.slug)


@login_required
@require_http_methods(["GET", "POST"])
def score_sheet(request: HttpRequest, slug: str) -> HttpResponse:
    center = _center_or_404(request, slug)
    criteria = selectors.criteria()
    if request.method != "POST":
        form = ScoreSheetForm(criteria=criteria, initial={"assessed_on": local_today()})
        return _sheet_page(request, center, form)
    form = ScoreSheetForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _sheet_page(request, center, form, status=400, problem=problem_from_form(form))
    try:
        sheet = services.score_sheet_record(
            actor=request.user,
            center=center,
            assessed_on=form.cleaned_data["assessed_on"],
            scores=form.scores(),
            notes=form.cleaned_data["notes"],
        )
    except DomainError as error:
        fields = {name.replace("scores.", "score_"): message for name, message in error.fields.items()}
        problem = problem_from_error(DomainError(error.message, fields=fields), form)
        return _sheet_page(request, center, form, status=error.status, problem=problem)
    messages.success(
        request, _("Score sheet recorded: %(total)s points.") % {"total": sheet.total.normalize()}
    )
    return redirect("centers_work:manage", center.slug)


def _sheet_page(
    request: HttpRequest, center: Center, form: ScoreSheetForm, *, status: int = 200, problem: Any = None
) -> HttpResponse:
    return render(
        request,
        "centers/work/score_sheet.html",
        {
            "center": center,
            "form": form,
            "problem": problem,
            "score_fields": [form[f"score_{criterion.code}"] for criterion in form.criteria],
        },
        status=status,
    )
