"""Confirmatory factor analysis and structural equation models from lavaan model syntax.

semopy (MIT) estimates the model; everything reported is then computed here the way lavaan 0.6
computes it for ``cfa()``/``sem()`` with the default ML estimator and complete data, so the numbers
match ``summary(fit, fit.measures=TRUE, standardized=TRUE)``:

* the sample covariance matrix uses N (not N - 1) and the test statistic is chi2 = N * F_ML;
  semopy is therefore fed the N-denominator covariance matrix (its "MLW" objective is then the
  lavaan ML discrepancy) and N as the sample size for the expected information (standard errors);
* CFI and TLI against the independence (diagonal) baseline model;
* RMSEA = sqrt(max(chi2/N/df - 1/N, 0)) with the 90% interval from the noncentral chi-square
  (lavaan's ``lav_fit_rmsea_ci``) and the close/not-close fit p-values;
* SRMR is lavaan's default "srmr" without a mean structure (``srmr_bentler``): the root mean
  square of (s_ij - sigma_ij) / sqrt(s_ii s_jj) over the p(p+1)/2 non-duplicated elements;
* std.all as lavaan's ``standardizedSolution``; residual covariances are scaled by the residual
  variances.

Composite reliability and AVE (Fornell & Larcker 1981) use the std.all loadings; HTMT (Henseler,
Ringle & Sarstedt 2015) uses the sample item correlations.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from carebridge.lib.stats._frame import numeric_frame, require_rows
from carebridge.lib.stats.errors import StatsInputError


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


@dataclass(frozen=True)
class FitMeasures:
    """The ``fitMeasures`` lavaan prints in ``summary(fit, fit.measures=TRUE)``."""

    npar: int
    n_obs: int
    fmin: float  # lavaan's fmin is F_ML / 2
    chisq: float
    df: int
    pvalue: float
    baseline_chisq: float
    baseline_df: int
    baseline_pvalue: float
    cfi: float
    tli: float
    loglik: float
    unrestricted_loglik: float
    aic: float
    bic: float
    rmsea: float
    rmsea_ci_lower: float
    rmsea_ci_upper: float
    rmsea_pvalue: float  # H0: RMSEA <= .05
    rmsea_notclose_pvalue: float  # H0: RMSEA >= .08
    srmr: float


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


# ---------------------------------------------------------------------------------------------
# Model syntax


@dataclass(frozen=True)
class _ParsedModel:
    measurement: dict[str, list[str]]
    observed: list[str]
    latent: list[str]


_NAME = re.compile(r"^[A-Za-z_.][A-Za-z0-9_.]*$")


def _term_name(term: str, line: str) -> str:
    """'x1', '1*x1', 'NA*x1' or 'a*x1' -> 'x1' (modifiers are left to semopy)."""
    name = term.rsplit("*", maxsplit=1)[-1].strip()
    if name == "1":
        raise StatsInputError(f"Intercepts/means ('~ 1') are not supported: {line.strip()!r}.")
    if not _NAME.match(name):
        raise StatsInputError(f"Cannot read {term.strip()!r} in model line {line.strip()!r}.")
    return name


def parse_model(syntax: str) -> _ParsedModel:
    """Read the variable names of a lavaan model (=~, ~ and ~~ lines); other operators are refused
    with a message rather than silently ignored."""
    if not isinstance(syntax, str) or not syntax.strip():
        raise StatsInputError("The model syntax is empty.")
    measurement: dict[str, list[str]] = {}
    names: list[str] = []
    for raw in re.split(r"[\n;]", syntax):
        line = re.split(r"[#!]", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        for op in ("=~", "~~", "~"):
            if op in line:
                lhs, rhs = line.split(op, 1)
                break
        else:
            raise StatsInputError(f"Unsupported model line (only =~, ~ and ~~ are): {line!r}.")
        if any(tok in line for tok in (":=", "==", "<", ">", "|")):
            raise StatsInputError(
                f"Constraints, thresholds and defined parameters are not supported: {line!r}."
            )
        left = [_term_name(t, line) for t in lhs.split("+")]
        right = [_term_name(t, line) for t in rhs.split("+") if t.strip()]
        if not right or (op == "=~" and len(left) != 1):
            raise StatsInputError(f"Incomplete model line: {line!r}.")
        if op == "=~":
            measurement.setdefault(left[0], []).extend(right)
        names.extend(left + right)
    if not measurement:
        raise StatsInputError("The model defines no latent variable (no '=~' line).")
    latent = list(measurement)
    observed = list(dict.fromkeys(n for n in names if n not in measurement))
    return _ParsedModel(measurement=measurement, observed=observed, latent=latent)


# ---------------------------------------------------------------------------------------------
# lavaan's fit arithmetic


def _rmsea_ci(chisq: float, df: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """lavaan's lav_fit_rmsea_ci: invert the noncentral chi-square in its noncentrality."""
    upper_p, lower_p = 1 - (1 - level) / 2, (1 - level) / 2
    if df < 1:
        return 0.0, 0.0

    def cdf(lam: float) -> float:
        return float(stats.chi2.cdf(chisq, df)) if lam <= 0 else float(stats.ncx2.cdf(chisq, df, lam))

    lower = 0.0
    if cdf(0.0) - upper_p >= 0:
        lam = optimize.brentq(lambda x: cdf(x) - upper_p, 0.0, chisq)
        lower = float(np.sqrt(lam / (n * df)))
    n_rmsea = max(n, chisq * 4)
    upper = 0.0
    if not (cdf(n_rmsea) - lower_p > 0 or cdf(0.0) - lower_p < 0):
        lam = optimize.brentq(lambda x: cdf(x) - lower_p, 0.0, n_rmsea)
        upper = float(np.sqrt(lam / (n * df)))
    return lower, upper


