"""PLS path modelling (偏最小二乘路径模型) as R ``plspm`` does it, and the 0–100 CSI index.

Mirrors ``plspm::plspm()`` (Sanchez & Russolillo, plspm 0.4.x) for metric data: Lohmöller's version of
Wold's algorithm with outer Mode A or Mode B, inner weighting schemes ``centroid``, ``factorial`` and
``path``, standardised latent scores, loadings, communality, redundancy, the inner model (OLS of each
endogenous construct on its predecessors), direct/indirect/total effects, the blocks'
unidimensionality (``plspm:::get_unidim``) and the goodness-of-fit index (``plspm:::get_gof``).
``pls_bootstrap`` mirrors ``plspm:::get_boots`` (resampling rows, re-estimating, percentile limits).
``csi_index`` and ``rescaled_scores`` follow ``plspm::rescale`` and the ECSI/ACSI convention.

The model is a dict of blocks (construct → its manifest columns, in the order given) and a list of
``(source, target)`` paths. The numbers match plspm because every step below copies plspm's choices,
including its n-divisor standard deviations and its convergence test on absolute outer weights.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from carebridge.lib.stats.errors import StatsInputError

SCHEMES = ("centroid", "factorial", "path")
MODES = ("A", "B")


@dataclass(frozen=True)
class PlsModel:
    """A checked model: construct order, blocks, the 0/1 path matrix (row = target, column = source)."""

    lvs: list[str]
    blocks: dict[str, list[str]]
    modes: dict[str, str]
    path_matrix: pd.DataFrame
    scheme: str
    scaled: bool
    tol: float
    maxiter: int

    @property
    def mvs(self) -> list[str]:
        return [mv for lv in self.lvs for mv in self.blocks[lv]]

    @property
    def endogenous(self) -> list[str]:
        return [lv for lv in self.lvs if self.path_matrix.loc[lv].sum() > 0]


@dataclass(frozen=True)
class PlsResult:
    """What ``plspm()`` returns, as pandas objects.

    outer_model: index = manifest variable; columns block, weight, loading, communality, redundancy.
    crossloadings: correlations of every manifest variable with every construct.
    path_coefs: square construct × construct matrix, row = target, column = source (plspm's layout).
    inner_model: per endogenous construct, a frame with estimate, std_error, t, p (intercept first).
    r2: R² per construct (0 for exogenous ones, as plspm prints).
    inner_summary: type, r2, block_communality, mean_redundancy, ave per construct.
    effects: rows (source, target) with direct, indirect, total.
    unidim: mode, mvs, cronbach_alpha, dillon_goldstein_rho, eig_1st, eig_2nd per block.
    gof: goodness-of-fit; scores: standardised latent scores (population variance 1).
    mv_mean, mv_sd: mean and n-divisor SD of each manifest variable (for the CSI index).
    """

    model: PlsModel
    outer_model: pd.DataFrame
    crossloadings: pd.DataFrame
    path_coefs: pd.DataFrame
    inner_model: dict[str, pd.DataFrame]
    r2: pd.Series
    inner_summary: pd.DataFrame
    effects: pd.DataFrame
    unidim: pd.DataFrame
    gof: float
    scores: pd.DataFrame
    iterations: int
    n: int
    mv_mean: pd.Series = field(repr=False)
    mv_sd: pd.Series = field(repr=False)


@dataclass(frozen=True)
class PlsBootstrap:
    """``plspm``'s ``$boot``: each frame has original, mean, std_error, perc_low, perc_high."""

    weights: pd.DataFrame
    loadings: pd.DataFrame
    paths: pd.DataFrame
    r2: pd.DataFrame
    total_effects: pd.DataFrame
    n_boot: int
    seed: int
    level: float


def build_model(
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    *,
    modes: Mapping[str, str] | str = "A",
    scheme: str = "centroid",
    scaled: bool = True,
    tol: float = 1e-6,
    maxiter: int = 100,
) -> PlsModel:
    """Check a model given as blocks and ``(source, target)`` paths (plspm's ``check_specs``)."""
    clean_blocks = _check_blocks(blocks)
    lvs = list(clean_blocks)
    pm = pd.DataFrame(0, index=lvs, columns=lvs, dtype=int)
    for edge in paths:
        if len(edge) != 2:
            raise StatsInputError(f"A path must be a (source, target) pair, got {edge!r}.")
        src, dst = edge
        for name in (src, dst):
            if name not in clean_blocks:
                raise StatsInputError(f"Path {src!r} → {dst!r} names {name!r}, which is not a block.")
        if src == dst:
            raise StatsInputError(f"Path {src!r} → {dst!r} points at itself.")
        pm.loc[dst, src] = 1
    if not _is_acyclic(pm):
        raise StatsInputError("The inner model has a cycle; PLS path models must be recursive.")
    for lv in lvs:
        if pm.loc[lv].sum() == 0 and pm[lv].sum() == 0:
            raise StatsInputError(f"Construct {lv!r} is not connected to any other construct.")
    mode_map = _check_modes(modes, lvs)
    if scheme not in SCHEMES:
        raise StatsInputError(f"Unknown inner weighting scheme {scheme!r}; use one of {SCHEMES}.")
    if not 0 < tol <= 1e-3:
        raise StatsInputError("tol must be in (0, 0.001], as plspm requires.")
    if maxiter < 1:
        raise StatsInputError("maxiter must be positive.")
    return PlsModel(lvs, clean_blocks, mode_map, pm, scheme, scaled, tol, maxiter)


def _check_blocks(blocks: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if not blocks:
        raise StatsInputError("The PLS model has no blocks.")
    seen: dict[str, str] = {}
    clean: dict[str, list[str]] = {}
    for lv, mvs in blocks.items():
        mv_list = [mvs] if isinstance(mvs, str) else list(mvs)
        if not mv_list:
            raise StatsInputError(f"Block {lv!r} has no manifest variables.")
        for mv in mv_list:
            if mv in seen:
                raise StatsInputError(f"Column {mv!r} is in both block {seen[mv]!r} and block {lv!r}.")
            seen[mv] = lv
        clean[lv] = mv_list
    return clean


def _check_modes(modes: Mapping[str, str] | str, lvs: list[str]) -> dict[str, str]:
    if isinstance(modes, str):
        mode_map = dict.fromkeys(lvs, modes)
    else:
        unknown = set(modes) - set(lvs)
        if unknown:
            raise StatsInputError(f"Modes given for unknown blocks: {sorted(unknown)}.")
        mode_map = {lv: modes.get(lv, "A") for lv in lvs}
    for lv, mode in mode_map.items():
        if mode not in MODES:
            raise StatsInputError(f"Block {lv!r} has mode {mode!r}; use 'A' (reflective) or 'B' (formative).")
    return mode_map


def _is_acyclic(pm: pd.DataFrame) -> bool:
    remaining = set(pm.index)
    while remaining:
        roots = [lv for lv in remaining if not any(pm.loc[lv, src] for src in remaining)]
        if not roots:
            return False
        remaining -= set(roots)
    return True


def _manifest_matrix(data: pd.DataFrame, model: PlsModel, min_rows: int = 10) -> pd.DataFrame:
    missing = [mv for mv in model.mvs if mv not in data.columns]
    if missing:
        raise StatsInputError(f"Unknown column(s) for the PLS model: {missing}.")
    frame = data[model.mvs]
    for col in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[col]) or pd.api.types.is_bool_dtype(frame[col]):
            raise StatsInputError(f"Column {col!r} is not numeric; PLS-PM needs numeric indicators.")
    # plspm refuses missing values unless told otherwise; we drop incomplete rows (listwise).
    frame = frame.dropna().astype(float)
    if len(frame) < min_rows:
        raise StatsInputError(
            f"PLS-PM needs at least {min_rows} complete rows; got {len(frame)} after dropping missing values."
        )
    constant = [c for c in frame.columns if frame[c].std(ddof=0) == 0]
    if constant:
        raise StatsInputError(f"Column(s) {constant} have no variance.")
    return frame


def _treat(mv: np.ndarray, scaled: bool) -> np.ndarray:
    # plspm:::get_treated_data: centre, and standardise with the n-divisor SD when scaled=TRUE.
    centred = mv - mv.mean(axis=0)
    return centred / mv.std(axis=0) if scaled else centred


def _standardise(y: np.ndarray, sdv: float) -> np.ndarray:
    # R's scale(Y) * sdv; the sdv factor is plspm's and changes the convergence path slightly.
    return (y - y.mean(axis=0)) / y.std(axis=0, ddof=1) * sdv


def _path_scheme(pm: np.ndarray, y: np.ndarray) -> np.ndarray:
    # plspm:::get_path_scheme: predecessors weighted by regression coefficients, successors by r.
    e = pm.astype(float).copy()
    for k in range(pm.shape[0]):
        preds = np.flatnonzero(pm[k] == 1)
        if preds.size:
            coef, *_ = np.linalg.lstsq(y[:, preds], y[:, k], rcond=None)
            e[preds, k] = coef
        succs = np.flatnonzero(pm[:, k] == 1)
        if succs.size:
            e[succs, k] = [np.corrcoef(y[:, k], y[:, s])[0, 1] for s in succs]
    return e


def _outer_weights(x: np.ndarray, model: PlsModel) -> tuple[np.ndarray, int]:
    """plspm:::get_weights — returns the weight matrix W (mvs × lvs) and the iteration count."""
    n = x.shape[0]
    sdv = np.sqrt((n - 1) / n)
    pm = model.path_matrix.to_numpy()
    odm = _outer_design(model)
    w = odm / ((x @ odm).std(axis=0, ddof=1) * sdv)
    w_old = w.sum(axis=1)
    link = pm + pm.T
    iteration = 1
    while True:
        y = _standardise(x @ w, sdv)
        if model.scheme == "centroid":
            e = np.sign(np.corrcoef(y, rowvar=False) * link)
        elif model.scheme == "factorial":
            e = np.corrcoef(y, rowvar=False) * link
        else:
            e = _path_scheme(pm, y)
        z = y @ e
        for j, lv in enumerate(model.lvs):
            rows = odm[:, j] == 1
            if model.modes[lv] == "A":
                w[rows, j] = z[:, j] @ x[:, rows] / n
            else:
                w[rows, j], *_ = np.linalg.lstsq(x[:, rows], z[:, j], rcond=None)
        w_new = w.sum(axis=1)
        if np.sum((np.abs(w_old) - np.abs(w_new)) ** 2) < model.tol or iteration == model.maxiter:
            break
        w_old = w_new
        iteration += 1
    if iteration == model.maxiter:
        raise StatsInputError(f"PLS-PM did not converge in {model.maxiter} iterations.")
    # Final rescaling so that every latent score has population variance 1.
    w = w / ((x @ w).std(axis=0, ddof=1) * sdv)
    return w, iteration


def _outer_design(model: PlsModel) -> np.ndarray:
    odm = np.zeros((len(model.mvs), len(model.lvs)))
    row = 0
    for j, lv in enumerate(model.lvs):
        size = len(model.blocks[lv])
        odm[row : row + size, j] = 1
        row += size
    return odm


def _scores(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    # plspm:::get_scores: flip a score whose indicators mostly correlate negatively with it.
    lv = x @ w
    odm = (w != 0).astype(float)
    cor = _cross_cor(x, lv)
    sign = np.sign(np.sign(cor * odm).sum(axis=0))
    sign[sign == 0] = -1
    return lv * sign


def _cross_cor(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    xc = (x - x.mean(axis=0)) / x.std(axis=0)
    yc = (y - y.mean(axis=0)) / y.std(axis=0)
    return xc.T @ yc / x.shape[0]


def _inner(model: PlsModel, lv: np.ndarray) -> tuple[np.ndarray, np.ndarray, dict[str, pd.DataFrame]]:
    """plspm:::get_paths — OLS with intercept of each endogenous score on its predecessors."""
    pm = model.path_matrix.to_numpy()
    n = lv.shape[0]
    path = np.zeros_like(pm, dtype=float)
    r2 = np.zeros(len(model.lvs))
    tables: dict[str, pd.DataFrame] = {}
    for i, target in enumerate(model.lvs):
        preds = np.flatnonzero(pm[i] == 1)
        if not preds.size:
            continue
        design = np.column_stack([np.ones(n), lv[:, preds]])
        coef, *_ = np.linalg.lstsq(design, lv[:, i], rcond=None)
        resid = lv[:, i] - design @ coef
        df = n - design.shape[1]
        sigma2 = resid @ resid / df
        se = np.sqrt(np.diag(sigma2 * np.linalg.inv(design.T @ design)))
        t = coef / se
        p = 2 * stats.t.sf(np.abs(t), df)
        path[i, preds] = coef[1:]
        centred = lv[:, i] - lv[:, i].mean()
        r2[i] = 1 - resid @ resid / (centred @ centred)
        names = ["Intercept", *[model.lvs[j] for j in preds]]
        tables[target] = pd.DataFrame({"estimate": coef, "std_error": se, "t": t, "p": p}, index=names)
    return path, r2, tables


def _effects(model: PlsModel, path: np.ndarray) -> pd.DataFrame:
    # Total effects are the sum of path-matrix powers; indirect = total − direct (plspm:::get_effects).
    k = path.shape[0]
    total = np.zeros_like(path)
    power = np.eye(k)
    reach = np.zeros_like(path, dtype=bool)
    link = model.path_matrix.to_numpy().astype(bool)
    step = np.eye(k, dtype=bool)
    for _ in range(k):
        power = power @ path
        step = (step.astype(int) @ link.astype(int)) > 0
        total += power
        reach |= step
    rows = []
    for j, src in enumerate(model.lvs):
        for i, dst in enumerate(model.lvs):
            if reach[i, j]:
                rows.append(
                    {
                        "from": src,
                        "to": dst,
                        "direct": path[i, j],
                        "indirect": total[i, j] - path[i, j],
                        "total": total[i, j],
                    }
                )
    return pd.DataFrame(rows, columns=["from", "to", "direct", "indirect", "total"])


def unidimensionality(data: pd.DataFrame, model: PlsModel) -> pd.DataFrame:
    """plspm:::get_unidim — Cronbach's alpha, Dillon–Goldstein's rho and the first two eigenvalues."""
    rows = []
    for lv in model.lvs:
        mvs = model.blocks[lv]
        block = data[mvs].to_numpy(dtype=float)
        p = block.shape[1]
        alpha = rho = eig1 = 1.0
        eig2 = 0.0
        if p > 1:
            z = (block - block.mean(axis=0)) / block.std(axis=0)
            corr = np.corrcoef(z, rowvar=False)
            eigvals, eigvecs = np.linalg.eigh(corr)
            order = np.argsort(eigvals)[::-1]
            eigvals, eigvecs = eigvals[order], eigvecs[:, order]
            eig1, eig2 = float(eigvals[0]), float(eigvals[1])
            if model.modes[lv] == "A":
                # Alpha on standardised items; total variance with the n divisor, as plspm does.
                numer = 2 * corr[np.tril_indices(p, -1)].sum()
                alpha = max(0.0, numer / z.sum(axis=1).var() * p / (p - 1))
                # Correlations of the items with the first principal component.
                pc_cor = eigvecs[:, 0] * np.sqrt(eigvals[0])
                rho = pc_cor.sum() ** 2 / (pc_cor.sum() ** 2 + p - (pc_cor**2).sum())
            else:
                alpha = rho = 0.0
        rows.append(
            {
                "mode": model.modes[lv],
                "mvs": p,
                "cronbach_alpha": alpha,
                "dillon_goldstein_rho": rho,
                "eig_1st": eig1,
                "eig_2nd": eig2,
            }
        )
    return pd.DataFrame(rows, index=model.lvs)


def plspm(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    *,
    modes: Mapping[str, str] | str = "A",
    scheme: str = "centroid",
    scaled: bool = True,
    tol: float = 1e-6,
    maxiter: int = 100,
) -> PlsResult:
    """Estimate a PLS path model; mirrors R ``plspm::plspm(Data, path_matrix, blocks, modes, scheme,
    scaled, tol, maxiter)``. ``scaled=False`` (only centring) is what plspm's satisfaction example and
    the CSI convention use when all indicators share one rating scale."""
    model = build_model(blocks, paths, modes=modes, scheme=scheme, scaled=scaled, tol=tol, maxiter=maxiter)
    mv = _manifest_matrix(data, model)
    raw = mv.to_numpy()
    x = _treat(raw, scaled)
    w, iterations = _outer_weights(x, model)
    lv = _scores(x, w)
    path, r2, tables = _inner(model, lv)
    odm = _outer_design(model)
    xloads = _cross_cor(x, lv)
    loadings = (xloads * odm).sum(axis=1)
    communality = loadings**2
    redundancy = communality * (odm @ r2)
    block_of = [lv_name for lv_name in model.lvs for _ in model.blocks[lv_name]]
    outer = pd.DataFrame(
        {
            "block": block_of,
            "weight": w.sum(axis=1),
            "loading": loadings,
            "communality": communality,
            "redundancy": redundancy,
        },
        index=model.mvs,
    )
    endo = set(model.endogenous)
    summary_rows = []
    for j, lv_name in enumerate(model.lvs):
        in_block = odm[:, j] == 1
        comm = communality[in_block]
        ave = comm.sum() / (comm.sum() + (1 - comm).sum()) if model.modes[lv_name] == "A" else np.nan
        summary_rows.append(
            {
                "type": "Endogenous" if lv_name in endo else "Exogenous",
                "r2": r2[j],
                "block_communality": comm.mean(),
                "mean_redundancy": redundancy[in_block].mean(),
                "ave": ave,
            }
        )
    inner_summary = pd.DataFrame(summary_rows, index=model.lvs)
    # plspm:::get_gof: mean communality over blocks with more than one indicator × mean endogenous R².
    multi = np.array([len(model.blocks[b]) > 1 for b in block_of])
    endo_mask = np.array([lv_name in endo for lv_name in model.lvs])
    gof = float(np.sqrt(communality[multi].mean() * r2[endo_mask].mean())) if multi.any() else float("nan")
    return PlsResult(
        model=model,
        outer_model=outer,
        crossloadings=pd.DataFrame(xloads, index=model.mvs, columns=model.lvs),
        path_coefs=pd.DataFrame(path, index=model.lvs, columns=model.lvs),
        inner_model=tables,
        r2=pd.Series(r2, index=model.lvs, name="r2"),
        inner_summary=inner_summary,
        effects=_effects(model, path),
        unidim=unidimensionality(mv, model),
        gof=gof,
        scores=pd.DataFrame(lv, index=mv.index, columns=model.lvs),
        iterations=iterations,
        n=len(mv),
        mv_mean=mv.mean(),
        mv_sd=mv.std(ddof=0),
    )


def pls_bootstrap(
    data: pd.DataFrame,
    blocks: Mapping[str, Sequence[str]],
    paths: Sequence[tuple[str, str]],
    *,
    modes: Mapping[str, str] | str = "A",
    scheme: str = "centroid",
    scaled: bool = True,
    n_boot: int = 200,
    seed: int = 0,
    level: float = 0.95,
    tol: float = 1e-6,
    maxiter: int = 100,
) -> PlsBootstrap:
    """Bootstrap validation; mirrors ``plspm(..., boot.val=TRUE, br=n_boot)`` (``plspm:::get_boots``):
    rows resampled with replacement from a seeded generator, non-converging resamples redrawn,
    standard errors with the n−1 divisor and percentile limits with R's default quantile (type 7)."""
    if n_boot < 10:
        raise StatsInputError("Use at least 10 bootstrap resamples (plspm uses 100 to 1000).")
    if not 0 < level < 1:
        raise StatsInputError("level must be between 0 and 1.")
    original = plspm(data, blocks, paths, modes=modes, scheme=scheme, scaled=scaled, tol=tol, maxiter=maxiter)
    model = original.model
    raw = _manifest_matrix(data, model).to_numpy()
    rng = np.random.default_rng(seed)
    odm = _outer_design(model)
    pm = model.path_matrix.to_numpy()
    edges = [(j, i) for j in range(len(model.lvs)) for i in range(len(model.lvs)) if pm[i, j]]
    endo_idx = [model.lvs.index(lv) for lv in model.endogenous]
    eff = original.effects
    eff_idx = [(model.lvs.index(f), model.lvs.index(t)) for f, t in zip(eff["from"], eff["to"], strict=True)]
    draws: dict[str, list[np.ndarray]] = {k: [] for k in ("w", "l", "p", "r2", "te")}
    failures = 0
    while len(draws["w"]) < n_boot:
        sample = raw[rng.integers(0, len(raw), size=len(raw))]
        if np.any(sample.std(axis=0) == 0):
            failures += 1
        else:
            x = _treat(sample, scaled)
            try:
                w, _ = _outer_weights(x, model)
            except StatsInputError:
                failures += 1
            else:
                lv = _scores(x, w)
                path, r2, _ = _inner(model, lv)
                total = _effects(model, path)["total"].to_numpy()
                draws["w"].append(w.sum(axis=1))
                draws["l"].append((_cross_cor(x, lv) * odm).sum(axis=1))
                draws["p"].append(np.array([path[i, j] for j, i in edges]))
                draws["r2"].append(r2[endo_idx])
                draws["te"].append(total)
        if failures > n_boot:
            raise StatsInputError("Too many bootstrap resamples failed to converge or had constant columns.")
    lo, hi = (1 - level) / 2, 1 - (1 - level) / 2

    def table(key: str, orig: np.ndarray, index: list[str]) -> pd.DataFrame:
        m = np.vstack(draws[key])
        return pd.DataFrame(
            {
                "original": orig,
                "mean": m.mean(axis=0),
                "std_error": m.std(axis=0, ddof=1),
                "perc_low": np.quantile(m, lo, axis=0),
                "perc_high": np.quantile(m, hi, axis=0),
            },
            index=index,
        )

    path_labels = [f"{model.lvs[j]} -> {model.lvs[i]}" for j, i in edges]
    return PlsBootstrap(
        weights=table("w", original.outer_model["weight"].to_numpy(), model.mvs),
        loadings=table("l", original.outer_model["loading"].to_numpy(), model.mvs),
        paths=table("p", np.array([original.path_coefs.iat[i, j] for j, i in edges]), path_labels),
        r2=table("r2", original.r2[model.endogenous].to_numpy(), model.endogenous),
        total_effects=table(
            "te", eff["total"].to_numpy(), [f"{model.lvs[f]} -> {model.lvs[t]}" for f, t in eff_idx]
        ),
        n_boot=n_boot,
        seed=seed,
        level=level,
    )


def _normalised_weights(result: PlsResult) -> pd.Series:
    # Unstandardised weights: plspm's weights apply to centred data when scaled=FALSE, and to
    # standardised data otherwise, so divide by the indicator's SD to return to the original scale.
    w = result.outer_model["weight"]
    if result.model.scaled:
        w = w / result.mv_sd
    negative = w[w <= 0]
    if not negative.empty:
        raise StatsInputError(
            f"The CSI index needs positive outer weights; {list(negative.index)} are not positive."
        )
    return w / w.groupby(result.outer_model["block"]).transform("sum")


def rescaled_scores(result: PlsResult, data: pd.DataFrame) -> pd.DataFrame:
    """Latent scores on the indicators' own scale; mirrors ``plspm::rescale(pls)``."""
    w = _normalised_weights(result)
    missing = [mv for mv in result.model.mvs if mv not in data.columns]
    if missing:
        raise StatsInputError(f"Unknown column(s): {missing}.")
    out = {}
    for lv in result.model.lvs:
        mvs = result.model.blocks[lv]
        out[lv] = data[mvs].astype(float) @ w[mvs]
    return pd.DataFrame(out)


def csi_index(
    result: PlsResult,
    *,
    scale_min: float | Mapping[str, float],
    scale_max: float | Mapping[str, float],
) -> pd.DataFrame:
    """The 0–100 index per construct (ECSI/ACSI convention, plspm ``scaled=FALSE`` weights):
    index = (Σ w̃ᵢ x̄ᵢ − min) / (max − min) × 100 with w̃ the unstandardised outer weights normalised
    to sum 1 within the block. Returns, per construct: mean (on the rating scale), index, scale_min,
    scale_max, n."""
    w = _normalised_weights(result)
    rows = []
    for lv in result.model.lvs:
        lo = scale_min[lv] if isinstance(scale_min, Mapping) else scale_min
        hi = scale_max[lv] if isinstance(scale_max, Mapping) else scale_max
        if not hi > lo:
            raise StatsInputError(f"Scale for {lv!r} must have max > min; got {lo}..{hi}.")
        mvs = result.model.blocks[lv]
        mean = float((w[mvs] * result.mv_mean[mvs]).sum())
        rows.append(
            {
                "mean": mean,
                "index": (mean - lo) / (hi - lo) * 100,
                "scale_min": lo,
                "scale_max": hi,
                "n": result.n,
            }
        )
    return pd.DataFrame(rows, index=result.model.lvs)
