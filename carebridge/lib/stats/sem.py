"""Confirmatory factor analysis and structural equation models from lavaan model syntax.

The model is read as lavaan 0.6 reads it (``lavaan_syntax``: modifiers, ``cfa()``/``sem()`` defaults,
``fixed.x = TRUE``), estimated by maximum likelihood from the sample covariance matrix with analytic
gradients and the expected information (``sem_ml``), and reported as lavaan reports
``summary(fit, fit.measures=TRUE, standardized=TRUE)`` with the default ML estimator and complete data:

* the sample covariance matrix uses N (not N − 1) and χ² = N·F_ML; standard errors from the expected
  information with N (fit measures: ``sem_fit``);
* the parameter table is lavaan's, in its order: the user's parameters, then the defaults, then the
  fixed.x variances and covariances of observed exogenous predictors (fixed, no standard error);
* std.all as lavaan's ``standardizedSolution``: loadings and paths scaled by the model-implied
  standard deviations, variances by the total variance, covariances by the two variance parameters
  ((residual) variances), so a residual covariance is a residual correlation.

Composite reliability and AVE (Fornell & Larcker 1981) use the std.all loadings; HTMT (Henseler,
Ringle & Sarstedt 2015) uses the sample item correlations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from carebridge.lib.stats._frame import cov_to_cor, numeric_frame, require_rows
from carebridge.lib.stats._threads import single_threaded
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.lavaan_syntax import LavaanModel, build_model
from carebridge.lib.stats.moments import SampleMoments
from carebridge.lib.stats.sem_fit import FitMeasures, fit_measures, moments
from carebridge.lib.stats.sem_ml import MLFit, fit_ml

__all__ = [
    "ConstructValidity",
    "FitMeasures",
    "ParameterEstimate",
    "SEMResult",
    "fit_cfa",
    "fit_sem",
    "fit_sem_cov",
    "htmt",
    "parse_model",
]


@dataclass(frozen=True)
class ParameterEstimate:
    """One row of lavaan's parameter table (``parameterEstimates`` + ``std.all``)."""

    lhs: str
    op: str  # "=~", "~", "~~"
    rhs: str
    estimate: float
    se: float | None  # None for fixed parameters
    z: float | None
    p_value: float | None
    std_all: float
    label: str = ""  # the lavaan label, shared by parameters constrained equal


@dataclass(frozen=True)
class ConstructValidity:
    """Composite reliability and average variance extracted of one latent construct."""

    construct: str
    indicators: tuple[str, ...]
    composite_reliability: float
    ave: float


@dataclass(frozen=True)
class SEMResult:
    """A fitted CFA/SEM: parameter table, fit measures and construct validity tables."""

    model: str
    observed: tuple[str, ...]
    latent: tuple[str, ...]
    fit: FitMeasures
    estimates: tuple[ParameterEstimate, ...]
    constructs: tuple[ConstructValidity, ...]
    latent_correlations: pd.DataFrame
    fornell_larcker: pd.DataFrame  # sqrt(AVE) on the diagonal, latent correlations elsewhere
    htmt: pd.DataFrame
    warnings: tuple[str, ...] = field(default_factory=tuple)  # Heywood cases, fixed.x notes


# ---------------------------------------------------------------------------------------------
# Model syntax


def parse_model(syntax: str) -> LavaanModel:
    """The lavaan parameter table of ``syntax`` (``observed``, ``latent``, ``measurement``, the
    parameters); unsupported syntax is refused with a ``StatsInputError`` naming the term."""
    return build_model(syntax)


# ---------------------------------------------------------------------------------------------
# The parameter table


