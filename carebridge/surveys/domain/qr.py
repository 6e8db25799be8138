"""QR codes of survey links as inline SVG (the pinned ``qrcode`` package; no image files, no network).

The same markup serves the screen and WeasyPrint's PDF. Error correction is level M (15 %): a card
that is folded or slightly smudged still scans, while the code stays small enough to print several
cards per A4 page.
"""

from __future__ import annotations

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the code (with a two-module quiet zone), row by row: True is dark."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def qr_svg(data: str, *, size_mm: int = 32, title: str = "") -> SafeString:
    """An ``<svg>`` element encoding ``data``, ``size_mm`` millimetres wide, ready to put in a template."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    image = code.make_image()
    markup: str = image.to_string(encoding="unicode")
    # Size in print units, and an accessible name; the path data comes from the library (digits only).
    start = markup.index("<svg") + len("<svg")
    head_end = markup.index(">", start)
    attributes = markup[start:head_end]
    for attribute in ("width", "height"):
        value = attributes.split(f'{attribute}="', 1)[1].split('"', 1)[0]
        attributes = attributes.replace(f'{attribute}="{value}"', f'{attribute}="{size_mm}mm"')
    label = f' role="img" aria-label="{escape(title)}"' if title else ""
    return mark_safe(f"<svg{attributes}{label}>{markup[head_end + 1 :]}")  # noqa: S308 (library output)
