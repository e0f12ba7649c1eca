"""The audit trail's filters: kind, object (by id, or by name for the kinds of object that have one),
person (by name, e-mail or phone) and a date range."""

import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocophub.accounts.selectors import user_by_login, users_matching
from ocophub.catalogue.models import Producer, Product
from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.forms import date_field
from ocophub.common.text import search_terms
from ocophub.events.selectors import event_ids_named

from .audit_sources import KINDS, OBJECT_TYPES
from .audit_trail import DEFAULT_DAYS, MAX_DAYS, Filters, day_range

# The most people, or objects, a name may match (each source then reads the rows of these only)
PEOPLE_LIMIT = 20
OBJECTS_LIMIT = 20


def _folded_name_ids(model: Any) -> Any:
    def ids(text: str, limit: int) -> list[int]:
        words = search_terms(text)
        by_name = Q()
        for word in words:
            by_name &= Q(folded_name__contains=word)
        return list(
            model.objects.filter(by_name).order_by("folded_name", "pk").values_list("pk", flat=True)[:limit]
        )

    return ids


# The kinds of object that may be looked up by name, and how (folded, every word)
NAMED_OBJECTS: dict[str, Any] = {
    "product": _folded_name_ids(Product),
    "producer": _folded_name_ids(Producer),
    "center": _folded_name_ids(Center),
    "event": event_ids_named,
    "user": lambda text, limit: [user.pk for user in users_matching(text, limit)],
}


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    object_type = forms.ChoiceField(label=_("Object"), required=False)
    object_id = forms.IntegerField(
        label=_("Object id"),
        required=False,
        min_value=1,
        max_value=2**62,
        error_messages={"invalid": _("A whole number."), "min_value": _("A whole number above zero.")},
    )
    object_name = forms.CharField(
        label=_("Object name"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    person = forms.CharField(
        label=_("Person (name, e-mail or phone)"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    start = date_field(_("From"))
    end = date_field(_("To"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind, object_type = self.fields["kind"], self.fields["object_type"]
        assert isinstance(kind, forms.ChoiceField) and isinstance(object_type, forms.ChoiceField)
        kind.choices = [("", _("All kinds")), *KINDS.items()]
        object_type.choices = [("", _("Any object")), *OBJECT_TYPES.items()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = local_today()
        end = data.get("end") or today
        start = data.get("start") or min(end, today) - dt.timedelta(days=DEFAULT_DAYS)
        if "start" not in self.errors and "end" not in self.errors:
            if start > end:
                self.add_error("end", _("The end date is before the start date."))
            elif (end - start).days > MAX_DAYS:
                self.add_error("start", _("At most one year at a time."))
        data["start"], data["end"] = start, end
        data["object_ids"] = self._objects(
            data.get("object_type") or "", data.get("object_id"), (data.get("object_name") or "").strip()
        )
        data["people"] = self._people((data.get("person") or "").strip())
        return data

    def _objects(self, object_type: str, object_id: int | None, name: str) -> tuple[int, ...]:
        """The ids the object filter names: the one typed, else those whose name holds the words typed
        (folded), at most OBJECTS_LIMIT."""
        if "object_id" in self.errors:
            return ()
        if not object_type:
            if object_id or name:
                self.add_error("object_type", _("Choose the kind of object."))
            return ()
        if object_id:
            return (object_id,)
        if not name:
            self.add_error("object_id", _("Give the object's id or name."))
            return ()
        if object_type not in NAMED_OBJECTS:
            self.add_error(
                "object_name",
                _("Only products, producers, centers, events and people are found by name: give the id."),
            )
            return ()
        if not search_terms(name) or len(name) < 2:
            self.add_error("object_name", _("Type at least two letters of the name."))
            return ()
        found = NAMED_OBJECTS[object_type](name, OBJECTS_LIMIT + 1)
        if not found:
            self.add_error("object_name", _("Nothing of this kind has this name."))
            return ()
        if len(found) > OBJECTS_LIMIT:
            self.add_error(
                "object_name", _("More than %(n)s match: type more of the name.") % {"n": OBJECTS_LIMIT}
            )
            return ()
        return tuple(found)

    def _people(self, text: str) -> tuple[Any, ...] | None:
        """The people the person filter names: the one whose login it is exactly, else those whose name
        (folded) or e-mail holds it, at most PEOPLE_LIMIT; None for no filter or a refused one."""
        if not text:
            return None
        exact = user_by_login(text)
        if exact is not None:
            return (exact,)
        if len(search_terms(text)) == 0 or len(text) < 2:
            self.add_error("person", _("Type at least two letters of the name."))
            return None
        found = users_matching(text, limit=PEOPLE_LIMIT + 1)
        if not found:
            self.add_error("person", _("Nobody has this name, e-mail address or phone number."))
            return None
        if len(found) > PEOPLE_LIMIT:
            self.add_error(
                "person",
                _("More than %(n)s people match: type more of the name.") % {"n": PEOPLE_LIMIT},
            )
            return None
        return tuple(found)

    def filters(self, **scope: Any) -> Filters:
        """The filters of a valid form (or of an empty one: the last 30 days)."""
        data = self.cleaned_data
        start, end = day_range(data["start"], data["end"])
        return Filters(
            start=start,
            end=end,
            kind=data.get("kind") or "",
            object_type=data.get("object_type") or "",
            object_ids=data.get("object_ids") or (),
            person=data.get("people"),
            **scope,
        )
