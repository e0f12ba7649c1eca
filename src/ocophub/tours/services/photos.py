"""A tour's photos: add (a real JPEG, PNG or WebP image, at most 8 MB, thumbnails made once), caption,
reorder and remove. The first photo is the hero of the tour's page and the picture of its card."""

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from ocophub.common.errors import Conflict
from ocophub.common.images import photo_check
from ocophub.common.thumbnails import thumbnails_make

from ..models import Tour, TourPhoto, TourState
from .base import invalid, whole

MAX_PHOTOS = 30
TEXT_LIMIT = 200


def _text(value: Any) -> str:
    return str(value or "").replace("\x00", "").strip()


def _texts(caption: Any, credit: Any) -> tuple[str, str]:
    caption, credit = _text(caption), _text(credit)
    errors = {
        name: _("At most %(n)s characters.") % {"n": TEXT_LIMIT}
        for name, value in (("caption", caption), ("credit", credit))
        if len(value) > TEXT_LIMIT
    }
    if errors:
        raise invalid(errors)
    return caption, credit


def _open_tour(tour: Tour) -> Tour:
    tour = Tour.objects.select_for_update().get(pk=tour.pk)
    if tour.state == TourState.ARCHIVED:
        raise Conflict(_("This tour is archived."), fields={"state": _("Archived.")}, code="archived")
    return tour


def tour_photo_add(
    *, actor: Any, tour: Tour, image: "UploadedFile[Any]", caption: str = "", credit: str = ""
) -> TourPhoto:
    """Add a photo at the end of the tour's photos."""
    caption, credit = _texts(caption, credit)
    photo_check(image)
    with transaction.atomic():
        tour = _open_tour(tour)
        count = TourPhoto.objects.filter(tour=tour).count()
        if count >= MAX_PHOTOS:
            raise invalid({"image": _("At most %(n)s photos per tour.") % {"n": MAX_PHOTOS}})
        photo = TourPhoto.objects.create(
            tour=tour, image=image, caption=caption, credit=credit, position=count
        )
        thumbnails_make(photo.image.name)
        return photo


def tour_photo_update(*, actor: Any, photo: TourPhoto, caption: str = "", credit: str = "") -> TourPhoto:
    """Change a photo's caption and credit."""
    caption, credit = _texts(caption, credit)
    with transaction.atomic():
        _open_tour(photo.tour)
        if TourPhoto.objects.filter(pk=photo.pk).update(caption=caption, credit=credit) != 1:
            raise Conflict(_("The photo was removed meanwhile."))
        photo.caption, photo.credit = caption, credit
        return photo


def tour_photos_reorder(*, actor: Any, tour: Tour, order: Any) -> list[TourPhoto]:
    """Put the tour's photos in the order of `order` (their ids, every one once); the first is the hero."""
    with transaction.atomic():
        tour = _open_tour(tour)
        ids = set(TourPhoto.objects.filter(tour=tour).values_list("pk", flat=True))
        if (
            not isinstance(order, list | tuple)
            or not all(whole(pk) for pk in order)
            or sorted(order) != sorted(ids)
        ):
            raise invalid({"order": _("List every photo of the tour once.")})
        for n, pk in enumerate(order):
            TourPhoto.objects.filter(pk=pk).update(position=n)
        return list(TourPhoto.objects.filter(tour=tour))


def tour_photo_move(*, actor: Any, photo: TourPhoto, up: bool) -> list[TourPhoto]:
    """Move a photo one place up (towards the hero) or down."""
    order = list(TourPhoto.objects.filter(tour_id=photo.tour_id).values_list("pk", flat=True))
    if photo.pk not in order:
        raise Conflict(_("The photo was removed meanwhile."))
    n = order.index(photo.pk)
    other = n - 1 if up else n + 1
    if 0 <= other < len(order):
        order[n], order[other] = order[other], order[n]
    return tour_photos_reorder(actor=actor, tour=photo.tour, order=order)


def tour_photo_remove(*, actor: Any, photo: TourPhoto) -> None:
    """Remove a photo and, once that is committed, its file (a rolled-back removal keeps both)."""
    with transaction.atomic():
        _open_tour(photo.tour)
        if TourPhoto.objects.filter(pk=photo.pk).delete()[0] != 1:
            raise Conflict(_("The photo was removed meanwhile."))
        storage, name = photo.image.storage, photo.image.name
        if name:
            transaction.on_commit(lambda: storage.delete(name))
