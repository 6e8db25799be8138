"""The guide sheet's scannable code (导检单条码): the visit number as a QR code in inline SVG, drawn by the
pinned ``qrcode`` package (no image files, no network). A room's scanner types the number followed by
Enter into the room page's scan field."""

from __future__ import annotations

import qrcode
import qrcode.constants
import qrcode.image.svg
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, *, size_mm: int = 28) -> SafeString:
    """An ``<svg>`` element encoding ``data`` (level M error correction), ``size_mm`` wide."""
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        border=2,
        image_factory=qrcode.image.svg.SvgPathImage,
    )
    code.add_data(data)
    code.make(fit=True)
    markup: str = code.make_image().to_string(encoding="unicode")
    start = markup.index("<svg")
    head_end = markup.index(">", start)
    head = markup[start:head_end]
    for attribute in ("width", "height"):
        value = head.split(f'{attribute}="', 1)[1].split('"', 1)[0]
        head = head.replace(f'{attribute}="{value}"', f'{attribute}="{size_mm}mm"')
    return mark_safe(f'{head} role="img" aria-label="{escape(data)}">{markup[head_end + 1 :]}')  # noqa: S308
