"""Benchmarking units (科室/病区/医院对标) with patient-mix and mode adjustment, raw and adjusted
side by side.

Scores differ between departments partly because their patients differ; comparing raw means blames a
ward for its case mix. The adjustment is the HCAHPS one (``lib.stats.adjust.patient_mix_adjust``):
OLS of the respondent's index on the adjusters with unit fixed effects, then each unit's mean is moved
by how much its patient mix predicts above or below the average patient.

:func:`unit_scores` is the one definition of a unit's raw and adjusted score: the benchmark page and
its API (:func:`benchmark`) and the monthly report's department comparison
(``domain.report.compute.departments``) both call it, on a frame from the one loader
(``selectors.analysis.frame.load_frame``), so the same answers give the same adjusted score on both.
Its adjuster rules:

* the adjusters asked for (by default all of ``age_band``, ``sex``, ``edu``, ``srh``, ``service_line``,
  ``lag_days``) that at least one response recorded, and the survey ``mode`` when more than one occurs;
* an adjuster is numeric (linear) when every recorded value is a number — self-rated health and the
  response lag as submission records them — and categorical otherwise (age band as "18-44", sex…);
* a missing value is imputed: the mean for a numeric adjuster, its own level "unknown" for a
  categorical one, so every respondent of a unit counts (as HCAHPS imputes missing adjusters);
* an adjuster with one value per unit (a service line that *is* the department) is left out: the
  fixed-effects model cannot tell it from the unit's own effect;
* the model is fitted on the units with at least 2 answers; each such unit's adjusted score is its raw
  mean plus its adjustment, and what each adjuster contributes to that adjustment is kept.

Each unit is tested against the rest of the selection (the "ward versus hospital" view; the rest, not
the whole, keeps the two samples independent) with Welch's t-test, raw and adjusted (the adjusted test
shifts each unit's respondents by the unit's adjustment), with Holm or Benjamini–Hochberg correction
across units. Units below 30 answers are flagged ``small`` (greyed, never ranked); in anonymous waves a
unit below the wave's ``min_report_group`` is left out entirely.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.common import UNIT_MINIMUM, clean, mean_interval, number
from carebridge.insights.domain.analysis.frame import ADJUSTER_KEYS, ResponseFrame
from carebridge.insights.domain.analysis.indexes import group_label
from carebridge.insights.domain.analysis.names import UNITS
from carebridge.lib.stats.adjust import patient_mix_adjust, varying_within_units
from carebridge.lib.stats.compare import pairwise_compare
from carebridge.lib.stats.errors import StatsInputError

DEFAULT_ADJUSTERS = ADJUSTER_KEYS
UNKNOWN = "unknown"


@dataclass(frozen=True)
class UnitScores:
    """Raw and patient-mix adjusted index of each unit, and the model behind the adjustment.

    ``data`` has one row per respondent with a score and a unit: ``y`` (the index), ``unit`` (the
    unit's id as text) and ``y_adjusted`` (``y`` plus the unit's adjustment; NaN for a unit that was
    not adjusted). ``raw`` / ``adjusted`` / ``adjustment`` / ``contributions`` are keyed by unit id;
    ``adjusted`` holds only the units the model was fitted on (at least 2 answers)."""

    data: pd.DataFrame
    raw: dict[int, float]
    adjusted: dict[int, float] = field(default_factory=dict)
    adjustment: dict[int, float] = field(default_factory=dict)
    # Per unit, what each adjuster ("age_band", "mode"…) contributes to its adjustment (sums to it).
    contributions: dict[int, dict[str, float]] = field(default_factory=dict)
    numeric: tuple[str, ...] = ()
    categorical: tuple[str, ...] = ()
    mode: bool = False
    r2: float | None = None
    n: int = 0
    n_dropped: int = 0
    coefficients: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    # Why there is no adjustment ("" when there is one, or when fewer than two units were answered).
    reason: str = ""

    @property
    def fitted(self) -> bool:
        return bool(self.adjusted)


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
        if as_number.notna().all():
            columns[name] = pd.to_numeric(series, errors="coerce").fillna(as_number.mean())
            numeric.append(name)
        else:
            columns[name] = series.astype(object).where(series.notna(), UNKNOWN).astype(str)
            categorical.append(name)
    return pd.DataFrame(columns, index=frame.meta.index), numeric, categorical


def _check(frame: ResponseFrame, by: str, measure: str, adjusters: tuple[str, ...]) -> None:
    if by not in UNITS:
        raise StatsInputError(f"Unknown unit {by!r}; use one of {', '.join(UNITS)}.")
    if measure not in frame.index:
        raise StatsInputError(f"Unknown measure {measure!r}.")
    unknown = [a for a in adjusters if a not in ADJUSTER_KEYS]
    if unknown:
        raise StatsInputError(f"Unknown adjuster(s): {', '.join(unknown)}.")


def unit_scores(
    frame: ResponseFrame,
    *,
    by: str = "department",
    measure: str = "overall",
    adjusters: tuple[str, ...] = DEFAULT_ADJUSTERS,
    mode: bool = True,
) -> UnitScores:
    """Each unit's raw and patient-mix (and mode) adjusted ``measure``, by the rules of this module.

    The one function the benchmark page and the monthly report call for adjusted unit scores."""
    _check(frame, by, measure, adjusters)
    data = pd.DataFrame({"y": frame.index[measure], "unit": frame.meta[f"{by}_id"]})
    extra, numeric, categorical = _adjuster_columns(frame, adjusters)
    data = data.join(extra)
    if mode and frame.meta["mode"].nunique() > 1:
        data["mode"] = frame.meta["mode"]
    data = data[data["y"].notna() & data["unit"].notna()]
    data["unit"] = data["unit"].astype(int).astype(str)
    varying = set(varying_within_units(data, "unit", [*numeric, *categorical]))
    numeric, categorical = [a for a in numeric if a in varying], [a for a in categorical if a in varying]
    use_mode = "mode" in data
    raw = {int(unit): float(mean) for unit, mean in data.groupby("unit", sort=False)["y"].mean().items()}
    found: dict[str, Any] = {"numeric": tuple(numeric), "categorical": tuple(categorical), "mode": use_mode}

    counts = data["unit"].value_counts()
    modelled = data[data["unit"].isin(counts[counts >= 2].index)]
    if not (numeric or categorical or use_mode):
        data["y_adjusted"] = np.nan
        message = _("No adjuster is recorded in these responses; only raw scores are shown.")
        return UnitScores(data=data, raw=raw, warnings=(message,), reason=message, **found)
    if modelled["unit"].nunique() < 2:
        data["y_adjusted"] = np.nan
        return UnitScores(data=data, raw=raw, **found)
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
        data["y_adjusted"] = np.nan
        warning = _("No adjustment: %(reason)s") % {"reason": error}
        return UnitScores(data=data, raw=raw, warnings=(warning,), reason=str(error), **found)
    table = result.table
    data["y_adjusted"] = data["y"] + data["unit"].map(table["adjustment"])
    return UnitScores(
        data=data,
        raw=raw,
        adjusted={int(unit): float(value) for unit, value in table["adjusted_mean"].items()},
        adjustment={int(unit): float(value) for unit, value in table["adjustment"].items()},
        contributions={
            int(unit): {str(name): float(value) for name, value in row.items()}
            for unit, row in result.contributions.iterrows()
        },
        r2=result.r2,
        n=result.n,
        n_dropped=result.n_dropped,
        coefficients={str(name): float(value) for name, value in result.coefficients.items()},
        **found,
    )


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
    """Raw and adjusted index per unit (:func:`unit_scores`), with tests against the rest of the selection.

    Returns ``{"by", "measure", "overall": Estimate, "adjusters": {"numeric", "categorical", "mode"},
    "r2", "units": [{"key", "label", "n", "raw": Estimate, "adjusted", "adjustment", "raw_test",
    "adjusted_test", "small", "suppressed"}], "warnings"}`` sorted by adjusted (else raw) index.
    """
    _check(frame, by, measure, adjusters)
    if p_adjust not in ("holm", "BH"):
        raise StatsInputError("p_adjust must be holm or BH.")
    scores = unit_scores(frame, by=by, measure=measure, adjusters=adjusters, mode=mode)
    data = scores.data.copy()
    # The adjusted test compares respondents moved by their unit's adjustment (unadjusted units: as is).
    data["y_adjusted"] = data["y_adjusted"].fillna(data["y"])
    raw_tests = _tests(data, "y", p_adjust)
    adjusted_tests = _tests(data, "y_adjusted", p_adjust) if scores.fitted else {}

    units = []
    for key, group in data.groupby("unit", sort=False):
        n = len(group)
        suppressed = frame.suppressed(n)
        unit = int(key)
        adjusted = scores.adjusted.get(unit)
        units.append(
            {
                "key": unit,
                "label": group_label(frame, by, unit),
                "n": None if suppressed else n,
                "raw": mean_interval(group["y"], suppress_below=frame.min_group),
                "adjusted": None if suppressed or adjusted is None else number(adjusted, 2),
                "adjustment": None if suppressed or adjusted is None else number(scores.adjustment[unit], 2),
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
            "adjusters": {
                "numeric": list(scores.numeric),
                "categorical": list(scores.categorical),
                "mode": scores.mode,
            },
            "r2": number(scores.r2, 4),
            "p_adjust": p_adjust,
            "units": units,
            "warnings": list(scores.warnings),
        }
    )
