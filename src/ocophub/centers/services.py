"""Writes to centers: create and edit, the life-cycle, recognition, hours, photos, score sheets."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.common.dates import local_today
from ocophub.common.errors import Conflict, DomainError
from ocophub.common.images import photo_check
from ocophub.common.services import change_record_write, changes_between, field_values, json_value
from ocophub.common.text import fold, slug
from ocophub.common.thumbnails import thumbnails_make
from ocophub.places.models import AdministrativeUnit, Craft, CraftVillage, Era, Level

from .models import (
    TRANSITIONS,
    Center,
    CenterEvent,
    CenterPhoto,
    CenterSpace,
    Criterion,
    OpeningHours,
    Recognition,
    Score,
    ScoreSheet,
    SpaceKind,
    Status,
    band_for,
)

# Fields a center's own manager may change; the rest belong to the city and the unit officers.
MANAGER_FIELDS = frozenset(
    {
        "address",
        "operating_entity",
        "contact_name",
        "contact_phone",
        "contact_email",
        "website",
        "description",
    }
)
PROFILE_FIELDS = MANAGER_FIELDS | {
    "name",
    "commune",
    "craft_village",
    "latitude",
    "longitude",
    "floor_area_m2",
    "source",
    "is_illustrative",
}


@dataclass(frozen=True)
class RecognitionInput:
    decision_number: str
    decision_date: dt.date
    issuer: str
    score: Decimal | None = None
    source: str = ""


def _check_commune(commune: AdministrativeUnit | None) -> None:
    if commune is None or commune.level != Level.COMMUNE:
        raise DomainError(
            _("Choose a commune or ward of Hanoi."), fields={"commune": _("Not a commune of Hanoi.")}
        )


class _Auto:
    """The default of `unit_2025`: take the one new unit the commune went into, if there is one."""

    def __repr__(self) -> str:
        return "AUTO"


AUTO: Any = _Auto()


def unit_2025_candidates(commune: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The units in force since 01/07/2025 a site in `commune` may lie in: the commune itself when it
    is one of them, else those the official conversion map sends the old commune to."""
    from ocophub.places import selectors as places

    if commune.era == Era.CURRENT:
        return [commune]
    return [step.unit for step in places.current_units_covering(commune)]


def _resolve_unit_2025(commune: AdministrativeUnit, chosen: Any) -> AdministrativeUnit | None:
    """The one new unit a site lies in. An old commune that went wholly into one unit gives that unit;
    a split one needs the caller to say which of its successors (unless `chosen` is AUTO, which
    leaves the unit unknown)."""
    candidates = unit_2025_candidates(commune)
    names = ", ".join(unit.name for unit in candidates)
    if chosen is not AUTO and chosen is not None:
        if chosen.pk not in {unit.pk for unit in candidates}:
            raise DomainError(
                _("The unit since 01/07/2025 must be one the commune went into."),
                fields={"unit_2025": _("Choose one of: %(units)s.") % {"units": names or "—"}},
            )
        return next(unit for unit in candidates if unit.pk == chosen.pk)
    if len(candidates) == 1:
        return candidates[0]
    if chosen is None and len(candidates) > 1:
        raise DomainError(
            _("The commune was split in 2025: say which new unit the site is in."),
            fields={"unit_2025": _("Choose one of: %(units)s.") % {"units": names}},
        )
    return None


def _unique_slug(name: str, exclude_pk: int | None = None) -> str:
    base = slug(name) or "trung-tam"
    candidate, n = base, 1
    others = Center.objects.all() if exclude_pk is None else Center.objects.exclude(pk=exclude_pk)
    while others.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _validate(center: Center) -> None:
    try:
        center.full_clean(exclude=["slug", "folded_name"])
    except ValidationError as error:
        fields = {name: " ".join(str(m) for m in messages) for name, messages in error.message_dict.items()}
        raise DomainError(_("The center could not be saved."), fields=fields) from error


