"""Factor extraction as psych::fa does it: the correlation matrix of the items, minimum residual
(``fm="minres"``) and maximum likelihood (``fm="ml"``, as stats::factanal) over the uniquenesses,
bounded to [.005, 1] as psych bounds them, and the one-factor eigenvalues parallel analysis compares."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize

from carebridge.lib.stats._frame import numeric_frame, pairwise_cor, require_rows, require_variance, smc
from carebridge.lib.stats._threads import single_threaded
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.moments import SampleMoments

PSI_BOUNDS = (0.005, 1.0)  # psych's optim bounds on the uniquenesses (lower = .005, upper = 1)
PARSCALE = 0.01  # psych's optim(control = list(parscale = rep(.01, p))): the path, hence the optimum reached


def _minimize(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]], start: np.ndarray, **options: Any
) -> optimize.OptimizeResult:
    """L-BFGS-B over psi / PARSCALE within PSI_BOUNDS, as psych's optim() call. Where the likelihood
    has several local optima (Heywood cases) the scaling decides which one is found, so it matters
    for agreeing with psych."""

    def scaled(x: np.ndarray) -> tuple[float, np.ndarray]:
        f, g = objective(x * PARSCALE)
        return f, g * PARSCALE

    lo, hi = PSI_BOUNDS
    res = optimize.minimize(
        scaled, start / PARSCALE, jac=True, method="L-BFGS-B",
        bounds=[(lo / PARSCALE, hi / PARSCALE)] * len(start), options=options,
    )  # fmt: skip
    res.x = res.x * PARSCALE
    return res


def item_correlations(
    data: pd.DataFrame | SampleMoments, items: Sequence[str] | None, what: str
) -> tuple[list[str], np.ndarray, int]:
    """(item names, pairwise-complete correlation matrix, number of rows), from the rows or from
    their shared moments."""
    if isinstance(data, SampleMoments):
        moments = data.subset(items)
        if len(moments.names) < 3:
            raise StatsInputError(f"{what} needs at least 3 items; got {len(moments.names)}.")
        require_rows(moments.n, len(moments.names) + 1, what)
        moments.require_variance()
        return list(moments.names), moments.correlation(), moments.n
    frame = numeric_frame(data, items)
    if frame.shape[1] < 3:
        raise StatsInputError(f"{what} needs at least 3 items; got {frame.shape[1]}.")
    require_rows(len(frame.dropna(how="all")), frame.shape[1] + 1, what)
    require_variance(frame)
    return [str(c) for c in frame.columns], pairwise_cor(frame), len(frame)


def checked_inverse(r: np.ndarray, what: str) -> np.ndarray:
    try:
        return np.asarray(np.linalg.inv(r))
    except np.linalg.LinAlgError as exc:
        raise StatsInputError(
            f"{what}: the correlation matrix is singular (an item is a linear combination of others)."
        ) from exc


def minres_loadings(psi: np.ndarray, r: np.ndarray, nf: int) -> np.ndarray:
    """psych's FAout.wls: principal axes of R with 1 - psi on the diagonal."""
    s = r.copy()
    np.fill_diagonal(s, 1.0 - psi)
    values, vectors = np.linalg.eigh(s)
    order = np.argsort(values)[::-1][:nf]
    return np.asarray(vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None)))


def minres_residual(psi: np.ndarray, r: np.ndarray, nf: int) -> tuple[float, np.ndarray]:
    """The minres criterion, the sum of squared off-diagonal residuals of R - ΛΛᵀ with Λ the top
    ``nf`` principal axes of R with 1 - psi on its diagonal, and its exact gradient in psi from
    first-order eigen perturbation: with V, λ the eigenpairs (T the retained ones), E the
    off-diagonal residuals and B = Vᵀ E V,
    ∂F/∂ψ_m = (V_T B_TT V_Tᵀ)_mm + 2 Σ_{k∈T} λ_k V_mk Σ_{l∉T} V_ml B_lk / (λ_k − λ_l)."""
    s = r.copy()
    np.fill_diagonal(s, 1.0 - psi)
    values, vectors = np.linalg.eigh(s)
    order = np.argsort(values)[::-1]
    values, vectors = values[order], vectors[:, order]
    top = np.flatnonzero(values[:nf] > 0)  # a negative eigenvalue is clipped to 0: no contribution
    rest = np.setdiff1d(np.arange(len(values)), top)
    kept = vectors[:, top]
    e = r - (kept * values[top]) @ kept.T
    np.fill_diagonal(e, 0.0)
    b = vectors.T @ e @ vectors
    gradient = np.einsum("mk,kl,ml->m", kept, b[np.ix_(top, top)], kept)
    gaps = values[top][None, :] - values[rest][:, None]
    gradient += 2.0 * np.sum(values[top] * kept * (vectors[:, rest] @ (b[np.ix_(rest, top)] / gaps)), axis=1)
    return float(np.sum(e**2) / 2.0), gradient


