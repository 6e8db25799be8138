"""Factorability checks and exploratory factor analysis.

``kmo`` mirrors ``psych::KMO``, ``bartlett_sphericity`` mirrors ``psych::cortest.bartlett`` (both on the
pairwise-complete correlation matrix, n = number of rows), ``efa`` mirrors ``psych::fa`` with
``fm="minres"`` or ``fm="ml"`` and ``rotate`` = "varimax" (``stats::varimax``), "promax" (psych's
``Promax``, m = 4) or "oblimin" (``GPArotation::oblimin``, gamma = 0, i.e. quartimin), and
``parallel_analysis`` is Horn's method as in ``psych::fa.parallel`` with simulated normal data.
The rotations are implemented here (factor_analyzer is GPL and may not be used).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, stats

from carebridge.lib.stats._frame import numeric_frame, pairwise_cor, require_rows, require_variance, smc
from carebridge.lib.stats.errors import StatsInputError

Extraction = Literal["minres", "ml"]
Rotation = Literal["none", "varimax", "promax", "oblimin"]


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


def _correlations(
    df: pd.DataFrame, items: Sequence[str] | None, what: str
) -> tuple[list[str], np.ndarray, int]:
    frame = numeric_frame(df, items)
    if frame.shape[1] < 3:
        raise StatsInputError(f"{what} needs at least 3 items; got {frame.shape[1]}.")
    require_rows(len(frame.dropna(how="all")), frame.shape[1] + 1, what)
    require_variance(frame)
    return [str(c) for c in frame.columns], pairwise_cor(frame), len(frame)


def _inverse(r: np.ndarray, what: str) -> np.ndarray:
    try:
        return np.asarray(np.linalg.inv(r))
    except np.linalg.LinAlgError as exc:
        raise StatsInputError(
            f"{what}: the correlation matrix is singular (an item is a linear combination of others)."
        ) from exc


def kmo(df: pd.DataFrame, items: Sequence[str] | None = None) -> KMOResult:
    """KMO overall and per item: squared correlations against squared anti-image (partial)
    correlations, as psych::KMO on ``cor(x, use="pairwise")``."""
    names, r, _ = _correlations(df, items, "KMO")
    inv = _inverse(r, "KMO")
    d = np.sqrt(np.diag(inv))
    partial = -inv / np.outer(d, d)
    r2 = r**2
    p2 = partial**2
    np.fill_diagonal(r2, 0.0)
    np.fill_diagonal(p2, 0.0)
    overall = float(r2.sum() / (r2.sum() + p2.sum()))
    per_item = r2.sum(axis=0) / (r2.sum(axis=0) + p2.sum(axis=0))
    return KMOResult(overall=overall, per_item={n: float(v) for n, v in zip(names, per_item, strict=True)})


def bartlett_sphericity(df: pd.DataFrame, items: Sequence[str] | None = None) -> BartlettResult:
    """chi2 = -ln|R| (n - 1 - (2p + 5)/6), df = p(p - 1)/2, with n the number of rows (as psych
    does when given raw data, even if some answers are missing)."""
    names, r, n = _correlations(df, items, "Bartlett's test")
    p = len(names)
    sign, logdet = np.linalg.slogdet(r)
    if sign <= 0:
        raise StatsInputError("Bartlett's test: the correlation matrix is not positive definite.")
    chi2 = -logdet * (n - 1 - (2 * p + 5) / 6)
    dof = p * (p - 1) // 2
    return BartlettResult(chi2=float(chi2), df=dof, p_value=float(stats.chi2.sf(chi2, dof)), n=n)


# ---------------------------------------------------------------------------------------------
# Extraction


def _minres_loadings(psi: np.ndarray, r: np.ndarray, nf: int) -> np.ndarray:
    """psych's FAout.wls: principal axes of R with 1 - psi on the diagonal."""
    s = r.copy()
    np.fill_diagonal(s, 1.0 - psi)
    values, vectors = np.linalg.eigh(s)
    order = np.argsort(values)[::-1][:nf]
    return np.asarray(vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None)))