def _set_spaces(center: Center, spaces: dict[str, Decimal | None]) -> None:
    for kind, area in spaces.items():
        if kind not in SpaceKind.values:
            raise DomainError(_("Unknown space."), fields={"spaces": _("Unknown space: %s") % kind})
        if area is None:
            CenterSpace.objects.filter(center=center, kind=kind).delete()
            continue
        if Decimal(area) < 0:
            raise DomainError(
                _("An area cannot be negative."), fields={f"spaces.{kind}": _("Must be 0 or more.")}
            )
        space = CenterSpace.objects.filter(center=center, kind=kind).first() or CenterSpace(
            center=center, kind=kind
        )
        space.area_m2 = Decimal(area)
        try:
            space.full_clean(exclude=["center"])
        except ValidationError as error:
            raise DomainError(
                _("The area is not valid."), fields={f"spaces.{kind}": _("Not a valid area.")}
            ) from error
        space.save()


def center_create(
    *,
    actor: Any,
    name: str,
    commune: AdministrativeUnit | None,
    craft_village: CraftVillage | None = None,
    crafts: list[Craft] | None = None,
    spaces: dict[str, Decimal | None] | None = None,
    status: str = Status.PROPOSED,
    effective_on: dt.date | None = None,
    reason: str = "",
    unit_2025: Any = AUTO,
    **fields: Any,
) -> Center:
    """Register a center. It starts in `status` (proposed unless told), with an event row for it.

    `unit_2025` is the unit in force since 01/07/2025 the site lies in: taken from the commune when it
    went wholly into one unit; for a split commune the caller names it (None refuses, AUTO leaves it
    unknown)."""
    _check_commune(commune)
    assert commune is not None
    new_unit = _resolve_unit_2025(commune, unit_2025)
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields."), fields={name: _("Unknown field.") for name in unknown})
    if status not in Status.values:
        raise DomainError(_("Unknown status."), fields={"status": _("Unknown status.")})
    since = effective_on or local_today()
    with transaction.atomic():
        center = Center(
            name=name.strip(),
            commune=commune,
            craft_village=craft_village,
            unit_2025=new_unit,
            status=status,
            status_since=since,
            **fields,
        )
        center.slug = _unique_slug(center.name)
        center.folded_name = fold(center.name)
        _validate(center)
        center.save()
        if crafts:
            center.crafts.set(crafts)
        _set_spaces(center, spaces or {})
        CenterEvent.objects.create(
            center=center,
            actor=actor if getattr(actor, "pk", None) else None,
            from_state="",
            to_state=status,
            effective_on=since,
            reason=reason,
        )
    return center


def center_update(
    *,
    actor: Any,
    center: Center,
    crafts: list[Craft] | None = None,
    spaces: dict[str, Decimal | None] | None = None,
    allowed: frozenset[str] = PROFILE_FIELDS,
    unit_2025: Any = AUTO,
    **fields: Any,
) -> Center:
    """Edit a center's profile. `allowed` is the set of fields the actor may change.

    A new commune, or a named `unit_2025`, sets the unit since 01/07/2025 again (as `center_create`)."""
    refused = set(fields) - allowed
    if refused:
        raise DomainError(
            _("You may not change these fields."), fields={name: _("Not allowed.") for name in refused}
        )
    if "commune" in fields:
        _check_commune(fields["commune"])
    placing = "commune" in fields or unit_2025 is not AUTO
    if placing and "commune" not in allowed:
        raise DomainError(_("You may not change these fields."), fields={"unit_2025": _("Not allowed.")})
    tracked = [*fields, *(["crafts"] if crafts is not None else []), *(["unit_2025"] if placing else [])]
    with transaction.atomic():
        center = Center.objects.select_for_update().get(pk=center.pk)
        before = {**field_values(center, tracked), **_space_values(center)}
        if placing:
            center.unit_2025 = _resolve_unit_2025(fields.get("commune", center.commune), unit_2025)
        for name, value in fields.items():
            setattr(center, name, value)
        if "name" in fields:
            center.name = center.name.strip()
            center.folded_name = fold(center.name)
        _validate(center)
        center.save()
        if crafts is not None:
            center.crafts.set(crafts)
        if spaces:
            _set_spaces(center, spaces)
        after = {**field_values(center, tracked), **_space_values(center)}
        change_record_write(actor=actor, obj=center, changes=changes_between(before, after))
    return center


