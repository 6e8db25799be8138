"""What a group report says and to whom: :func:`report_payload` turns the numbers of
``selectors.groupreports`` into the one structure the page, the PDF, the Excel file and the API all show,
for the centre's staff or for the employer (``audience="employer"``: aggregates only, every count from
1 to 4 suppressed with its complement, no strata, no individual); the sentences are written from that
structure after suppression, so a sentence can only repeat what the reader's version shows, and state
only what the numbers support (a change is written only when significant after the Holm correction; a
comparison with the reference only when its interval excludes it).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from carebridge.checkup.domain.groupreport import (
    chinese_number,
    is_small,
    share_of_ages,
    share_of_men,
    suppress_row,
)
from carebridge.checkup.selectors.groupreports import ALPHA, FindingRow, GroupReport

STAFF, EMPLOYER = "staff", "employer"
AUDIENCES = (STAFF, EMPLOYER)
YOUNG = 40  # the age that splits "younger" from "older" in the sentence explaining a rank


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _finding_hidden(row: FindingRow, participants: int) -> bool:
    counts = (row.n, row.cases, row.n - row.cases, participants - row.n)
    return any(is_small(c) for c in counts)


def _previous_hidden(row: FindingRow) -> bool:
    if row.previous is None:
        return True
    n, cases = row.previous
    return any(is_small(c) for c in (n, cases, n - cases))


def _finding(row: FindingRow, report: GroupReport, employer: bool) -> dict[str, Any]:
    finding = row.finding
    hidden = employer and _finding_hidden(row, report.participants)
    base: dict[str, Any] = {
        "code": finding.code,
        "name": finding.name,
        "definition": finding.definition,
        "explanation": finding.explanation,
        "prevention": finding.prevention,
        "suppressed": hidden,
    }
    if hidden:
        return base | {
            "n": None,
            "cases": None,
            "prevalence": None,
            "ci": None,
            "standardised": None,
            "standardised_missing": [],
            "observed": None,
            "expected": None,
            "oe": None,
            "oe_ci": None,
            "oe_p": None,
            "reference_standardised": _round(row.reference_standardised),
            "rank": None,
            "crude_rank": None,
            "ranked_units": row.ranked_units,
            "previous": None,
            "change": None,
        }
    previous = None
    if row.previous is not None and row.previous[0] and not (employer and _previous_hidden(row)):
        previous = {
            "year": report.previous_year,
            "prevalence": _round(row.previous_prevalence),
            **({} if employer else {"n": row.previous[0], "cases": row.previous[1]}),
        }
    change = None
    if row.group_test is not None or row.paired_test is not None:
        change = {
            "group_p": _round(row.group_test.p if row.group_test else None, 6),
            "group_p_adjusted": _round(row.group_p, 6),
            "paired_p": _round(row.paired_test.p if row.paired_test else None, 6),
            "paired_p_adjusted": _round(row.paired_p, 6),
        }
        if not employer and row.paired:
            change |= {"paired_n": row.paired[0], "only_before": row.paired[1], "only_now": row.paired[2]}
        if employer and previous is None:
            change = None  # a change against a hidden year would give the hidden figure away
    payload = base | {
        "n": row.n,
        "cases": row.cases,
        "prevalence": _round(row.prevalence),
        "ci": [_round(row.lower), _round(row.upper)] if row.prevalence is not None else None,
        "standardised": (
            {
                "prevalence": _round(row.direct.adjusted),
                "ci": [_round(row.direct.lower), _round(row.direct.upper)],
            }
            if row.direct
            else None
        ),
        "standardised_missing": row.empty_strata,
        "observed": row.oe.observed if row.oe else None,
        "expected": _round(row.expected, 3),
        "oe": _round(row.oe.ratio, 3) if row.oe else None,
        "oe_ci": [_round(row.oe.lower, 3), _round(row.oe.upper, 3)] if row.oe else None,
        "oe_p": _round(row.oe.p, 6) if row.oe else None,
        "reference_standardised": _round(row.reference_standardised),
        "rank": row.rank,
        "crude_rank": row.crude_rank,
        "ranked_units": row.ranked_units,
        "previous": previous,
        "change": change,
    }
    if not employer:
        payload["outside_strata"] = row.outside
        payload["strata"] = [
            {
                "key": s.key,
                "sex": s.sex,
                "age_band": s.label,
                "n": s.n,
                "cases": s.cases,
                "reference_rate": _round(s.reference_rate, 5),
                "weight": _round(s.weight, 6),
            }
            for s in row.strata
        ]
    return payload


def _people(report: GroupReport, employer: bool) -> dict[str, Any]:
    if employer and is_small(report.participants):
        return {
            "participants": None,
            "roster": None,
            "roster_examined": None,
            "coverage": None,
            "mean_age": None,
            "by_sex": [{"sex": s, "label": label, "n": None} for s, label, _n in report.by_sex],
            "by_age_band": [{"band": band, "n": None} for band, _n in report.by_band],
            "items": [{"name": name, "n": None} for name, _n in report.items],
            "risk_levels": [{"level": v, "label": label, "n": None} for v, label, _n in report.risk_levels],
        }
    sexes = [n or 0 for _s, _l, n in report.by_sex]
    bands = [n or 0 for _b, n in report.by_band]
    levels = [n or 0 for _v, _l, n in report.risk_levels]
    roster, examined = report.roster, report.roster_examined
    roster_hidden = employer and any(
        is_small(c) for c in (roster, examined, roster - examined, report.participants - examined)
    )
    shown_sexes = suppress_row(sexes) if employer else sexes
    shown_bands = suppress_row(bands) if employer else bands
    shown_levels = suppress_row(levels) if employer else levels
    people: dict[str, Any] = {
        "participants": report.participants,
        "roster": None if roster_hidden else roster,
        "roster_examined": None if roster_hidden else examined,
        "coverage": None if roster_hidden else _round(report.coverage),
        "mean_age": _round(report.mean_age, 1),
        "by_sex": [
            {"sex": s, "label": label, "n": n}
            for (s, label, _n), n in zip(report.by_sex, shown_sexes, strict=True)
        ],
        "by_age_band": [{"band": b, "n": n} for (b, _n), n in zip(report.by_band, shown_bands, strict=True)],
        "items": [{"name": name, "n": None if employer else n} for name, n in report.items],
        "risk_levels": [
            {"level": v, "label": label, "n": n}
            for (v, label, _n), n in zip(report.risk_levels, shown_levels, strict=True)
        ],
    }
    if not employer:
        people["sex_by_age_band"] = [{"sex": sex, "n": counts} for sex, counts in report.sex_band]
    return people


def report_payload(report: GroupReport, *, audience: str = STAFF) -> dict[str, Any]:
    """The report as the page, the PDF, the Excel file and the API show it to ``audience``."""
    if audience not in AUDIENCES:
        raise ValueError(audience)
    employer = audience == EMPLOYER
    reference = report.reference
    advice = report.advice
    if employer and advice is not None and advice.released_at is None:
        advice = None  # the employer sees released advice only
    payload: dict[str, Any] = {
        "group": {"id": report.group.pk, "name": report.group.name},
        "year": report.year,
        "audience": audience,
        **_people(report, employer),
        "findings": [_finding(row, report, employer) for row in report.findings],
        "reference": {
            "population": _source(reference.population),
            "prevalence": _source(reference.prevalence),
            "illustrative": reference.illustrative,
        },
        "advice": (
            {
                "version": advice.version,
                "text": advice.text,
                "released": advice.released_at is not None,
                "released_at": advice.released_at.isoformat() if advice.released_at else None,
            }
            if advice
            else None
        ),
        "previous_year": report.previous_year,
        "min_rank_size": report.min_rank_size,
        "small_cell": 5 if employer else None,
    }
    payload["summary"] = summary_sentences(payload, report, employer=employer)
    payload["changes"] = change_sentences(payload, employer=employer)
    return payload


def _source(row: Any) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"name": row.name, "source": row.source, "year": row.year, "illustrative": row.is_illustrative}


def _rank(value: int, employer: bool) -> str:
    return chinese_number(value) if employer else str(value)


def _why(row: FindingRow, report: GroupReport) -> str:
    """Why a unit's crude and standardised ranks differ: on its own age/sex mix (crude) and on the standard
    population's (standardised) its prevalence differs otherwise than that of the units it changes places
    with — its mix described against the standard's."""
    in_strata = sum(s.n for s in row.strata) or 1
    young = sum(
        s.n
        for s, st in zip(row.strata, report.reference.strata, strict=True)
        if st.age_max is not None and st.age_max < YOUNG
    )
    men = sum(s.n for s in row.strata if s.sex == "M")
    crude, direct = row.prevalence or 0, row.direct.adjusted if row.direct else 0
    values = {
        "young": pct(young / in_strata),
        "young_std": pct(share_of_ages(report.reference.strata, YOUNG)),
        "men": pct(men / in_strata),
        "men_std": pct(share_of_men(report.reference.strata)),
        "age": YOUNG,
        "crude": pct(crude),
        "direct": pct(direct),
        "p_crude": pct(row.partner_crude),
        "p_direct": pct(row.partner_direct),
        "effect": _("lowers") if crude < direct else _("raises"),
    }
    return (
        _(
            "the units' age and sex mixes differ: on its own mix the unit shows %(crude)s, on the standard "
            "population's %(direct)s (under %(age)s: %(young)s of its people, %(young_std)s of the standard; "
            "men: %(men)s against %(men_std)s), so its mix %(effect)s its crude figure; the units it changes "
            "places with show %(p_crude)s and %(p_direct)s."
        )
        % values
    )


