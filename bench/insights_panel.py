"""Benchmark of the psychometric panel on 1,000,000 responses × 30 items (no database).

    python bench/insights_panel.py                          # 1,000,000 × 30, 5 factors
    python bench/insights_panel.py --rows 200000 --per-factor 5 --lavaan   # issue #20's CFA, vs lavaan
    python bench/insights_panel.py --per-call               # also each function on the DataFrame

The answers are drawn from a known model: 5 correlated factors (r = .3), ``--per-factor`` items each
(default 6) with loadings .55–.80, cut into a 5-point Likert scale. The panel is what the insights
pages run on a selection: Cronbach's alpha with the item table, KMO and Bartlett, parallel analysis
(simulated correlation matrices drawn from their Wishart distribution), EFA (minres, oblimin) and
the 5-factor CFA (ML from the covariance matrix, analytic gradients, expected information).

The rows are read once: ``stats.moments.SampleMoments`` (N, means, covariance, minima and maxima,
about the cost of one ``np.cov``) is handed to every function in place of the DataFrame, since on
complete data each of them depends on the rows only through those moments. ``--per-call`` also
times the old route, every function on the DataFrame, recomputing the covariance each time.

Beside it, in the same run and with the same BLAS threads, the bare numpy baseline: the covariance
matrix, alpha by its formula and the eigen decomposition of the correlation matrix; the summary
prints panel ÷ baseline. ``--blas-threads`` (default 1) fixes the BLAS threads of both: on the shared
2-core machine OpenBLAS's second thread made the same ``np.cov`` up to 8× slower whenever another job
held a core, which made every ratio meaningless.

``--lavaan`` times lavaan's ``cfa()`` on the same data where R is installed (``Rscript`` with the
lavaan package; ``apt-get install r-cran-lavaan``): the rows are written as raw doubles to a temporary
file, read by R, and ``system.time()`` measures ``cfa(model, data = d)`` (lavaan computes the sample
covariance itself, as ``fit_cfa(DataFrame)`` does) and ``cfa(model, sample.cov = S, sample.nobs = N)``
(the fit alone). The χ² of both fits is printed so the timings are of the same model. Times are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FACTORS = 5
PER_FACTOR = 6

LAVAAN_SCRIPT = r"""
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
rows <- as.integer(args[2]); p <- as.integer(args[3])
x <- readBin(args[1], "double", n = rows * p)
d <- as.data.frame(matrix(x, nrow = rows, ncol = p, byrow = TRUE))
names(d) <- strsplit(args[4], ",")[[1]]
model <- paste(readLines(args[5]), collapse = "\n")
t_raw <- system.time(fit_raw <- cfa(model, data = d))[["elapsed"]]
S <- cov(d)
t_cov <- system.time(fit_cov <- cfa(model, sample.cov = S, sample.nobs = rows))[["elapsed"]]
cat(sprintf("lavaan %s\nraw %.4f %.4f\ncov %.4f %.4f\n", packageVersion("lavaan"), t_raw,
            fitMeasures(fit_raw, "chisq"), t_cov, fitMeasures(fit_cov, "chisq")))