def _space_values(center: Center) -> dict[str, str | None]:
    """Each functional space's area as the history keeps it ("spaces.photo": "120.0")."""
    areas = dict(CenterSpace.objects.filter(center=center).values_list("kind", "area_m2"))
    return {f"spaces.{kind}": json_value(areas.get(kind)) for kind in SpaceKind.values}


def _hours_value(center: Center) -> list[str]:
    rows = OpeningHours.objects.filter(center=center).order_by("weekday", "opens")
    return [f"{row.weekday} {row.opens:%H:%M}–{row.closes:%H:%M}" for row in rows]


def center_transition(
    *,
    actor: Any,
    center: Center,
    to: str,
    reason: str = "",
    effective_on: dt.date | None = None,
    recognition: RecognitionInput | None = None,
) -> Center:
    """Move a center along its life-cycle (TRANSITIONS). Recognition needs the decision that made it."""
    if to not in Status.values:
        raise DomainError(_("Unknown status."), fields={"to": _("Unknown status.")})
    current = center.status
    if to not in TRANSITIONS[current]:
        allowed = ", ".join(str(Status(s).label) for s in TRANSITIONS[current]) or "—"
        raise DomainError(
            _("A center that is “%(from)s” cannot become “%(to)s”. Allowed: %(allowed)s.")
            % {"from": Status(current).label, "to": Status(to).label, "allowed": allowed},
            fields={"to": _("Not allowed from the current status.")},
            code="illegal_transition",
        )
    effective_on = effective_on or local_today()
    if effective_on > local_today():
        raise DomainError(
            _("The date cannot be in the future."), fields={"effective_on": _("In the future.")}
        )
    if to == Status.RECOGNISED:
        if recognition is None or not recognition.decision_number.strip():
            raise DomainError(
                _("Recognition needs the number of the decision."),
                fields={"recognition.decision_number": _("Required.")},
            )
        if not recognition.issuer.strip():
            raise DomainError(
                _("Recognition needs its issuer."), fields={"recognition.issuer": _("Required.")}
            )
        if recognition.decision_date > local_today():
            raise DomainError(
                _("The decision date cannot be in the future."),
                fields={"recognition.decision_date": _("In the future.")},
            )
        if recognition.score is not None and not Decimal(0) <= recognition.score <= Decimal(100):
            raise DomainError(_("A score is between 0 and 100."), fields={"recognition.score": _("0–100.")})
        effective_on = recognition.decision_date
    if center.status_since is not None and effective_on < center.status_since:
        field = "recognition.decision_date" if to == Status.RECOGNISED else "effective_on"
        raise DomainError(
            _("The move cannot take effect before the current status began (%(date)s).")
            % {"date": center.status_since.strftime("%d/%m/%Y")},
            fields={field: _("Before the current status.")},
        )
    with transaction.atomic():
        # conditional update: a concurrent move of the same center makes this one fail cleanly
        moved = Center.objects.filter(pk=center.pk, status=current).update(
            status=to, status_since=effective_on
        )
        if moved != 1:
            raise Conflict(_("The center's status changed meanwhile; reload and try again."))
        if to == Status.RECOGNISED and recognition is not None:
            Recognition.objects.create(
                center=center,
                decision_number=recognition.decision_number.strip(),
                decision_date=recognition.decision_date,
                issuer=recognition.issuer.strip(),
                score=recognition.score,
                band=band_for(recognition.score),
                source=recognition.source,
            )
        CenterEvent.objects.create(
            center=center,
            actor=actor if getattr(actor, "pk", None) else None,
            from_state=current,
            to_state=to,
            effective_on=effective_on,
            reason=reason,
        )
    center.status, center.status_since = to, effective_on
    return center