def summary_sentences(payload: dict[str, Any], report: GroupReport, *, employer: bool) -> list[str]:
    sentences: list[str] = []
    if payload["participants"] is None:
        return [_("Too few people were examined for the employer's version to show any figure.")]
    if payload["coverage"] is not None and payload["roster"]:
        sentences.append(
            _("%(n)s people were examined, %(coverage)s of the %(roster)s on the roster.")
            % {
                "n": payload["participants"],
                "coverage": pct(payload["coverage"]),
                "roster": payload["roster"],
            }
        )
    elif payload["participants"]:
        sentences.append(_("%(n)s people were examined.") % {"n": payload["participants"]})
    top = [f for f in payload["findings"] if f["prevalence"] and not f["suppressed"]]
    top.sort(key=lambda f: -f["prevalence"])
    if top:
        sentences.append(
            _("The most frequent findings: %(list)s.")
            % {"list": _("; ").join(f"{f['name']} {pct(f['prevalence'])}" for f in top[:3])}
        )
    rows = {row.code: row for row in report.findings}
    for f in payload["findings"]:
        if f["suppressed"]:
            continue
        row = rows[f["code"]]
        if f["oe_ci"] and (f["oe_ci"][0] > 1 or f["oe_ci"][1] < 1):
            template = (
                _(
                    "%(name)s: more people than expected for the unit's age and sex mix (observed/expected "
                    "%(oe)s, 95%% CI %(low)s–%(high)s)."
                )
                if f["oe_ci"][0] > 1
                else _(
                    "%(name)s: fewer people than expected for the unit's age and sex mix (observed/expected "
                    "%(oe)s, 95%% CI %(low)s–%(high)s)."
                )
            )
            sentences.append(
                template
                % {
                    "name": f["name"],
                    "oe": f"{f['oe']:.2f}",
                    "low": f"{f['oe_ci'][0]:.2f}",
                    "high": f"{f['oe_ci'][1]:.2f}",
                }
            )
        if f["rank"] and f["crude_rank"] and f["rank"] != f["crude_rank"]:
            sentences.append(
                _(
                    "%(name)s: among %(units)s units (at least %(min)s people each), the unit ranks "
                    "%(crude)s by crude prevalence but %(rank)s by age- and sex-standardised prevalence "
                    "(the first has the lowest), because "
                )
                % {
                    "name": f["name"],
                    "units": _rank(f["ranked_units"], employer),
                    "min": payload["min_rank_size"],
                    "crude": _rank(f["crude_rank"], employer),
                    "rank": _rank(f["rank"], employer),
                }
                + _why(row, report)
            )
    return sentences


