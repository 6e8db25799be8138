"""Horn's parallel analysis as ``psych::fa.parallel(x, fa="both", sim=TRUE)``, with the simulated
correlation matrices drawn from normal data or, for large samples, from their Wishart distribution."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from carebridge.lib.stats._frame import smc
from carebridge.lib.stats._threads import single_threaded
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.factor_extraction import (
    checked_inverse,
    fa_eigenvalues,
    item_correlations,
    minres_loadings,
)
from carebridge.lib.stats.moments import SampleMoments


@dataclass(frozen=True)
class ParallelResult:
    """Horn's parallel analysis: observed versus mean simulated eigenvalues."""

    n_factors: int
    n_components: int
    observed_fa: tuple[float, ...]
    simulated_fa: tuple[float, ...]
    observed_pc: tuple[float, ...]
    simulated_pc: tuple[float, ...]
    n_iter: int
    seed: int


def parallel_analysis(
    df: pd.DataFrame | SampleMoments,
    items: Sequence[str] | None = None,
    *,
    n_iter: int = 20,
    seed: int = 20240601,
) -> ParallelResult:
    """Horn's parallel analysis as ``psych::fa.parallel(x, fa="both", sim=TRUE)``: eigenvalues of the
    data against the mean eigenvalues of ``n_iter`` normal data sets of the same size (seeded, so the
    same call gives the same answer). A factor/component is retained while its observed eigenvalue
    exceeds the simulated one."""
    if n_iter < 1:
        raise StatsInputError("n_iter must be at least 1.")
    names, r, n_obs = item_correlations(df, items, "Parallel analysis")
    checked_inverse(r, "Parallel analysis")
    p = len(names)
    rng = np.random.default_rng(seed)
    obs_pc = np.sort(np.linalg.eigvalsh(r))[::-1]
    obs_fa = fa_eigenvalues(r)
    sim_pc = np.zeros((n_iter, p))
    sim_fa = np.zeros((n_iter, p))
    for i in range(n_iter):
        x = rng.standard_normal((n_obs, p))
        rs = np.asarray(np.corrcoef(x, rowvar=False), dtype=float)
        sim_pc[i] = np.sort(np.linalg.eigvalsh(rs))[::-1]
        sim_fa[i] = _fa_eigenvalues_quick(rs)
    mean_pc, mean_fa = sim_pc.mean(axis=0), sim_fa.mean(axis=0)

    def retained(obs: np.ndarray, sim: np.ndarray) -> int:
        below = np.nonzero(~(obs > sim))[0]
        return int(below[0]) if below.size else p

    return ParallelResult(
        n_factors=retained(obs_fa, mean_fa),
        n_components=retained(obs_pc, mean_pc),
        observed_fa=tuple(float(v) for v in obs_fa),
        simulated_fa=tuple(float(v) for v in mean_fa),
        observed_pc=tuple(float(v) for v in obs_pc),
        simulated_pc=tuple(float(v) for v in mean_pc),
        n_iter=n_iter,
        seed=seed,
    )


def parallel_analysis_wishart(
    df: pd.DataFrame | SampleMoments,
    items: Sequence[str] | None = None,
    *,
    n_iter: int = 20,
    seed: int = 20240601,
) -> ParallelResult:
    """Horn's parallel analysis for large samples: the same comparison as :func:`parallel_analysis`,
    but each simulated correlation matrix is drawn directly from its sampling distribution — the
    covariance of n independent normal rows is Wishart(n − 1, I)/(n − 1) — instead of from n × p
    simulated answers. The result has the same distribution and costs O(p²) per draw whatever n,
    so a million responses take as long as a hundred (bench/insights_panel.py)."""
    if n_iter < 1:
        raise StatsInputError("n_iter must be at least 1.")
    names, r, n_obs = item_correlations(df, items, "Parallel analysis")
    checked_inverse(r, "Parallel analysis")
    p = len(names)
    if n_obs <= p:
        raise StatsInputError(f"Parallel analysis needs more rows ({n_obs}) than items ({p}).")
    rng = np.random.default_rng(seed)
    obs_pc = np.sort(np.linalg.eigvalsh(r))[::-1]
    obs_fa = fa_eigenvalues(r)
    sim_pc = np.zeros((n_iter, p))
    sim_fa = np.zeros((n_iter, p))
    for i in range(n_iter):
        # Bartlett's decomposition of Wishart(n - 1, I): lower-triangular A, W = A Aᵀ.
        a = np.tril(rng.standard_normal((p, p)), -1)
        a[np.diag_indices(p)] = np.sqrt(rng.chisquare(n_obs - 1 - np.arange(p)))
        w = a @ a.T
        d = np.sqrt(np.diag(w))
        rs = w / np.outer(d, d)
        sim_pc[i] = np.sort(np.linalg.eigvalsh(rs))[::-1]
        sim_fa[i] = _fa_eigenvalues_quick(rs)
    mean_pc, mean_fa = sim_pc.mean(axis=0), sim_fa.mean(axis=0)

    def retained(obs: np.ndarray, sim: np.ndarray) -> int:
        below = np.nonzero(~(obs > sim))[0]
        return int(below[0]) if below.size else p

    return ParallelResult(
        n_factors=retained(obs_fa, mean_fa),
        n_components=retained(obs_pc, mean_pc),
        observed_fa=tuple(float(v) for v in obs_fa),
        simulated_fa=tuple(float(v) for v in mean_fa),
        observed_pc=tuple(float(v) for v in obs_pc),
        simulated_pc=tuple(float(v) for v in mean_pc),
        n_iter=n_iter,
        seed=seed,
    )


@single_threaded
def _fa_eigenvalues_quick(r: np.ndarray) -> np.ndarray:
    """``fa_eigenvalues`` with the gradient stage of the one-factor minres fit only: the polishing
    stage without a gradient costs ~9 s per near-identity 30 × 30 matrix and moves the simulated
    eigenvalues by less than the simulation error, so parallel analysis's draws skip it."""

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        lam = minres_loadings(psi, r, 1)
        f = float(np.sum(np.tril(r - lam @ lam.T, -1) ** 2))
        values, vectors = np.linalg.eigh(r - np.diag(psi))
        load = vectors[:, [-1]] * np.sqrt(max(values[-1], 0.0))
        return f, np.diag(load @ load.T + np.diag(psi) - r).copy()

    res = optimize.minimize(
        objective, 1.0 - smc(r), jac=True, method="L-BFGS-B", bounds=[(0.005, 1.0)] * r.shape[0]
    )
    lam = minres_loadings(res.x, r, 1)
    reduced = r.copy()
    np.fill_diagonal(reduced, (lam**2).sum(axis=1))
    return np.sort(np.linalg.eigvalsh(reduced))[::-1]