@single_threaded
def fit_minres(r: np.ndarray, nf: int) -> tuple[np.ndarray, np.ndarray]:
    """Minimum residual: minimise the squared off-diagonal residuals over the uniquenesses with
    L-BFGS-B, starting from 1 - SMC and bounded to [.005, 1] like psych. Returns (loadings, psi)."""

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        lam = minres_loadings(psi, r, nf)
        resid = r - lam @ lam.T
        f = float(np.sum(np.tril(resid, -1) ** 2))
        # psych's FAgr.minres: derivative of the model diagonal against the data.
        s = r - np.diag(psi)
        values, vectors = np.linalg.eigh(s)
        order = np.argsort(values)[::-1][:nf]
        load = vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None))
        g = load @ load.T + np.diag(psi) - r
        return f, np.diag(g).copy()

    res = _minimize(objective, 1.0 - smc(r), maxiter=1000)
    # psych's gradient is that of the model diagonal, not of the residuals it minimises, so its
    # optim() stops near, not at, the minimum; finish on the residuals with their exact gradient.
    res_fine = optimize.minimize(
        minres_residual,
        res.x,
        args=(r, nf),
        jac=True,
        method="L-BFGS-B",
        bounds=[PSI_BOUNDS] * r.shape[0],
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10},
    )
    best = res_fine.x if res_fine.fun <= res.fun else res.x
    return minres_loadings(best, r, nf), np.asarray(best)


@single_threaded
def fit_ml(r: np.ndarray, nf: int) -> tuple[np.ndarray, np.ndarray]:
    """Maximum likelihood as stats::factanal / psych fm="ml": minimise over the uniquenesses the
    concentrated discrepancy, then read the loadings off the scaled eigenproblem. Returns
    (loadings, psi)."""

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        sc = 1.0 / np.sqrt(psi)
        sstar = r * np.outer(sc, sc)
        values, vectors = np.linalg.eigh(sstar)
        idx = np.argsort(values)[::-1]
        values, vectors = values[idx], vectors[:, idx]
        e = values[nf:]
        f = -float(np.sum(np.log(e) - e) - nf + r.shape[0])
        load = vectors[:, :nf] * np.sqrt(np.clip(values[:nf] - 1.0, 0.0, None))
        load = load * np.sqrt(psi)[:, None]
        g = load @ load.T + np.diag(psi) - r
        return f, np.diag(g) / psi**2

    res = _minimize(objective, 1.0 - smc(r), maxiter=2000, ftol=1e-15, gtol=1e-12)
    psi = res.x
    sc = 1.0 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(r * np.outer(sc, sc))
    idx = np.argsort(values)[::-1][:nf]
    load = vectors[:, idx] * np.sqrt(np.clip(values[idx] - 1.0, 0.0, None))
    return np.asarray(load * np.sqrt(psi)[:, None]), np.asarray(psi)


def fa_eigenvalues(r: np.ndarray) -> np.ndarray:
    """Eigenvalues of R with the one-factor minres communalities on the diagonal (psych's
    ``fa(r, 1)$values``, which fa.parallel compares)."""
    lam, _ = fit_minres(r, 1)
    reduced = r.copy()
    np.fill_diagonal(reduced, (lam**2).sum(axis=1))
    return np.sort(np.linalg.eigvalsh(reduced))[::-1]
