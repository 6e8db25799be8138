"""The psychometric panel (信度与效度): is the questionnaire measuring what its dimensions claim?

For the analysed version: Cronbach's alpha per dimension (with alpha if an item is deleted and the
corrected item-total r), KMO and Bartlett over all rating items, and a confirmatory factor analysis
whose model is built from the instrument itself — each scored dimension with at least two rating
items is a factor measured by its items (:func:`cfa_syntax`, lavaan syntax) — with χ², CFI, TLI,
RMSEA and its interval, SRMR, composite reliability, AVE, Fornell–Larcker and HTMT.

Each number is judged against the usual threshold (:data:`THRESHOLDS`: Hu & Bentler 1999 for fit,
Fornell & Larcker 1981 for CR and AVE, Henseler et al. 2015 for HTMT) and marked ``ok`` or ``weak``.
The CFA is the slow part; pages run the panel as a background
:class:`~carebridge.insights.models.AnalysisRun`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.common import clean, number
from carebridge.insights.domain.analysis.frame import RATING_TYPES, ResponseFrame
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.factor import bartlett_sphericity, kmo
from carebridge.lib.stats.reliability import cronbach_alpha
from carebridge.lib.stats.sem import fit_cfa

# name → (comparison, limit): "min" means the value must be at least the limit, "max" at most,
# "below" strictly below.
THRESHOLDS: dict[str, tuple[str, float]] = {
    "alpha": ("min", 0.70),
    "kmo": ("min", 0.60),
    "cfi": ("min", 0.95),
    "tli": ("min", 0.95),
    "rmsea": ("max", 0.06),
    "srmr": ("max", 0.08),
    "cr": ("min", 0.70),
    "ave": ("min", 0.50),
    "htmt": ("below", 0.85),
}
CFA_MINIMUM_N = 200  # Kline's rule of thumb

Progress = Callable[[int], None]


def judge(name: str, value: float | None) -> str | None:
    """``"ok"`` or ``"weak"`` against :data:`THRESHOLDS`; None when there is no value."""
    if value is None:
        return None
    rule, limit = THRESHOLDS[name]
    good = value >= limit if rule == "min" else value <= limit if rule == "max" else value < limit
    return "ok" if good else "weak"


def _latent_name(code: str, taken: set[str]) -> str:
    return code if code not in taken else f"LV_{code}"


def factor_blocks(frame: ResponseFrame) -> dict[str, list[str]]:
    """Dimension code → its rating items that vary in the data (a factor needs at least two)."""
    blocks: dict[str, list[str]] = {}
    for dimension in frame.dimensions:
        items = [
            code
            for code in dimension.items
            if frame.item(code).item_type in RATING_TYPES
            and code in frame.keyed
            and frame.keyed[code].dropna().nunique() > 1
        ]
        if len(items) >= 2:
            blocks[dimension.code] = items
    return blocks


def cfa_syntax(blocks: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    """The CFA model in lavaan syntax (``care =~ q1 + q2 + q3``, one line per factor) and the map
    from latent name to dimension code (a dimension named like an item gets the prefix ``LV_``)."""
    taken = {code for items in blocks.values() for code in items}
    names = {_latent_name(code, taken): code for code in blocks}
    lines = [f"{latent} =~ {' + '.join(blocks[code])}" for latent, code in names.items()]
    return "\n".join(lines), names


def _reliability(frame: ResponseFrame, blocks: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for code, items in blocks.items():
        try:
            result = cronbach_alpha(frame.keyed, items)
        except StatsInputError as error:
            rows.append({"dimension": code, "label": frame.dimension_label(code), "error": str(error)})
            continue
        rows.append(
            {
                "dimension": code,
                "label": frame.dimension_label(code),
                "alpha": number(result.raw_alpha, 3),
                "alpha_status": judge("alpha", result.raw_alpha),
                "n": result.n_rows,
                "items": [
                    {
                        "code": row.item,
                        "label": frame.item_label(row.item),
                        "r_drop": number(row.r_drop, 3),
                        "alpha_if_deleted": number(row.if_deleted.raw_alpha, 3),
                        "raises_alpha": row.if_deleted.raw_alpha > result.raw_alpha,
                    }
                    for row in result.items
                ],
            }
        )
    return rows


def _sampling_adequacy(frame: ResponseFrame, items: list[str]) -> dict[str, Any] | None:
    if len(items) < 3:
        return None
    try:
        k = kmo(frame.keyed, items)
        b = bartlett_sphericity(frame.keyed, items)
    except StatsInputError as error:
        return {"error": str(error)}
    return {
        "kmo": number(k.overall, 3),
        "kmo_status": judge("kmo", k.overall),
        "bartlett_chi2": number(b.chi2, 2),
        "bartlett_df": b.df,
        "bartlett_p": number(b.p_value, 6),
    }


def _triangle(table: pd.DataFrame, names: dict[str, str], frame: ResponseFrame) -> dict[str, Any]:
    """The lower triangle of a construct × construct matrix (HTMT), with the dimensions' titles."""
    labels = [frame.dimension_label(names.get(str(code), str(code))) for code in table.index]
    rows = []
    for i, row in enumerate(table.index):
        cells = []
        for column in list(table.columns)[:i]:
            value = number(table.loc[row, column], 3)
            cells.append({"value": value, "status": judge("htmt", value)})
        rows.append({"label": labels[i], "cells": cells})
    return {"columns": labels[:-1], "rows": rows[1:]}


