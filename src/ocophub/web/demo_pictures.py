"""Pictures for the demo site, drawn with Pillow: no photograph is copied from anywhere.

Each picture is a stylised object of the product's craft (a vase, a lacquer panel, a basket, a
wrapped cake…) in colours read from its name, a workshop for a producer and a facade for a center.
The drawing depends only on the slug and the name, so every run draws the same picture.
"""

import hashlib
import io
import math
import random

from PIL import Image, ImageDraw

from ocophub.common.text import fold

WIDTH, HEIGHT = 960, 720
CREDIT = "Ảnh minh hoạ vẽ bằng chương trình"

RGB = tuple[int, int, int]

# words of a folded name → the main colour of the object
NAMED_COLOURS: list[tuple[str, RGB]] = [
    ("men lam", (38, 84, 150)),
    ("men nau", (122, 72, 38)),
    ("men ran", (214, 202, 168)),
    ("thep vang", (196, 150, 40)),
    ("son son", (160, 30, 28)),
    ("son mai", (120, 22, 20)),
    ("kham trai", (30, 34, 44)),
    ("lua", (180, 40, 90)),
    ("may", (196, 156, 92)),
    ("tre", (184, 150, 80)),
    ("banh chung", (46, 110, 52)),
    ("che lam", (200, 160, 100)),
    ("tuong", (140, 80, 30)),
    ("dong trung", (220, 120, 40)),
    ("go", (132, 86, 48)),
    ("gom", (90, 120, 150)),
]
PALETTE: list[RGB] = [
    (38, 84, 150),
    (160, 30, 28),
    (46, 110, 52),
    (196, 150, 40),
    (122, 72, 38),
    (90, 60, 120),
]


