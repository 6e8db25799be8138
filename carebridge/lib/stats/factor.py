"""Factorability checks and exploratory factor analysis.

``kmo`` mirrors ``psych::KMO``, ``bartlett_sphericity`` mirrors ``psych::cortest.bartlett`` (both on the
pairwise-complete correlation matrix, n = number of rows), ``efa`` mirrors ``psych::fa`` with
``fm="minres"`` or ``fm="ml"`` and ``rotate`` = "varimax" (``stats::varimax``), "promax" (psych's
default promax: ``kaiser(f, rotate = "Promax")``, Promax of the Kaiser-normalised loadings),
"Promax" (``psych::Promax`` without that normalisation, m = 4) or "oblimin" (``GPArotation::oblimin``,
gamma = 0, i.e. quartimin). Extraction is in ``factor_extraction``, the rotations in ``rotation``,
Horn's parallel analysis in ``parallel`` (all re-exported here).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.factor_extraction import (
    PSI_BOUNDS,
    checked_inverse,
    fit_minres,
    fit_ml,
    item_correlations,
)
from carebridge.lib.stats.moments import SampleMoments
from carebridge.lib.stats.parallel import ParallelResult, parallel_analysis, parallel_analysis_wishart
from carebridge.lib.stats.rotation import kaiser_promax, oblimin, promax, varimax

Extraction = Literal["minres", "ml"]
Rotation = Literal["none", "varimax", "promax", "Promax", "oblimin"]
ROTATIONS: tuple[Rotation, ...] = ("none", "varimax", "promax", "Promax", "oblimin")

__all__ = [
    "ROTATIONS",
    "BartlettResult",
    "EFAResult",
    "KMOResult",
    "ParallelResult",
    "bartlett_sphericity",
    "efa",
    "kaiser_promax",
    "kmo",
    "oblimin",
    "parallel_analysis",
    "parallel_analysis_wishart",
    "promax",
    "varimax",
]


@dataclass(frozen=True)
class KMOResult:
    """Kaiser-Meyer-Olkin measure of sampling adequacy (psych::KMO ``MSA`` and ``MSAi``)."""

    overall: float
    per_item: dict[str, float]


@dataclass(frozen=True)
class BartlettResult:
    """Bartlett's test that the correlation matrix is an identity (psych::cortest.bartlett)."""

    chi2: float
    df: int
    p_value: float
    n: int


@dataclass(frozen=True)
class EFAResult:
    """An exploratory factor solution; loadings are a pattern matrix (items x factors)."""

    method: Extraction
    rotation: Rotation
    n_factors: int
    n_obs: int
    loadings: pd.DataFrame
    communalities: dict[str, float]
    uniquenesses: dict[str, float]
    factor_correlations: pd.DataFrame  # Phi; identity for orthogonal solutions
    ss_loadings: dict[str, float]
    objective: float
    chi2: float  # psych's "Likelihood Chi Square" (Bartlett-corrected n)
    dof: int
    p_value: float
    null_chi2: float
    null_dof: int
    tli: float
    rmsea: float
    rmsr: float
    rmsea_ci_lower: float = float("nan")  # psych's 90 % interval
    rmsea_ci_upper: float = float("nan")
    warnings: tuple[str, ...] = ()  # Heywood and ultra-Heywood cases, naming the items


def kmo(df: pd.DataFrame | SampleMoments, items: Sequence[str] | None = None) -> KMOResult:
    """KMO overall and per item: squared correlations against squared anti-image (partial)
    correlations, as psych::KMO on ``cor(x, use="pairwise")``."""
    names, r, _ = item_correlations(df, items, "KMO")
    inv = checked_inverse(r, "KMO")
    d = np.sqrt(np.diag(inv))
    partial = -inv / np.outer(d, d)
    r2 = r**2
    p2 = partial**2
    np.fill_diagonal(r2, 0.0)
    np.fill_diagonal(p2, 0.0)
    overall = float(r2.sum() / (r2.sum() + p2.sum()))
    per_item = r2.sum(axis=0) / (r2.sum(axis=0) + p2.sum(axis=0))
    return KMOResult(overall=overall, per_item={n: float(v) for n, v in zip(names, per_item, strict=True)})


