"""The bench's table and results.json."""

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .timing import Figure


def _ms(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _value(figure: Figure) -> tuple[str, str, str]:
    """(app, limit, ratio) columns."""
    if figure.kind == "ratio" and figure.unit == "rps":
        return (
            f"{figure.extra['app_rps']:.0f} rps",
            f"{figure.extra['minimal_rps']:.0f} rps",
            f"{figure.ratio:.2f}" if figure.ratio is not None else "",
        )
    if figure.kind == "ratio":
        return _ms(figure.app_ms), _ms(figure.limit_ms), f"{figure.ratio:.2f}" if figure.ratio else ""
    if figure.kind == "queries":
        return f"{figure.value:.0f} queries", f"{figure.app_ms:.1f} ms", ""
    if figure.kind == "load":
        e = figure.extra
        return (
            f"{e['rps']:.0f} rps",
            f"p50 {e['p50']:.0f} p95 {e['p95']:.0f} p99 {e['p99']:.0f} ms",
            f"{e['errors']} err" if e.get("errors") else "",
        )
    if figure.kind == "memory":
        return f"{figure.value:.0f} MB" if figure.value is not None else "?", "", ""
    return _ms(figure.app_ms), "", ""


def table(figures: list[Figure], about: dict[str, Any]) -> str:
    scale = about["scale"]
    lines = [
        "",
        f"{about['database']}: {scale['products']} products, {scale['producers']} producers, "
        f"{scale['centers']} centers, {scale['sale_lines']} sale lines; {about['repeat']} runs a side, "
        f"loads of {about['load_seconds']:g}s, {about['cpus']} CPUs",
        "",
        f"{'figure':<48} {'app':>14} {'limit':>30} {'ratio':>7}  {'target':<26} {'':<4} load",
    ]
    for f in figures:
        app, limit, ratio = _value(f)
        verdict = "" if f.passed is None else ("pass" if f.passed else "MISS")
        load = " ".join(f"{x:.2f}" for x in f.load)
        lines.append(
            f"{f.name[:48]:<48} {app:>14} {limit:>30} {ratio:>7}  {f.target:<26} {verdict:<4} {load}"
        )
    judged = [f for f in figures if f.passed is not None]
    lines.append("")
    lines.append(f"{sum(1 for f in judged if f.passed)}/{len(judged)} targets met; times in ms (medians)")
    return "\n".join(lines)


def write_results(path: Path, figures: list[Figure], about: dict[str, Any]) -> None:
    data = {
        "about": about,
        "figures": [asdict(f) for f in figures],
        "targets_met": sum(1 for f in figures if f.passed),
        "targets": sum(1 for f in figures if f.passed is not None),
    }
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
