"""QR codes of products' trace pages (segno): SVG for print and screen, PNG for other uses.

A QR code depends on its URL and size only, so each drawing is kept in the cache (shared by the app's
workers) and drawn once, not on every view of the product page.
"""

import hashlib
import io
from collections.abc import Callable

import segno
from django.core.cache import cache

QR_CACHE_SECONDS = 30 * 24 * 3600
PAGE_SCALE = 3  # the product page's code


def cache_key(kind: str, url: str, scale: int) -> str:
    digest = hashlib.sha256(f"{kind}|{scale}|{url}".encode()).hexdigest()
    return f"qr:{kind}:{digest}"


def _cached[T](kind: str, url: str, scale: int, draw: Callable[[], T]) -> T:
    key = cache_key(kind, url, scale)
    found = cache.get(key)
    if found is None:
        found = draw()
        cache.set(key, found, QR_CACHE_SECONDS)
    return found


def qr_svg(url: str, scale: int = 4, *, full: bool = False) -> bytes:
    """`full`: always a regular QR code; otherwise a short text may become a Micro QR code, which
    phone cameras and the browser's BarcodeDetector do not read (a ticket's 12-character code)."""

    def draw() -> bytes:
        buffer = io.BytesIO()
        code = segno.make_qr(url, error="m") if full else segno.make(url, error="m")
        code.save(buffer, kind="svg", scale=scale, border=2, xmldecl=False)
        return buffer.getvalue()

    return _cached("svg-qr" if full else "svg", url, scale, draw)


def qr_png(url: str, scale: int = 8) -> bytes:
    def draw() -> bytes:
        buffer = io.BytesIO()
        segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
        return buffer.getvalue()

    return _cached("png", url, scale, draw)


def qr_data_uri(url: str, scale: int = PAGE_SCALE) -> str:
    return _cached("uri", url, scale, lambda: segno.make(url, error="m").svg_data_uri(scale=scale, border=2))