def _rng(slug: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big"))  # noqa: S311


def _colour(name: str, rng: random.Random) -> RGB:
    folded = fold(name)
    for words, colour in NAMED_COLOURS:
        if words in folded:
            return colour
    return rng.choice(PALETTE)


def _shade(colour: RGB, factor: float) -> RGB:
    if factor >= 1:
        return tuple(int(c + (255 - c) * (factor - 1)) for c in colour)  # type: ignore[return-value]
    return tuple(int(c * factor) for c in colour)  # type: ignore[return-value]


def _backdrop(rng: random.Random, base: RGB) -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    top, bottom = _shade(base, 1.85), _shade(base, 1.6)
    for y in range(HEIGHT):
        t = y / HEIGHT
        draw.line(
            [(0, y), (WIDTH, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    draw.rectangle([0, 560, WIDTH, HEIGHT], fill=_shade(base, 1.45))
    draw.ellipse([WIDTH / 2 - 260, 530, WIDTH / 2 + 260, 600], fill=_shade(base, 1.3))
    return image, draw


def _vase(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    cx, foot, top = WIDTH / 2, 565, rng.randint(110, 160)
    belly, neck, mouth = rng.randint(150, 200), rng.randint(45, 70), rng.randint(60, 90)
    profile = [
        (mouth, top),
        (neck, top + 70),
        (belly, top + 230),
        (belly * 0.8, foot - 80),
        (neck * 1.4, foot),
    ]
    right = [(cx + w, y) for w, y in profile]
    left = [(cx - w, y) for w, y in reversed(profile)]
    draw.polygon(right + left, fill=colour, outline=_shade(colour, 0.6))
    draw.polygon([(cx - w * 0.35, y) for w, y in profile], fill=_shade(colour, 1.25))
    if "ran" in folded:
        for _ in range(60):
            x, y = rng.uniform(cx - belly * 0.8, cx + belly * 0.8), rng.uniform(top + 80, foot - 60)
            draw.line(
                [(x, y), (x + rng.uniform(-30, 30), y + rng.uniform(-30, 30))], fill=_shade(colour, 0.7)
            )
    for band in range(3):
        y = top + 150 + band * 70
        draw.line([(cx - belly * 0.95, y), (cx + belly * 0.95, y)], fill=_shade(colour, 1.5), width=6)
        for k in range(-4, 5):
            draw.ellipse([cx + k * 34 - 8, y + 20, cx + k * 34 + 8, y + 36], fill=_shade(colour, 1.6))


def _tea_set(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    draw.ellipse([330, 300, 630, 560], fill=colour, outline=_shade(colour, 0.6), width=4)
    draw.polygon([(620, 400), (720, 330), (730, 350), (630, 450)], fill=colour)
    draw.arc([250, 330, 380, 480], 90, 270, fill=_shade(colour, 0.7), width=14)
    draw.ellipse([440, 270, 520, 310], fill=_shade(colour, 0.8))
    for k, cup in enumerate((170, 760)):
        draw.pieslice([cup - 70, 470 - 60, cup + 70, 470 + 80], 0, 180, fill=_shade(colour, 1.1 + k * 0.1))
    for _ in range(40):
        x, y = rng.uniform(360, 600), rng.uniform(330, 530)
        draw.line([(x, y), (x + rng.uniform(-25, 25), y + rng.uniform(-25, 25))], fill=_shade(colour, 1.5))


def _plate(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    draw.ellipse([200, 120, 760, 600], fill=(245, 242, 232), outline=_shade(colour, 0.7), width=6)
    draw.ellipse([260, 180, 700, 540], outline=colour, width=10)
    for k in range(rng.randint(5, 8)):
        angle = k * 2 * math.pi / 6 + rng.random()
        x, y = 480 + 130 * math.cos(angle), 360 + 110 * math.sin(angle)
        draw.ellipse([x - 40, y - 20, x + 40, y + 20], fill=colour)
    draw.ellipse([440, 330, 520, 390], fill=_shade(colour, 0.8))


def _panel(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    draw.rectangle([170, 90, 790, 560], fill=(60, 30, 16))
    draw.rectangle([200, 120, 760, 530], fill=colour)
    gold, pearl = (214, 170, 70), (222, 226, 236)
    accent = pearl if "kham" in folded or "trai" in folded else gold
    draw.ellipse([600, 150, 690, 240], fill=accent)
    if "pho" in folded or "khue" in folded or "van cac" in folded:
        for k in range(rng.randint(3, 5)):
            x0 = 230 + k * 105
            h = rng.randint(110, 220)
            draw.rectangle([x0, 500 - h, x0 + 80, 500], fill=_shade(accent, 0.8))
            draw.polygon([(x0 - 15, 500 - h), (x0 + 40, 470 - h), (x0 + 95, 500 - h)], fill=accent)
    else:
        for k in range(4):
            draw.polygon(
                [(200 + k * 150, 530), (280 + k * 150, 330 + rng.randint(0, 80)), (360 + k * 150, 530)],
                fill=_shade(accent, 0.7 + k * 0.08),
            )
    for _ in range(70):
        x, y = rng.uniform(210, 750), rng.uniform(130, 520)
        draw.regular_polygon((x, y, rng.uniform(3, 7)), 3, rotation=rng.uniform(0, 120), fill=accent)


def _box(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    draw.polygon([(250, 330), (480, 250), (710, 330), (480, 410)], fill=_shade(colour, 1.2))
    draw.polygon([(250, 330), (480, 410), (480, 560), (250, 480)], fill=colour)
    draw.polygon([(480, 410), (710, 330), (710, 480), (480, 560)], fill=_shade(colour, 0.7))
    accent = (236, 230, 214) if "trung" in folded or "trai" in folded else (214, 170, 70)
    for _ in range(90):
        t, s = rng.random(), rng.random()
        x, y = 250 + 460 * t, 330 + (250 - 330) * (1 - abs(2 * t - 1)) + s * 160 * (1 - abs(2 * t - 1)) * 0.5
        draw.regular_polygon((x, y, rng.uniform(2, 5)), 4, rotation=rng.uniform(0, 90), fill=accent)


def _basket(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    flat = "khay" in folded
    top, bottom = (400, 520) if flat else (290, 560)
    draw.ellipse([220, top - 50, 740, top + 50], fill=_shade(colour, 0.75))
    draw.polygon([(220, top), (740, top), (660, bottom), (300, bottom)], fill=colour)
    for k in range(0, 460, 28):
        draw.line([(230 + k, top), (305 + k * 0.77, bottom)], fill=_shade(colour, 0.7), width=5)
    for y in range(top + 14, bottom, 22):
        draw.line([(220 + (y - top) * 0.3, y), (740 - (y - top) * 0.3, y)], fill=_shade(colour, 1.2), width=6)
    if not flat:
        draw.arc([300, 80, 660, 520], 180, 360, fill=_shade(colour, 0.6), width=22)


def _parcel(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    if "tuong" in folded:
        draw.rounded_rectangle([360, 220, 600, 560], radius=60, fill=colour)
        draw.rectangle([400, 180, 560, 240], fill=_shade(colour, 0.6))
        draw.rectangle([380, 330, 580, 440], fill=(236, 220, 180))
        return
    if "che lam" in folded:
        draw.ellipse([200, 380, 760, 600], fill=(236, 232, 220))
        for piece in range(6):
            x, y = 290 + (piece % 3) * 130, 360 + (piece // 3) * 90
            draw.rectangle([x, y, x + 110, y + 70], fill=_shade(colour, 0.9 + rng.random() * 0.2))
        return
    draw.rectangle([300, 180, 660, 540], fill=colour, outline=_shade(colour, 0.6), width=8)
    for k in (0.33, 0.66):
        across, down = 300 + 360 * k, 180 + 360 * k
        draw.line([(across, 170), (across, 550)], fill=(230, 214, 170), width=8)
        draw.line([(290, down), (670, down)], fill=(230, 214, 170), width=8)


def _scarf(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    for band in range(7):
        points = [(x, 160 + band * 50 + 40 * math.sin(x / 90 + band)) for x in range(120, 861, 20)]
        points += [(x, y + 46) for x, y in reversed(points)]
        draw.polygon(points, fill=_shade(colour, 0.8 + band * 0.08))
    for _ in range(30):
        x, y = rng.uniform(150, 820), rng.uniform(200, 500)
        draw.regular_polygon((x, y, 9), 6, fill=(236, 206, 120))


def _statue(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    gold = (206, 160, 52)
    robe = (168, 36, 30) if "son" in folded else colour
    draw.rectangle([330, 520, 630, 565], fill=_shade(colour, 0.6))
    draw.polygon([(360, 520), (600, 520), (560, 300), (400, 300)], fill=robe)
    draw.ellipse([420, 180, 540, 310], fill=gold if "vang" in folded else _shade(colour, 1.2))
    draw.pieslice([380, 130, 580, 330], 180, 360, fill=_shade(robe, 0.8))
    for y in range(330, 520, 40):
        draw.line([(400 - (y - 300) * 0.1, y), (560 + (y - 300) * 0.1, y)], fill=gold, width=5)


def _herbs(draw: ImageDraw.ImageDraw, rng: random.Random, colour: RGB, folded: str) -> None:
    draw.rounded_rectangle(
        [340, 200, 620, 560], radius=40, fill=(236, 240, 236), outline=(170, 180, 176), width=6
    )
    draw.rectangle([370, 160, 590, 215], fill=(60, 90, 60))
    for _ in range(40):
        x, y = rng.uniform(370, 590), rng.uniform(300, 530)
        draw.line([(x, y), (x + rng.uniform(-14, 14), y - rng.uniform(30, 60))], fill=colour, width=6)


SHAPES = {
    "gom-su": _vase,
    "son-mai": _panel,
    "kham-trai": _panel,
    "may-tre-dan": _basket,
    "banh-mut-keo": _parcel,
    "thuc-pham-khac": _parcel,
    "det-may": _scarf,
    "do-go": _statue,
    "duoc-lieu": _herbs,
}


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def product_picture(slug: str, name: str, group_code: str) -> bytes:
    """A JPEG of the product: the craft's object (by the group code's end) in the name's colours."""
    rng = _rng(slug)
    folded = fold(name)
    colour = _colour(name, rng)
    image, draw = _backdrop(rng, _shade(colour, 0.9))
    shape = next((fn for key, fn in SHAPES.items() if group_code.endswith(key)), _box)
    if shape is _vase and ("am chen" in folded or "bo am" in folded):
        shape = _tea_set
    elif shape is _vase and "dia" in folded.split():
        shape = _plate
    elif shape is _panel and "hop" in folded.split():
        shape = _box
    shape(draw, rng, colour, folded)
    return _jpeg(image)


def _house(draw: ImageDraw.ImageDraw, x: float, width: float, rng: random.Random, wall: RGB) -> None:
    roof = (150, 60, 40)
    base, top = 560, 560 - rng.randint(150, 220)
    draw.rectangle([x, top, x + width, base], fill=wall, outline=_shade(wall, 0.7), width=3)
    draw.polygon(
        [(x - 25, top), (x + width / 2, top - rng.randint(70, 110)), (x + width + 25, top)], fill=roof
    )
    draw.rectangle([x + width * 0.4, base - 90, x + width * 0.6, base], fill=(90, 56, 30))
    for wx in (x + width * 0.12, x + width * 0.7):
        draw.rectangle([wx, top + 40, wx + width * 0.18, top + 90], fill=(250, 226, 150))


def producer_picture(slug: str, name: str) -> bytes:
    """A JPEG of a workshop: two or three village houses, a kiln chimney for a ceramics maker."""
    rng = _rng(slug)
    colour = _colour(name, rng)
    image, draw = _backdrop(rng, _shade(colour, 0.95))
    folded = fold(name)
    if "gom" in folded:
        draw.rectangle([720, 200, 770, 460], fill=(120, 70, 50))
        for k in range(3):
            draw.ellipse([700 + k * 25, 130 - k * 40, 780 + k * 25, 190 - k * 40], fill=(210, 210, 210))
    x = 120.0
    for _ in range(rng.randint(2, 3)):
        width = rng.randint(180, 240)
        _house(draw, x, width, rng, _shade(colour, 1.5 + rng.random() * 0.2))
        x += width + 60
    return _jpeg(image)


def center_picture(slug: str, name: str) -> bytes:
    """A JPEG of a center's facade: storeys of windows, a red sign band and a glass entrance."""
    rng = _rng(slug)
    colour = _colour(name, rng)
    image, draw = _backdrop(rng, (120, 140, 170))
    floors = rng.randint(2, 3)
    top = 560 - floors * 110 - 60
    wall = _shade(colour, 1.6)
    draw.rectangle([150, top, 810, 560], fill=wall, outline=_shade(wall, 0.7), width=4)
    draw.polygon([(130, top), (480, top - 70), (830, top)], fill=(150, 60, 40))
    draw.rectangle([150, top + 20, 810, top + 70], fill=(178, 34, 34))
    draw.rectangle([200, top + 35, 760, top + 55], fill=(240, 200, 80))
    for floor in range(floors):
        y = top + 90 + floor * 110
        for k in range(6):
            x = 180 + k * 105
            draw.rectangle([x, y, x + 70, y + 70], fill=(170, 200, 220), outline=_shade(wall, 0.6), width=3)
    draw.rectangle([400, 470, 560, 560], fill=(120, 160, 190), outline=(60, 60, 60), width=4)
    draw.line([(480, 470), (480, 560)], fill=(60, 60, 60), width=4)
    return _jpeg(image)
