"""Chart labels are never cut by the SVG's edge: the margin grows with the labels, and a label too long
for two fifths of the chart is shortened with "…" and keeps its whole text as a tooltip."""

import re

from ocophub.common.charts import CHAR_WIDTH, Bar, Series, stacked_bars

SERIES = [Series("Tổng", "#1e6b3a")]
LABEL = re.compile(r'<text x="(\d+)" y="[\d.]+" text-anchor="end" class="chart-label">(.*?)</text>')


def labels(svg: str) -> list[tuple[int, str]]:
    return [(int(x), text) for x, text in LABEL.findall(svg)]


def test_the_margin_fits_the_longest_label():
    short = stacked_bars([Bar("Ba Vì", [3])], SERIES, title="t")
    long = stacked_bars([Bar("00004 Phường Hoàn Kiếm", [3]), Bar("Ba Vì", [1])], SERIES, title="t")
    (x_short, _), *_ = labels(short)
    (x_long, text), *_ = labels(long)
    assert text == "00004 Phường Hoàn Kiếm"
    assert x_long >= CHAR_WIDTH * len(text)  # the whole label lies inside the picture
    assert x_short < x_long


def test_a_very_long_label_is_shortened_with_its_whole_text_as_a_tooltip():
    name = "Xã Đại Thắng, huyện Phú Xuyên, thành phố Hà Nội (trước 01/07/2025) " * 2
    svg = stacked_bars([Bar(name, [5])], SERIES, title="t", width=720)
    (x, text), *_ = labels(svg)
    assert x <= 720 * 0.4
    assert text.startswith(f"<title>{name}</title>")
    shown = text.removeprefix(f"<title>{name}</title>")
    assert shown.endswith("…") and len(shown) * CHAR_WIDTH <= x


def test_the_values_at_the_bar_ends_have_room():
    svg = stacked_bars([Bar("A", [1_250_000_000])], SERIES, title="t", fmt=lambda v: f"{v:,.0f} ₫", width=600)
    value = re.search(r'<text x="([\d.]+)" y="[\d.]+" class="chart-value">(.*?)</text>', svg)
    assert value is not None
    assert float(value.group(1)) + CHAR_WIDTH * len(value.group(2)) <= 600
