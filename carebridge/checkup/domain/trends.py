"""Trends of key values across visits (健康档案连续化): the points and an inline SVG line chart.

The same SVG serves the health-record page and the PDF report (WeasyPrint draws it without a browser),
as the insights report does with its charts. The reference band is shaded so a reader sees at once
whether a value left the normal range and in which year.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Point:
    day: dt.date
    value: Decimal
    flag: str = "N"


def _nice_bounds(values: Sequence[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if math.isclose(low, high):
        pad = abs(low) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.15
    return low - pad, high + pad


def _label(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def trend_svg(
    points: Sequence[Point],
    *,
    title: str,
    unit: str = "",
    low: Decimal | None = None,
    high: Decimal | None = None,
    width: int = 320,
    height: int = 120,
) -> SafeString:
    """A small line chart of ``points`` (oldest first) with the reference band; empty without points."""
    if not points:
        return mark_safe("")
    left, right, top, bottom = 36, 10, 18, 22
    values = [float(p.value) for p in points]
    band = [float(v) for v in (low, high) if v is not None]
    y_min, y_max = _nice_bounds(values + band)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x_of(index: int) -> float:
        return left + (plot_w / 2 if len(points) == 1 else plot_w * index / (len(points) - 1))

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - y_min) / (y_max - y_min))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" class="trend-chart">',
        f'<text x="{left}" y="12" font-size="11" fill="#222">{escape(title)}'
        f"{' (' + escape(unit) + ')' if unit else ''}</text>",
    ]
    if band:
        band_top = y_of(float(high)) if high is not None else top
        band_bottom = y_of(float(low)) if low is not None else top + plot_h
        parts.append(
            f'<rect x="{left}" y="{band_top:.1f}" width="{plot_w}" '
            f'height="{max(band_bottom - band_top, 0):.1f}" fill="#d9f2e3" />'
        )
    for tick in (y_min, (y_min + y_max) / 2, y_max):
        parts.append(
            f'<text x="{left - 4}" y="{y_of(tick) + 3:.1f}" font-size="9" text-anchor="end" fill="#555">'
            f"{_label(tick)}</text>"
        )
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999" />'
    )
    path = " ".join(f"{x_of(i):.1f},{y_of(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="1.5" />')
    for index, point in enumerate(points):
        colour = "#1f5fa8" if point.flag == "N" else "#c0392b"
        parts.append(
            f'<circle cx="{x_of(index):.1f}" cy="{y_of(values[index]):.1f}" r="3" fill="{colour}">'
            f"<title>{point.day:%Y-%m-%d} {_label(values[index])}</title></circle>"
        )
        parts.append(
            f'<text x="{x_of(index):.1f}" y="{height - 6}" font-size="9" text-anchor="middle" fill="#555">'
            f"{point.day:%Y-%m}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