def _fit_measures(s: np.ndarray, sigma: np.ndarray, n: int, npar: int) -> FitMeasures:
    p = s.shape[0]
    logdet_s = np.linalg.slogdet(s)[1]
    sign, logdet_sigma = np.linalg.slogdet(sigma)
    if sign <= 0:
        raise StatsInputError("The model-implied covariance matrix is not positive definite.")
    f_ml = float(logdet_sigma + np.trace(np.linalg.solve(sigma, s)) - logdet_s - p)
    chisq = n * f_ml
    df = p * (p + 1) // 2 - npar
    base_chisq = float(n * (np.sum(np.log(np.diag(s))) - logdet_s))
    base_df = p * (p - 1) // 2
    # CFI/TLI exactly as lav_fit_cfi (the max(...) guards keep CFI inside [0, 1]).
    denom = max(chisq - df, base_chisq - base_df, 0.0)
    cfi = 1.0 - max(chisq - df, 0.0) / denom if denom > 0 else 1.0
    tli = ((base_chisq / base_df - chisq / df) / (base_chisq / base_df - 1.0)) if df > 0 else 1.0
    h1 = -n / 2 * (p * np.log(2 * np.pi) + logdet_s + p)
    h0 = h1 - chisq / 2
    rmsea = float(np.sqrt(max(chisq / n / df - 1.0 / n, 0.0))) if df > 0 else 0.0
    lo, hi = _rmsea_ci(chisq, df, n)
    close = float(1 - stats.ncx2.cdf(chisq, df, n * df * 0.05**2)) if df > 0 else float("nan")
    notclose = float(stats.ncx2.cdf(chisq, df, n * df * 0.08**2)) if df > 0 else float("nan")
    sd = np.sqrt(np.diag(s))
    resid = (s - sigma) / np.outer(sd, sd)
    srmr = float(np.sqrt(np.mean(resid[np.tril_indices(p)] ** 2)))
    return FitMeasures(
        npar=npar,
        n_obs=n,
        fmin=f_ml / 2,
        chisq=chisq,
        df=df,
        pvalue=float(stats.chi2.sf(chisq, df)) if df > 0 else float("nan"),
        baseline_chisq=base_chisq,
        baseline_df=base_df,
        baseline_pvalue=float(stats.chi2.sf(base_chisq, base_df)),
        cfi=float(cfi),
        tli=float(tli),
        loglik=float(h0),
        unrestricted_loglik=float(h1),
        aic=float(-2 * h0 + 2 * npar),
        bic=float(-2 * h0 + npar * np.log(n)),
        rmsea=rmsea,
        rmsea_ci_lower=lo,
        rmsea_ci_upper=hi,
        rmsea_pvalue=close,
        rmsea_notclose_pvalue=notclose,
        srmr=srmr,
    )


# ---------------------------------------------------------------------------------------------
# Estimation