def bartlett_sphericity(
    df: pd.DataFrame | SampleMoments, items: Sequence[str] | None = None
) -> BartlettResult:
    """chi2 = -ln|R| (n - 1 - (2p + 5)/6), df = p(p - 1)/2, with n the number of rows (as psych
    does when given raw data, even if some answers are missing)."""
    names, r, n = item_correlations(df, items, "Bartlett's test")
    p = len(names)
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        raise StatsInputError("Bartlett's test: the correlation matrix is not positive definite.")
    chi2 = -logdet * (n - 1 - (2 * p + 5) / 6)
    dof = p * (p - 1) // 2
    return BartlettResult(chi2=float(chi2), df=dof, p_value=float(stats.chi2.sf(chi2, dof)), n=n)


# ---------------------------------------------------------------------------------------------


def efa(
    df: pd.DataFrame | SampleMoments,
    items: Sequence[str] | None,
    n_factors: int,
    *,
    method: Extraction = "minres",
    rotation: Rotation = "oblimin",
) -> EFAResult:
    """Exploratory factor analysis as ``psych::fa(x, nfactors, fm=method, rotate=rotation)``.

    As psych: the rotated factors are reflected so that each column sums positive, labelled by their
    position after rotation (MR1, MR2, … or ML1, …) and then ordered by the variance they account
    for, keeping their labels (so a solution may print ML1 ML3 ML2). Fit statistics follow
    ``psych::fa.stats``: ``objective`` is the ML discrepancy of the fitted correlation matrix,
    ``chi2`` = objective x (n - 1 - (2p + 5)/6 - 2k/3), RMSEA = sqrt(max(chi2/(df n) - 1/(n - 1), 0))
    with its 90 % interval. A uniqueness at the lower bound .005 (a Heywood case) or a communality
    above 1 (ultra-Heywood) is reported in ``warnings``, naming the item.
    """
    if method not in ("minres", "ml"):
        raise StatsInputError(f"method must be 'minres' or 'ml', not {method!r}.")
    if rotation not in ROTATIONS:
        raise StatsInputError(f"rotation must be one of {', '.join(ROTATIONS)}, not {rotation!r}.")
    names, r, n_obs = item_correlations(df, items, "Factor analysis")
    p = len(names)
    if not isinstance(n_factors, int) or n_factors < 1:
        raise StatsInputError("n_factors must be a positive integer.")
    dof = int(((p - n_factors) ** 2 - (p + n_factors)) / 2)
    if n_factors >= p or dof < 0:
        raise StatsInputError(
            f"{n_factors} factors are too many for {p} items (the model is not identified)."
        )
    checked_inverse(r, "Factor analysis")

    raw, psi = fit_minres(r, n_factors) if method == "minres" else fit_ml(r, n_factors)
    lam, phi = _rotate(raw, rotation)
    # psych: reflect, label by position, then order by the rotated variance accounted for.
    signs = np.sign(lam.sum(axis=0))
    signs[signs == 0] = 1.0
    lam, phi = lam * signs, phi * np.outer(signs, signs)
    prefix = "MR" if method == "minres" else "ML"
    labels = [f"{prefix}{i + 1}" for i in range(n_factors)]
    if n_factors > 1:
        order = np.argsort(-np.diag(phi @ lam.T @ lam), kind="stable")
        lam, phi, labels = lam[:, order], phi[np.ix_(order, order)], [labels[i] for i in order]

    communality = np.diag(lam @ phi @ lam.T)
    model = lam @ phi @ lam.T
    np.fill_diagonal(model, 1.0)
    m_inv_r = np.linalg.solve(model, r)
    objective = float(np.trace(m_inv_r) - np.linalg.slogdet(m_inv_r)[1] - p)
    fit = _fit_statistics(objective, float(-np.linalg.slogdet(r)[1]), p, n_factors, n_obs)
    resid = r - lam @ phi @ lam.T
    rmsr = float(np.sqrt(np.mean(resid[np.tril_indices(p, -1)] ** 2)))
    frame = pd.DataFrame(lam, index=names, columns=labels)
    return EFAResult(
        method=method,
        rotation=rotation,
        n_factors=n_factors,
        n_obs=n_obs,
        loadings=frame,
        communalities={n: float(h) for n, h in zip(names, communality, strict=True)},
        uniquenesses={n: float(1 - h) for n, h in zip(names, communality, strict=True)},
        factor_correlations=pd.DataFrame(phi, index=labels, columns=labels),
        ss_loadings={lab: float(v) for lab, v in zip(labels, np.diag(phi @ lam.T @ lam), strict=True)},
        objective=objective,
        rmsr=rmsr,
        warnings=_heywood(names, psi, communality),
        **fit,
    )


