"""Writes to the plan tracker: reference plans and targets, funding commitments and disbursements."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from ocophub.centers.models import Center
from ocophub.common.dates import local_today
from ocophub.common.errors import DomainError
from ocophub.places import selectors as places
from ocophub.places.models import Era

from .models import Commitment, Disbursement, FundingSource, Plan, Target


def _unit(ref: dict[str, Any]) -> Any:
    """A unit from a reference row: {"district": 18} or {"commune": 583} (three-tier system)."""
    if "district" in ref:
        unit = places.district_by_code(ref["district"])
    else:
        unit = (
            places.communes(era=Era.LEGACY, on=dt.date.fromisoformat(ref.get("on", "2025-06-30")))
            .filter(code=ref["commune"])
            .first()
        )
    if unit is None:
        raise DomainError(f"unknown unit {ref}")
    return unit


def plans_load(data: dict[str, Any]) -> int:
    """Create or refresh the reference plans and their targets (idempotent); returns plans written."""
    written = 0
    with transaction.atomic():
        for row in data["plans"]:
            plan, _created = Plan.objects.update_or_create(
                code=row["code"],
                defaults={
                    "number": row["number"],
                    "title": row["title"],
                    "issued_on": dt.date.fromisoformat(row["issued_on"]),
                    "issuer": row["issuer"],
                    "summary": row.get("summary", ""),
                    "source": row["source"],
                },
            )
            plan.units.set([_unit(ref) for ref in row.get("units", [])])
            keep = []
            for target_row in row["targets"]:
                units = [_unit(ref) for ref in target_row.get("areas", [None]) if ref] or [None]
                for area in units:
                    label = target_row["label"].format(unit=area.name if area else "")
                    target, _created = Target.objects.update_or_create(
                        plan=plan,
                        label=label,
                        defaults={
                            "area": area,
                            "min_centers": target_row["min"],
                            "max_centers": target_row.get("max"),
                            "starts_on": dt.date.fromisoformat(target_row["starts_on"]),
                            "due_on": dt.date.fromisoformat(target_row["due_on"]),
                            "counts_from": dt.date.fromisoformat(target_row["counts_from"])
                            if target_row.get("counts_from")
                            else None,
                            "source": target_row["source"],
                        },
                    )
                    target.communes.set([_unit(ref) for ref in target_row.get("only_in", [])])
                    keep.append(target.pk)
            Target.objects.filter(plan=plan).exclude(pk__in=keep).delete()
            written += 1
    return written


# no single commitment or payment of the programme comes near this (100 000 billion đồng); beyond it a
# typing slip is far likelier than a real sum
MAX_AMOUNT = 10**14


def _check_amount(amount: Any, field: str = "amount") -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DomainError(_("An amount is a whole number of đồng."), fields={field: _("Whole đồng only.")})
    if amount <= 0:
        raise DomainError(_("An amount must be more than 0 ₫."), fields={field: _("Must be more than 0.")})
    if amount > MAX_AMOUNT:
        raise DomainError(
            _("An amount cannot be more than %(max)s ₫.") % {"max": f"{MAX_AMOUNT:,}".replace(",", ".")},
            fields={field: _("Too large.")},
        )
    return amount


def commitment_create(
    *,
    actor: Any,
    center: Center,
    source: str,
    amount: int,
    committed_on: dt.date,
    document: str,
    funder: str = "",
    notes: str = "",
    is_illustrative: bool = False,
) -> Commitment:
    """Record money promised to a center by one funding source."""
    _check_amount(amount)
    if source not in FundingSource.values:
        raise DomainError(_("Unknown funding source."), fields={"source": _("Unknown funding source.")})
    if committed_on > local_today():
        raise DomainError(
            _("The date cannot be in the future."), fields={"committed_on": _("In the future.")}
        )
    if not document.strip():
        raise DomainError(_("Give the document reference."), fields={"document": _("Required.")})
    with transaction.atomic():
        return Commitment.objects.create(
            center=center,
            source=source,
            amount=amount,
            committed_on=committed_on,
            document=document.strip(),
            funder=funder.strip(),
            notes=notes,
            is_illustrative=is_illustrative,
            created_by=actor if getattr(actor, "pk", None) else None,
        )


def disbursement_create(
    *,
    actor: Any,
    commitment: Commitment,
    amount: int,
    disbursed_on: dt.date,
    document: str,
    notes: str = "",
    override_reason: str = "",
    is_illustrative: bool = False,
) -> Disbursement:
    """Record money paid against a commitment.

    The total paid may not exceed the commitment unless `override_reason` explains why; the override is
    kept on the row with who made it. A disbursement cannot predate its commitment.
    """
    _check_amount(amount)
    if disbursed_on < commitment.committed_on:
        raise DomainError(
            _("A disbursement cannot be dated before its commitment (%(date)s).")
            % {"date": commitment.committed_on.strftime("%d/%m/%Y")},
            fields={"disbursed_on": _("Before the commitment.")},
        )
    if disbursed_on > local_today():
        raise DomainError(
            _("The date cannot be in the future."), fields={"disbursed_on": _("In the future.")}
        )
    if not document.strip():
        raise DomainError(_("Give the document reference."), fields={"document": _("Required.")})
    with transaction.atomic():
        # lock the commitment so that two disbursements cannot both pass the check
        locked = Commitment.objects.select_for_update().get(pk=commitment.pk)
        paid = locked.disbursements.aggregate(total=Sum("amount"))["total"] or 0
        over = paid + amount > locked.amount
        if over and not override_reason.strip():
            raise DomainError(
                _("This would pay %(total)s of a %(committed)s commitment. Give a reason to override.")
                % {
                    "total": f"{paid + amount:,}".replace(",", "."),
                    "committed": f"{locked.amount:,}".replace(",", "."),
                },
                fields={
                    "amount": _("Above the commitment."),
                    "override_reason": _("Required to go above it."),
                },
                code="over_commitment",
            )
        who = actor if getattr(actor, "pk", None) else None
        return Disbursement.objects.create(
            commitment=locked,
            amount=amount,
            disbursed_on=disbursed_on,
            document=document.strip(),
            notes=notes,
            is_illustrative=is_illustrative,
            over_commitment=over,
            override_reason=override_reason.strip() if over else "",
            override_by=who if over else None,
            created_by=who,
        )