def _cfa(frame: ResponseFrame, blocks: dict[str, list[str]]) -> dict[str, Any]:
    syntax, names = cfa_syntax(blocks)
    items = [code for codes in blocks.values() for code in codes]
    result = fit_cfa(frame.keyed[items], syntax)
    fit = result.fit
    measures = {
        "chi2": number(fit.chisq, 3),
        "df": fit.df,
        "p": number(fit.pvalue, 4),
        "cfi": number(fit.cfi, 3),
        "tli": number(fit.tli, 3),
        "rmsea": number(fit.rmsea, 3),
        "rmsea_lower": number(fit.rmsea_ci_lower, 3),
        "rmsea_upper": number(fit.rmsea_ci_upper, 3),
        "srmr": number(fit.srmr, 3),
    }
    status = {key: judge(key, measures[key]) for key in ("cfi", "tli", "rmsea", "srmr")}
    loadings = [
        {
            "factor": names.get(e.lhs, e.lhs),
            "item": e.rhs,
            "std": number(e.std_all, 3),
            "p": number(e.p_value, 4),
        }
        for e in result.estimates
        if e.op == "=~"
    ]
    constructs = [
        {
            "dimension": names.get(c.construct, c.construct),
            "label": frame.dimension_label(names.get(c.construct, c.construct)),
            "cr": number(c.composite_reliability, 3),
            "cr_status": judge("cr", c.composite_reliability),
            "ave": number(c.ave, 3),
            "ave_status": judge("ave", c.ave),
        }
        for c in result.constructs
    ]

    def matrix(table: pd.DataFrame, key: str | None) -> list[dict[str, Any]]:
        cells = []
        for row in table.index:
            for column in table.columns:
                value = number(table.loc[row, column], 3)
                cells.append(
                    {
                        "row": names.get(str(row), str(row)),
                        "column": names.get(str(column), str(column)),
                        "value": value,
                        "status": judge(key, value) if key and row != column else None,
                    }
                )
        return cells

    return {
        "model": syntax,
        "n": fit.n_obs,
        "fit": measures,
        "status": status,
        "loadings": loadings,
        "constructs": constructs,
        "htmt": matrix(result.htmt, "htmt") if not result.htmt.empty else [],
        "htmt_triangle": _triangle(result.htmt, names, frame) if not result.htmt.empty else None,
        "fornell_larcker": matrix(result.fornell_larcker, None),
    }


def psychometric_panel(frame: ResponseFrame, *, progress: Progress | None = None) -> dict[str, Any]:
    """Reliability, sampling adequacy and the CFA of the analysed version, with thresholds judged.

    Returns ``{"n", "thresholds", "reliability": [...], "adequacy": {...}, "cfa": {...} | None,
    "warnings": [...]}``; a step that cannot be computed leaves its error message instead.
    """
    report = progress or (lambda _percent: None)
    warnings: list[str] = []
    if frame.suppressed(frame.n):
        return {"n": frame.n, "suppressed": True, "warnings": [], "thresholds": THRESHOLDS}
    blocks = factor_blocks(frame)
    skipped = [d.label for d in frame.dimensions if d.code not in blocks]
    if skipped:
        warnings.append(
            _("Dimensions with fewer than two rating items are not modelled: %(names)s.")
            % {"names": ", ".join(skipped)}
        )
    reliability = _reliability(frame, blocks)
    report(20)
    items = [code for codes in blocks.values() for code in codes]
    adequacy = _sampling_adequacy(frame, items)
    report(35)
    cfa: dict[str, Any] | None = None
    if blocks:
        complete = int(frame.keyed[items].dropna().shape[0])
        if complete < CFA_MINIMUM_N:
            warnings.append(
                _("The CFA rests on %(n)d complete answers; at least %(min)d are advised.")
                % {"n": complete, "min": CFA_MINIMUM_N}
            )
        try:
            cfa = _cfa(frame, blocks)
        except StatsInputError as error:
            cfa = {"error": str(error)}
    report(95)
    return clean(
        {
            "n": frame.n,
            "suppressed": False,
            "thresholds": {k: {"rule": r, "limit": v} for k, (r, v) in THRESHOLDS.items()},
            "reliability": reliability,
            "adequacy": adequacy,
            "cfa": cfa,
            "warnings": warnings,
        }
    )
