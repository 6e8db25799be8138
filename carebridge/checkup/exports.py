"""Renderings: the individual report (《体检评估报告及医疗、保健、卫生咨询建议》) as HTML for the phone page
and as a Chinese PDF (WeasyPrint, the Noto CJK font set-up installs, trend charts as inline SVG), and the
statistics' Excel files (cells that a spreadsheet would read as a formula are escaped).

The group report (团检报告): the page's and the PDF's HTML (charts as inline SVG) and the Excel file, all
from the one payload of ``selectors.groupreport_text.report_payload`` — so the employer's PDF and Excel
hold exactly what its API answer holds, small cells suppressed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from carebridge.checkup.choices import Prescription
from carebridge.checkup.domain.events import notes_for
from carebridge.checkup.domain.groupcharts import levels_svg, prevalence_svg
from carebridge.checkup.domain.groupreport import chinese_number
from carebridge.checkup.domain.ranges import age_on
from carebridge.checkup.models import Visit
from carebridge.checkup.selectors.groupreport_text import EMPLOYER, pct
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


# --- group reports -----------------------------------------------------------------------------------


def _interval(values: list[float | None] | None, *, percent: bool = True) -> str:
    if not values or values[0] is None or values[1] is None:
        return "—"
    if percent:
        return f"{values[0] * 100:.1f}%–{values[1] * 100:.1f}%"
    return f"{values[0]:.2f}–{values[1]:.2f}"


def _count(value: int | None) -> int | str:
    return "—" if value is None else value


def _rank(value: int | None, employer: bool) -> str | int:
    if value is None:
        return "—"
    return chinese_number(value) if employer else value


def group_display(payload: dict[str, Any]) -> dict[str, Any]:
    """What the templates need besides the payload: charts, formatted cells, the level names."""
    employer = payload["audience"] == EMPLOYER
    names = [
        (f"{chinese_number(level['level'])}级" if employer else str(level["level"]))
        for level in payload["risk_levels"]
    ]
    rows = []
    for f in payload["findings"]:
        standardised = f.get("standardised") or {}
        rows.append(
            {
                "finding": f,
                "n": _count(f["n"]),
                "cases": _count(f["cases"]),
                "prevalence": pct(f["prevalence"]),
                "ci": _interval(f["ci"]),
                "standardised": pct(standardised.get("prevalence")),
                "standardised_ci": _interval(standardised.get("ci")),
                "reference": pct(f.get("reference_standardised")),
                "oe": "—" if f.get("oe") is None else f"{f['oe']:.2f}",
                "oe_ci": _interval(f.get("oe_ci"), percent=False),
                "rank": _rank(f.get("rank"), employer),
                "crude_rank": _rank(f.get("crude_rank"), employer),
                "units": _rank(f.get("ranked_units"), employer),
                "previous": pct((f.get("previous") or {}).get("prevalence")),
            }
        )
    return {
        "employer": employer,
        "rows": rows,
        "level_names": names,
        "levels": list(zip(payload["risk_levels"], names, strict=True)),
        "prevalence_chart": prevalence_svg(
            payload["findings"], legend=(_("Crude"), _("Standardised"), _("Reference (standardised)"))
        ),
        "levels_chart": levels_svg(payload["risk_levels"], payload["participants"], names=names),
        "coverage": pct(payload["coverage"]),
    }


def group_report_html(payload: dict[str, Any], *, template: str = "checkup/group_report_pdf.html") -> str:
    with override("zh-hans"):
        return render_to_string(
            template, {"p": payload, "d": group_display(payload), "printed_at": timezone.localtime()}
        )


def group_report_pdf(payload: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=group_report_html(payload)).write_pdf())


def group_report_xlsx(payload: dict[str, Any]) -> bytes:
    employer = payload["audience"] == EMPLOYER
    d = group_display(payload)
    rows: list[list[Any]] = [
        [_("Participants"), _("Examined"), _count(payload["participants"])],
        [_("Participants"), _("On the roster"), _count(payload["roster"])],
        [_("Participants"), _("Coverage of the roster"), d["coverage"]],
        *[[_("Sex"), s["label"], _count(s["n"])] for s in payload["by_sex"]],
        *[[_("Age band"), b["band"], _count(b["n"])] for b in payload["by_age_band"]],
        *[[_("Risk level"), name, _count(level["n"])] for level, name in d["levels"]],
    ]
    for row in d["rows"]:
        f = row["finding"]
        rows.append(
            [
                _("Finding"),
                f["name"],
                row["n"],
                row["cases"],
                row["prevalence"],
                row["ci"],
                row["standardised"],
                row["standardised_ci"],
                row["reference"],
                row["oe"],
                row["oe_ci"],
                row["rank"],
                row["crude_rank"],
                row["previous"],
            ]
        )
    if not employer:
        for f in payload["findings"]:
            for s in f.get("strata", []):
                rows.append(
                    [
                        _("Stratum"),
                        f"{f['name']} · {s['sex']} {s['age_band']}",
                        s["n"],
                        s["cases"],
                        s["reference_rate"],
                        s["weight"],
                    ]
                )
    rows += [[_("Summary"), sentence] for sentence in payload["summary"]]
    rows += [[_("Change from the year before"), sentence] for sentence in payload["changes"]]
    reference = payload["reference"]
    for key in ("population", "prevalence"):
        source = reference[key]
        if source:
            note = _("illustrative figures, not published") if source["illustrative"] else ""
            rows.append([_("Reference"), source["name"], source["source"], source["year"], note])
    return excel(
        title=_("Group report"),
        header=[
            _("Section"),
            _("Item"),
            _("Examined"),
            _("Cases"),
            _("Prevalence"),
            _("95% CI"),
            _("Standardised"),
            _("95% CI"),
            _("Reference (standardised)"),
            _("Observed/expected"),
            _("95% CI"),
            _("Rank (standardised)"),
            _("Rank (crude)"),
            _("The year before"),
        ],
        rows=rows,
        widths=(14, 34, 10, 10, 10, 16, 12, 16, 12, 10, 12, 10, 10, 10),
    )