def _estimate(syntax: str, s: np.ndarray, names: list[str], n: int) -> object:
    """Fit with semopy, then polish the optimum with L-BFGS-B so the estimates agree with lavaan
    (nlminb) to the printed three decimals; semopy's SLSQP stops a little early."""
    import semopy  # imported here: a slow import that only SEM users pay for

    cov = pd.DataFrame(s, index=names, columns=names)
    try:
        model = semopy.Model(syntax)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(cov=cov, obj="MLW", n_samples=n)
    except (ValueError, KeyError, SyntaxError, np.linalg.LinAlgError) as exc:
        raise StatsInputError(f"The model could not be estimated: {exc}.") from exc
    x0 = np.asarray(model.param_vals, dtype=float)
    bounds = model.get_bounds()
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = optimize.minimize(
            model.obj_mlw,
            x0,
            jac=model.grad_mlw,
            method="L-BFGS-B",
            bounds=bounds,
            options={"maxiter": 5000, "ftol": 1e-16, "gtol": 1e-9},
        )
    x = res.x if np.isfinite(res.fun) and res.fun <= model.obj_mlw(x0) else x0
    gradient = np.asarray(model.grad_mlw(x))
    if not np.all(np.isfinite(x)) or np.max(np.abs(gradient)) > 1e-3:
        raise StatsInputError("The model did not converge (the likelihood has no clear optimum).")
    model.param_vals = x
    model.update_matrices(x)
    return model


def _information(model: object) -> np.ndarray:
    """Expected information with N (semopy's calc_fim uses n_samples, as lavaan does for ML)."""
    fim = np.asarray(model.calc_fim())  # type: ignore[attr-defined]
    eigen = np.linalg.eigvalsh(fim)
    if eigen.min() <= max(abs(eigen.max()), 1.0) * 1e-10:
        raise StatsInputError(
            "The model is not identified (the information matrix is singular); "
            "fix a loading or a variance to set each latent variable's scale."
        )
    return np.asarray(np.linalg.inv(fim))


def _parameter_table(model: object, parsed: _ParsedModel) -> list[ParameterEstimate]:
    from semopy.inspector import inspect_list

    vcov = _information(model)
    se_all = np.sqrt(np.clip(np.diag(vcov), 0.0, None))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        table = inspect_list(model, std_est=True, index_names=True)
    params = model.parameters  # type: ignore[attr-defined]
    active = [k for k, prm in params.items() if prm.active]
    loadings = {(lat, ind) for lat, inds in parsed.measurement.items() for ind in inds}
    variances = {
        str(r.lval): float(r.Estimate) for r in table.itertuples() if r.op == "~~" and r.lval == r.rval
    }
    rows: list[ParameterEstimate] = []
    for name, r in zip(table.index, table.itertuples(), strict=True):
        est = float(r.Estimate)
        free = name in active and params[name].active
        se = float(se_all[active.index(name)]) if free else None
        if r.op == "~" and (r.rval, r.lval) in loadings:
            lhs, op, rhs = str(r.rval), "=~", str(r.lval)  # semopy writes loadings as x ~ f
        else:
            lhs, op, rhs = str(r.lval), str(r.op), str(r.rval)
        std_all = float(r[5])  # "Est. Std": lavaan's std.all for loadings, paths and variances
        if op == "~~" and lhs != rhs:
            # lavaan scales (residual) covariances by the two (residual) variances, not the totals.
            std_all = est / float(np.sqrt(variances[lhs] * variances[rhs]))
        z = est / se if se else None
        rows.append(
            ParameterEstimate(
                lhs=lhs,
                op=op,
                rhs=rhs,
                estimate=est,
                se=se,
                z=z,
                p_value=float(2 * stats.norm.sf(abs(z))) if z is not None else None,
                std_all=std_all,
            )
        )
    order = {"=~": 0, "~": 1, "~~": 2}
    rows.sort(key=lambda e: (order[e.op], e.op == "~~" and e.lhs == e.rhs))
    return rows


def _latent_correlations(model: object, latent: list[str]) -> pd.DataFrame:
    """Model-implied correlations of the latent variables (endogenous ones included)."""
    _, (_, c) = model.calc_sigma()  # type: ignore[attr-defined]
    cov = c @ model.mx_psi @ c.T  # type: ignore[attr-defined]
    order = [list(model.names_beta[0]).index(name) for name in latent]  # type: ignore[attr-defined]
    cov = cov[np.ix_(order, order)]
    sd = np.sqrt(np.diag(cov))
    return pd.DataFrame(cov / np.outer(sd, sd), index=latent, columns=latent)


