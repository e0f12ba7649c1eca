"""Bank accounts: where customers' transfers to a center go, and where a producer's payouts go.

One account per center and per producer; editing replaces its details, and a deactivated account is
kept as a record but receives nothing (no VietQR code points at it).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.catalogue.models import Producer
from ocophub.centers.models import Center
from ocophub.common.errors import Conflict, DomainError

from ..models import BankAccount

FIELDS = ("bank_bin", "bank_name", "account_number", "holder", "active")


def _clean(account: BankAccount) -> None:
    """The model's own checks (six-digit BIN, account number of 1–19 letters or digits, lengths)."""
    account.bank_bin = (account.bank_bin or "").strip()
    account.account_number = (account.account_number or "").strip()
    account.bank_name = (account.bank_name or "").strip()
    account.holder = (account.holder or "").strip()
    try:
        account.full_clean(exclude=["center", "producer"])
    except ValidationError as error:
        raise DomainError(
            _("Some details of the bank account are missing or wrong."),
            fields={
                name: " ".join(str(m) for m in messages) for name, messages in error.message_dict.items()
            },
        ) from error


@transaction.atomic
def bank_account_create(
    *,
    actor: Any,
    center: Center | None = None,
    producer: Producer | None = None,
    bank_bin: str,
    bank_name: str,
    account_number: str,
    holder: str,
    active: bool = True,
) -> BankAccount:
    """Record the bank account of a center or of a producer (exactly one of them)."""
    if (center is None) == (producer is None):
        raise DomainError(_("A bank account belongs to one center or one producer."))
    owner = {"center": center} if center is not None else {"producer": producer}
    if BankAccount.objects.select_for_update().filter(**owner).exists():
        raise Conflict(_("A bank account is already recorded; edit it instead."))
    account = BankAccount(
        **owner,
        bank_bin=bank_bin,
        bank_name=bank_name,
        account_number=account_number,
        holder=holder,
        active=active,
    )
    _clean(account)
    account.save()
    return account


@transaction.atomic
def bank_account_update(*, actor: Any, account: BankAccount, **changes: Any) -> BankAccount:
    """Change the details of an account, or deactivate it (`active=False`) or bring it back."""
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    account = BankAccount.objects.select_for_update().get(pk=account.pk)
    for name, value in changes.items():
        setattr(account, name, value)
    _clean(account)
    account.save(update_fields=[*changes])
    return account
