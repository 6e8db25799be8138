"""Renderings: the individual report (《体检评估报告及医疗、保健、卫生咨询建议》) as HTML for the phone page
and as a Chinese PDF (WeasyPrint, the Noto CJK font set-up installs, trend charts as inline SVG), and the
statistics' Excel files (cells that a spreadsheet would read as a formula are escaped)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from carebridge.checkup.choices import Prescription
from carebridge.checkup.domain.events import notes_for
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import Visit
from carebridge.checkup.selectors.review import results_by_room, trends
from carebridge.checkup.services.review import visit_results
from carebridge.core.excel import safe_cell, sheet_bytes
from carebridge.core.types import Actor


@dataclass
class Report:
    visit: Visit
    age: int | None
    rooms: list[tuple[str, list[Any]]]
    findings: list[Any]
    prescriptions: list[str]
    trends: list[Any]
    abnormal: int
    notes: list[Any] = field(default_factory=list)


def report_data(visit: Visit, *, user: Actor | None) -> Report:
    """What the report shows; ``user=None`` for the person's own link (their visits only)."""
    results = list(visit_results(visit).select_related("item__room"))
    labels = dict(Prescription.choices)
    return Report(
        visit=visit,
        age=age_on(visit.patient.birth_date, visit.scheduled_for),
        rooms=results_by_room(results),
        findings=list(visit.findings.order_by("sequence", "id")),
        prescriptions=[str(labels.get(code, code)) for code in visit.prescriptions],
        trends=trends(visit, user=user, results=results),
        abnormal=sum(1 for r in results if r.flag != "N"),
        notes=notes_for(visit, user),
    )


def report_html(report: Report, *, template: str = "checkup/report_pdf.html", **extra: Any) -> str:
    """The report's HTML, in Chinese whatever the screen language (the PDF is for the customer)."""
    with override("zh-hans"):
        return render_to_string(template, {"report": report, "printed_at": timezone.localtime(), **extra})


def report_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=report_html(report)).write_pdf())


def excel(
    *, title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], widths: Sequence[int] = ()
) -> bytes:
    return sheet_bytes(
        title=title,
        header=[safe_cell(h) for h in header],
        rows=([safe_cell(cell) for cell in row] for row in rows),
        widths=widths,
    )
