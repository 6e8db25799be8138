"""lavaan's fit measures of an ML fit (``fitMeasures``, as ``summary(fit, fit.measures = TRUE)`` prints
them), computed from the sample covariance matrix S (N divisor), the implied Σ and N:

* χ² = N·F_ML; the degrees of freedom count the p(p+1)/2 moments minus the free parameters, and with
  ``fixed.x = TRUE`` minus the nx(nx+1)/2 moments of the exogenous predictors, which are fixed to
  their sample values (lavaan's ``lav_partable_ndat``);
* the baseline is lavaan's independence model: free variances, no covariances, except that the
  exogenous predictors keep their sample covariance matrix when ``fixed.x`` (so their moments are
  neither fitted nor counted); CFI and TLI as ``lav_fit_cfi``;
* logLik of the model (H0) and of the saturated model (H1), with ``fixed.x`` of the other variables
  given the predictors (the predictors' own marginal likelihood left out, as lavaan does); AIC and
  BIC with the number of free parameters after equality constraints;
* RMSEA = sqrt(max(χ²/N/df − 1/N, 0)), its 90 % interval by inverting the noncentral χ²
  (``lav_fit_rmsea_ci``), and the close / not-close fit p-values (H0: RMSEA ≤ .05, ≥ .08);
* SRMR as lavaan's ``srmr_bentler`` without mean structure: the root mean square of
  (s_ij − σ_ij)/sqrt(s_ii s_jj) over the p(p+1)/2 non-duplicated elements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, special, stats

from carebridge.lib.stats.errors import StatsInputError


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


def moments(p: int, n_fixed_x: int) -> int:
    """Sample moments the model is fitted to: p(p+1)/2, less the fixed.x block."""
    return p * (p + 1) // 2 - n_fixed_x * (n_fixed_x + 1) // 2


def rmsea_ci(chisq: float, df: int, n: int, level: float = 0.90) -> tuple[float, float]:
    """lavaan's lav_fit_rmsea_ci: invert the noncentral chi-square in its noncentrality."""
    upper_p, lower_p = 1 - (1 - level) / 2, (1 - level) / 2
    if df < 1:
        return 0.0, 0.0

    def cdf(lam: float) -> float:
        # scipy.special's chdtr/chndtr are stats.chi2/ncx2.cdf without the distribution machinery
        return float(special.chdtr(df, chisq)) if lam <= 0 else float(special.chndtr(chisq, df, lam))

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


def baseline(s: np.ndarray, fixed_x: Sequence[int]) -> tuple[float, int]:
    """(F_ML of the independence model, its free parameters): diag(S) for every variable but the
    fixed.x predictors, whose block is S itself. Σ0 is block diagonal and reproduces S on its
    blocks, so tr(S Σ0⁻¹) = p and F = log|Σ0| − log|S|."""
    p = s.shape[0]
    x = list(fixed_x)
    y = [i for i in range(p) if i not in x]
    logdet_x = float(np.linalg.slogdet(s[np.ix_(x, x)])[1]) if x else 0.0
    f0 = float(np.sum(np.log(np.diag(s)[y]))) + logdet_x - float(np.linalg.slogdet(s)[1])
    return f0, len(y)


def fit_measures(
    s: np.ndarray, sigma: np.ndarray, n: int, npar: int, fixed_x: Sequence[int] = ()
) -> FitMeasures:
    """The fit measures of Σ against S; ``fixed_x`` are the positions of the fixed.x predictors."""
    p = s.shape[0]
    logdet_s = np.linalg.slogdet(s)[1]
    sign, logdet_sigma = np.linalg.slogdet(sigma)
    if sign <= 0:
        raise StatsInputError("The model-implied covariance matrix is not positive definite.")
    f_ml = float(logdet_sigma + np.trace(np.linalg.solve(sigma, s)) - logdet_s - p)
    chisq = n * f_ml
    ndat = moments(p, len(fixed_x))
    df = ndat - npar
    f0, base_npar = baseline(s, fixed_x)
    base_chisq = float(n * f0)
    base_df = ndat - base_npar
    # CFI/TLI exactly as lav_fit_cfi (the max(...) guards keep CFI inside [0, 1]).
    denom = max(chisq - df, base_chisq - base_df, 0.0)
    cfi = 1.0 - max(chisq - df, 0.0) / denom if denom > 0 else 1.0
    tli = ((base_chisq / base_df - chisq / df) / (base_chisq / base_df - 1.0)) if df > 0 else 1.0
    h1 = -n / 2 * (p * np.log(2 * np.pi) + logdet_s + p)
    if fixed_x:  # with fixed.x lavaan's likelihoods are of the rest given the predictors
        x = list(fixed_x)
        h1 += n / 2 * (len(x) * np.log(2 * np.pi) + np.linalg.slogdet(s[np.ix_(x, x)])[1] + len(x))
    h0 = h1 - chisq / 2
    rmsea = float(np.sqrt(max(chisq / n / df - 1.0 / n, 0.0))) if df > 0 else 0.0
    lo, hi = rmsea_ci(chisq, df, n)
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
        baseline_pvalue=float(stats.chi2.sf(base_chisq, base_df)) if base_df > 0 else float("nan"),
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
