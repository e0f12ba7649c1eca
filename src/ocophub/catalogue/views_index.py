"""The public indexes of producers (/chu-the/) and craft villages (/lang-nghe/): searched by folded name,
filtered by craft and by district (the units before 2025, as the villages and producers are recorded),
a page at a time."""

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ocophub.common.text import fold
from ocophub.places import selectors as places
from ocophub.places.models import Craft, CraftVillage

from .models import Producer, Product, ProductStatus

PAGE_SIZE = 24
QUERY_MAX = 100


class IndexFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=QUERY_MAX,
        error_messages={"max_length": _("At most %(limit_value)d characters.")},
    )
    district = forms.TypedChoiceField(
        label=_("District (before 2025)"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Choose a district from the list.")},
    )
    craft = forms.ChoiceField(
        label=_("Craft"),
        required=False,
        error_messages={"invalid_choice": _("Choose a craft from the list.")},
    )

    def __init__(self, data: Any, *, english: bool) -> None:
        super().__init__(data)
        district_field = self.fields["district"]
        craft_field = self.fields["craft"]
        assert isinstance(district_field, forms.ChoiceField) and isinstance(craft_field, forms.ChoiceField)
        district_field.choices = [("", _("All"))] + [(d.code, d.name) for d in places.districts()]
        craft_field.choices = [("", _("All"))] + [
            (c.slug, c.name_en if english and c.name_en else c.name) for c in Craft.objects.order_by("name")
        ]


def _index(
    request: HttpRequest, template: str, rows: Any, form: IndexFilterForm, extra: dict[str, Any]
) -> HttpResponse:
    valid = form.is_valid()
    page = Paginator(rows if valid else rows.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query_string": query.urlencode(), **extra}
    return render(request, template, context, status=200 if valid else 400)


def _form(request: HttpRequest) -> IndexFilterForm:
    return IndexFilterForm(request.GET, english=request.LANGUAGE_CODE == "en")


def producer_rows(q: str, district: int | None, craft: str) -> QuerySet[Producer]:
    """Producers with at least one published product, by folded name."""
    published = Product.objects.filter(producer=OuterRef("pk"), status=ProductStatus.PUBLISHED)
    qs = Producer.objects.filter(Exists(published)).select_related("commune__parent", "craft_village")
    if folded := fold(q):
        qs = qs.filter(folded_name__contains=folded)
    if district is not None:
        qs = qs.filter(commune__parent__code=district)
    if craft:
        qs = qs.filter(craft_village__crafts__slug=craft)
    return qs.order_by("folded_name", "pk")


@require_GET
def producer_index(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    data = form.cleaned_data if form.is_valid() else {}
    rows = producer_rows(data.get("q", ""), data.get("district"), data.get("craft", ""))
    return _index(request, "catalogue/producers.html", rows, form, {})


@require_GET
def village_index(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    data = form.cleaned_data if form.is_valid() else {}
    rows: QuerySet[CraftVillage] = places.villages(
        q=data.get("q") or None, district=data.get("district"), craft=data.get("craft") or None
    ).order_by("folded_name", "pk")
    return _index(request, "catalogue/villages.html", rows, form, {})