def _fit_minres(r: np.ndarray, nf: int) -> np.ndarray:
    """Minimum residual: minimise the squared off-diagonal residuals over the uniquenesses with
    L-BFGS-B, starting from 1 - SMC and bounded to [.005, 1] like psych."""

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        lam = _minres_loadings(psi, r, nf)
        resid = r - lam @ lam.T
        f = float(np.sum(np.tril(resid, -1) ** 2))
        # psych's FAgr.minres: derivative of the model diagonal against the data.
        s = r - np.diag(psi)
        values, vectors = np.linalg.eigh(s)
        order = np.argsort(values)[::-1][:nf]
        load = vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None))
        g = load @ load.T + np.diag(psi) - r
        return f, np.diag(g).copy()

    start = 1.0 - smc(r)
    res = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * r.shape[0],
        options={"maxiter": 1000},
    )
    # psych re-derives the loadings from the final uniquenesses without the gradient; do the same.
    res_fine = optimize.minimize(
        lambda p: objective(p)[0],
        res.x,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * r.shape[0],
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10},
    )
    best = res_fine.x if res_fine.fun <= res.fun else res.x
    return _minres_loadings(best, r, nf)


def _fit_ml(r: np.ndarray, nf: int) -> np.ndarray:
    """Maximum likelihood as stats::factanal / psych fm="ml": minimise over the uniquenesses the
    concentrated discrepancy, then read the loadings off the scaled eigenproblem."""

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

    start = 1.0 - smc(r)
    res = optimize.minimize(
        objective,
        start,
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * r.shape[0],
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10},
    )
    psi = res.x
    sc = 1.0 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(r * np.outer(sc, sc))
    idx = np.argsort(values)[::-1][:nf]
    load = vectors[:, idx] * np.sqrt(np.clip(values[idx] - 1.0, 0.0, None))
    return np.asarray(load * np.sqrt(psi)[:, None])


# ---------------------------------------------------------------------------------------------
# Rotations (algorithms of stats::varimax, psych::Promax and GPArotation::GPFoblq)


def varimax(
    loadings: np.ndarray, *, normalize: bool = True, eps: float = 1e-5
) -> tuple[np.ndarray, np.ndarray]:
    """Kaiser's varimax as R's ``stats::varimax``; returns (rotated loadings, rotation matrix)."""
    x = loadings.copy()
    p, nc = x.shape
    if nc < 2:
        return x, np.eye(nc)
    sc = np.sqrt((x**2).sum(axis=1)) if normalize else np.ones(p)
    x = x / sc[:, None]
    tt = np.eye(nc)
    d = 0.0
    for _ in range(1000):
        z = x @ tt
        b = x.T @ (z**3 - z @ np.diag((z**2).sum(axis=0)) / p)
        u, s, vt = np.linalg.svd(b)
        tt = u @ vt
        d_past, d = d, float(s.sum())
        if d < d_past * (1 + eps):
            break
    return (x @ tt) * sc[:, None], tt


