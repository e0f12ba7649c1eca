"""Admin pieces shared by every app: forms saved through the owning service, read-only views,
deletion refused where history would be lost, and the history of a record's edits."""

from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from . import selectors
from .errors import DomainError
from .models import ChangeRecord

if TYPE_CHECKING:
    _ModelAdmin = admin.ModelAdmin[Any]
    _TabularInline = admin.TabularInline[Any, Any]
else:  # the admin classes take no type parameters at run time
    _ModelAdmin = admin.ModelAdmin
    _TabularInline = admin.TabularInline

# how many edits the history on a change page shows (the change-record list has them all)
HISTORY_SHOWN = 50


class _DryRun(Exception):
    """Raised to roll back a trial run of the service while the form is being checked."""


def _apply_refusal(form: "ModelForm[Any]", error: DomainError, field_for: Any = None) -> None:
    placed = False
    for service_name, message in error.fields.items():
        name = field_for(form, service_name) if field_for else service_name
        if name in form.fields and name not in form.errors:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, error.message)


class ServiceAdmin(_ModelAdmin):
    """A ModelAdmin whose form saves through the app's service.

    `service_save(request, form, change)` calls the service with the form's values and returns the
    saved row. While the form is checked the service runs once in a savepoint that is rolled back,
    so that every rule of the service (not only the model's) shows as a form error and nothing is
    written; the real write happens when the admin saves.
    """

    # an address typed without a scheme is taken as https (Django 6's default, and what sites use)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def service_save(self, request: HttpRequest, form: "ModelForm[Any]", change: bool) -> models.Model:
        raise NotImplementedError

    def form_field_for(self, form: "ModelForm[Any]", service_field: str) -> str:
        """The form field a service's field error belongs to (the same name unless told)."""
        return service_field

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)
        model_admin = self

        class ServiceForm(base):  # type: ignore[misc, valid-type]  # the form class the admin built just now
            def _post_clean(self) -> None:
                super()._post_clean()
                if self.errors:
                    return
                try:
                    with transaction.atomic(using=router.db_for_write(self._meta.model)):
                        model_admin.service_save(request, self, change)
                        raise _DryRun
                except _DryRun:
                    pass
                except DomainError as error:
                    _apply_refusal(self, error, model_admin.form_field_for)

        return ServiceForm

    def save_model(self, request: HttpRequest, obj: Any, form: "ModelForm[Any]", change: bool) -> None:
        saved = self.service_save(request, form, change)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request: HttpRequest, form: "ModelForm[Any]", formsets: Any, change: bool) -> None:
        # many-to-many values were set by the service; inlines of such admins are read-only
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @staticmethod
    def changed_values(form: "ModelForm[Any]", names: frozenset[str], change: bool) -> dict[str, Any]:
        """The form's values the service takes: all of them when adding, the changed ones else."""
        wanted = form.changed_data if change else form.cleaned_data
        return {
            name: form.cleaned_data[name] for name in wanted if name in names and name in form.cleaned_data
        }


class ReadOnlyInline(_TabularInline):
    """Rows shown on their parent's page and changed only by the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ViewOnlyAdmin(_ModelAdmin):
    """Rows written only by the services: the admin lists and shows them."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def has_history(obj: models.Model) -> bool:
    """Whether deleting the row would lose history: rows that protect it (events, certificates,
    sales, stock…) or edits kept in its change records."""
    if obj.pk is None:
        return False
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    return bool(collector.protected) or selectors.changes_of(obj).exists()


class KeepHistoryAdmin(_ModelAdmin):
    """No delete action, and no delete button on a row that has history: archive it instead."""

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:  # type: ignore[override]  # django-stubs: on Python 3.12 it has Django 6's signature (action_location); Django 5's takes the request only
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and has_history(obj):
            return False
        return super().has_delete_permission(request, obj)


def _field_label(object_type: str, name: str) -> str:
    try:
        model = apps.get_model(object_type)
        return str(model._meta.get_field(name.split(".")[0]).verbose_name) + (
            f" ({name.split('.', 1)[1]})" if "." in name else ""
        )
    except (LookupError, FieldDoesNotExist, ValueError):
        return name


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and set(value) == {"id", "label"}:
        return str(value["label"])
    if isinstance(value, list):
        return ", ".join(_shown(item) for item in value) or "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    return str(value)


def changes_html(record: ChangeRecord) -> str:
    return format_html_join(
        "",
        "<div>{}: {} → {}</div>",
        (
            (_field_label(record.object_type, name), _shown(values[0]), _shown(values[1]))
            for name, values in record.changes.items()
        ),
    )


class HistoryMixin:
    """Adds the record's edit history (who, when, before → after) as a read-only field."""

    @admin.display(description=_("history of edits"))
    def change_history(self, obj: Any) -> str:
        if obj is None or obj.pk is None:
            return "—"
        records = list(selectors.changes_of(obj)[:HISTORY_SHOWN])
        if not records:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(record.at):%d/%m/%Y %H:%M}",
                    str(record.actor or "—"),
                    changes_html(record),
                    record.note or "",
                )
                for record in records
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("at"),
            _("by"),
            _("changes"),
            _("note"),
            rows,
        )


@admin.register(ChangeRecord)
class ChangeRecordAdmin(ViewOnlyAdmin):
    list_display = ["at", "object_type", "object_id", "actor", "changed", "note"]
    list_filter = ["object_type"]
    search_fields = ["note", "actor__full_name", "actor__email"]
    list_select_related = ["actor"]
    date_hierarchy = "at"
    fields = ("at", "object_type", "object_id", "actor", "changed", "note")
    readonly_fields = fields

    @admin.display(description=_("changes"))
    def changed(self, record: ChangeRecord) -> str:
        return changes_html(record)
