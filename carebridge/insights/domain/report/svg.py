"""Hand-written SVG charts for the report: drawn on the server, so the PDF needs no browser.

WeasyPrint renders inline SVG (paths, text) as vector graphics; the text uses the Noto CJK font that
set-up installs for the PDFs (``make fonts``), so Chinese labels render in the PDF as on screen. Each
function returns safe markup with a ``viewBox`` so the chart scales to the width of its container.
Colours are those of the report's legend: favourable blue, neutral grey, unfavourable orange-red.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', sans-serif"
BLUE = "#1f6fb2"
GREY = "#b8bec6"
RED = "#d9534f"
ORANGE = "#f0ad4e"
INK = "#333333"
LABEL_WIDTH = 190
ROW = 22


def _text(
    x: float, y: float, content: str, /, *, anchor: str = "start", size: int = 11, fill: str = INK
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}" '
        f'font-family="{FONT}">{escape(content)}</text>'
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    """A rectangle as a path (one drawing primitive for every chart)."""
    return (
        f'<path d="M{x:.1f} {y:.1f}h{max(width, 0):.1f}v{height:.1f}h{-max(width, 0):.1f}Z" fill="{fill}"/>'
    )


def _line(
    x1: float, y1: float, x2: float, y2: float, *, stroke: str = INK, width: float = 1, dash: str = ""
) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<path d="M{x1:.1f} {y1:.1f}L{x2:.1f} {y2:.1f}" stroke="{stroke}" '
        f'stroke-width="{width}"{dashed} fill="none"/>'
    )


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(  # noqa: S308 - every text node above is escaped
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" '
        f'role="img" aria-label="{escape(title)}" class="report-chart">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _axis(x0: float, width: float, y: float, low: float, high: float, *, ticks: int = 5) -> list[str]:
    """A horizontal axis from ``low`` to ``high`` with ticks at round values (1, 2 or 5 × 10ⁿ apart)."""
    parts = [_line(x0, y, x0 + width, y, stroke=GREY)]
    if high <= low:
        return parts
    rough = (high - low) / ticks
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    value = math.ceil(low / step - 1e-9) * step
    while value <= high + 1e-9:
        x = x0 + width * (value - low) / (high - low)
        label = f"{value:.{max(0, -math.floor(math.log10(step)))}f}"
        parts += [_line(x, y, x, y + 3, stroke=GREY), _text(x, y + 14, label, anchor="middle", size=9)]
        value += step
    return parts


def interval_bars(
    rows: Sequence[tuple[str, float, float, float]],
    *,
    title: str,
    low: float = 0,
    high: float = 100,
    reference: float | None = None,
    width: int = 640,
) -> SafeString:
    """Horizontal bars (label, value, CI low, CI high) with interval whiskers and an optional reference
    line (e.g. the hospital's index)."""
    plot = width - LABEL_WIDTH - 60
    height = ROW * len(rows) + 30

    def x(value: float) -> float:
        return LABEL_WIDTH + plot * (min(max(value, low), high) - low) / (high - low)

    body: list[str] = []
    for i, (label, value, lo, hi) in enumerate(rows):
        y = 4 + i * ROW
        body += [
            _text(LABEL_WIDTH - 6, y + 14, label[:16], anchor="end"),
            _rect(LABEL_WIDTH, y + 3, x(value) - LABEL_WIDTH, ROW - 8, BLUE),
            _line(x(lo), y + ROW / 2, x(hi), y + ROW / 2, stroke=INK),
            _line(x(lo), y + 6, x(lo), y + ROW - 6),
            _line(x(hi), y + 6, x(hi), y + ROW - 6),
            _text(x(hi) + 6, y + 14, f"{value:.1f}", size=10),
        ]
    if reference is not None:
        body.append(_line(x(reference), 0, x(reference), ROW * len(rows) + 4, stroke=RED, dash="4 3"))
    body += _axis(LABEL_WIDTH, plot, ROW * len(rows) + 6, low, high)
    return _svg(width, height, body, title)


def stacked_boxes(
    rows: Sequence[tuple[str, float, float, float]], *, title: str, width: int = 640
) -> SafeString:
    """100 % bars of (label, bottom, middle, top) shares: unfavourable left, favourable right."""
    plot = width - LABEL_WIDTH - 20
    height = ROW * len(rows) + 44
    body: list[str] = []
    for i, (label, bottom, middle, top) in enumerate(rows):
        y = 4 + i * ROW
        x = float(LABEL_WIDTH)
        body.append(_text(LABEL_WIDTH - 6, y + 14, label[:16], anchor="end"))
        for share, colour in ((bottom, RED), (middle, GREY), (top, BLUE)):
            body.append(_rect(x, y + 3, plot * share, ROW - 8, colour))
            if share >= 0.08:
                body.append(
                    _text(
                        x + plot * share / 2,
                        y + 14,
                        f"{share * 100:.0f}%",
                        anchor="middle",
                        size=9,
                        fill="#fff",
                    )
                )
            x += plot * share
    legend_y = ROW * len(rows) + 20
    for offset, (colour, label) in enumerate(
        ((RED, "不满意（底部框）"), (GREY, "一般"), (BLUE, "满意（顶部框）"))
    ):
        lx = LABEL_WIDTH + offset * 150
        body += [_rect(lx, legend_y - 9, 12, 10, colour), _text(lx + 16, legend_y, label, size=10)]
    return _svg(width, height, body, title)


def trend_line(
    points: Sequence[tuple[str, float, float, float]], *, title: str, width: int = 640, height: int = 200
) -> SafeString:
    """Monthly means (label, mean, CI low, CI high) as a line inside its interval band."""
    if not points:
        return _svg(width, 30, [_text(10, 20, "无数据")], title)
    left, right, top, bottom = 40, 20, 10, 30
    lows = [p[2] for p in points]
    highs = [p[3] for p in points]
    lo = max(0.0, min(lows) - 2)
    hi = min(100.0, max(highs) + 2)
    if hi - lo < 5:
        lo, hi = max(0.0, lo - 2.5), min(100.0, hi + 2.5)
    step = (width - left - right) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + (height - top - bottom) * (hi - value) / (hi - lo)

    band = [f"{left + i * step:.1f} {y(p[3]):.1f}" for i, p in enumerate(points)]
    band += [f"{left + i * step:.1f} {y(p[2]):.1f}" for i, p in reversed(list(enumerate(points)))]
    line = " L".join(f"{left + i * step:.1f} {y(p[1]):.1f}" for i, p in enumerate(points))
    body = [
        f'<path d="M{" L".join(band)}Z" fill="{BLUE}" fill-opacity="0.18"/>',
        f'<path d="M{line}" stroke="{BLUE}" stroke-width="2" fill="none"/>',
        _line(left, height - bottom, width - right, height - bottom, stroke=GREY),
    ]
    for value in (lo, (lo + hi) / 2, hi):
        body += [
            _text(left - 4, y(value) + 3, f"{value:.0f}", anchor="end", size=9),
            _line(left, y(value), width - right, y(value), stroke="#eeeeee"),
        ]
    for i, (label, mean, _low, _high) in enumerate(points):
        cx = left + i * step
        body.append(f'<path d="M{cx - 3:.1f} {y(mean):.1f}a3 3 0 1 0 6 0a3 3 0 1 0 -6 0" fill="{BLUE}"/>')
        if len(points) <= 13 or i % 2 == 0:
            body.append(_text(cx, height - bottom + 14, label[2:], anchor="middle", size=9))
    return _svg(width, height, body, title)


def quadrant(
    points: Sequence[tuple[str, float, float, bool]],
    *,
    title: str,
    importance_cut: float,
    performance_cut: float,
    width: int = 640,
    height: int = 360,
) -> SafeString:
    """The importance–performance grid: (label, importance, performance, highlighted) per item, with
    the crosshairs at the means; the lower-right quadrant (important, performing below average) is
    where to concentrate."""
    left, right, top, bottom = 50, 20, 20, 40
    xs = [p[1] for p in points] + [importance_cut]
    ys = [p[2] for p in points] + [performance_cut]
    x_lo, x_hi = min(xs) - 0.05, max(xs) + 0.05
    y_lo, y_hi = min(ys) - 3, max(ys) + 3

    def px(value: float) -> float:
        return left + (width - left - right) * (value - x_lo) / (x_hi - x_lo)

    def py(value: float) -> float:
        return top + (height - top - bottom) * (y_hi - value) / (y_hi - y_lo)

    body = [
        _rect(
            px(importance_cut),
            py(performance_cut),
            width - right - px(importance_cut),
            height - bottom - py(performance_cut),
            "#fdecea",
        ),
        _line(px(importance_cut), top, px(importance_cut), height - bottom, stroke=GREY, dash="4 3"),
        _line(left, py(performance_cut), width - right, py(performance_cut), stroke=GREY, dash="4 3"),
        _line(left, height - bottom, width - right, height - bottom, stroke=INK),
        _line(left, top, left, height - bottom, stroke=INK),
        _text((left + width - right) / 2, height - 8, "重要性（与总体评价的相关）", anchor="middle", size=10),
        _text(width - right - 4, height - bottom - 6, "重点改进区", anchor="end", size=10, fill=RED),
        _text(width - right - 4, top + 12, "优势保持区", anchor="end", size=10),
        _text(left + 4, top + 12, "过度投入区", size=10),
        _text(left + 4, height - bottom - 6, "次要改进区", size=10),
        _text(12, (top + height - bottom) / 2, "得分", anchor="middle", size=10),
    ]
    placed: list[tuple[float, float, float, float]] = []  # label boxes already drawn
    # Highlighted items are labelled first; another label is drawn only where it overlaps none.
    for label, importance, performance, highlighted in sorted(points, key=lambda p: not p[3]):
        colour = RED if highlighted else BLUE
        cx, cy = px(importance), py(performance)
        body.append(f'<path d="M{cx - 4:.1f} {cy:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0" fill="{colour}"/>')
        text = label[:10]
        box = (cx + 6, cy - 13, cx + 6 + 9.5 * len(text), cy)  # 9-px CJK glyphs are ~9 px wide
        if box[2] > width - right:  # no room on the right: label to the left of the dot
            box = (cx - 6 - 9.5 * len(text), box[1], cx - 6, box[3])
        if any(_overlap(box, other) for other in placed):
            continue
        placed.append(box)
        body.append(_text(box[0], cy - 4, text, size=9, fill=colour))
    return _svg(width, height, body, title)


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def paired_dots(
    rows: Sequence[tuple[str, float, float | None]],
    *,
    title: str,
    low: float = 0,
    high: float = 100,
    width: int = 640,
) -> SafeString:
    """Raw (grey) and adjusted (blue) score of each department on one line, joined by an arrow-less bar."""
    plot = width - LABEL_WIDTH - 40
    values = [v for _, raw, adj in rows for v in (raw, adj) if v is not None]
    if values:
        low, high = max(0.0, min(values) - 3), min(100.0, max(values) + 3)
    height = ROW * len(rows) + 50

    def x(value: float) -> float:
        return LABEL_WIDTH + plot * (value - low) / (high - low)

    body: list[str] = []
    for i, (label, raw, adjusted) in enumerate(rows):
        y = 4 + i * ROW + ROW / 2
        body.append(_text(LABEL_WIDTH - 6, y + 4, label[:16], anchor="end"))
        if adjusted is not None:
            body.append(_line(x(raw), y, x(adjusted), y, stroke=GREY, width=3))
            body.append(
                f'<path d="M{x(adjusted) - 4:.1f} {y:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0" fill="{BLUE}"/>'
            )
        body.append(f'<path d="M{x(raw) - 4:.1f} {y:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0" fill="{INK}"/>')
    body += _axis(LABEL_WIDTH, plot, ROW * len(rows) + 6, round(low), round(high), ticks=4)
    legend_y = ROW * len(rows) + 40
    body += [
        f'<path d="M{LABEL_WIDTH:.1f} {legend_y - 4:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0" fill="{INK}"/>',
        _text(LABEL_WIDTH + 12, legend_y, "原始得分", size=10),
        f'<path d="M{LABEL_WIDTH + 100:.1f} {legend_y - 4:.1f}a4 4 0 1 0 8 0a4 4 0 1 0 -8 0" fill="{BLUE}"/>',
        _text(LABEL_WIDTH + 112, legend_y, "病例组合调整后", size=10),
    ]
    return _svg(width, height, body, title)