def promax(loadings: np.ndarray, *, m: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """psych::Promax: varimax, then a least-squares fit to the target L*|L|^(m-1); returns
    (pattern loadings, rotation matrix, factor correlations)."""
    x, rot = varimax(loadings)
    q = x * np.abs(x) ** (m - 1)
    u = np.linalg.lstsq(x, q, rcond=None)[0]
    d = np.diag(np.linalg.inv(u.T @ u))
    u = u @ np.diag(np.sqrt(d))
    z = x @ u
    u = rot @ u
    ui = np.linalg.inv(u)
    return z, u, ui @ ui.T


def _quartimin(lam: np.ndarray) -> tuple[float, np.ndarray]:
    """GPArotation's vgQ.oblimin with gamma = 0: criterion and gradient."""
    k = lam.shape[1]
    x = (lam**2) @ (np.ones((k, k)) - np.eye(k))
    return float(np.sum(lam**2 * x) / 4.0), lam * x


def oblimin(
    loadings: np.ndarray, *, eps: float = 1e-5, max_iter: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Gradient-projection oblique rotation (Bernaards & Jennrich 2005, GPArotation::GPFoblq) with
    the quartimin criterion; returns (pattern loadings, factor correlations)."""
    a = loadings
    k = a.shape[1]
    tmat = np.eye(k)
    al = 1.0
    lam = a @ np.linalg.inv(tmat).T
    f, gq = _quartimin(lam)
    g = -(lam.T @ gq @ np.linalg.inv(tmat)).T
    for _ in range(max_iter):
        gp = g - tmat @ np.diag(np.sum(tmat * g, axis=0))
        s = float(np.sqrt(np.sum(gp**2)))
        if s < eps:
            break
        al *= 2.0
        for _ in range(11):
            x = tmat - al * gp
            tmatt = x / np.sqrt(np.sum(x**2, axis=0))
            lam_t = a @ np.linalg.inv(tmatt).T
            ft, gq_t = _quartimin(lam_t)
            if f - ft > 0.5 * s**2 * al:
                break
            al /= 2.0
        tmat, f, lam = tmatt, ft, lam_t
        g = -(lam.T @ gq_t @ np.linalg.inv(tmat)).T
    else:
        raise StatsInputError("Oblimin rotation did not converge in 1000 iterations.")
    return lam, tmat.T @ tmat


# ---------------------------------------------------------------------------------------------


def efa(
    df: pd.DataFrame,
    items: Sequence[str] | None,
    n_factors: int,
    *,
    method: Extraction = "minres",
    rotation: Rotation = "oblimin",
) -> EFAResult:
    """Exploratory factor analysis as ``psych::fa(x, nfactors, fm=method, rotate=rotation)``.

    Factors are ordered by the variance they account for after rotation and reflected so that each
    column sums positive, as psych prints them. Fit statistics follow psych: ``objective`` is the ML
    discrepancy of the fitted correlation matrix, ``chi2`` = objective x (n - 1 - (2p + 5)/6 - 2k/3).
    """
    if method not in ("minres", "ml"):
        raise StatsInputError(f"method must be 'minres' or 'ml', not {method!r}.")
    if rotation not in ("none", "varimax", "promax", "oblimin"):
        raise StatsInputError(f"rotation must be none, varimax, promax or oblimin, not {rotation!r}.")
    names, r, n_obs = _correlations(df, items, "Factor analysis")
    p = len(names)
    if not isinstance(n_factors, int) or n_factors < 1:
        raise StatsInputError("n_factors must be a positive integer.")
    dof = int(((p - n_factors) ** 2 - (p + n_factors)) / 2)
    if n_factors >= p or dof < 0:
        raise StatsInputError(
            f"{n_factors} factors are too many for {p} items (the model is not identified)."
        )
    _inverse(r, "Factor analysis")

    raw = _fit_minres(r, n_factors) if method == "minres" else _fit_ml(r, n_factors)
    phi = np.eye(n_factors)
    if n_factors > 1 and rotation == "varimax":
        lam, _ = varimax(raw)
    elif n_factors > 1 and rotation == "promax":
        lam, _, phi = promax(raw)
    elif n_factors > 1 and rotation == "oblimin":
        lam, phi = oblimin(raw)
    else:
        lam = raw.copy()

    # psych orders factors by rotated variance accounted for and makes column sums positive.
    explained = np.diag(phi @ lam.T @ lam)
    order = np.argsort(-explained, kind="stable")
    lam, phi = lam[:, order], phi[np.ix_(order, order)]
    signs = np.sign(lam.sum(axis=0))
    signs[signs == 0] = 1.0
    lam, phi = lam * signs, phi * np.outer(signs, signs)

    communality = np.diag(lam @ phi @ lam.T)
    labels = [f"{'MR' if method == 'minres' else 'ML'}{i + 1}" for i in range(n_factors)]
    model = lam @ phi @ lam.T
    np.fill_diagonal(model, 1.0)
    m_inv_r = np.linalg.solve(model, r)
    objective = float(np.trace(m_inv_r) - np.linalg.slogdet(m_inv_r)[1] - p)
    chi2 = objective * ((n_obs - 1) - (2 * p + 5) / 6 - (2 * n_factors) / 3)
    null_obj = float(-np.linalg.slogdet(r)[1])
    null_dof = p * (p - 1) // 2
    null_chi2 = null_obj * ((n_obs - 1) - (2 * p + 5) / 6)
    tli = ((null_chi2 / null_dof - chi2 / dof) / (null_chi2 / null_dof - 1)) if dof > 0 else float("nan")
    rmsea = (
        float(np.sqrt(max(chi2 / (dof * (n_obs - 1)) - 1 / (n_obs - 1), 0.0))) if dof > 0 else float("nan")
    )
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
        chi2=float(chi2),
        dof=dof,
        p_value=float(stats.chi2.sf(chi2, dof)) if dof > 0 else float("nan"),
        null_chi2=float(null_chi2),
        null_dof=null_dof,
        tli=float(tli),
        rmsea=rmsea,
        rmsr=rmsr,
    )


def _fa_eigenvalues(r: np.ndarray) -> np.ndarray:
    """Eigenvalues of R with the one-factor minres communalities on the diagonal (psych's
    ``fa(r, 1)$values``, which fa.parallel compares)."""
    lam = _fit_minres(r, 1)
    reduced = r.copy()
    np.fill_diagonal(reduced, (lam**2).sum(axis=1))
    return np.sort(np.linalg.eigvalsh(reduced))[::-1]


def parallel_analysis(
    df: pd.DataFrame,
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
    names, r, n_obs = _correlations(df, items, "Parallel analysis")
    _inverse(r, "Parallel analysis")
    p = len(names)
    rng = np.random.default_rng(seed)
    obs_pc = np.sort(np.linalg.eigvalsh(r))[::-1]
    obs_fa = _fa_eigenvalues(r)
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
    df: pd.DataFrame,
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
    names, r, n_obs = _correlations(df, items, "Parallel analysis")
    _inverse(r, "Parallel analysis")
    p = len(names)
    if n_obs <= p:
        raise StatsInputError(f"Parallel analysis needs more rows ({n_obs}) than items ({p}).")
    rng = np.random.default_rng(seed)
    obs_pc = np.sort(np.linalg.eigvalsh(r))[::-1]
    obs_fa = _fa_eigenvalues(r)
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


def _fa_eigenvalues_quick(r: np.ndarray) -> np.ndarray:
    """``_fa_eigenvalues`` with the gradient stage of the one-factor minres fit only: the polishing
    stage without a gradient costs ~9 s per near-identity 30 × 30 matrix and moves the simulated
    eigenvalues by less than the simulation error, so parallel analysis's draws skip it."""

    def objective(psi: np.ndarray) -> tuple[float, np.ndarray]:
        lam = _minres_loadings(psi, r, 1)
        f = float(np.sum(np.tril(r - lam @ lam.T, -1) ** 2))
        values, vectors = np.linalg.eigh(r - np.diag(psi))
        load = vectors[:, [-1]] * np.sqrt(max(values[-1], 0.0))
        return f, np.diag(load @ load.T + np.diag(psi) - r).copy()

    res = optimize.minimize(
        objective, 1.0 - smc(r), jac=True, method="L-BFGS-B", bounds=[(0.005, 1.0)] * r.shape[0]
    )
    lam = _minres_loadings(res.x, r, 1)
    reduced = r.copy()
    np.fill_diagonal(reduced, (lam**2).sum(axis=1))
    return np.sort(np.linalg.eigvalsh(reduced))[::-1]
