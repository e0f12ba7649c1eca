"""Before and after pictures of the demo design requests, drawn with Pillow: no photograph or design
is copied from anywhere. "Before" is what a producer brings (a plain paper label, a brown carton, a
hand-painted sign); "after" is the studio's work (a label with a border, motif and colour bands, a
printed gift box, a logo). Lines stand for the words, so no font is needed. The same arguments
always draw the same picture (the pages say "Ảnh minh hoạ vẽ bằng chương trình")."""

import hashlib
import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 960, 720
RGB = tuple[int, int, int]
CREAM: RGB = (246, 240, 226)
INK: RGB = (40, 36, 32)
GOLD: RGB = (206, 164, 64)


def _rng(key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))  # noqa: S311


def _canvas(top: RGB, bottom: RGB) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    draw.rectangle([0, 580, WIDTH, HEIGHT], fill=(222, 214, 198))
    draw.ellipse([250, 555, 710, 615], fill=(200, 190, 172))
    return image, draw


def _words(
    draw: ImageDraw.ImageDraw, x: float, y: float, width: float, lines: int, colour: RGB, thick: int
) -> None:
    for k in range(lines):
        shrink = 0 if k == 0 else width * 0.15 * (k % 2 + 1)
        draw.rounded_rectangle(
            [x + shrink / 2, y + k * (thick * 2.2), x + width - shrink / 2, y + k * (thick * 2.2) + thick],
            radius=thick // 2,
            fill=colour,
        )


def _jar(draw: ImageDraw.ImageDraw, glaze: RGB) -> tuple[float, float, float, float]:
    """A jar with a lid; returns the box of its belly, where the label goes."""
    draw.ellipse([300, 150, 660, 210], fill=tuple(int(c * 0.8) for c in glaze))
    draw.rounded_rectangle([420, 110, 540, 170], radius=20, fill=tuple(int(c * 0.7) for c in glaze))
    draw.polygon(
        [(300, 180), (660, 180), (700, 330), (680, 520), (600, 575), (360, 575), (280, 520), (260, 330)],
        fill=glaze,
    )
    draw.polygon(
        [(330, 200), (380, 200), (340, 520), (300, 500)], fill=tuple(min(255, int(c * 1.25)) for c in glaze)
    )
    return (330.0, 290.0, 630.0, 480.0)


def jar_label_before(key: str) -> bytes:
    """A crackle-glaze jar with a plain white sticker and a few hand-written lines."""
    rng = _rng(key)
    image, draw = _canvas((236, 232, 224), (214, 208, 196))
    x0, y0, x1, y1 = _jar(draw, (196, 184, 150))
    for _ in range(50):
        x, y = rng.uniform(290, 670), rng.uniform(220, 560)
        draw.line([(x, y), (x + rng.uniform(-25, 25), y + rng.uniform(-25, 25))], fill=(160, 148, 118))
    draw.rectangle([x0 + 60, y0 + 40, x1 - 60, y1 - 40], fill=(252, 252, 250), outline=(200, 200, 200))
    _words(draw, x0 + 80, y0 + 65, x1 - x0 - 160, 3, (90, 90, 90), 10)
    return _jpeg(image)


def jar_label_after(key: str) -> bytes:
    """The same jar in cobalt glaze with a designed label: a red band, a gold border, a lotus motif."""
    image, draw = _canvas((232, 238, 246), (206, 214, 228))
    x0, y0, x1, y1 = _jar(draw, (38, 84, 150))
    draw.rounded_rectangle([x0, y0, x1, y1], radius=24, fill=CREAM, outline=GOLD, width=8)
    draw.rectangle([x0 + 8, y0 + 20, x1 - 8, y0 + 62], fill=(168, 30, 30))
    _words(draw, x0 + 70, y0 + 32, x1 - x0 - 140, 1, CREAM, 16)
    cx, cy = (x0 + x1) / 2, y0 + 115
    for k in range(5):
        dx = (k - 2) * 26
        draw.ellipse([cx + dx - 16, cy - 34 + abs(k - 2) * 8, cx + dx + 16, cy + 20], fill=(38, 84, 150))
    draw.ellipse([cx - 40, cy + 10, cx + 40, cy + 30], fill=GOLD)
    _words(draw, x0 + 60, y1 - 45, x1 - x0 - 120, 1, INK, 10)
    return _jpeg(image)


def _box(draw: ImageDraw.ImageDraw, side: RGB, front: RGB, top: RGB) -> None:
    draw.polygon([(230, 300), (480, 220), (730, 300), (480, 380)], fill=top)
    draw.polygon([(230, 300), (480, 380), (480, 570), (230, 490)], fill=front)
    draw.polygon([(480, 380), (730, 300), (730, 490), (480, 570)], fill=side)


def box_before(key: str) -> bytes:
    """A brown carton with a strip of tape and a stamped line."""
    image, draw = _canvas((236, 232, 224), (214, 208, 196))
    _box(draw, (150, 110, 70), (176, 132, 86), (196, 154, 104))
    draw.polygon([(355, 260), (605, 340), (605, 360), (355, 280)], fill=(214, 196, 150))
    _words(draw, 270, 420, 160, 2, (110, 80, 50), 12)
    return _jpeg(image)


def box_after(key: str) -> bytes:
    """A gift box printed in deep red with a gold pattern, a window on the tea set and a ribbon."""
    rng = _rng(key)
    image, draw = _canvas((244, 232, 226), (222, 206, 198))
    _box(draw, (120, 22, 24), (160, 30, 30), (186, 46, 42))
    for _ in range(70):
        t, s = rng.random(), rng.random()
        x, y = 240 + 230 * t, 310 + 170 * s + 75 * t
        draw.regular_polygon((x, y, rng.uniform(3, 6)), 4, rotation=45, fill=GOLD)
    draw.polygon([(560, 380), (680, 340), (680, 450), (560, 490)], fill=CREAM, outline=GOLD)
    draw.ellipse([585, 385, 655, 445], fill=(214, 202, 168))
    draw.polygon([(470, 226), (490, 226), (490, 570), (470, 570)], fill=GOLD)
    draw.polygon([(355, 260), (605, 340), (605, 352), (355, 272)], fill=GOLD)
    return _jpeg(image)


def sign_before(key: str) -> bytes:
    """A hand-painted wooden sign."""
    image, draw = _canvas((230, 236, 230), (206, 214, 206))
    draw.rectangle([440, 380, 470, 580], fill=(110, 74, 44))
    draw.rectangle([230, 170, 730, 400], fill=(170, 120, 70), outline=(110, 74, 44), width=8)
    _words(draw, 280, 230, 400, 3, (250, 250, 240), 22)
    return _jpeg(image)


def logo_after(key: str) -> bytes:
    """A brand mark: a round seal with a kiln and a vase, and a word mark under it."""
    image, draw = _canvas((250, 246, 238), (236, 228, 214))
    draw.ellipse([330, 110, 630, 410], fill=(38, 84, 150), outline=GOLD, width=12)
    draw.polygon([(430, 330), (530, 330), (555, 250), (520, 190), (440, 190), (405, 250)], fill=CREAM)
    draw.rectangle([455, 160, 505, 195], fill=CREAM)
    draw.arc([360, 140, 600, 380], 200, 340, fill=GOLD, width=6)
    _words(draw, 300, 460, 360, 2, (38, 84, 150), 20)
    return _jpeg(image)


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()
