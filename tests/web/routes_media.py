"""Route-permission rules of uploaded files (merged into tests/test_route_matrix.py)."""

import io

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from ..route_rules import PAGE, Rule


def _media(client, ctx):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 120, 40)).save(buffer, format="PNG")
    name = default_storage.save("products/ma-tran.png", ContentFile(buffer.getvalue()))
    return client.get(f"/media/{name}")


PAGES: dict[str, Rule] = {
    # photos of products, producers and centers are public, as the pages that show them
    "web:media": Rule(_media, None, PAGE, PAGE),
}
OPERATIONS: dict[str, Rule] = {}