def change_sentences(payload: dict[str, Any], *, employer: bool) -> list[str]:
    """Sentences for the changes that are significant after the Holm correction, and only those."""
    sentences: list[str] = []
    for f in payload["findings"]:
        change, previous = f.get("change"), f.get("previous")
        if not change or not previous or f["prevalence"] is None or previous["prevalence"] is None:
            continue
        direction = _("rose") if f["prevalence"] > previous["prevalence"] else _("fell")
        if change["group_p_adjusted"] is not None and change["group_p_adjusted"] < ALPHA:
            sentences.append(
                _(
                    "%(name)s %(direction)s from %(before)s in %(year)s to %(now)s (whole group, "
                    "two-proportion test, Holm-adjusted p = %(p)s)."
                )
                % {
                    "name": f["name"],
                    "direction": direction,
                    "before": pct(previous["prevalence"]),
                    "year": previous["year"],
                    "now": pct(f["prevalence"]),
                    "p": f"{change['group_p_adjusted']:.3f}",
                }
            )
        if change["paired_p_adjusted"] is not None and change["paired_p_adjusted"] < ALPHA:
            sentences.append(
                _(
                    "Among the people examined in both years, %(name)s changed significantly (McNemar test, "
                    "Holm-adjusted p = %(p)s)."
                )
                % {"name": f["name"], "p": f"{change['paired_p_adjusted']:.3f}"}
            )
    return sentences
