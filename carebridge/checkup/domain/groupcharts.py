"""Charts of the group report as inline SVG (WeasyPrint draws them in the PDF; the page shows the same):
each finding's crude and standardised prevalence with the reference's, and the five risk levels. Built
from the report as the reader's version shows it, so a suppressed cell draws nothing."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

WIDTH = 640
LABEL = 190
ROW = 26


def _open(height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="Noto Sans CJK SC, sans-serif" role="img">'
    )


def _bar(x: float, y: float, width: float, height: float, colour: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(width, 0):.1f}" height="{height:.1f}" fill="{colour}"/>'
    )


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = 10, colour: str = "#222"
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}">'
        f"{escape(text)}</text>"
    )


def prevalence_svg(findings: Sequence[dict[str, Any]], *, legend: Sequence[str]) -> str:
    """Horizontal bars: crude (dark) and standardised (light) prevalence, the reference as a red tick."""
    span = WIDTH - LABEL - 60
    top = 22
    height = top + ROW * len(findings) + 10
    parts = [
        _open(height),
        _bar(LABEL, 6, 10, 8, "#1f6fb2"),
        _text(LABEL + 14, 14, legend[0], size=9),
        _bar(LABEL + 120, 6, 10, 8, "#9cc3e6"),
        _text(LABEL + 134, 14, legend[1], size=9),
        f'<line x1="{LABEL + 260}" y1="4" x2="{LABEL + 260}" y2="16" stroke="#c0392b" stroke-width="2"/>',
        _text(LABEL + 266, 14, legend[2], size=9),
    ]
    for index, finding in enumerate(findings):
        y = top + index * ROW
        parts.append(_text(LABEL - 6, y + 15, finding["name"], anchor="end"))
        if finding.get("suppressed") or finding.get("prevalence") is None:
            parts.append(_text(LABEL + 4, y + 15, "—", colour="#888"))
            continue
        crude = finding["prevalence"]
        parts.append(_bar(LABEL, y + 3, span * crude, 9, "#1f6fb2"))
        standardised = (finding.get("standardised") or {}).get("prevalence")
        if standardised is not None:
            parts.append(_bar(LABEL, y + 12, span * min(standardised, 1), 9, "#9cc3e6"))
        reference = finding.get("reference_standardised")
        if reference is not None:
            x = LABEL + span * reference
            parts.append(
                f'<line x1="{x:.1f}" y1="{y + 1}" x2="{x:.1f}" y2="{y + 23}" '
                'stroke="#c0392b" stroke-width="2"/>'
            )
        label = f"{crude * 100:.1f}%" + (f" / {standardised * 100:.1f}%" if standardised is not None else "")
        parts.append(_text(LABEL + span * max(crude, standardised or 0) + 6, y + 15, label, size=9))
    parts.append("</svg>")
    return "".join(parts)


def levels_svg(levels: Sequence[dict[str, Any]], total: int | None, *, names: Sequence[str]) -> str:
    """One bar per risk level with its share; a suppressed level draws nothing and says so."""
    span = WIDTH - LABEL - 80
    height = 8 + ROW * len(levels)
    parts = [_open(height)]
    colours = ("#b00020", "#e67e22", "#f1c40f", "#3498db", "#27ae60")
    for index, (level, name) in enumerate(zip(levels, names, strict=True)):
        y = 4 + index * ROW
        parts.append(_text(LABEL - 6, y + 15, name, anchor="end"))
        n = level.get("n")
        if n is None or not total:
            parts.append(_text(LABEL + 4, y + 15, "—", colour="#888"))
            continue
        share = n / total
        parts.append(_bar(LABEL, y + 4, span * share, 14, colours[index % len(colours)]))
        parts.append(_text(LABEL + span * share + 6, y + 15, f"{share * 100:.1f}%", size=9))
    parts.append("</svg>")
    return "".join(parts)
