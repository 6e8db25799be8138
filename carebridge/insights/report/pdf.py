"""The report as a Chinese PDF: WeasyPrint renders the page's sections with a cover and page numbers.

The charts are inline SVG (``svg.py``), drawn by WeasyPrint as vector graphics without a browser; the
text uses the Noto CJK font set-up installs (``make fonts``: fonts-noto-cjk), as the complaint register
does (``carebridge/complaints/exports.py``).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from carebridge.insights.report.compute import UNIT_MINIMUM
from carebridge.insights.report.context import Report


def report_html(report: Report, *, zone: ZoneInfo) -> str:
    """The standalone HTML the PDF is made from (Chinese whatever the screen language)."""
    with override("zh-hans"):
        return render_to_string(
            "insights/report/pdf.html",
            {
                "report": report,
                "generated_at": timezone.localtime(report.generated_at, zone),
                "zone_name": str(zone),
                "min_unit": UNIT_MINIMUM,
            },
        )


def render_pdf(report: Report, *, zone: ZoneInfo) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=report_html(report, zone=zone)).write_pdf())
