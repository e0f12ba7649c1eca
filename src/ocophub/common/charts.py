"""Server-rendered SVG charts: readable without JavaScript, printable, and accessible (title + table).

Every chart is drawn beside a table holding the same numbers; the SVG carries a <title> and <desc>.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1e6b3a", "#c99a06", "#8a1c1c", "#1a56db", "#6b4c9a", "#4d4d4d", "#b35c00", "#00798c", "#9e2a5b"]


@dataclass(frozen=True)
class Series:
    name: str
    color: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: list[float]  # one per series, stacked
    marker: float | None = None  # e.g. the target, drawn as a tick


# The width of one character of the chart's 12 px sans-serif text, on the wide side (Vietnamese letters
# with their marks are no wider than Latin ones): the margins are computed from it, not guessed per chart.
CHAR_WIDTH = 7.0
LABEL_GAP = 8


def text_width(text: str) -> float:
    return CHAR_WIDTH * len(text)


def fit_label(label: str, room: float) -> str:
    """`label` cut with an ellipsis to fit `room` pixels (the whole label stays in a tooltip)."""
    most = max(int(room // CHAR_WIDTH), 2)
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def stacked_bars(
    bars: list[Bar],
    series: list[Series],
    *,
    title: str,
    unit: str = "",
    label_width: int | None = None,
    width: int = 720,
    row_height: int = 26,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    value_width: int = 60,
) -> SafeString:
    """Horizontal stacked bars, one row per item, with a legend; an optional marker per row.

    The label margin is as wide as the longest label needs, up to two fifths of the chart (or
    `label_width` when given); a longer label is shortened with "…" and keeps its whole text as a
    tooltip. The room for the values at the bars' ends fits the longest value.
    """
    top, legend_height = 8, 28
    largest = max([sum(b.values) for b in bars] + [b.marker or 0 for b in bars] + [1])
    if label_width is None:
        longest = max([text_width(b.label) for b in bars] + [40])
        label_width = int(min(longest + LABEL_GAP + 4, width * 0.4))
    value_width = max(
        value_width, int(max(text_width(fmt(sum(b.values)) + unit) for b in bars) + 12) if bars else 0
    )
    chart_width = width - label_width - value_width
    height = top + legend_height + row_height * len(bars) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(title)}: "
        + escape("; ".join(f"{b.label} {' / '.join(fmt(v) for v in b.values)}" for b in bars))
        + "</desc>",
    ]
    x = label_width
    for item in series:
        parts.append(f'<rect x="{x}" y="{top}" width="12" height="12" fill="{item.color}"/>')
        parts.append(f'<text x="{x + 16}" y="{top + 11}" class="chart-legend">{escape(item.name)}</text>')
        x += 24 + 7 * len(item.name)
    for index, bar in enumerate(bars):
        y = top + legend_height + index * row_height
        shown = fit_label(bar.label, label_width - LABEL_GAP)
        tooltip = f"<title>{escape(bar.label)}</title>" if shown != bar.label else ""
        parts.append(
            f'<text x="{label_width - LABEL_GAP}" y="{y + row_height / 2 + 4}" text-anchor="end" '
            f'class="chart-label">{tooltip}{escape(shown)}</text>'
        )
        offset = 0.0
        for value, item in zip(bar.values, series, strict=True):
            if value <= 0:
                continue
            w = chart_width * value / largest
            parts.append(
                f'<rect x="{label_width + chart_width * offset / largest:.1f}" y="{y + 4}" width="{w:.1f}" '
                f'height="{row_height - 8}" fill="{item.color}"><title>{escape(item.name)}: '
                f"{escape(fmt(value))}{escape(unit)}</title></rect>"
            )
            offset += value
        if bar.marker:
            mx = label_width + chart_width * bar.marker / largest
            parts.append(
                f'<line x1="{mx:.1f}" x2="{mx:.1f}" y1="{y + 1}" y2="{y + row_height - 1}" stroke="#1d1b19" '
                f'stroke-width="2" stroke-dasharray="3 2"/>'
            )
        total = sum(bar.values)
        parts.append(
            f'<text x="{label_width + chart_width * total / largest + 6:.1f}" y="{y + row_height / 2 + 4}" '
            f'class="chart-value">{escape(fmt(total))}{escape(unit)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text part above is escaped
