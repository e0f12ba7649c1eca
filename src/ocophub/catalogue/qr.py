"""QR codes of products' trace pages (segno): SVG for print and screen, PNG for other uses."""

import io

import segno


def qr_svg(url: str, scale: int = 4) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=scale, border=2, xmldecl=False)
    return buffer.getvalue()


def qr_png(url: str, scale: int = 8) -> bytes:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_data_uri(url: str, scale: int = 3) -> str:
    return segno.make(url, error="m").svg_data_uri(scale=scale, border=2)
