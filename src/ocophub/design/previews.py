"""Previews of a design request's images, made once after the upload commits.

They use the shared thumbnail names (common.thumbnails), whose public serving refuses any source
outside the public folders: a design file's previews are served only by the design views, to those
who may see the request.
"""

import logging
from collections.abc import Iterable

from ocophub.common.thumbnails import ThumbnailError, thumbnails_make

log = logging.getLogger(__name__)


def previews_make(names: Iterable[str]) -> None:
    for name in names:
        try:
            thumbnails_make(name)
        except ThumbnailError:
            # the file was checked as an image on upload; a preview failing is logged, not fatal
            log.warning("no preview for %s", name)
