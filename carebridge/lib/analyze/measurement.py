"""Runners for the measurement analyses: describe, reliability, kmo, efa, cfa, sem and pls.

Each runner maps the options to one call of ``carebridge.lib.stats`` and shapes the result into
the documented JSON keys (docs/analyze.md); the statistics themselves live in the stats package.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypedDict

import numpy as np
import pandas as pd

from carebridge.lib.analyze.context import RATING_MINIMUM, Context, envelope
from carebridge.lib.analyze.errors import AnalyzeError, ExitCode
from carebridge.lib.analyze.inputs import read_text, require_numeric, resolve, split_list
from carebridge.lib.stats.descriptive import box_scores, item_distribution, nps
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.factor import ROTATIONS, bartlett_sphericity, efa, kmo, parallel_analysis
from carebridge.lib.stats.pls import csi_index, pls_bootstrap, plspm
from carebridge.lib.stats.reliability import cronbach_alpha, split_half
from carebridge.lib.stats.sem import fit_sem, parse_model

# Rules of thumb behind the minimum-n warnings (documented in docs/analyze.md).
FACTOR_MINIMUM, FACTOR_PER_ITEM = 100, 5  # KMO/EFA: at least 100 and 5 rows per item
SEM_MINIMUM = 200  # Kline (2016): CFA/SEM below 200 cases is small
PLS_PER_ARROW = 10  # Hair et al.: the "10-times rule"


class ItemReliability(TypedDict):
    name: str
    reversed: bool
    n: int
    r_drop: float
    alpha_if_deleted: float
    alpha_std_if_deleted: float
    raw_r: float
    std_r: float
    r_cor: float
    mean: float
    sd: float


class SemFit(TypedDict):
    chi2: float
    df: int
    p: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_ci_lower: float
    rmsea_ci_upper: float
    srmr: float
    rmsea_pvalue: float
    npar: int
    baseline_chi2: float
    baseline_df: int
    loglik: float
    aic: float
    bic: float


def _listwise(ctx: Context, frame: pd.DataFrame, columns: list[str], why: str) -> pd.DataFrame:
    complete = frame.dropna(subset=columns)
    if len(complete) < len(frame):
        ctx.warn(f"{len(frame) - len(complete)} row(s) with a missing answer were left out ({why}).")
    return complete


# ---------------------------------------------------------------------------------------------
# describe


def _box(frame: pd.DataFrame, item: str, lo: float, hi: float, ctx: Context) -> dict[str, Any]:
    top = ctx.options.top_box
    b = box_scores(frame, item, scale_min=lo, scale_max=hi, top_points=top, bottom_points=top)
    row: dict[str, Any] = {
        "name": item,
        "n": b.n,
        "n_missing": b.n_excluded,
        "mean": b.mean.estimate,
        "mean_ci": [b.mean.lower, b.mean.upper],
        "sd": b.sd,
        "linear_mean_100": b.linear_mean_100.estimate,
        "linear_mean_100_ci": [b.linear_mean_100.lower, b.linear_mean_100.upper],
        "top_box": b.top.estimate,
        "top_box_ci": [b.top.lower, b.top.upper],
        "middle": b.middle.estimate,
        "bottom_box": b.bottom.estimate,
        "bottom_box_ci": [b.bottom.lower, b.bottom.upper],
    }
    if float(lo).is_integer() and float(hi).is_integer() and hi - lo <= 20:
        dist = item_distribution(frame, item, scale_points=list(np.arange(lo, hi + 1)))
        row["distribution"] = {f"{k:g}": v for k, v in dist.counts.items()}
    if lo == 0 and hi == 10:
        score = nps(frame, item)
        row["nps"] = score.nps.estimate
        row["nps_ci"] = [score.nps.lower, score.nps.upper]
    return row


def run_describe(ctx: Context) -> dict[str, Any]:
    group = ctx.group_column(ctx.options.group, "--group", required=False)
    items = ctx.items(exclude=(group,))
    frame = ctx.frame
    require_numeric(frame, items)
    lo, hi = ctx.scale(items)
    rows = [_box(frame, item, lo, hi, ctx) for item in items]
    small = [f"{r['name']} (n={r['n']})" for r in rows if r["n"] < RATING_MINIMUM]
    if small:
        ctx.warn(f"Below the minimum n of {RATING_MINIMUM} for a rating: {', '.join(small)}.")
    body: dict[str, Any] = {"scale_min": lo, "scale_max": hi, "top_box_points": ctx.options.top_box}
    body["items"] = rows
    if group:
        groups: list[dict[str, Any]] = []
        for key, part in frame.groupby(group, sort=True):
            entries = []
            for item in items:
                try:
                    entries.append(_box(part, item, lo, hi, ctx))
                except StatsInputError as exc:
                    entries.append({"name": item, "n": int(part[item].notna().sum()), "error": str(exc)})
            groups.append({"group": str(key), "n": len(part), "items": entries})
        ctx.unit_minimum({g["group"]: g["n"] for g in groups}, f"a {group} group")
        body["group"] = group
        body["groups"] = groups
    return envelope(ctx, len(frame), body)


# ---------------------------------------------------------------------------------------------
# reliability, kmo, efa


def run_reliability(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    items = ctx.items(minimum=2)
    require_numeric(ctx.frame, items)
    reverse = ctx.reverse(items)
    lo, hi = o.scale_min, o.scale_max
    if reverse and (lo is None or hi is None):
        lo, hi = ctx.scale(items, what="The scale for reversing items")
    if o.missing not in ("pairwise", "listwise"):
        raise AnalyzeError("--missing must be pairwise or listwise.", ExitCode.USAGE)
    a = cronbach_alpha(ctx.frame, items, reverse=reverse, scale_min=lo, scale_max=hi, missing=o.missing)  # type: ignore[arg-type]
    ctx.minimum_n(a.n_rows, RATING_MINIMUM, "a reliability analysis")
    try:
        half = split_half(ctx.frame, items, reverse=reverse, scale_min=lo, scale_max=hi)
        split: dict[str, Any] | None = {
            "method": half.method,
            "first_half": list(half.first_half),
            "second_half": list(half.second_half),
            "r": half.half_correlation,
            "spearman_brown": half.spearman_brown,
            "n": half.n_rows,
        }
    except StatsInputError as exc:
        split = None
        ctx.warn(f"Split-half reliability not computed: {exc}")
    rows: list[ItemReliability] = [
        {
            "name": i.item,
            "reversed": i.reversed,
            "n": i.n,
            "r_drop": i.r_drop,
            "alpha_if_deleted": i.if_deleted.raw_alpha,
            "alpha_std_if_deleted": i.if_deleted.std_alpha,
            "raw_r": i.raw_r,
            "std_r": i.std_r,
            "r_cor": i.r_cor,
            "mean": i.mean,
            "sd": i.sd,
        }
        for i in a.items
    ]
    return envelope(
        ctx,
        a.n_rows,
        {
            "alpha": a.raw_alpha,
            "alpha_std": a.std_alpha,
            "g6_smc": a.g6_smc,
            "average_r": a.average_r,
            "median_r": a.median_r,
            "signal_noise": a.signal_noise,
            "ase": a.ase,
            "mean": a.mean,
            "sd": a.sd,
            "n_items": a.n_items,
            "missing": a.missing,
            "reverse_scale": [lo, hi] if reverse else None,
            "items": rows,
            "split_half": split,
        },
    )


def _factor_items(ctx: Context) -> tuple[list[str], pd.DataFrame]:
    items = ctx.items(minimum=3)
    require_numeric(ctx.frame, items)
    frame = ctx.frame
    if ctx.options.missing == "listwise":
        frame = _listwise(ctx, frame, items, "--missing listwise")
    minimum = max(FACTOR_MINIMUM, FACTOR_PER_ITEM * len(items))
    ctx.minimum_n(len(frame), minimum, f"factor analysis of {len(items)} items")
    return items, frame


def run_kmo(ctx: Context) -> dict[str, Any]:
    items, frame = _factor_items(ctx)
    k = kmo(frame, items)
    b = bartlett_sphericity(frame, items)
    return envelope(
        ctx,
        b.n,
        {
            "kmo": k.overall,
            "items": [{"name": name, "msa": value} for name, value in k.per_item.items()],
            "bartlett": {"chi2": b.chi2, "df": b.df, "p": b.p_value},
            "missing": ctx.options.missing,
        },
    )


def run_efa(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    items, frame = _factor_items(ctx)
    method = o.method or "minres"
    if method not in ("minres", "ml"):
        raise AnalyzeError(f"--method for efa is minres or ml, not {method!r}.", ExitCode.USAGE)
    parallel: dict[str, Any] | None = None
    n_factors = o.factors
    if n_factors is None:
        pa = parallel_analysis(frame, items, seed=o.seed or 20240601)
        parallel = {
            "n_factors": pa.n_factors,
            "n_components": pa.n_components,
            "observed_fa": list(pa.observed_fa),
            "simulated_fa": list(pa.simulated_fa),
            "n_iter": pa.n_iter,
            "seed": pa.seed,
        }
        n_factors = max(pa.n_factors, 1)
        ctx.warn(f"--factors not given: {n_factors} factor(s) retained by parallel analysis.")
    if o.rotation not in ROTATIONS:
        raise AnalyzeError(
            f"--rotation is one of {', '.join(ROTATIONS)}, not {o.rotation!r}.", ExitCode.USAGE
        )
    res = efa(frame, items, n_factors, method=method, rotation=o.rotation)  # type: ignore[arg-type]
    for message in res.warnings:
        ctx.warn(message)
    loadings = [
        {
            "name": name,
            **{f: float(res.loadings.loc[name, f]) for f in res.loadings.columns},
            "communality": res.communalities[name],
            "uniqueness": res.uniquenesses[name],
        }
        for name in res.loadings.index
    ]
    return envelope(
        ctx,
        res.n_obs,
        {
            "n_factors": res.n_factors,
            "method": res.method,
            "rotation": res.rotation,
            "loadings": loadings,
            "ss_loadings": res.ss_loadings,
            "factor_correlations": res.factor_correlations,
            "fit": {
                "chi2": res.chi2,
                "df": res.dof,
                "p": res.p_value,
                "tli": res.tli,
                "rmsea": res.rmsea,
                "rmsea_ci_lower": res.rmsea_ci_lower,
                "rmsea_ci_upper": res.rmsea_ci_upper,
                "rmsr": res.rmsr,
                "objective": res.objective,
                "null_chi2": res.null_chi2,
                "null_df": res.null_dof,
            },
            "parallel": parallel,
        },
    )


# ---------------------------------------------------------------------------------------------
# cfa / sem


def run_sem(ctx: Context) -> dict[str, Any]:
    if not ctx.options.model:
        raise AnalyzeError(
            f"{ctx.options.analysis} needs --model FILE with the model in lavaan syntax.", ExitCode.USAGE
        )
    syntax = read_text(ctx.options.model, option="--model", inline_marker="~")
    observed = list(parse_model(syntax).observed)
    resolve(ctx.frame, observed, option="--model")
    require_numeric(ctx.frame, observed)
    frame = _listwise(ctx, ctx.frame, observed, "listwise, as lavaan's default")
    res = fit_sem(frame, syntax)
    for message in res.warnings:
        ctx.warn(message)
    f = res.fit
    ctx.minimum_n(f.n_obs, SEM_MINIMUM, "CFA/SEM")
    fit: SemFit = {
        "chi2": f.chisq,
        "df": f.df,
        "p": f.pvalue,
        "cfi": f.cfi,
        "tli": f.tli,
        "rmsea": f.rmsea,
        "rmsea_ci_lower": f.rmsea_ci_lower,
        "rmsea_ci_upper": f.rmsea_ci_upper,
        "srmr": f.srmr,
        "rmsea_pvalue": f.rmsea_pvalue,
        "npar": f.npar,
        "baseline_chi2": f.baseline_chisq,
        "baseline_df": f.baseline_df,
        "loglik": f.loglik,
        "aic": f.aic,
        "bic": f.bic,
    }
    return envelope(
        ctx,
        f.n_obs,
        {
            "model": syntax.strip(),
            "fit": fit,
            "estimates": [
                {
                    "lhs": e.lhs,
                    "op": e.op,
                    "rhs": e.rhs,
                    "label": e.label,
                    "est": e.estimate,
                    "se": e.se,
                    "z": e.z,
                    "p": e.p_value,
                    "std": e.std_all,
                }
                for e in res.estimates
            ],
            "constructs": [
                {
                    "name": c.construct,
                    "indicators": list(c.indicators),
                    "cr": c.composite_reliability,
                    "ave": c.ave,
                }
                for c in res.constructs
            ],
            "latent_correlations": res.latent_correlations,
            "fornell_larcker": res.fornell_larcker,
            "htmt": res.htmt,
        },
    )


# ---------------------------------------------------------------------------------------------
# pls


_PLS_LINE = re.compile(r"^\s*(?P<lhs>[^=<~]+?)\s*(?P<op>=~|<~|~)\s*(?P<rhs>.+?)\s*$")


def parse_pls_model(
    text: str, frame: pd.DataFrame
) -> tuple[dict[str, list[str]], list[tuple[str, str]], dict[str, str]]:
    """A PLS model as JSON ({"blocks": {LV: [columns]}, "paths": [[from, to]], "modes": {LV: "B"}})
    or as lavaan-like lines: ``LV =~ a + b`` (reflective, Mode A), ``LV <~ a + b`` (formative,
    Mode B) and ``TARGET ~ SOURCE1 + SOURCE2`` (paths). Column lists may use ranges (imag1-imag5).
    Returns blocks, (source, target) paths and the modes fixed by the model."""
    blocks: dict[str, list[str]] = {}
    paths: list[tuple[str, str]] = []
    modes: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            spec = json.loads(text)
        except json.JSONDecodeError as exc:
            raise AnalyzeError(f"The PLS model is not valid JSON: {exc}.", ExitCode.DATA) from exc
        if not isinstance(spec, dict) or not isinstance(spec.get("blocks"), dict):
            raise AnalyzeError('The PLS model JSON needs "blocks": {construct: [columns]}.', ExitCode.DATA)
        for lv, cols in spec["blocks"].items():
            tokens = split_list(cols) if isinstance(cols, str) else [str(c) for c in cols]
            blocks[str(lv)] = resolve(frame, tokens, option=f"--model block {lv}")
        raw_paths = spec.get("paths", [])
        if isinstance(raw_paths, dict):  # {target: [sources]}
            raw_paths = [[s, t] for t, sources in raw_paths.items() for s in sources]
        for edge in raw_paths:
            if not isinstance(edge, list | tuple) or len(edge) != 2:
                raise AnalyzeError(f"A PLS path must be [from, to]; got {edge!r}.", ExitCode.DATA)
            paths.append((str(edge[0]), str(edge[1])))
        modes = {str(k): str(v) for k, v in spec.get("modes", {}).items()}
        return blocks, paths, modes
    for number, raw in enumerate(re.split(r"[\n;]", text), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        match = _PLS_LINE.match(line)
        if not match:
            raise AnalyzeError(
                f"Cannot read PLS model line {number}: {line!r} "
                "(use LV =~ items, LV <~ items, or TARGET ~ SOURCES).",
                ExitCode.DATA,
            )
        lhs, op = match["lhs"].strip(), match["op"]
        terms = [t.strip() for t in match["rhs"].split("+") if t.strip()]
        if op == "~":
            paths.extend((source, lhs) for source in terms)
        else:
            blocks.setdefault(lhs, []).extend(resolve(frame, terms, option=f"--model block {lhs}"))
            if op == "<~":
                modes[lhs] = "B"
    if not blocks:
        raise AnalyzeError("The PLS model defines no block (LV =~ columns).", ExitCode.DATA)
    return blocks, paths, modes


def run_pls(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    if not o.model:
        raise AnalyzeError("pls needs --model FILE (blocks and paths; see docs/analyze.md).", ExitCode.USAGE)
    blocks, paths, fixed_modes = parse_pls_model(
        read_text(o.model, option="--model", inline_marker="~"), ctx.frame
    )
    columns = [c for cols in blocks.values() for c in cols]
    require_numeric(ctx.frame, columns)
    frame = _listwise(ctx, ctx.frame, columns, "PLS-PM needs complete rows")
    modes = {lv: fixed_modes.get(lv, o.mode) for lv in blocks}
    settings: dict[str, Any] = {"modes": modes, "scheme": o.scheme, "scaled": o.standardize}
    res = plspm(frame, blocks, paths, **settings)
    boot = pls_bootstrap(frame, blocks, paths, n_boot=o.boot, seed=o.seed, **settings) if o.boot else None
    arrows = max(
        [len(blocks[lv]) for lv in blocks if modes[lv] == "B"]
        + [int(res.model.path_matrix.loc[lv].sum()) for lv in res.model.lvs]
    )
    ctx.minimum_n(res.n, PLS_PER_ARROW * arrows, "this PLS model (10 times the most arrows into a construct)")

    path_rows: list[dict[str, Any]] = []
    for target, table in res.inner_model.items():
        for source in table.index[1:]:
            row: dict[str, Any] = {
                "from": source,
                "to": target,
                "coef": float(res.path_coefs.loc[target, source]),
                "se": float(table.loc[source, "std_error"]),
                "t": float(table.loc[source, "t"]),
                "p": float(table.loc[source, "p"]),
            }
            if boot is not None:
                b = boot.paths.loc[f"{source} -> {target}"]
                row.update(boot_se=b["std_error"], ci_lower=b["perc_low"], ci_upper=b["perc_high"])
            path_rows.append(row)

    index: dict[str, float] = {}
    means: dict[str, float] = {}
    lo, hi = ctx.scale(columns, what="The rating scale of the CSI index")
    try:
        csi = csi_index(res, scale_min=lo, scale_max=hi)
        index = {lv: float(csi.loc[lv, "index"]) for lv in csi.index}
        means = {lv: float(csi.loc[lv, "mean"]) for lv in csi.index}
    except StatsInputError as exc:
        ctx.warn(f"No 0-100 index: {exc}")
    summary, unidim = res.inner_summary, res.unidim
    constructs = [
        {
            "name": lv,
            "mode": modes[lv],
            "indicators": blocks[lv],
            "type": summary.loc[lv, "type"],
            "r2": summary.loc[lv, "r2"],
            "index": index.get(lv),
            "mean": means.get(lv),
            "ave": summary.loc[lv, "ave"],
            "block_communality": summary.loc[lv, "block_communality"],
            "mean_redundancy": summary.loc[lv, "mean_redundancy"],
            "cronbach_alpha": unidim.loc[lv, "cronbach_alpha"],
            "dg_rho": unidim.loc[lv, "dillon_goldstein_rho"],
            "eig_1st": unidim.loc[lv, "eig_1st"],
            "eig_2nd": unidim.loc[lv, "eig_2nd"],
        }
        for lv in res.model.lvs
    ]
    outer = [
        {"name": mv, **{k: res.outer_model.loc[mv, k] for k in res.outer_model.columns}}
        for mv in res.model.mvs
    ]
    return envelope(
        ctx,
        res.n,
        {
            "paths": path_rows,
            "r2": {lv: float(res.r2[lv]) for lv in res.model.endogenous},
            "index": index,
            "scale_min": lo,
            "scale_max": hi,
            "gof": res.gof,
            "scheme": o.scheme,
            "scaled": o.standardize,
            "iterations": res.iterations,
            "constructs": constructs,
            "outer": outer,
            "effects": res.effects.to_dict(orient="records"),
            "bootstrap": {"n_boot": boot.n_boot, "seed": boot.seed, "level": boot.level} if boot else None,
        },
    )
