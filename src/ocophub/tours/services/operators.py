"""Operators: the Department of Tourism registers the licensed travel companies (and itself)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.accounts.phone import normalize_phone
from ocophub.common.errors import Conflict
from ocophub.common.services import change_record_write, changes_between, field_values
from ocophub.common.text import fold

from ..models import Operator, OperatorKind
from .base import invalid

OPERATOR_FIELDS = (
    "name",
    "kind",
    "licence_number",
    "contact_name",
    "phone",
    "email",
    "bank_bin",
    "bank_name",
    "account_number",
    "account_holder",
    "is_active",
    "is_illustrative",
)


def _text(data: dict[str, Any], name: str, limit: int, errors: dict[str, str]) -> str:
    value = data.get(name, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = _("Enter text.")
        return ""
    value = value.strip()
    if len(value) > limit:
        errors[name] = _("At most %(n)s characters.") % {"n": limit}
    return value


def _operator_fields(data: dict[str, Any], pk: int | None) -> dict[str, Any]:
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    clean["name"] = _text(data, "name", 200, errors)
    if not clean["name"] and "name" not in errors:
        errors["name"] = _("Enter the operator's name.")
    kind = data.get("kind", OperatorKind.COMPANY)
    if kind not in OperatorKind.values:
        errors["kind"] = _("A licensed travel company or the Department of Tourism.")
    clean["kind"] = kind
    licence = _text(data, "licence_number", 40, errors).upper()
    clean["licence_number"] = licence
    if kind == OperatorKind.COMPANY and not licence and "licence_number" not in errors:
        errors["licence_number"] = _("A travel company needs its licence number.")
    clean["contact_name"] = _text(data, "contact_name", 120, errors)
    email = _text(data, "email", 254, errors).lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Not a valid e-mail address.")
    clean["email"] = email
    phone = _text(data, "phone", 30, errors)
    clean["phone"] = normalize_phone(phone) or "" if phone else ""
    if phone and not clean["phone"]:
        errors["phone"] = _("Not a Vietnamese phone number.")
    bank_bin = _text(data, "bank_bin", 8, errors)
    if bank_bin and not bank_bin.isdigit():
        errors["bank_bin"] = _("The bank's BIN is six digits.")
    clean["bank_bin"] = bank_bin
    clean["bank_name"] = _text(data, "bank_name", 120, errors)
    number = _text(data, "account_number", 30, errors).replace(" ", "")
    if number and not number.isdigit():
        errors["account_number"] = _("An account number has digits only.")
    clean["account_number"] = number
    clean["account_holder"] = _text(data, "account_holder", 120, errors).upper()
    clean["is_active"] = bool(data.get("is_active", True))
    clean["is_illustrative"] = bool(data.get("is_illustrative", False))
    others = Operator.objects.filter(licence_number=licence)
    if pk is not None:
        others = others.exclude(pk=pk)
    if licence and others.exists():
        raise Conflict(
            _("Another operator has this licence number."),
            fields={"licence_number": _("Already registered.")},
            code="licence_taken",
        )
    if errors:
        raise invalid(errors)
    clean["folded_name"] = fold(clean["name"])
    return clean


@transaction.atomic
def operator_create(*, actor: Any, **data: Any) -> Operator:
    """Register an operator; a travel company needs its (unique) licence number."""
    unknown = set(data) - set(OPERATOR_FIELDS)
    if unknown:
        raise invalid({name: _("Not a field of an operator.") for name in unknown})
    operator = Operator.objects.create(**_operator_fields(data, None))
    change_record_write(actor=actor, obj=operator, changes={"created": [None, operator.name]})
    return operator


@transaction.atomic
def operator_update(*, actor: Any, operator: Operator, **changes: Any) -> Operator:
    """Change an operator's details; the history keeps what changed."""
    unknown = set(changes) - set(OPERATOR_FIELDS)
    if unknown:
        raise invalid({name: _("Not a field of an operator.") for name in unknown})
    operator = Operator.objects.select_for_update().get(pk=operator.pk)
    before = field_values(operator, OPERATOR_FIELDS)
    clean = _operator_fields(before | changes, operator.pk)
    for name, value in clean.items():
        setattr(operator, name, value)
    operator.save()
    change_record_write(
        actor=actor, obj=operator, changes=changes_between(before, field_values(operator, OPERATOR_FIELDS))
    )
    return operator
