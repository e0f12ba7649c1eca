"""OCOP certificates: the rule set of a day, stars from a score, who decides which stars, issue and
revocation."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.services import acting_user, change_record_write

from ..models import (
    CERTIFICATE_MONTHS,
    Certificate,
    CertificateState,
    DecidingLevel,
    Product,
    RuleSet,
    StarBand,
    StarDecider,
    add_months,
)
from .stars import stars_refresh

# --- certificates ---------------------------------------------------------------------------


def rule_set_on(day: dt.date) -> RuleSet | None:
    """The rule set that governed decisions of that day."""
    for rule_set in RuleSet.objects.order_by("-valid_from"):
        if rule_set.valid_from <= day and (rule_set.valid_to is None or day <= rule_set.valid_to):
            return rule_set
    return None


def stars_for(rule_set: RuleSet, total: Decimal) -> int | None:
    for band in StarBand.objects.filter(rule_set=rule_set).order_by("-stars"):
        if band.min_score <= total <= band.max_score:
            return band.stars
    return None


# how a message names who decides: "recognised by the district"
LEVEL_PHRASES: dict[str, Promise] = {
    DecidingLevel.COMMUNE: gettext_lazy("the commune"),
    DecidingLevel.DISTRICT: gettext_lazy("the district"),
    DecidingLevel.PROVINCE: gettext_lazy("the province or city"),
    DecidingLevel.CENTRAL: gettext_lazy("the central council"),
}


def deciding_levels(rule_set: RuleSet, stars: int) -> list[str]:
    """The levels that recognise `stars` under the rule set, as the reference data records them."""
    return list(
        StarDecider.objects.filter(rule_set=rule_set, stars=stars)
        .order_by("level")
        .values_list("level", flat=True)
    )


def decider_refusal(rule_set: RuleSet, stars: int, level: str, levels: list[str] | None = None) -> str:
    """Why `level` may not decide `stars` under the rule set, naming who does; empty when it may."""
    levels = deciding_levels(rule_set, stars) if levels is None else levels
    if level in levels:
        return ""
    if not levels:
        return _(
            "No level is recorded as recognising %(stars)s-star products under %(rules)s/QĐ-TTg; the city "
            "administrator records it with the rule set in the admin site."
        ) % {"stars": stars, "rules": rule_set.code}
    separator = " {} ".format(_("or"))
    return _("Under %(rules)s/QĐ-TTg, %(stars)s-star products are recognised by %(levels)s.") % {
        "rules": rule_set.code,
        "stars": stars,
        "levels": separator.join(str(LEVEL_PHRASES[name]) for name in levels),
    }


def _decimal(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value))
    except InvalidOperation:
        errors[field] = _("Not a number.")
        return None
    if result < 0:
        errors[field] = _("Must be 0 or more.")
    return result


def certificate_issue(
    *,
    actor: Any,
    product: Product,
    decision_number: str,
    decision_date: dt.date,
    issuer: str,
    deciding_level: str,
    stars: int | None = None,
    total_score: Any = None,
    score_a: Any = None,
    score_b: Any = None,
    score_c: Any = None,
    source: str = "",
    is_illustrative: bool = False,
) -> Certificate:
    """Record an OCOP certificate. The rule set follows from the decision date; the part scores stay
    within its maxima; a total gives the stars through the rule set's bands; only 3–5★ are certified,
    each by the level the rule set gives it (`StarDecider`: under 148 the district 3★, the province 4★,
    the central council 5★); the certificate is valid 36 months from the decision and supersedes the
    product's earlier ones."""
    errors: dict[str, str] = {}
    if not decision_number.strip():
        errors["decision_number"] = _("Required.")
    if not issuer.strip():
        errors["issuer"] = _("Required.")
    if decision_date > local_today():
        errors["decision_date"] = _("In the future.")
    if deciding_level not in DecidingLevel.values:
        errors["deciding_level"] = _("Unknown level.")
    rule_set = rule_set_on(decision_date)
    if rule_set is None:
        errors["decision_date"] = _("No OCOP rule set applies to this date.")
    parts = {
        name: _decimal(value, name, errors)
        for name, value in (("score_a", score_a), ("score_b", score_b), ("score_c", score_c))
    }
    total = _decimal(total_score, "total_score", errors)
    if rule_set is not None:
        for name, maximum in (
            ("score_a", rule_set.max_a),
            ("score_b", rule_set.max_b),
            ("score_c", rule_set.max_c),
        ):
            part = parts[name]
            if part is not None and part > maximum:
                errors[name] = _("At most %(max)s points under %(rules)s.") % {
                    "max": maximum,
                    "rules": rule_set.code,
                }
        if all(value is not None for value in parts.values()):
            summed = sum((value for value in parts.values() if value is not None), Decimal(0))
            if total is not None and total != summed:
                errors["total_score"] = _("The total must be the sum of the parts (%(sum)s).") % {
                    "sum": summed
                }
            total = summed
        if total is not None and total > rule_set.max_total:
            errors["total_score"] = _("At most %(max)s points.") % {"max": rule_set.max_total}
    if total is not None and rule_set is not None and "total_score" not in errors:
        banded = stars_for(rule_set, total)
        if stars is not None and banded is not None and stars != banded:
            errors["stars"] = _("%(total)s points give %(banded)s stars, not %(stars)s.") % {
                "total": total,
                "banded": banded,
                "stars": stars,
            }
        stars = stars if stars is not None else banded
    if stars is None:
        errors.setdefault("stars", _("Give the stars or the score."))
    elif not 3 <= stars <= 5:
        errors["stars"] = _("Only 3 to 5 stars are certified.")
    elif rule_set is not None and not {"deciding_level", "decision_date"} & errors.keys():
        refused = decider_refusal(rule_set, stars, deciding_level)
        if refused:
            errors["deciding_level"] = refused
    if errors:
        raise DomainError(_("The certificate could not be recorded."), fields=errors)
    assert rule_set is not None and stars is not None, "both are refused with an error above"
    with transaction.atomic():
        certificate = Certificate.objects.create(
            product=product,
            rule_set=rule_set,
            deciding_level=deciding_level,
            stars=stars,
            total_score=total,
            score_a=parts["score_a"],
            score_b=parts["score_b"],
            score_c=parts["score_c"],
            decision_number=decision_number.strip(),
            decision_date=decision_date,
            issuer=issuer.strip(),
            valid_until=add_months(decision_date, CERTIFICATE_MONTHS),
            source=source,
            is_illustrative=is_illustrative,
            recorded_by=acting_user(actor),
        )
        Certificate.objects.filter(
            product=product, superseded_by__isnull=True, decision_date__lte=decision_date
        ).exclude(pk=certificate.pk).update(superseded_by=certificate)
        stars_refresh([product.pk])
    return certificate


def certificate_revoke(
    *, actor: Any, certificate: Certificate, reason: str, on: dt.date | None = None
) -> Certificate:
    """Revoke a certificate with the reason, keeping who revoked it. A revoked certificate is the
    archive of one: certificates are never deleted."""
    if not reason.strip():
        raise DomainError(_("Give the reason for the revocation."), fields={"reason": _("Required.")})
    with transaction.atomic():
        moved = Certificate.objects.filter(pk=certificate.pk, revoked_on__isnull=True).update(
            revoked_on=on or local_today(),
            revoked_reason=reason.strip(),
            revoked_by=acting_user(actor),
            updated_at=timezone.now(),
        )
        if moved != 1:
            raise Conflict(_("This certificate is already revoked."))
        # the row keeps only the day; the edit record keeps the moment, for the audit trail
        revoked_on = on or local_today()
        change_record_write(
            actor=actor,
            obj=certificate,
            changes={
                "state": [certificate.state_on(revoked_on), CertificateState.REVOKED.value],
                "revoked_on": [None, revoked_on.isoformat()],
            },
            note=reason.strip(),
        )
        stars_refresh([certificate.product_id])
    certificate.refresh_from_db()
    return certificate