def _estimates(model: LavaanModel, fit: MLFit, names: list[str]) -> list[ParameterEstimate]:
    """lavaan's parameterEstimates + std.all, in the parameter table's order."""
    index = {name: i for i, name in enumerate(names)}
    total = np.diag(fit.sigma_all)
    rows: list[ParameterEstimate] = []
    for prm in model.parameters:
        i, j = index[prm.lhs], index[prm.rhs]
        if prm.free:
            est = float(fit.theta[prm.free - 1])
            se: float | None = float(np.sqrt(max(fit.vcov[prm.free - 1, prm.free - 1], 0.0)))
        else:
            est = float(fit.s_matrix[i, j]) if prm.exo else float(prm.value or 0.0)
            se = None
        with np.errstate(all="ignore"):
            if prm.op == "=~":
                std = est * np.sqrt(total[i]) / np.sqrt(total[j])
            elif prm.op == "~":
                std = est * np.sqrt(total[j]) / np.sqrt(total[i])
            elif i == j:
                std = est / total[i]
            else:
                std = est / np.sqrt(fit.s_matrix[i, i] * fit.s_matrix[j, j])
        z = est / se if se else None
        rows.append(
            ParameterEstimate(
                lhs=prm.lhs,
                op=prm.op,
                rhs=prm.rhs,
                estimate=est,
                se=se,
                z=z,
                p_value=float(2 * special.ndtr(-abs(z))) if z is not None else None,
                std_all=float(std),
                label=prm.label,
            )
        )
    order = {"=~": 0, "~": 1, "~~": 2}
    rows.sort(key=lambda e: (order[e.op], e.op == "~~" and e.lhs == e.rhs))
    return rows


def _heywood(model: LavaanModel, fit: MLFit, names: list[str]) -> list[str]:
    """lavaan's warnings on improper solutions, naming the variables."""
    out: list[str] = []
    index = {name: i for i, name in enumerate(names)}
    for name in names:
        value = fit.s_matrix[index[name], index[name]]
        if value < 0:
            kind = "latent variable" if name in model.latent else "residual"
            out.append(
                f"The estimated {kind} variance of {name} is negative ({value:.4g}): an improper "
                "(Heywood) solution; the model may be misspecified or the sample too small."
            )
    latent = [index[name] for name in model.latent]
    if latent:
        psi = fit.sigma_all[np.ix_(latent, latent)]
        if np.linalg.eigvalsh(psi).min() < 0:
            out.append("The covariance matrix of the latent variables is not positive definite.")
    return out


def _latent_correlations(fit: MLFit, names: list[str], latent: Sequence[str]) -> pd.DataFrame:
    """Model-implied correlations of the latent variables (endogenous ones included)."""
    idx = [names.index(name) for name in latent]
    cov = fit.sigma_all[np.ix_(idx, idx)]
    with np.errstate(all="ignore"):
        sd = np.sqrt(np.diag(cov))
        return pd.DataFrame(cov / np.outer(sd, sd), index=list(latent), columns=list(latent))


def htmt(df: pd.DataFrame, blocks: Mapping[str, Sequence[str]], *, absolute: bool = True) -> pd.DataFrame:
    """Heterotrait-monotrait ratio (Henseler et al. 2015): mean between-block item correlation over
    the geometric mean of the two mean within-block correlations. ``absolute`` uses |r| as
    semTools::htmt does by default, so reverse-keyed items do not cancel out."""
    if len(blocks) < 2:
        raise StatsInputError("HTMT needs at least two constructs.")
    columns = [c for items in blocks.values() for c in items]
    frame = numeric_frame(df, columns).dropna()
    require_rows(len(frame), 3, "HTMT")
    return _htmt(frame.corr(), blocks, absolute=absolute)


def _htmt(r: pd.DataFrame, blocks: Mapping[str, Sequence[str]], *, absolute: bool = True) -> pd.DataFrame:
    """HTMT from the item correlation matrix."""
    values = np.abs(r.to_numpy()) if absolute else r.to_numpy()
    position = {name: i for i, name in enumerate(r.columns)}
    names = list(blocks)
    for name in names:
        if len(blocks[name]) < 2:
            raise StatsInputError(f"HTMT needs at least two indicators for {name!r}.")
    index = {name: [position[item] for item in blocks[name]] for name in names}

    def mono(items: list[int]) -> float:
        sub = values[np.ix_(items, items)]
        return float(sub[np.triu_indices(len(items), 1)].mean())

    out = np.eye(len(names))
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            b = names[j]
            hetero = float(values[np.ix_(index[a], index[b])].mean())
            out[i, j] = out[j, i] = hetero / np.sqrt(mono(index[a]) * mono(index[b]))
    return pd.DataFrame(out, index=names, columns=names)


