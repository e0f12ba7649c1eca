"""Form fields shared by the apps' pages."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

# dd/mm/yyyy as people type it, ISO as links and older bookmarks send it
DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"]
# the dates the platform deals in; beyond them time-zone arithmetic would overflow
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
MAX_ID = 2**62


def parse_date(raw: Any) -> dt.date | None:
    """A date from a link or a form, dd/mm/yyyy or ISO, within the platform's dates; else None."""
    text = str(raw or "").strip()[:20]
    for layout in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, layout).date()
        except ValueError:
            continue
        return day if FIRST_DAY <= day <= LAST_DAY else None
    return None


def parse_id(raw: Any) -> int | None:
    """A record id typed in a form or a link: ASCII digits within the database's range, else None."""
    text = str(raw or "").strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


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
        validators=[MinValueValidator(FIRST_DAY), MaxValueValidator(LAST_DAY)],
    )


@dataclass
class Problem:
    """What a page refused: one sentence, then each field concerned with its label."""

    message: str
    fields: list[tuple[str, str]] = field(default_factory=list)


def problem_from_form(form: forms.Form) -> Problem:
    fields: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        fields.extend((label, str(message)) for message in errors)
    return Problem(str(_("Please correct the marked fields.")), fields)


def problem_from_error(
    error: DomainError,
    form: forms.Form | None = None,
    aliases: Mapping[str, str] | Callable[[str], str] | None = None,
) -> Problem:
    """The service's message, each field it names shown with the form's label and beside the field
    (`aliases` renames a service's field to the form's, where they differ)."""
    fields = []
    for name, message in error.fields.items():
        if callable(aliases):
            name = aliases(name)
        elif aliases:
            name = aliases.get(name, name)
        if form is not None and name in form.fields:
            fields.append((str(form.fields[name].label), str(message)))
            form.add_error(name, str(message))
        else:
            fields.append(("", str(message)))
    return Problem(str(error.message), fields)
