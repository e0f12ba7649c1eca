"""The public portfolio under /thiet-ke/: the designs the centers' studios delivered and their
producers let them show, one page per design, and the pictures those pages draw.

It is a public page for everyone, staff included: a request that is not in the portfolio is 404 here
whoever asks (its own page is /thiet-ke/yeu-cau/<pk>/). The pictures are the thumbnails of the
before and after images, served through Django's storage (the public /media/ view refuses design
files); the original files are never served here.
"""

from typing import Any

from django import forms
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from ocophub.common.thumbnails import SIZES, ThumbnailError, thumbnail_make

from . import selectors_portfolio as selectors
from .models import DesignKind

# A producer may withdraw a design from the portfolio: its pictures are cached for an hour only,
# and revalidated by their ETag after that.
IMAGE_MAX_AGE = 3600


class PortfolioFilterForm(forms.Form):
    craft = forms.ChoiceField(
        label=_("Craft"),
        required=False,
        error_messages={"invalid_choice": _("Choose a craft from the list.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of design"),
        required=False,
        error_messages={"invalid_choice": _("Choose a kind of design from the list.")},
    )
    center = forms.ChoiceField(
        label=_("Center"),
        required=False,
        error_messages={"invalid_choice": _("Choose a center from the list.")},
    )

    def __init__(self, data: Any, *, english: bool) -> None:
        super().__init__(data)
        everything = [("", _("All"))]
        self.set_choices(
            "craft",
            everything
            + [(c.slug, c.name_en if english and c.name_en else c.name) for c in selectors.filter_crafts()],
        )
        self.set_choices("kind", everything + list(DesignKind.choices))
        self.set_choices("center", everything + [(c.slug, c.name) for c in selectors.filter_centers()])

    def set_choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


@require_safe
def portfolio(request: HttpRequest) -> HttpResponse:
    form = PortfolioFilterForm(request.GET, english=request.LANGUAGE_CODE == "en")
    valid = form.is_valid()
    data = form.cleaned_data if valid else {}
    rows = selectors.portfolio_search(
        selectors.PortfolioFilters(
            craft=data.get("craft", ""), kind=data.get("kind", ""), center=data.get("center", "")
        )
    )
    page = Paginator(rows if valid else rows.none(), selectors.PORTFOLIO_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "design/portfolio.html",
        {"form": form, "page": page, "query_string": query.urlencode()},
        status=200 if valid else 400,
    )


@require_safe
def portfolio_entry(request: HttpRequest, pk: int) -> HttpResponse:
    design = selectors.portfolio_entry(pk)
    if design is None:
        raise Http404
    return render(request, "design/portfolio_entry.html", {"design": design, **selectors.entry_page(design)})


def _thumbnail_response(request: HttpRequest, source: str | None, size: str) -> HttpResponseBase:
    """The `size` thumbnail of the stored image `source` (made on the first request), with caching
    headers as the media view gives; 404 without a source."""
    if source is None or size not in SIZES:
        raise Http404
    try:
        name = thumbnail_make(source, size)
        modified = default_storage.get_modified_time(name)
        length = default_storage.size(name)
    except (SuspiciousFileOperation, ThumbnailError, FileNotFoundError, OSError) as error:
        raise Http404 from error
    last_modified = int(modified.timestamp())
    etag = f'"{length:x}-{last_modified:x}"'

    def headers(response: HttpResponseBase) -> HttpResponseBase:
        response["Cache-Control"] = f"public, max-age={IMAGE_MAX_AGE}"
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["X-Content-Type-Options"] = "nosniff"
        return response

    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return headers(not_modified)
    try:
        handle = default_storage.open(name, "rb")
    except (SuspiciousFileOperation, FileNotFoundError) as error:
        raise Http404 from error
    # a neutral name: the stored one carries the uploaded file's name
    response = FileResponse(handle, content_type="image/jpeg", filename=f"{size}.jpg")
    response["Content-Length"] = str(length)
    return headers(response)


@require_safe
def portfolio_image(request: HttpRequest, pk: int, side: str, size: str) -> HttpResponseBase:
    return _thumbnail_response(request, selectors.portfolio_image_source(pk, side), size)


@require_safe
def product_design_image(request: HttpRequest, pk: int, size: str) -> HttpResponseBase:
    """A product's current label or package, as its page shows it (to those who may see the page)."""
    return _thumbnail_response(request, selectors.product_design_source(request.user, pk), size)