def center_hours_set(*, actor: Any, center: Center, hours: list[tuple[int, dt.time, dt.time]]) -> None:
    """Replace a center's opening hours."""
    for index, (weekday, opens, closes) in enumerate(hours):
        if not 0 <= weekday <= 6:
            raise DomainError(
                _("A weekday is 0 (Monday) to 6 (Sunday)."), fields={f"hours.{index}": _("Weekday.")}
            )
        if closes <= opens:
            raise DomainError(
                _("Closing time must be after opening time."),
                fields={f"hours.{index}": _("Closes before it opens.")},
            )
    with transaction.atomic():
        before = _hours_value(center)
        OpeningHours.objects.filter(center=center).delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(center=center, weekday=w, opens=o, closes=c) for w, o, c in hours
        )
        changes = changes_between({"hours": before}, {"hours": _hours_value(center)})
        change_record_write(actor=actor, obj=center, changes=changes)


def center_photo_add(
    *, actor: Any, center: Center, image: "UploadedFile[Any]", caption: str = ""
) -> CenterPhoto:
    """Add a photo: JPEG, PNG or WebP, at most 8 MB, checked by reading the image itself."""
    photo_check(image)
    with transaction.atomic():
        position = center.photos.count()
        photo = CenterPhoto.objects.create(
            center=center, image=image, caption=caption.replace("\x00", "")[:200], position=position
        )
        thumbnails_make(photo.image.name)
        return photo


def score_sheet_record(
    *, actor: Any, center: Center, assessed_on: dt.date, scores: dict[str, Decimal], notes: str = ""
) -> ScoreSheet:
    """Record a recognition score sheet: each criterion's points within its maximum."""
    criteria = {criterion.code: criterion for criterion in Criterion.objects.all()}
    fields: dict[str, str] = {}
    for code, points in scores.items():
        criterion = criteria.get(code)
        if criterion is None:
            fields[f"scores.{code}"] = _("Unknown criterion.")
        elif not Decimal(0) <= Decimal(points) <= criterion.max_points:
            fields[f"scores.{code}"] = _("Between 0 and %(max)s.") % {"max": criterion.max_points}
    if assessed_on > local_today():
        fields["assessed_on"] = _("In the future.")
    if fields:
        raise DomainError(_("The score sheet has errors."), fields=fields)
    with transaction.atomic():
        sheet = ScoreSheet.objects.create(
            center=center,
            assessed_on=assessed_on,
            notes=notes,
            assessor=actor if getattr(actor, "pk", None) else None,
        )
        Score.objects.bulk_create(
            Score(sheet=sheet, criterion=criteria[code], points=Decimal(points))
            for code, points in scores.items()
        )
    return sheet


def criteria_load(rows: list[dict[str, Any]]) -> int:
    """Create or refresh the criteria of the recognition score sheet; returns how many changed."""
    changed = 0
    with transaction.atomic():
        for position, row in enumerate(rows):
            values = {**{k: v for k, v in row.items() if k != "code"}, "position": position}
            values["max_points"] = Decimal(str(values["max_points"]))
            criterion, created = Criterion.objects.get_or_create(code=row["code"], defaults=values)
            if not created and any(getattr(criterion, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(criterion, k, v)
                criterion.save()
                changed += 1
            changed += int(created)
    return changed


def legacy_commune(code: int, on: dt.date | None = None) -> AdministrativeUnit | None:
    from ocophub.places import selectors

    qs = selectors.communes(era=Era.LEGACY, on=on).filter(code=code)
    return qs.first()
