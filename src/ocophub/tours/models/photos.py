"""Photos of a tour: the first is the hero of its page and the picture of its card in lists."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocophub.common.models import TimeStampedModel

from .itineraries import Tour


def photo_path(instance: "TourPhoto", filename: str) -> str:
    return f"tours/{instance.tour_id}/{filename}"


class TourPhoto(TimeStampedModel):
    tour = models.ForeignKey(Tour, verbose_name=_("tour"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    # who took or drew it, shown under the photo (a photographer, "OCOP Hub illustration")
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["tour_id", "position", "pk"]  # the column: "tour" would join and sort by its title
        verbose_name = _("tour photo")
        verbose_name_plural = _("tour photos")

    def __str__(self) -> str:
        return self.caption or self.image.name or ""


class DepartureWorkshop(models.Model):
    """The workshop session a departure's workshop stop draws its seats from: the session of the
    stop's event on the departure's own day (a weekly departure takes each week's session)."""

    departure = models.ForeignKey(
        "tours.Departure", verbose_name=_("departure"), on_delete=models.CASCADE, related_name="workshops"
    )
    stop = models.ForeignKey(
        "tours.TourStop", verbose_name=_("tour stop"), on_delete=models.CASCADE, related_name="+"
    )
    session = models.ForeignKey(
        "events.Session", verbose_name=_("workshop session"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("workshop of a departure")
        verbose_name_plural = _("workshops of departures")
        ordering = ["departure_id", "stop_id"]
        constraints = [
            models.UniqueConstraint(fields=["departure", "stop"], name="tours_departure_workshop_stop")
        ]

    def __str__(self) -> str:
        return f"{self.departure_id}: {self.session_id}"
