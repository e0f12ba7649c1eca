"""The unit's review of submitted products: a queue, and a page to publish a product or send it back."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ocophub.accounts import permissions
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError

from . import selectors, services
from .models import Certificate, Product, ProductPhoto

PAGE_SIZE = 25


def _reviewer(request: HttpRequest) -> None:
    if not permissions.can_see_review_queue(request.user):
        raise Http404


def _photos() -> Prefetch:
    return Prefetch("photos", queryset=ProductPhoto.objects.order_by("position", "id"))


@require_http_methods(["GET", "HEAD"])
def queue(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _reviewer(request)
    rows = selectors.review_queue(request.user).prefetch_related(_photos())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalogue/review/queue.html", {"page": page})


def _reviewable(request: HttpRequest, pk: int) -> Product:
    product = (
        selectors.review_queue(request.user).filter(pk=pk).prefetch_related(_photos()).first()
        if permissions.can_see_review_queue(request.user)
        else None
    )
    if product is None:
        raise Http404
    return product


@require_http_methods(["GET", "HEAD", "POST"])
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    product = _reviewable(request, pk)
    errors: dict[str, str] = {}
    reason = ""
    status = 200
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        reason = request.POST.get("reason", "")
        if decision not in ("publish", "send_back"):
            errors = {"decision": _("Choose to publish or to send back.")}
        else:
            try:
                services.product_review(
                    actor=request.user, product=product, publish=decision == "publish", reason=reason
                )
            except DomainError as exc:
                errors = exc.fields or {"problem": exc.message}
            else:
                if decision == "publish":
                    messages.success(request, _("“%(name)s” is published.") % {"name": product.name})
                else:
                    messages.success(
                        request, _("“%(name)s” was sent back to the producer.") % {"name": product.name}
                    )
                return redirect("catalogue_review:queue")
        status = 422
    certificates = Certificate.objects.filter(product=product).order_by("-decision_date", "-id")[:10]
    return render(
        request,
        "catalogue/review/detail.html",
        {
            "product": product,
            "certificates": certificates,
            "errors": errors,
            "reason": reason[:2000],
            "today": local_today(),
        },
        status=status,
    )
