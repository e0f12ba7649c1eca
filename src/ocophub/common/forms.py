"""Form fields shared by the apps' pages."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# dd/mm/yyyy as people type it, ISO as links and older bookmarks send it
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]


def date_field(label: Any, *, required: bool = False) -> forms.DateField:
    """A date typed as dd/mm/yyyy. A text box, not the browser's date picker, which shows the
    browser's own format (mm/dd/yyyy in many) whatever the page's language."""
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"},
            format="%d/%m/%Y",
        ),
        error_messages={"invalid": _("A date as dd/mm/yyyy."), "required": _("Required.")},
    )
