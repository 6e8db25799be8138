"""Patient-mix and mode adjustment (患者构成调整) of unit scores, the CAHPS/HCAHPS way.

Scores differ between wards partly because their patients differ (older patients and those in
better self-rated health answer more favourably; phone interviews run higher than mail). HCAHPS
adjusts by regression: an OLS model of the score on the adjusters *with unit fixed effects*, so the
adjusters' coefficients are estimated within units and do not absorb real differences between
units; then for each unit

    adjusted mean = raw mean − (unit's predicted mean − overall predicted mean),

where a predicted mean is Σ β·x̄ over the adjusters only. Survey mode is one more categorical
adjuster. Estimation uses statsmodels OLS (R ``lm``); there is no published R output for this
procedure, so it is tested by its defining properties.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from carebridge.lib.stats._frame import require_columns
from carebridge.lib.stats.errors import StatsInputError


@dataclass(frozen=True)
class AdjustResult:
    """table: per unit n, raw_mean, predicted_mean, adjustment, adjusted_mean (raw and adjusted side
    by side); coefficients: the adjusters' OLS coefficients (dummy columns named ``adjuster[level]``);
    overall_mean, overall_predicted; r2 of the model; n used; n_dropped (rows with a missing value);
    contributions: per unit (rows) and adjuster (columns, a categorical adjuster's levels together) the
    part of the unit's adjustment that adjuster explains, so that each row sums to the adjustment."""

    table: pd.DataFrame
    coefficients: pd.Series
    overall_mean: float
    overall_predicted: float
    r2: float
    n: int
    n_dropped: int
    contributions: pd.DataFrame


def _design(frame: pd.DataFrame, numeric: Sequence[str], categorical: Sequence[str]) -> pd.DataFrame:
    parts = []
    for col in numeric:
        if is_bool_dtype(frame[col]) or not is_numeric_dtype(frame[col]):
            raise StatsInputError(
                f"Adjuster {col!r} is not numeric; list it among the categorical adjusters."
            )
        parts.append(frame[[col]].astype(float))
    for col in categorical:
        levels = frame[col].astype(str)
        # The most common level is the reference, so coefficients read as "versus the usual patient".
        reference = levels.value_counts().index[0]
        dummies = pd.get_dummies(levels, prefix=col, prefix_sep="[", dtype=float)
        dummies.columns = [f"{c}]" for c in dummies.columns]
        parts.append(dummies.drop(columns=f"{col}[{reference}]"))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame(index=frame.index)


def varying_within_units(data: pd.DataFrame, unit: str, adjusters: Sequence[str]) -> list[str]:
    """The ``adjusters`` that vary within at least one unit, in their order.

    An adjuster with one value per unit (a service line that *is* the department, a ward-level
    attribute) is the unit's own effect under another name: the fixed-effects model cannot separate
    the two, and adjusting for it would adjust the difference away. Product callers that choose
    adjusters automatically keep only these; ``patient_mix_adjust`` refuses the others."""
    require_columns(data, [unit, *adjusters])
    return [a for a in adjusters if (data.groupby(unit)[a].nunique(dropna=True) > 1).any()]


def patient_mix_adjust(
    data: pd.DataFrame,
    score: str,
    unit: str,
    *,
    numeric: Sequence[str] = (),
    categorical: Sequence[str] = (),
    mode: str | None = None,
    min_n: int = 2,
) -> AdjustResult:
    """Adjust unit means of ``score`` for patient mix (``numeric`` and ``categorical`` adjusters, e.g.
    age band, sex, education, self-rated health, service line, response lag) and survey ``mode``.

    Rows missing the score, the unit or any adjuster are dropped (and counted). Units with fewer than
    ``min_n`` rows are refused rather than adjusted on noise."""
    adjusters = [*numeric, *categorical, *([mode] if mode else [])]
    if not adjusters:
        raise StatsInputError("Give at least one adjuster (numeric, categorical or mode).")
    duplicated = sorted({a for a in adjusters if adjusters.count(a) > 1})
    if duplicated:
        raise StatsInputError(f"Adjuster(s) listed twice: {duplicated}.")
    if score in adjusters or unit in adjusters:
        raise StatsInputError("The score and the unit column cannot also be adjusters.")
    require_columns(data, [score, unit, *adjusters])
    if is_bool_dtype(data[score]) or not is_numeric_dtype(data[score]):
        raise StatsInputError(f"Score column {score!r} is not numeric.")
    frame = data[[score, unit, *adjusters]].dropna()
    n_dropped = len(data) - len(frame)
    counts = frame[unit].value_counts()
    small = sorted(map(str, counts[counts < min_n].index))
    if small:
        raise StatsInputError(f"Unit(s) {small} have fewer than {min_n} complete responses.")
    if len(counts) < 2:
        raise StatsInputError("Patient-mix adjustment compares units; the data have only one unit.")
    cats = [*categorical, *([mode] if mode else [])]
    x = _design(frame, numeric, cats)
    x = x.loc[:, x.std() > 0]  # an adjuster constant in these data adjusts nothing
    if x.empty:
        raise StatsInputError("No adjuster varies in these data.")
    units = pd.get_dummies(frame[unit].astype(str), prefix="unit", dtype=float)
    full = pd.concat([x, units], axis=1)  # unit fixed effects replace the intercept
    if len(frame) <= full.shape[1]:
        raise StatsInputError(
            f"The adjustment model has {full.shape[1]} parameters but only {len(frame)} complete rows."
        )
    if np.linalg.matrix_rank(full.to_numpy()) < full.shape[1]:
        raise StatsInputError(
            "An adjuster is confounded with the units (for example a service line that is one ward); "
            "remove it from the adjusters."
        )
    y = frame[score].astype(float)
    fit = sm.OLS(y, full).fit()
    beta = fit.params[x.columns]
    predicted = x @ beta
    overall_predicted = float(predicted.mean())
    grouped = pd.DataFrame({"y": y, "pred": predicted, "unit": frame[unit]}).groupby("unit", sort=True)
    table = pd.DataFrame(
        {"n": grouped.size(), "raw_mean": grouped["y"].mean(), "predicted_mean": grouped["pred"].mean()}
    )
    table["adjustment"] = -(table["predicted_mean"] - overall_predicted)
    table["adjusted_mean"] = table["raw_mean"] + table["adjustment"]
    # Each adjuster's share of the adjustment: the same formula on its own columns (a linear split).
    contributions = pd.DataFrame(
        {
            name: -(part.groupby(frame[unit]).mean() - part.mean())
            for name in adjusters
            if not (part := _part(x, beta, name)).empty
        }
    ).sort_index()
    # R² of the full model is centred (statsmodels reports uncentred R² without a constant column).
    resid = y - fit.fittedvalues
    r2 = float(1 - (resid @ resid) / ((y - y.mean()) @ (y - y.mean())))
    return AdjustResult(
        table=table,
        coefficients=beta.rename("coefficient"),
        overall_mean=float(y.mean()),
        overall_predicted=overall_predicted,
        r2=r2,
        n=len(frame),
        n_dropped=n_dropped,
        contributions=contributions,
    )


def _part(x: pd.DataFrame, beta: pd.Series, adjuster: str) -> pd.Series:
    """The predicted score from one adjuster's columns (``adjuster`` or ``adjuster[level]``)."""
    columns = [c for c in x.columns if c == adjuster or c.startswith(f"{adjuster}[")]
    if not columns:
        return pd.Series(dtype=float)
    return x[columns] @ beta[columns]
