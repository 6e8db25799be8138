"""The weighted satisfaction index (满意度指数) overall and per dimension, by group and by month.

The index of a set of respondents is the mean of their own weighted 0–100 indexes (see ``frame``),
with a 95 % t interval over respondents and its n (``common.mean_interval``). Groups of an
anonymous wave smaller than its ``min_report_group`` are suppressed (no number at all); groups below
30 answers are flagged ``small`` and shown greyed. NPS uses the first 0–10 item of the version.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.common import clean, mean_interval, number
from carebridge.insights.domain.analysis.frame import ResponseFrame
from carebridge.insights.domain.analysis.names import GROUPS
from carebridge.lib.stats.descriptive import nps
from carebridge.lib.stats.errors import StatsInputError
from carebridge.surveys.choices import ItemType


def index_summary(frame: ResponseFrame) -> dict[str, Any]:
    """The overall index and one per scored dimension of the analysed version.

    Returns ``{"n", "overall": Estimate, "dimensions": [{"code", "label", "weight", **Estimate}],
    "min_group", "ci": "t over respondents"}``; a suppressed selection has every estimate None.
    """
    minimum = frame.min_group
    dimensions = []
    for dimension in frame.dimensions:
        column = frame.index[dimension.code] if dimension.code in frame.index else pd.Series(dtype=float)
        dimensions.append(
            {
                "code": dimension.code,
                "label": dimension.label,
                "weight": number(dimension.weight),
                **mean_interval(column, suppress_below=minimum),
            }
        )
    return clean(
        {
            "n": frame.n,
            "overall": mean_interval(frame.index["overall"], suppress_below=minimum),
            "dimensions": dimensions,
            "min_group": minimum,
            "ci": "t over respondents (95 %)",
        }
    )


def _group_key(frame: ResponseFrame, by: str) -> pd.Series:
    if by not in GROUPS:
        raise StatsInputError(f"Unknown grouping {by!r}; use one of {', '.join(GROUPS)}.")
    column = "month" if by == "month" else (by if by == "mode" else f"{by}_id")
    return frame.meta[column]


def group_label(frame: ResponseFrame, by: str, key: Any) -> str:
    if key is None or (isinstance(key, float) and pd.isna(key)):
        return _("(not recorded)")
    if by in ("department", "ward", "hospital"):
        return frame.labels.get(by, {}).get(int(key), str(key))
    return str(key)


def group_indexes(
    frame: ResponseFrame, *, by: str = "department", measure: str = "overall"
) -> list[dict[str, Any]]:
    """The index of each group (department, ward, hospital, mode or month) with CI, n and flags."""
    if measure not in frame.index:
        raise StatsInputError(f"Unknown measure {measure!r}.")
    keys = _group_key(frame, by)
    rows = []
    for key, positions in keys.groupby(keys.fillna(-1), sort=True).groups.items():
        real_key = None if key == -1 else key
        rows.append(
            {
                "key": real_key,
                "label": group_label(frame, by, real_key),
                **mean_interval(frame.index.loc[positions, measure], suppress_below=frame.min_group),
            }
        )
    return clean(rows)


def nps_summary(frame: ResponseFrame) -> dict[str, Any] | None:
    """NPS of the first 0–10 item (promoters 9–10, detractors 0–6) with its interval, or None."""
    item = next((s for s in frame.items if s.item_type == ItemType.SCALE_0_10), None)
    if item is None or item.code not in frame.values:
        return None
    column = frame.values[item.code].dropna()
    if frame.suppressed(len(column)) or len(column) < 2:
        return {"item": item.code, "n": len(column), "nps": None, "lower": None, "upper": None}
    result = nps(column.to_frame(), item.code)
    return clean(
        {
            "item": item.code,
            "label": frame.item_label(item.code),
            "n": result.n,
            "promoters": result.promoters,
            "passives": result.passives,
            "detractors": result.detractors,
            "nps": number(result.nps.estimate, 1),
            "lower": number(result.nps.lower, 1),
            "upper": number(result.nps.upper, 1),
        }
    )


def monthly_trends(frame: ResponseFrame) -> dict[str, Any]:
    """The index by month of submission (hospital time), overall and per dimension, each with CI and n.

    Returns ``{"months": [...], "series": [{"code", "label", "points": [Estimate per month]}]}``.
    """
    months = sorted(frame.meta["month"].unique()) if frame.n else []
    measures = [("overall", _("Overall index"))] + [(d.code, d.label) for d in frame.dimensions]
    series = []
    for code, label in measures:
        if code not in frame.index:
            continue
        points = []
        for month in months:
            mask = (frame.meta["month"] == month).to_numpy()
            points.append(
                {"month": month, **mean_interval(frame.index.loc[mask, code], suppress_below=frame.min_group)}
            )
        series.append({"code": code, "label": label, "points": points})
    return clean({"months": months, "series": series})
