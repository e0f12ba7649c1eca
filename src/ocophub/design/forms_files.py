"""The file field of the design forms: several files at once, each checked by its content in the
services (design.files), at most MAX_FILES_PER_UPLOAD."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _

from .files import ACCEPT_ATTRIBUTE, MAX_FILES_PER_UPLOAD


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by its content in the service."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTRIBUTE, "multiple": True}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(item, initial) for item in data if item]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(
                _("At most %(n)s files at a time.") % {"n": MAX_FILES_PER_UPLOAD}, code="too_many"
            )
        return files
