"""Benchmark of the psychometric panel on 1,000,000 responses × 30 items (no database).

    python bench/insights_panel.py                     # 1,000,000 × 30, 5 factors
    python bench/insights_panel.py --rows 200000

The answers are drawn from a known model: 5 correlated factors (r = .3), 6 items each with loadings
.55–.80, cut into a 5-point Likert scale. The panel is what the insights pages run on a selection:
Cronbach's alpha with the item table, KMO and Bartlett, parallel analysis, EFA (minres, oblimin) and
the 5-factor CFA. Parallel analysis draws its simulated correlation matrices from the Wishart
distribution (``factor.parallel_analysis_wishart``): simulating n × p answers 20 times is what made the
panel infeasible at 1M rows (1,110 s on the loaded CI machine; ``--raw-parallel`` times it again).
Beside it, in the same run, the bare numpy baseline: the covariance matrix, alpha by
its formula and the eigen decomposition of the correlation matrix. Times are printed, never asserted.

The CFA never sees the raw data: ``stats.sem.fit_sem`` reduces the rows to their covariance matrix (the
sufficient statistic of the ML fit, with lavaan's N divisor) and hands semopy that matrix and N, so the
estimation costs the same at 1,000 or 1,000,000 rows; only the covariance (and HTMT's correlations) scale
with N.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACTORS = 5
PER_FACTOR = 6


def generate(rows: int, seed: int = 7) -> tuple[pd.DataFrame, np.ndarray]:
    """Likert answers from the known factor model, and the true loadings (items × factors)."""
    rng = np.random.default_rng(seed)
    phi = np.full((FACTORS, FACTORS), 0.3) + 0.7 * np.eye(FACTORS)
    factors = rng.standard_normal((rows, FACTORS)) @ np.linalg.cholesky(phi).T
    loadings = np.zeros((FACTORS * PER_FACTOR, FACTORS))
    for f in range(FACTORS):
        loadings[f * PER_FACTOR : (f + 1) * PER_FACTOR, f] = np.linspace(0.55, 0.80, PER_FACTOR)
    unique = np.sqrt(1 - (loadings**2).sum(axis=1))
    latent = factors @ loadings.T + rng.standard_normal((rows, loadings.shape[0])) * unique
    likert = np.digitize(latent, [-1.5, -0.5, 0.4, 1.2]) + 1.0  # skewed to the favourable end, as surveys are
    names = [f"q{i + 1:02d}" for i in range(loadings.shape[0])]
    return pd.DataFrame(likert, columns=names), loadings


def timed(label: str, function: Callable[[], Any], results: dict[str, float]) -> Any:
    started = time.perf_counter()
    value = function()
    results[label] = time.perf_counter() - started
    print(f"  {label:<44}{results[label]:>9.2f} s", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--parallel-iter", type=int, default=20, help="simulated data sets of parallel analysis"
    )
    parser.add_argument(
        "--raw-parallel", action="store_true", help="also time parallel analysis on simulated answers (slow)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    from carebridge.lib.stats import factor, reliability, sem

    results: dict[str, float] = {}
    print(
        f"== psychometric panel, {args.rows:,} responses × {FACTORS * PER_FACTOR} items, {FACTORS} factors =="
    )
    data, true_loadings = timed("generate the answers", lambda: generate(args.rows), results)
    items = list(data.columns)
    values = data.to_numpy()

    print("  baseline (bare numpy)")

    def bare_alpha() -> float:
        cov = np.cov(values, rowvar=False)
        k = cov.shape[0]
        return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))

    alpha0 = timed("covariance matrix + alpha by formula", bare_alpha, results)

    def bare_eigen() -> np.ndarray:
        return np.linalg.eigh(np.corrcoef(values, rowvar=False))[0]

    timed("correlation matrix + eigen decomposition", bare_eigen, results)
    baseline = (
        results["covariance matrix + alpha by formula"] + results["correlation matrix + eigen decomposition"]
    )

    print("  CareBridge (carebridge.lib.stats)")
    alpha = timed(
        "alpha + item table (psych::alpha)", lambda: reliability.cronbach_alpha(data, items), results
    )
    kmo = timed("KMO (psych::KMO)", lambda: factor.kmo(data, items), results)
    bartlett = timed("Bartlett (cortest.bartlett)", lambda: factor.bartlett_sphericity(data, items), results)
    parallel = timed(
        f"parallel analysis ({args.parallel_iter} Wishart draws)",
        lambda: factor.parallel_analysis_wishart(data, items, n_iter=args.parallel_iter),
        results,
    )
    if args.raw_parallel:
        timed(
            f"parallel analysis ({args.parallel_iter} simulated data sets)",
            lambda: factor.parallel_analysis(data, items, n_iter=args.parallel_iter),
            results,
        )
    efa = timed(f"EFA minres + oblimin, {FACTORS} factors", lambda: factor.efa(data, items, FACTORS), results)
    model = "\n".join(
        f"F{f + 1} =~ " + " + ".join(items[f * PER_FACTOR : (f + 1) * PER_FACTOR]) for f in range(FACTORS)
    )
    cfa = timed("CFA, 5 factors (semopy on the covariance)", lambda: sem.fit_cfa(data, model), results)
    panel = (
        sum(v for k, v in results.items() if k not in ("generate the answers",) and "baseline" not in k)
        - baseline
    )

    print("\n  results (so the timings are of a correct panel)")
    print(
        f"  alpha {alpha.raw_alpha:.4f} (bare formula {alpha0:.4f}); KMO {kmo.overall:.3f}; "
        f"Bartlett χ² {bartlett.chi2:,.0f} on {bartlett.df} df"
    )
    print(f"  parallel analysis retains {parallel.n_factors} factors (true: {FACTORS})")
    recovered = np.abs(efa.loadings.to_numpy()).max(axis=0)
    print(
        f"  EFA largest loading per factor: {', '.join(f'{v:.2f}' for v in recovered)}"
        " (true max .80 before cutting)"
    )
    print(
        f"  CFA χ² {cfa.fit.chisq:,.0f} on {cfa.fit.df} df, CFI {cfa.fit.cfi:.3f}, "
        f"RMSEA {cfa.fit.rmsea:.3f}, "
        f"SRMR {cfa.fit.srmr:.3f}"
    )
    del true_loadings

    print("\n  summary")
    print(f"  bare numpy baseline (cov + alpha + eigen)   {baseline:>9.2f} s")
    print(f"  full CareBridge panel                       {panel:>9.2f} s   ratio {panel / baseline:,.1f}×")
    for label in ("alpha + item table (psych::alpha)", "KMO (psych::KMO)"):
        print(
            f"  {label:<44}ratio to the bare covariance "
            f"{results[label] / results['covariance matrix + alpha by formula']:,.1f}×"
        )


if __name__ == "__main__":
    main()