"""


def generate(rows: int, seed: int = 7, per_factor: int = PER_FACTOR) -> tuple[pd.DataFrame, np.ndarray]:
    """Likert answers from the known factor model, and the true loadings (items × factors)."""
    rng = np.random.default_rng(seed)
    phi = np.full((FACTORS, FACTORS), 0.3) + 0.7 * np.eye(FACTORS)
    factors = rng.standard_normal((rows, FACTORS)) @ np.linalg.cholesky(phi).T
    loadings = np.zeros((FACTORS * per_factor, FACTORS))
    for f in range(FACTORS):
        loadings[f * per_factor : (f + 1) * per_factor, f] = np.linspace(0.55, 0.80, per_factor)
    unique = np.sqrt(1 - (loadings**2).sum(axis=1))
    latent = factors @ loadings.T + rng.standard_normal((rows, loadings.shape[0])) * unique
    likert = np.digitize(latent, [-1.5, -0.5, 0.4, 1.2]) + 1.0  # skewed to the favourable end, as surveys are
    names = [f"q{i + 1:02d}" for i in range(loadings.shape[0])]
    return pd.DataFrame(likert, columns=names), loadings


def timed(label: str, function: Callable[[], Any], results: dict[str, float]) -> Any:
    started = time.perf_counter()
    value = function()
    results[label] = time.perf_counter() - started
    print(f"  {label:<48}{results[label]:>9.3f} s", flush=True)
    return value


def cfa_model(items: list[str], per_factor: int) -> str:
    return "\n".join(
        f"F{f + 1} =~ " + " + ".join(items[f * per_factor : (f + 1) * per_factor]) for f in range(FACTORS)
    )


def time_lavaan(data: pd.DataFrame, model: str) -> dict[str, float] | None:
    """lavaan's cfa() on the same rows: {'raw': s, 'raw_chisq': ..., 'cov': s, 'cov_chisq': ...}."""
    rscript = shutil.which("Rscript")
    if rscript is None:
        print("  lavaan: Rscript not found (install r-cran-lavaan to compare); skipped")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data.to_numpy(dtype=float).tofile(folder / "rows.bin")  # row-major doubles
        (folder / "model.lav").write_text(model, encoding="utf-8")
        (folder / "time.R").write_text(LAVAAN_SCRIPT, encoding="utf-8")
        done = subprocess.run(
            [rscript, str(folder / "time.R"), str(folder / "rows.bin"), str(len(data)),
             str(data.shape[1]), ",".join(data.columns), str(folder / "model.lav")],
            capture_output=True, text=True, check=False, timeout=3600,
        )  # fmt: skip
    if done.returncode != 0:
        print(f"  lavaan failed: {done.stderr.strip()[-300:]}")
        return None
    lines = dict(line.split(" ", 1) for line in done.stdout.strip().splitlines())
    raw, raw_chisq = (float(v) for v in lines["raw"].split())
    cov, cov_chisq = (float(v) for v in lines["cov"].split())
    print(f"  lavaan {lines['lavaan']} (R {rscript})")
    return {"raw": raw, "raw_chisq": raw_chisq, "cov": cov, "cov_chisq": cov_chisq}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--per-factor", type=int, default=PER_FACTOR, help="items per factor (5 factors)")
    parser.add_argument(
        "--parallel-iter", type=int, default=20, help="simulated data sets of parallel analysis"
    )
    parser.add_argument(
        "--blas-threads", type=int, default=1, help="BLAS threads for baseline and panel alike"
    )
    parser.add_argument("--per-call", action="store_true", help="also time each function on the DataFrame")
    parser.add_argument(
        "--lavaan", action="store_true", help="time lavaan's cfa() on the same data (needs R)"
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carebridge.settings")
    from threadpoolctl import threadpool_limits

    from carebridge.lib.stats import factor, reliability, sem
    from carebridge.lib.stats.moments import SampleMoments

    threadpool_limits(limits=args.blas_threads, user_api="blas")
    results: dict[str, float] = {}
    p = FACTORS * args.per_factor
    print(f"== psychometric panel, {args.rows:,} responses × {p} items, {FACTORS} factors, "
          f"{args.blas_threads} BLAS thread(s) ==")  # fmt: skip
    data, _ = timed("generate the answers", lambda: generate(args.rows, per_factor=args.per_factor), results)
    items = list(data.columns)
    values = data.to_numpy()
    model = cfa_model(items, args.per_factor)

    print("  baseline (bare numpy)")

    def bare_alpha() -> float:
        cov = np.cov(values, rowvar=False)
        k = cov.shape[0]
        return float(k / (k - 1) * (1 - np.trace(cov) / cov.sum()))

    alpha0 = timed("covariance matrix + alpha by formula", bare_alpha, results)
    timed(
        "correlation matrix + eigen decomposition",
        lambda: np.linalg.eigh(np.corrcoef(values, rowvar=False))[0],
        results,
    )
    baseline = (
        results["covariance matrix + alpha by formula"] + results["correlation matrix + eigen decomposition"]
    )

    print("  CareBridge (carebridge.lib.stats), the rows read once")
    moments = timed(
        "sample moments (one pass over the rows)", lambda: SampleMoments.from_frame(data, items), results
    )
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("alpha + item table (psych::alpha)", lambda: reliability.cronbach_alpha(moments, items)),
        ("KMO (psych::KMO)", lambda: factor.kmo(moments, items)),
        ("Bartlett (cortest.bartlett)", lambda: factor.bartlett_sphericity(moments, items)),
        (
            f"parallel analysis ({args.parallel_iter} Wishart draws)",
            lambda: factor.parallel_analysis_wishart(moments, items, n_iter=args.parallel_iter),
        ),
        (f"EFA minres + oblimin, {FACTORS} factors", lambda: factor.efa(moments, items, FACTORS)),
        (f"CFA, {FACTORS} factors (ML on the covariance)", lambda: sem.fit_cfa(moments, model)),
    ]
    out = {label: timed(label, step, results) for label, step in steps}
    panel = results["sample moments (one pass over the rows)"] + sum(results[label] for label, _ in steps)

    if args.per_call:
        print("  the same functions on the DataFrame (each recomputes the covariance)")
        per_call = 0.0
        for label, step in [
            ("alpha (DataFrame)", lambda: reliability.cronbach_alpha(data, items)),
            ("KMO (DataFrame)", lambda: factor.kmo(data, items)),
            ("Bartlett (DataFrame)", lambda: factor.bartlett_sphericity(data, items)),
            ("parallel analysis (DataFrame)", lambda: factor.parallel_analysis_wishart(data, items)),
            ("EFA (DataFrame)", lambda: factor.efa(data, items, FACTORS)),
            ("CFA (DataFrame)", lambda: sem.fit_cfa(data, model)),
        ]:
            timed(label, step, results)
            per_call += results[label]

    cfa_rows = timed(
        f"CFA, {FACTORS} factors, from the DataFrame (as lavaan's data=)",
        lambda: sem.fit_cfa(data, model),
        results,
    )
    lavaan = time_lavaan(data, model) if args.lavaan else None

    alpha, kmo, bartlett = (
        out["alpha + item table (psych::alpha)"],
        out["KMO (psych::KMO)"],
        out["Bartlett (cortest.bartlett)"],
    )
    parallel = out[f"parallel analysis ({args.parallel_iter} Wishart draws)"]
    efa, cfa = (
        out[f"EFA minres + oblimin, {FACTORS} factors"],
        out[f"CFA, {FACTORS} factors (ML on the covariance)"],
    )
    print("\n  results (so the timings are of a correct panel)")
    print(
        f"  alpha {alpha.raw_alpha:.4f} (bare formula {alpha0:.4f}); KMO {kmo.overall:.3f}; "
        f"Bartlett χ² {bartlett.chi2:,.0f} on {bartlett.df} df"
    )
    print(f"  parallel analysis retains {parallel.n_factors} factors (true: {FACTORS})")
    recovered = np.abs(efa.loadings.to_numpy()).max(axis=0)
    largest = ", ".join(f"{v:.2f}" for v in recovered)
    print(f"  EFA largest loading per factor: {largest} (true max .80 before cutting)")
    print(
        f"  CFA χ² {cfa.fit.chisq:,.3f} on {cfa.fit.df} df (from the DataFrame {cfa_rows.fit.chisq:,.3f}), "
        f"CFI {cfa.fit.cfi:.3f}, RMSEA {cfa.fit.rmsea:.3f}, SRMR {cfa.fit.srmr:.3f}"
    )

    print("\n  summary")
    print(f"  bare numpy baseline (cov + alpha + eigen)       {baseline:>9.3f} s")
    ratio = panel / baseline
    print(f"  CareBridge panel, rows read once                {panel:>9.3f} s   panel ÷ numpy {ratio:,.2f}×")
    from results import record

    size = f"{args.rows:,} × {p} items"
    record(
        "insights-panel",
        "psychometric panel (rows read once)",
        size,
        panel,
        baseline,
        "s",
        baseline_name="numpy",
    )
    if args.per_call:
        ratio = per_call / baseline
        print(f"  the same, each function on the DataFrame       {per_call:>9.3f} s   ÷ numpy {ratio:,.2f}×")
    ours_cov = results[f"CFA, {FACTORS} factors (ML on the covariance)"]
    ours_rows = results[f"CFA, {FACTORS} factors, from the DataFrame (as lavaan's data=)"]
    print(f"  CFA step: from the moments {ours_cov:.3f} s, from the DataFrame {ours_rows:.3f} s")
    if lavaan is not None:
        print(
            f"  lavaan cfa(data = d) {lavaan['raw']:.3f} s (χ² {lavaan['raw_chisq']:,.3f}), "
            f"cfa(sample.cov = S) {lavaan['cov']:.3f} s (χ² {lavaan['cov_chisq']:,.3f})"
        )
        print(
            f"  CFA ÷ lavaan: from the data {ours_rows / lavaan['raw']:.3f}×, "
            f"from the covariance {ours_cov / lavaan['cov']:.3f}×"
        )


if __name__ == "__main__":
    main()
