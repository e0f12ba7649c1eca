"""Pictures of the demo tours, drawn with Pillow: no photograph is copied from anywhere.

A scene per craft of the tour — bottle kilns and stacked vases for ceramics, a loom and hanging silk
for Vạn Phúc, a lacquer panel with inlaid mother-of-pearl, a laterite gate and old houses for Đường
Lâm — on a sky and a road. The drawing depends only on its key, so every run draws the same picture.
"""

import hashlib
import io
import random

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 960, 720
CREDIT = "Ảnh minh hoạ vẽ bằng chương trình"

RGB = tuple[int, int, int]
SCENES = ("ceramics", "silk", "lacquer", "village")


def _rng(key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))  # noqa: S311


def _sky(draw: ImageDraw.ImageDraw, top: RGB, bottom: RGB, horizon: int) -> None:
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )


def _ground(draw: ImageDraw.ImageDraw, horizon: int, colour: RGB) -> None:
    draw.rectangle([0, horizon, WIDTH, HEIGHT], fill=colour)
    # the road the tour comes by
    draw.polygon(
        [(WIDTH * 0.42, horizon), (WIDTH * 0.58, horizon), (WIDTH * 0.9, HEIGHT), (WIDTH * 0.1, HEIGHT)],
        fill=(170, 160, 140),
    )
    for y in range(horizon + 20, HEIGHT, 60):
        draw.rectangle([WIDTH / 2 - 4, y, WIDTH / 2 + 4, y + 28], fill=(240, 236, 220))


def _ceramics(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    for n in range(3):
        x = 90 + n * 150 + rng.randint(-10, 10)
        draw.polygon([(x, 430), (x + 100, 430), (x + 70, 250), (x + 30, 250)], fill=(150, 70, 45))
        draw.rectangle([x + 38, 200, x + 62, 252], fill=(120, 55, 35))
        draw.arc([x + 25, 380, x + 75, 440], 180, 360, fill=(60, 30, 20), width=6)
    for n in range(6):
        x = 600 + (n % 3) * 100
        y = 300 + (n // 3) * 90
        colour = rng.choice([(38, 84, 150), (122, 72, 38), (214, 202, 168), (46, 110, 52)])
        draw.ellipse([x, y + 20, x + 70, y + 80], fill=colour, outline=(40, 30, 20), width=3)
        draw.rectangle([x + 22, y, x + 48, y + 26], fill=colour, outline=(40, 30, 20), width=3)


def _silk(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle([80, 240, 420, 440], outline=(92, 60, 34), width=14)
    for x in range(100, 410, 12):
        draw.line([(x, 250), (x, 430)], fill=(230, 220, 200), width=2)
    draw.rectangle([90, 330, 410, 345], fill=(92, 60, 34))
    colours = [(180, 40, 90), (200, 150, 40), (46, 90, 150), (130, 40, 120), (200, 80, 60)]
    draw.line([(480, 230), (900, 230)], fill=(80, 60, 40), width=8)
    for n, colour in enumerate(rng.sample(colours, len(colours))):
        x = 500 + n * 80
        draw.polygon([(x, 232), (x + 60, 232), (x + 66 + rng.randint(-6, 6), 450), (x - 6, 450)], fill=colour)
        for y in range(260, 440, 40):
            draw.ellipse([x + 22, y, x + 38, y + 16], outline=(245, 230, 200), width=2)


def _lacquer(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    draw.rectangle([150, 200, 810, 470], fill=(40, 20, 18), outline=(196, 150, 40), width=12)
    draw.ellipse([560, 230, 700, 370], fill=(200, 60, 30))
    for _n in range(18):
        x, y = rng.randint(190, 770), rng.randint(240, 430)
        size = rng.randint(10, 26)
        shade = rng.choice([(230, 235, 240), (200, 220, 230), (240, 225, 235)])
        draw.polygon([(x, y - size), (x + size, y), (x, y + size), (x - size, y)], fill=shade)
    for n in range(5):
        draw.arc([200 + n * 30, 300 + n * 10, 520 - n * 20, 460], 200, 340, fill=(196, 150, 40), width=4)


def _village(draw: ImageDraw.ImageDraw, rng: random.Random) -> None:
    laterite = (150, 80, 50)
    for x in range(60, 900, 46):
        h = rng.randint(0, 2) * 6
        draw.rectangle([x, 380 + h, x + 42, 440], fill=laterite, outline=(110, 55, 35), width=2)
    draw.rectangle([360, 230, 600, 440], fill=(170, 95, 60), outline=(110, 55, 35), width=4)
    draw.rectangle([430, 310, 530, 440], fill=(60, 40, 30))
    draw.polygon([(330, 240), (630, 240), (580, 180), (380, 180)], fill=(120, 50, 40))
    draw.ellipse([700, 150, 900, 330], fill=(50, 110, 50))
    draw.rectangle([790, 300, 815, 420], fill=(90, 60, 35))
    for x in (90, 220):
        draw.polygon([(x - 20, 330), (x + 110, 330), (x + 80, 280), (x + 10, 280)], fill=(130, 60, 45))
        draw.rectangle([x, 330, x + 90, 380], fill=(210, 190, 160))


DRAWERS = {"ceramics": _ceramics, "silk": _silk, "lacquer": _lacquer, "village": _village}


def tour_picture(key: str, scene: str) -> bytes:
    """A JPEG of `scene` (one of SCENES), the same for the same key."""
    rng = _rng(key)
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    horizon = 440
    hue = rng.choice([((120, 170, 220), (230, 225, 205)), ((250, 190, 140), (250, 230, 200))])
    _sky(draw, hue[0], hue[1], horizon)
    sun = rng.randint(100, 860)
    draw.ellipse([sun - 40, 60, sun + 40, 140], fill=(255, 235, 170))
    _ground(draw, horizon, (110, 150, 80) if scene != "lacquer" else (150, 120, 90))
    DRAWERS[scene](draw, rng)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()
