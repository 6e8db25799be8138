"""Benchmarking units (科室/病区/医院对标) with patient-mix and mode adjustment, raw and adjusted
side by side.

Scores differ between departments partly because their patients differ; comparing raw means blames a
ward for its case mix. The adjustment is the HCAHPS one (``stats.adjust.patient_mix_adjust``): OLS of
the respondent's index on the adjusters with unit fixed effects, then each unit's mean is moved by
how much its patient mix predicts above or below the average patient. Adjusters (configurable):
``age_band``, ``sex``, ``edu``, ``service_line`` (categorical; a missing value is its own level
"unknown"), ``srh`` (self-rated health) and ``lag_days`` (response lag; numeric when every recorded
value is a number, a missing value imputed with the mean), and the survey ``mode``.

Each unit is tested against the rest of the selection (the "ward versus hospital" view; the rest, not
the whole, keeps the two samples independent) with Welch's t-test, raw and adjusted (the adjusted test
shifts each unit's respondents by the unit's adjustment), with Holm or Benjamini–Hochberg correction
across units. Units below 30 answers are flagged ``small`` (greyed, never ranked); in anonymous waves a
unit below the wave's ``min_report_group`` is left out entirely.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from carebridge.insights.analysis._common import UNIT_MINIMUM, clean, mean_interval, number
from carebridge.insights.analysis.frame import ADJUSTER_KEYS, ResponseFrame
from carebridge.insights.analysis.indexes import group_label
from carebridge.lib.stats.adjust import patient_mix_adjust, varying_within_units
from carebridge.lib.stats.compare import pairwise_compare
from carebridge.lib.stats.errors import StatsInputError

UNITS = ("department", "ward", "hospital")
DEFAULT_ADJUSTERS = ADJUSTER_KEYS
UNKNOWN = "unknown"


def _adjuster_columns(
    frame: ResponseFrame, adjusters: tuple[str, ...]
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The adjusters present in the data, typed: (columns, numeric names, categorical names)."""
    columns: dict[str, pd.Series] = {}
    numeric: list[str] = []
    categorical: list[str] = []
    for name in adjusters:
        if name not in frame.adjusters:
            continue
        series = frame.adjusters[name]
        recorded = series.dropna()
        if recorded.empty:
            continue
        as_number = pd.to_numeric(recorded, errors="coerce")
        if name in ("lag_days", "srh") and as_number.notna().all():
            columns[name] = pd.to_numeric(series, errors="coerce").fillna(as_number.mean())
            numeric.append(name)
        else:
            columns[name] = series.astype(object).where(series.notna(), UNKNOWN).astype(str)
            categorical.append(name)
    return pd.DataFrame(columns, index=frame.meta.index), numeric, categorical


def _tests(data: pd.DataFrame, value: str, method: str) -> dict[str, dict[str, Any]]:
    testable = data.groupby("unit")[value].transform("size") >= 2
    subset = data[testable]
    if subset["unit"].nunique() < 2:
        return {}
    table = pairwise_compare(subset, value, "unit", against="rest", adjust=method)
    return {
        str(row.group_a): {
            "diff": row.diff,
            "p": row.p,
            "p_adj": row.p_adj,
            "significant": bool(row.significant),
        }
        for row in table.itertuples()
    }


def benchmark(
    frame: ResponseFrame,
    *,
    by: str = "department",
    measure: str = "overall",
    adjusters: tuple[str, ...] = DEFAULT_ADJUSTERS,
    mode: bool = True,
    p_adjust: str = "holm",
) -> dict[str, Any]:
    """Raw and adjusted index per unit, with tests against the rest of the selection.

    Returns ``{"by", "measure", "overall": Estimate, "adjusters": {"numeric", "categorical", "mode"},
    "r2", "units": [{"key", "label", "n", "raw": Estimate, "adjusted", "adjustment", "raw_test",
    "adjusted_test", "small", "suppressed"}], "warnings"}`` sorted by adjusted (else raw) index.
    """
    if by not in UNITS:
        raise StatsInputError(f"Unknown unit {by!r}; use one of {', '.join(UNITS)}.")
    if measure not in frame.index:
        raise StatsInputError(f"Unknown measure {measure!r}.")
    if p_adjust not in ("holm", "BH"):
        raise StatsInputError("p_adjust must be holm or BH.")
    unknown = [a for a in adjusters if a not in ADJUSTER_KEYS]
    if unknown:
        raise StatsInputError(f"Unknown adjuster(s): {', '.join(unknown)}.")
    warnings: list[str] = []
    data = pd.DataFrame({"y": frame.index[measure], "unit": frame.meta[f"{by}_id"]})
    extra, numeric, categorical = _adjuster_columns(frame, adjusters)
    data = data.join(extra)
    if mode and frame.meta["mode"].nunique() > 1:
        data["mode"] = frame.meta["mode"]
    data = data[data["y"].notna() & data["unit"].notna()]
    data["unit"] = data["unit"].astype(int).astype(str)
    varying = set(varying_within_units(data, "unit", [*numeric, *categorical]))
    numeric, categorical = [a for a in numeric if a in varying], [a for a in categorical if a in varying]

    adjustment: dict[str, float] = {}
    r2 = None
    counts = data["unit"].value_counts()
    modelled = data[data["unit"].isin(counts[counts >= 2].index)]
    use_mode = "mode" in data
    if (numeric or categorical or use_mode) and modelled["unit"].nunique() >= 2:
        try:
            result = patient_mix_adjust(
                modelled,
                "y",
                "unit",
                numeric=numeric,
                categorical=categorical,
                mode="mode" if use_mode else None,
            )
        except StatsInputError as error:
            warnings.append(_("No adjustment: %(reason)s") % {"reason": error})
        else:
            adjustment = result.table["adjustment"].to_dict()
            r2 = result.r2
    elif not (numeric or categorical or use_mode):
        warnings.append(_("No adjuster is recorded in these responses; only raw scores are shown."))
    data["y_adjusted"] = data["y"] + data["unit"].map(adjustment).fillna(0.0)
    raw_tests = _tests(data, "y", p_adjust)
    adjusted_tests = _tests(data, "y_adjusted", p_adjust) if adjustment else {}

    units = []
    for key, group in data.groupby("unit", sort=False):
        n = len(group)
        suppressed = frame.suppressed(n)
        shift = adjustment.get(str(key))
        units.append(
            {
                "key": int(key),
                "label": group_label(frame, by, int(key)),
                "n": None if suppressed else n,
                "raw": mean_interval(group["y"], suppress_below=frame.min_group),
                "adjusted": None if suppressed or shift is None else number(group["y"].mean() + shift, 2),
                "adjustment": None if suppressed or shift is None else number(shift, 2),
                "raw_test": None if suppressed else raw_tests.get(str(key)),
                "adjusted_test": None if suppressed else adjusted_tests.get(str(key)),
                "small": n < UNIT_MINIMUM,
                "suppressed": suppressed,
            }
        )
    units = [u for u in units if not u["suppressed"]]

    def order(unit: dict[str, Any]) -> float:
        value = unit["adjusted"] if unit["adjusted"] is not None else unit["raw"]["estimate"]
        return -(value if value is not None else -np.inf) if not unit["small"] else np.inf

    units.sort(key=order)
    return clean(
        {
            "by": by,
            "measure": measure,
            "overall": mean_interval(data["y"], suppress_below=frame.min_group),
            "adjusters": {"numeric": numeric, "categorical": categorical, "mode": use_mode},
            "r2": number(r2, 4),
            "p_adjust": p_adjust,
            "units": units,
            "warnings": warnings,
        }
    )
