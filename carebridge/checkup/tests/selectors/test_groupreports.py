"""Group reports on a built unit: the standardised figures equal the closed forms of R's
``epitools::ageadjust.direct`` and ``poisson.test`` on the unit's own strata; the strata an analyst needs
are in the staff version; the employer's version shows no count from 1 to 4 anywhere (API payload, the
HTML its PDF is printed from, the PDF, the Excel file) and hides a complement where a total would give a
hidden cell away; year over year, only significant changes are written, Holm-corrected."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils.translation import override
from openpyxl import load_workbook
from scipy import stats

from carebridge.checkup.demo.reportables import reportables_install
from carebridge.checkup.exports import group_report_html, group_report_pdf, group_report_xlsx
from carebridge.checkup.selectors.groupreport_text import report_payload
from carebridge.checkup.selectors.groupreports import group_report
from carebridge.checkup.tests.factories import EmployerGroupFactory
from carebridge.checkup.tests.support.groups import examined, person, unit
from carebridge.core.tests.support.pdf import text as pdf_text

pytestmark = pytest.mark.django_db

DAY = dt.date(2024, 5, 10)
# (sex, age, people, hypertensive): someone in every stratum of the reference population.
BUILT = [
    ("M", 30, 20, 2),
    ("M", 50, 10, 3),
    ("M", 65, 5, 3),
    ("F", 30, 5, 0),
    ("F", 50, 5, 1),
    ("F", 65, 5, 2),
]
# WHO World Standard Population 2000–2025 bands 20–39, 40–59, 60+ (per 100 000), the same for each sex.
WHO = [30910, 22550, 11955] * 2
# The illustrative reference prevalence of raised blood pressure, men then women, same bands.
REFERENCE = [0.12, 0.30, 0.50, 0.05, 0.20, 0.46]
COUNT_KEYS = {
    "n",
    "cases",
    "participants",
    "roster",
    "roster_examined",
    "observed",
    "paired_n",
    "only_before",
    "only_now",
}


@pytest.fixture
def groups_setup(catalogue, centre):
    reportables_install(hospital=centre.hospital)
    return centre


def _htn(payload: dict[str, Any]) -> dict[str, Any]:
    return next(f for f in payload["findings"] if f["code"] == "HTN")


def test_direct_and_indirect_standardisation_equal_the_closed_forms(groups_setup, examiner_he):
    group = EmployerGroupFactory(department=groups_setup)
    unit(group, BUILT, on=DAY)

    payload = report_payload(group_report(user=examiner_he, group=group, year=2024))
    htn = _htn(payload)

    # epitools::ageadjust.direct(count = c(2, 3, 3, 0, 1, 2), pop = c(20, 10, 5, 5, 5, 5), stdpop = WHO)
    counts, pops = [2, 3, 3, 0, 1, 2], [20, 10, 5, 5, 5, 5]
    weights = [s / sum(WHO) for s in WHO]
    dsr = sum(w * c / n for w, c, n in zip(weights, counts, pops, strict=True))
    var = sum(w**2 * c / n**2 for w, c, n in zip(weights, counts, pops, strict=True))
    wm = max(w / n for w, n in zip(weights, pops, strict=True))
    lower = stats.gamma.ppf(0.025, dsr**2 / var, scale=var / dsr)
    upper = stats.gamma.ppf(0.975, (dsr + wm) ** 2 / (var + wm**2), scale=(var + wm**2) / (dsr + wm))
    assert htn["n"] == 50 and htn["cases"] == 11
    assert htn["standardised"]["prevalence"] == pytest.approx(dsr, abs=1e-4)
    assert htn["standardised"]["ci"] == pytest.approx([lower, upper], abs=1e-4)

    # poisson.test(11, T = 11.45): expected = 20·0.12 + 10·0.30 + 5·0.50 + 5·0.05 + 5·0.20 + 5·0.46
    expected = sum(n * r for n, r in zip(pops, REFERENCE, strict=True))
    assert expected == pytest.approx(11.45)
    assert htn["observed"] == 11
    assert htn["expected"] == pytest.approx(11.45)
    assert htn["oe"] == pytest.approx(11 / 11.45, abs=1e-3)
    assert htn["oe_ci"] == pytest.approx(
        [stats.chi2.ppf(0.025, 22) / 2 / 11.45, stats.chi2.ppf(0.975, 24) / 2 / 11.45], abs=1e-3
    )
    # The reference's own prevalence on the same standard: Σ w·rate.
    assert htn["reference_standardised"] == pytest.approx(
        sum(w * r for w, r in zip(weights, REFERENCE, strict=True)), abs=1e-4
    )
    strata = {s["key"]: s for s in htn["strata"]}
    assert strata["M:20-39"] == {
        "key": "M:20-39",
        "sex": "M",
        "age_band": "20–39",
        "n": 20,
        "cases": 2,
        "reference_rate": 0.12,
        "weight": pytest.approx(weights[0], abs=1e-6),
    }
    assert payload["reference"]["illustrative"] is True


def test_a_unit_with_an_empty_stratum_gets_no_direct_figure_and_no_rank(groups_setup, examiner_he):
    group = EmployerGroupFactory(department=groups_setup)
    unit(group, [("M", 30, 40, 4)], on=DAY)

    htn = _htn(report_payload(group_report(user=examiner_he, group=group, year=2024)))

    assert htn["standardised"] is None
    assert "F 20–39" in htn["standardised_missing"]
    assert htn["rank"] is None
    assert htn["oe"] is not None  # the indirect comparison needs no empty-stratum rule


def _small_unit(centre: Any) -> Any:
    group = EmployerGroupFactory(department=centre, name="某小型单位")  # no digit in the name
    for index in range(9):
        examined(
            group,
            person(centre.hospital, sex="M", age=30, on=DAY),
            on=DAY,
            hypertensive=index < 2,
            risk_level=3 if index < 2 else 5,
        )
    for _ in range(3):
        examined(group, person(centre.hospital, sex="F", age=50, on=DAY), on=DAY, hypertensive=False)
    return group


def _counts(value: Any, path: str = "") -> list[tuple[str, Any]]:
    found = []
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in COUNT_KEYS and not isinstance(inner, (dict, list)):
                found.append((f"{path}.{key}", inner))
            found += _counts(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _counts(inner, f"{path}[{index}]")
    return found


SMALL_NUMBER = re.compile(r"(?<![\d.])[1-4](?![\d.%])")


def test_the_employer_version_shows_no_count_from_1_to_4(groups_setup, examiner_he):
    group = _small_unit(groups_setup)
    report = group_report(user=examiner_he, group=group, year=2024)

    staff = report_payload(report)
    employer = report_payload(report, audience="employer")

    assert [s["n"] for s in staff["by_sex"]] == [9, 3]
    # 3 women would be hidden; 9 men beside a total of 12 would give them away, so both go.
    assert [s["n"] for s in employer["by_sex"]] == [None, None]
    assert employer["participants"] == 12
    levels = {level["level"]: level["n"] for level in employer["risk_levels"]}
    assert levels[3] is None and levels[5] is None
    assert _htn(employer)["suppressed"] is True
    assert "strata" not in _htn(employer)
    small = [(path, n) for path, n in _counts(employer) if n is not None and 1 <= n <= 4]
    assert small == []

    # The PDF and the Excel file are printed in Chinese (as the views make them), whatever the screen says.
    with override("zh-hans"):
        employer = report_payload(group_report(user=examiner_he, group=group, year=2024), audience="employer")
    html = group_report_html(employer)
    visible = re.sub(r"<[^>]+>", " ", html.split("<body>", 1)[1])
    assert SMALL_NUMBER.findall(visible) == [], visible

    workbook = load_workbook(io.BytesIO(group_report_xlsx(employer)))
    cells = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert not [v for v in cells if isinstance(v, int) and 1 <= v <= 4]
    assert not [v for v in cells if isinstance(v, str) and SMALL_NUMBER.search(v)]

    pdf = group_report_pdf(employer)
    assert pdf.startswith(b"%PDF")
    printed = pdf_text(pdf)
    assert "某小型单位" in printed and "血压升高（高血压）" in printed  # Chinese is drawn, and read back
    assert SMALL_NUMBER.findall(printed) == [], printed
    # The same reading finds the small counts in the centre's own version (so it would have seen them).
    with override("zh-hans"):
        staff_zh = report_payload(group_report(user=examiner_he, group=group, year=2024))
    assert SMALL_NUMBER.findall(pdf_text(group_report_pdf(staff_zh)))


def test_the_staff_version_keeps_the_small_counts(groups_setup, examiner_he):
    group = _small_unit(groups_setup)
    staff = report_payload(group_report(user=examiner_he, group=group, year=2024))
    assert _htn(staff)["cases"] == 2
    assert {level["level"]: level["n"] for level in staff["risk_levels"]}[3] == 2


def test_only_significant_changes_are_written_with_holm(groups_setup, examiner_he):
    group = EmployerGroupFactory(department=groups_setup)
    people = unit(group, [("M", 45, 40, 0)], on=dt.date(2023, 5, 10))
    unit(group, [("M", 45, 40, 14)], on=DAY, people=people)

    payload = report_payload(group_report(user=examiner_he, group=group, year=2024))
    htn = _htn(payload)

    # mcnemar.test: b = 0, c = 14 → (|0 − 14| − 1)² / 14 = 169/14
    paired_p = stats.chi2.sf(169 / 14, 1)
    # prop.test(c(0, 14), c(40, 40)): p̄ = 0.175, E = (7, 33, 7, 33), Yates 0.5 → 2·(6.5²/7 + 6.5²/33)
    group_p = stats.chi2.sf(2 * (6.5**2 / 7 + 6.5**2 / 33), 1)
    assert htn["change"]["paired_p"] == pytest.approx(paired_p, abs=1e-6)
    assert htn["change"]["group_p"] == pytest.approx(group_p, abs=1e-6)
    # Holm over the report's two tests (no other finding was examined): the smaller p times 2, the larger
    # p kept (it is already the larger of the two after the step-down).
    smaller, larger = sorted([paired_p, group_p])
    adjusted = {paired_p: None, group_p: None}
    adjusted[smaller] = min(1, 2 * smaller)
    adjusted[larger] = max(min(1, larger), adjusted[smaller])
    assert htn["change"]["paired_p_adjusted"] == pytest.approx(adjusted[paired_p], abs=1e-6)
    assert htn["change"]["group_p_adjusted"] == pytest.approx(adjusted[group_p], abs=1e-6)
    assert len(payload["changes"]) == 2
    assert all(sentence.startswith("血压升高") or "血压升高" in sentence for sentence in payload["changes"])


def test_no_sentence_for_a_change_that_is_not_significant(groups_setup, examiner_he):
    group = EmployerGroupFactory(department=groups_setup)
    people = unit(group, [("M", 45, 30, 3)], on=dt.date(2023, 5, 10))
    unit(group, [("M", 45, 30, 5)], on=DAY, people=people)

    payload = report_payload(group_report(user=examiner_he, group=group, year=2024))

    assert _htn(payload)["change"]["paired_p_adjusted"] > 0.05
    assert payload["changes"] == []
