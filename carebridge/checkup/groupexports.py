"""Renderings of the group report (团检报告): the page's and the PDF's HTML (Chinese PDF by WeasyPrint with
the charts as inline SVG) and the Excel file, all from the one payload of
``selectors.groupreport_text.report_payload`` — so the employer's PDF and Excel hold exactly what its
API answer holds, small cells suppressed."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from carebridge.checkup.domain.groupcharts import levels_svg, prevalence_svg
from carebridge.checkup.domain.groupreport import chinese_number
from carebridge.checkup.exports import excel
from carebridge.checkup.selectors.groupreport_text import EMPLOYER, pct


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


def display(payload: dict[str, Any]) -> dict[str, Any]:
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
            template, {"p": payload, "d": display(payload), "printed_at": timezone.localtime()}
        )


def group_report_pdf(payload: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=group_report_html(payload)).write_pdf())


def group_report_xlsx(payload: dict[str, Any]) -> bytes:
    employer = payload["audience"] == EMPLOYER
    d = display(payload)
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
