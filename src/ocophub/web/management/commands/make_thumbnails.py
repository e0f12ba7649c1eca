"""Make the missing thumbnails of every product, producer and center photo (safe to run again).

Photos added through the site get their thumbnails at once; this is for photos from before that, or
put in by hand, when a reverse proxy or an object store serves the media (MEDIA_SERVE=0) and cannot
make them on the first request.
"""

from typing import Any

from django.core.management.base import BaseCommand

from ocophub.catalogue.models import ProducerPhoto, ProductPhoto
from ocophub.centers.models import CenterPhoto
from ocophub.common.progress import ProgressPrinter
from ocophub.common.thumbnails import ThumbnailError, thumbnails_make


class Command(BaseCommand):
    help = "Make the thumbnails that are missing for the photos of products, producers and centers."

    def handle(self, *args: Any, **options: Any) -> None:
        progress = ProgressPrinter(self.stdout)
        failed: list[str] = []
        for stage, model in (
            ("product photos", ProductPhoto),
            ("producer photos", ProducerPhoto),
            ("center photos", CenterPhoto),
        ):
            names = list(model.objects.order_by("pk").values_list("image", flat=True))
            progress(stage, 0, len(names))
            for done, name in enumerate(names, start=1):
                try:
                    thumbnails_make(name)
                except ThumbnailError as error:
                    failed.append(f"{name}: {error}")
                progress(stage, done, len(names))
        for line in failed:
            self.stderr.write(f"  no thumbnail for {line}")
        self.stdout.write(f"==> thumbnails checked; {len(failed)} photos could not be read")