def _rotate(raw: np.ndarray, rotation: Rotation) -> tuple[np.ndarray, np.ndarray]:
    """(pattern loadings, factor correlations) of the extracted loadings."""
    k = raw.shape[1]
    if k < 2 or rotation == "none":
        return raw.copy(), np.eye(k)
    if rotation == "varimax":
        return varimax(raw)[0], np.eye(k)
    if rotation == "promax":
        lam, _, phi = kaiser_promax(raw)
        return lam, phi
    if rotation == "Promax":
        lam, _, phi = promax(raw)
        return lam, phi
    return oblimin(raw)


def _fit_statistics(objective: float, null_objective: float, p: int, k: int, n: int) -> dict[str, Any]:
    """psych::fa.stats: chi2, TLI and RMSEA with its 90 % interval, of the fitted and the null model."""
    dof = int(((p - k) ** 2 - (p + k)) / 2)
    null_dof = p * (p - 1) // 2
    multiplier = (n - 1) - (2 * p + 5) / 6 - (2 * k) / 3
    chi2 = max(objective * multiplier, 0.0)
    null_chi2 = null_objective * ((n - 1) - (2 * p + 5) / 6)
    m0, mm = null_objective / null_dof, objective / dof if dof > 0 else float("nan")
    out: dict[str, Any] = {
        "chi2": float(chi2),
        "dof": dof,
        "p_value": float(stats.chi2.sf(chi2, dof)) if dof > 0 else float("nan"),
        "null_chi2": float(null_chi2),
        "null_dof": null_dof,
        "tli": float((m0 - mm) / (m0 - 1 / multiplier)) if dof > 0 else float("nan"),
        "rmsea": float("nan"),
    }
    if dof > 0:
        out["rmsea"] = float(np.sqrt(max(chi2 / (dof * n) - 1 / (n - 1), 0.0)))
        out["rmsea_ci_lower"], out["rmsea_ci_upper"] = _rmsea_interval(chi2, dof, n, out["rmsea"])
    return out


def _rmsea_interval(chi2: float, dof: int, n: int, rmsea: float, level: float = 0.90) -> tuple[float, float]:
    """psych's interval: the noncentralities where chi2 is the (1 ± level)/2 quantile, over (n - 1) df."""
    tail = (1 - level) / 2
    top = max(n, chi2) + 2 * n

    def root(target: float) -> float:
        if stats.chi2.cdf(chi2, dof) <= target:
            return 0.0
        try:
            lam = optimize.brentq(lambda x: stats.ncx2.cdf(chi2, dof, max(x, 1e-12)) - target, 0.0, top)
        except ValueError:
            return float("nan")
        return float(np.sqrt(lam / (n - 1) / dof))

    upper, lower = root(tail), root(1 - tail)
    return (lower if not lower > rmsea else float("nan")), (upper if not upper < rmsea else float("nan"))


def _heywood(names: list[str], psi: np.ndarray, communality: np.ndarray) -> tuple[str, ...]:
    """Heywood cases: a uniqueness stuck at psych's lower bound (.005), or an ultra-Heywood case, a
    communality above 1 (psych's own warning, "An ultra-Heywood case was detected")."""
    out: list[str] = []
    for name, u, h in zip(names, psi, communality, strict=True):
        if h > 1:
            out.append(
                f"An ultra-Heywood case was detected: the communality of {name} is {h:.3f} > 1. "
                "Examine the results carefully."
            )
        elif u <= PSI_BOUNDS[0] * (1 + 1e-6):
            out.append(
                f"A Heywood case was detected: the uniqueness of {name} is at its lower bound "
                f"{PSI_BOUNDS[0]:g} (communality {h:.3f}). Examine the results carefully; "
                "fewer factors or another extraction method may be needed."
            )
    return tuple(out)