def fit_sem(df: pd.DataFrame | SampleMoments, model: str) -> SEMResult:
    """Fit a CFA or SEM written in lavaan syntax by ML with lavaan's ``sem()``/``cfa()`` defaults
    (first loading fixed to 1, exogenous latent covariances free, ``fixed.x = TRUE``, listwise
    deletion of incomplete rows). The rows only enter through their covariance matrix and N, so
    ``df`` may also be the ``SampleMoments`` of complete rows."""
    parsed = parse_model(model)
    names = list(df.names if isinstance(df, SampleMoments) else df.columns)
    clash = [name for name in parsed.latent if name in names]
    if clash:
        raise StatsInputError(f"Latent variable name(s) are also data columns: {', '.join(clash)}.")
    if isinstance(df, SampleMoments):
        moments = df.subset(list(parsed.observed))
    else:  # one pass over the complete rows (lavaan's listwise default)
        moments = SampleMoments.from_frame(df, list(parsed.observed), listwise=True)
    require_rows(moments.n, len(moments.names) + 1, "This model")
    return _fit(parsed, moments.cov * (moments.n - 1) / moments.n, moments.n)  # lavaan's N divisor


def fit_sem_cov(cov: pd.DataFrame, n_obs: int, model: str) -> SEMResult:
    """The same fit from a sample covariance matrix (N − 1 divisor, rows and columns named), as
    ``sem(model, sample.cov = cov, sample.nobs = n_obs)``: lavaan rescales it by (N − 1)/N."""
    parsed = parse_model(model)
    missing = [name for name in parsed.observed if name not in cov.columns or name not in cov.index]
    if missing:
        raise StatsInputError(f"Unknown column(s): {', '.join(missing)}.")
    require_rows(n_obs, len(parsed.observed) + 1, "This model")
    names = list(parsed.observed)
    s = cov.loc[names, names].to_numpy(dtype=float) * (n_obs - 1) / n_obs
    return _fit(parsed, s, n_obs)


@single_threaded
def _fit(parsed: LavaanModel, s: np.ndarray, n: int) -> SEMResult:
    names = list(parsed.observed)
    p = len(names)
    if not np.all(np.isfinite(s)) or np.linalg.eigvalsh(s).min() <= 1e-12 * np.abs(s).max():
        raise StatsInputError(
            "The observed covariance matrix is singular (a column is constant or a combination of others)."
        )
    ndat = moments(p, len(parsed.fixed_x))
    if ndat - parsed.npar < 0:
        raise StatsInputError(
            f"The model is not identified: {parsed.npar} free parameters for "
            f"{ndat} variances and covariances."
        )
    ram, fit = fit_ml(parsed, names, s, n)
    fixed_x = [names.index(x) for x in parsed.fixed_x]
    measures = fit_measures(s, fit.sigma, n, parsed.npar, fixed_x)
    estimates = _estimates(parsed, fit, ram.names)

    constructs: list[ConstructValidity] = []
    for latent, indicators in parsed.measurement.items():
        lam = np.array([e.std_all for e in estimates if e.op == "=~" and e.lhs == latent])
        cr = float(lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2)))
        constructs.append(ConstructValidity(latent, tuple(indicators), cr, float(np.mean(lam**2))))
    phi = _latent_correlations(fit, ram.names, parsed.latent)
    fl = phi.copy()
    for c in constructs:
        fl.loc[c.construct, c.construct] = np.sqrt(c.ave)
    blocks = {k: v for k, v in parsed.measurement.items() if all(i in names for i in v) and len(v) > 1}
    r = pd.DataFrame(cov_to_cor(s), index=names, columns=names)
    ht = _htmt(r, blocks) if len(blocks) > 1 else pd.DataFrame()
    return SEMResult(
        model=parsed.syntax,
        observed=tuple(names),
        latent=tuple(parsed.latent),
        fit=measures,
        estimates=tuple(estimates),
        constructs=tuple(constructs),
        latent_correlations=phi,
        fornell_larcker=fl,
        htmt=ht,
        warnings=parsed.warnings + tuple(_heywood(parsed, fit, ram.names)),
    )


fit_cfa = fit_sem  # lavaan's cfa() and sem() share these defaults for the models we support