def htmt(df: pd.DataFrame, blocks: Mapping[str, Sequence[str]], *, absolute: bool = True) -> pd.DataFrame:
    """Heterotrait-monotrait ratio (Henseler et al. 2015): mean between-block item correlation over
    the geometric mean of the two mean within-block correlations. ``absolute`` uses |r| as
    semTools::htmt does by default, so reverse-keyed items do not cancel out."""
    if len(blocks) < 2:
        raise StatsInputError("HTMT needs at least two constructs.")
    columns = [c for items in blocks.values() for c in items]
    frame = numeric_frame(df, columns).dropna()
    require_rows(len(frame), 3, "HTMT")
    r = frame.corr()
    if absolute:
        r = r.abs()
    names = list(blocks)
    for name in names:
        if len(blocks[name]) < 2:
            raise StatsInputError(f"HTMT needs at least two indicators for {name!r}.")

    def mono(items: Sequence[str]) -> float:
        sub = r.loc[list(items), list(items)].to_numpy()
        return float(sub[np.triu_indices(len(items), 1)].mean())

    out = pd.DataFrame(np.eye(len(names)), index=names, columns=names)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            hetero = float(r.loc[list(blocks[a]), list(blocks[b])].to_numpy().mean())
            out.loc[a, b] = out.loc[b, a] = hetero / np.sqrt(mono(blocks[a]) * mono(blocks[b]))
    return out


def fit_sem(df: pd.DataFrame, model: str) -> SEMResult:
    """Fit a CFA or SEM written in lavaan syntax by ML (lavaan ``sem()``/``cfa()`` defaults: first
    loading fixed to 1, exogenous latent covariances free, listwise deletion of incomplete rows)."""
    parsed = parse_model(model)
    clash = [name for name in parsed.latent if name in df.columns]
    if clash:
        raise StatsInputError(f"Latent variable name(s) are also data columns: {', '.join(clash)}.")
    for latent, indicators in parsed.measurement.items():
        if len(indicators) < 2 and not any(latent in ind for ind in parsed.measurement.values()):
            raise StatsInputError(
                f"Latent variable {latent!r} needs at least two indicators to be identified."
            )
    frame = numeric_frame(df, parsed.observed).dropna()
    n, p = frame.shape
    require_rows(n, p + 1, "This model")
    values = frame.to_numpy()
    s = np.cov(values, rowvar=False, bias=True)  # lavaan's sample covariance divides by N
    if np.linalg.eigvalsh(s).min() <= 1e-12 * np.abs(s).max():
        raise StatsInputError(
            "The observed covariance matrix is singular (a column is constant or a combination of others)."
        )
    estimated = _estimate(model, s, parsed.observed, n)
    npar = len(estimated.param_vals)  # type: ignore[attr-defined]
    if p * (p + 1) // 2 - npar < 0:
        raise StatsInputError(
            f"The model is not identified: {npar} free parameters for "
            f"{p * (p + 1) // 2} variances and covariances."
        )
    sigma = np.asarray(estimated.calc_sigma()[0])  # type: ignore[attr-defined]
    # semopy orders the observed variables its own way; compare like with like.
    semopy_order = list(estimated.vars["observed"])  # type: ignore[attr-defined]
    order = [semopy_order.index(name) for name in parsed.observed]
    sigma = sigma[np.ix_(order, order)]
    fit = _fit_measures(s, sigma, n, npar)
    estimates = _parameter_table(estimated, parsed)

    constructs: list[ConstructValidity] = []
    for latent, indicators in parsed.measurement.items():
        lam = np.array(
            [e.std_all for e in estimates if e.op == "=~" and e.lhs == latent and e.rhs in indicators]
        )
        cr = float(lam.sum() ** 2 / (lam.sum() ** 2 + np.sum(1 - lam**2)))
        constructs.append(ConstructValidity(latent, tuple(indicators), cr, float(np.mean(lam**2))))
    names = parsed.latent
    phi = _latent_correlations(estimated, names)
    fl = phi.copy()
    for c in constructs:
        fl.loc[c.construct, c.construct] = np.sqrt(c.ave)
    blocks = {
        k: v for k, v in parsed.measurement.items() if all(i in parsed.observed for i in v) and len(v) > 1
    }
    ht = htmt(frame, blocks) if len(blocks) > 1 else pd.DataFrame()
    return SEMResult(
        model=model,
        observed=tuple(parsed.observed),
        latent=tuple(names),
        fit=fit,
        estimates=tuple(estimates),
        constructs=tuple(constructs),
        latent_correlations=phi,
        fornell_larcker=fl,
        htmt=ht,
    )


fit_cfa = fit_sem  # lavaan's cfa() and sem() share these defaults for the models we support
