"""Runners for the analyses that turn measurements into decisions: ahp, entropy, fuzzy, ipa, drivers,
adjust, compare and text (see docs/analyze.md for their options and JSON keys)."""

from __future__ import annotations

import json
from typing import Any, TypedDict

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from carebridge.lib.analyze.context import RATING_MINIMUM, Context, envelope
from carebridge.lib.analyze.errors import AnalyzeError, ExitCode
from carebridge.lib.analyze.inputs import read_matrix, read_text, read_weights, require_numeric, split_list
from carebridge.lib.stats.adjust import patient_mix_adjust
from carebridge.lib.stats.compare import compare_box_shares, compare_means, p_adjust, pairwise_compare
from carebridge.lib.stats.drivers import relative_weights
from carebridge.lib.stats.fuzzy import fuzzy_evaluate, fuzzy_evaluate_hierarchy, membership_matrix
from carebridge.lib.stats.ipa import QUADRANTS, ipa, ipa_from_survey
from carebridge.lib.stats.text import analyze_comments
from carebridge.lib.stats.weights import CONSISTENCY_LIMIT, AhpResult, ahp, entropy_weights


class AhpOutput(TypedDict):
    weights: dict[str, float]
    lambda_max: float
    ci: float
    ri: float
    cr: float
    consistent: bool
    criteria: list[dict[str, Any]]
    matrix: pd.DataFrame
    matrix_file: str


def _saaty(value: float) -> str:
    """A ratio as the nearest judgement on Saaty's 1-9 scale ('3' or '1/3')."""
    if value >= 1:
        return f"{min(9, round(value))}"
    inverse = min(9, round(1 / value))
    return "1" if inverse == 1 else f"1/{inverse}"


def _inconsistency(matrix: pd.DataFrame, res: AhpResult) -> str:
    """Explain a refused matrix: CR against the limit and the judgement that disagrees most with
    the weights (the largest |ln(a_ij w_j / w_i)|), with the value the weights would imply."""
    w = res.weights.to_numpy()
    a = matrix.to_numpy()
    error = np.abs(np.log(a * w[None, :] / w[:, None]))
    i, j = np.unravel_index(int(np.argmax(np.triu(error, 1))), error.shape)
    labels = list(matrix.index)
    return (
        f"The comparison matrix is inconsistent: CR = {res.cr:.3f} ≥ {CONSISTENCY_LIMIT:.2f} "
        f"(λmax = {res.lambda_max:.3f}, CI = {res.ci:.3f}, RI = {res.ri:.2f} for {res.n} criteria), so the "
        f"judgements contradict each other; the one that disagrees most with the rest is "
        f"({labels[i]}, {labels[j]}) = {_saaty(a[i, j])}, where the other judgements imply about "
        f"{_saaty(w[i] / w[j])}. Revise it and run again, or pass --allow-inconsistent."
    )


def run_ahp(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    path = o.matrix or o.csv
    if path is None:
        raise AnalyzeError("ahp needs the pairwise comparison matrix: --matrix FILE.", ExitCode.USAGE)
    matrix, filled = read_matrix(path, encoding=o.encoding, sep=o.sep)
    if filled:
        ctx.warn(f"{filled} empty cell(s) filled with the reciprocal of their mirror judgement.")
    res = ahp(matrix)
    if not res.consistent:
        explanation = _inconsistency(matrix, res)
        if not o.allow_inconsistent:
            raise AnalyzeError(explanation, ExitCode.INCONSISTENT)
        ctx.warn(explanation)
    ranks = res.weights.rank(ascending=False, method="min").astype(int)
    body: AhpOutput = {
        "weights": {str(k): float(v) for k, v in res.weights.items()},
        "lambda_max": res.lambda_max,
        "ci": res.ci,
        "ri": res.ri,
        "cr": res.cr,
        "consistent": res.consistent,
        "criteria": [{"name": k, "weight": float(v), "rank": int(ranks[k])} for k, v in res.weights.items()],
        "matrix": matrix,
        "matrix_file": str(path),
    }
    return envelope(ctx, res.n, dict(body))


def run_entropy(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    group = ctx.group_column(o.group, "--group", required=False)
    items = ctx.items(exclude=(group,), minimum=2)
    require_numeric(ctx.frame, items)
    cost = ctx.reverse(items)
    normalise = o.method or "minmax"
    if normalise not in ("minmax", "none"):
        raise AnalyzeError(f"--method for entropy is minmax or none, not {normalise!r}.", ExitCode.USAGE)
    data = ctx.frame[items]
    if group:
        # Units (departments) are the alternatives: their item means form the decision matrix.
        grouped = ctx.frame.groupby(group, sort=True)
        data = grouped[items].mean()
        ctx.unit_minimum({str(k): int(v) for k, v in grouped.size().items()}, f"a {group} group")
    res = entropy_weights(data, items, cost=cost, normalise=normalise)
    return envelope(
        ctx,
        res.n,
        {
            "weights": res.weights,
            "entropy": res.entropy,
            "divergence": res.divergence,
            "cost": cost,
            "normalise": normalise,
            "group": group,
            "units": [str(u) for u in data.index] if group else None,
        },
    )


def _weights_for(ctx: Context, items: list[str]) -> dict[str, float]:
    o = ctx.options
    if not o.weights:
        ctx.warn("No --weights given: every item weighs the same.")
        return dict.fromkeys(items, 1.0 / len(items))
    weights = read_weights(o.weights, encoding=o.encoding, sep=o.sep)
    unknown = [k for k in weights if k not in items]
    lacking = [i for i in items if i not in weights]
    if unknown or lacking:
        raise AnalyzeError(
            f"--weights must name exactly the items: not items {unknown}, items without a weight {lacking}.",
            ExitCode.USAGE,
        )
    return weights


def run_fuzzy(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    hierarchy: dict[str, Any] | None = None
    if o.model:
        try:
            hierarchy = json.loads(read_text(o.model, option="--model", inline_marker="{"))
        except json.JSONDecodeError as exc:
            raise AnalyzeError(f"The fuzzy model is not valid JSON: {exc}.", ExitCode.DATA) from exc
        if not isinstance(hierarchy, dict) or not isinstance(hierarchy.get("dimensions"), dict):
            raise AnalyzeError('The fuzzy model needs "dimensions": {name: {item: weight}}.', ExitCode.DATA)
        items = ctx.columns(",".join(i for d in hierarchy["dimensions"].values() for i in d), "--model")
    else:
        items = ctx.items(minimum=2)
    require_numeric(ctx.frame, items)
    lo, hi = ctx.scale(items)
    if not (float(lo).is_integer() and float(hi).is_integer()) or hi - lo > 20:
        raise AnalyzeError("Fuzzy evaluation needs a scale of whole-number answer codes.", ExitCode.USAGE)
    grades = [float(g) for g in np.arange(hi, lo - 1, -1)]  # best grade first, as 很满意 … 很不满意
    labels = [f"{g:g}" for g in grades]
    values = [(g - lo) / (hi - lo) * 100 for g in grades]
    membership = membership_matrix(ctx.frame, items, grades, labels=labels)
    operator = o.method or "weighted_average"
    n = int(ctx.frame[items].notna().any(axis=1).sum())
    ctx.minimum_n(n, RATING_MINIMUM, "a rating")
    body: dict[str, Any] = {"grades": labels, "grade_values": values, "operator": operator}
    if hierarchy is not None:
        dims = {
            str(d): (
                dict.fromkeys(v, 1.0) if isinstance(v, list) else {str(k): float(w) for k, w in v.items()}
            )
            for d, v in hierarchy["dimensions"].items()
        }
        dim_weights = {
            str(k): float(v) for k, v in hierarchy.get("weights", dict.fromkeys(dims, 1.0)).items()
        }
        result = fuzzy_evaluate_hierarchy(
            membership, dims, dim_weights, operator=operator, grade_values=values
        )
        overall = result.overall
        table = result.dimensions
        body["dimensions"] = [
            {
                "name": d,
                "membership": {g: table.loc[d, g] for g in labels},
                "score": table.loc[d, "score"],
                "grade": table.loc[d, "grade"],
            }
            for d in table.index
        ]
        body["weights"] = dim_weights
    else:
        weights = _weights_for(ctx, items)
        overall = fuzzy_evaluate(weights, membership, operator=operator, grade_values=values)
        body["weights"] = weights
    body.update(
        membership=membership,
        vector=overall.vector,
        evaluation=overall.membership,
        score=overall.score,
        grade=overall.grade,
    )
    return envelope(ctx, n, body)


def run_ipa(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    overall = ctx.column(o.target, "--target/--overall", required=False)
    items = ctx.items(exclude=(overall,), minimum=2)
    require_numeric(ctx.frame, [*items, *([overall] if overall else [])])
    if o.weights:
        importance = _weights_for(ctx, items)
        res = ipa(importance, ctx.frame[items].mean())
        source, n = "stated (--weights)", len(ctx.frame)
    elif overall:
        method = o.method or "pearson"
        res = ipa_from_survey(ctx.frame, items, overall, method=method)
        source = f"derived: {method} correlation with {overall}"
        n = int(ctx.frame[[*items, overall]].dropna().shape[0])
    else:
        raise AnalyzeError(
            "ipa needs --target COLUMN (importance derived from the overall rating) or --weights.",
            ExitCode.USAGE,
        )
    ctx.minimum_n(n, RATING_MINIMUM, "importance-performance analysis")
    attributes = [{"name": name, **row} for name, row in res.table.to_dict(orient="index").items()]
    return envelope(
        ctx,
        n,
        {
            "importance_source": source,
            "importance_cut": res.importance_cut,
            "performance_cut": res.performance_cut,
            "attributes": attributes,
            "quadrants": QUADRANTS,
        },
    )


def run_drivers(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    target = ctx.column(o.target, "--target")
    assert target is not None  # noqa: S101 - required=True above
    items = ctx.items(exclude=(target,), minimum=2)
    require_numeric(ctx.frame, [*items, target])
    res = relative_weights(ctx.frame, target, items, n_boot=o.boot, seed=o.seed)
    ctx.minimum_n(res.n, RATING_MINIMUM, "key-driver analysis")
    table = res.table.sort_values("raw_weight", ascending=False)
    drivers = [
        {"name": name, "rank": rank, **row} for rank, (name, row) in enumerate(table.iterrows(), start=1)
    ]
    return envelope(
        ctx,
        res.n,
        {"target": target, "r2": res.r2, "drivers": drivers, "n_boot": res.n_boot, "seed": res.seed},
    )


def run_adjust(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    target = ctx.column(o.target, "--target")
    unit = ctx.group_column(o.unit or o.group, "--unit")
    assert target is not None and unit is not None  # noqa: S101 - both required above
    mode = ctx.column(o.survey_mode, "--survey-mode", required=False)
    numeric: list[str] = []
    categorical: list[str] = []
    for token in split_list(o.adjusters):
        name, _, kind = token.partition(":")
        column = ctx.columns(name, "--adjusters")[0]
        series = ctx.frame[column]
        if kind in ("cat", "categorical") or (
            not kind and (is_bool_dtype(series) or not is_numeric_dtype(series))
        ):
            categorical.append(column)
        elif kind in ("", "num", "numeric"):
            require_numeric(ctx.frame, [column])
            numeric.append(column)
        else:
            raise AnalyzeError(f"--adjusters: use NAME, NAME:cat or NAME:num, not {token!r}.", ExitCode.USAGE)
    if not (numeric or categorical or mode):
        raise AnalyzeError("adjust needs --adjusters (and/or --survey-mode).", ExitCode.USAGE)
    require_numeric(ctx.frame, [target])
    res = patient_mix_adjust(ctx.frame, target, unit, numeric=numeric, categorical=categorical, mode=mode)
    if res.n_dropped:
        ctx.warn(f"{res.n_dropped} row(s) missing the score, unit or an adjuster were left out.")
    ctx.unit_minimum({str(k): int(v) for k, v in res.table["n"].items()}, f"a {unit}")
    units = [{"unit": str(name), **row} for name, row in res.table.to_dict(orient="index").items()]
    return envelope(
        ctx,
        res.n,
        {
            "target": target,
            "unit": unit,
            "adjusters": {"numeric": numeric, "categorical": categorical, "mode": mode},
            "units": units,
            "coefficients": res.coefficients,
            "overall_mean": res.overall_mean,
            "overall_predicted": res.overall_predicted,
            "r2": res.r2,
            "n_dropped": res.n_dropped,
        },
    )


def run_compare(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    group = ctx.group_column(o.group or o.unit, "--group")
    assert group is not None  # noqa: S101 - required above
    items = [ctx.column(o.target, "--target")] if o.target and not o.items else ctx.items(exclude=(group,))
    names = [str(i) for i in items]
    require_numeric(ctx.frame, names)
    method = o.method or "anova"
    if method not in ("anova", "kruskal", "proportion"):
        raise AnalyzeError(
            f"--method for compare is anova, kruskal or proportion, not {method!r}.", ExitCode.USAGE
        )
    top: list[float] = []
    if method == "proportion":
        _, hi = ctx.scale(names)
        top = [float(v) for v in np.arange(hi - o.top_box + 1, hi + 1)]
    results = []
    for item in names:
        pairwise_test = {"anova": "welch", "kruskal": "mannwhitney", "proportion": "proportion"}[method]
        if method == "proportion":
            prop = compare_box_shares(ctx.frame, item, group, top=top)
            test: dict[str, Any] = {
                "method": prop.method,
                "statistic": prop.statistic,
                "df": [prop.df],
                "p": prop.p,
            }
            test["effect_size"] = prop.cohens_h
            groups = prop.groups
        else:
            res = compare_means(ctx.frame, item, group, method=method)
            test = {"method": res.method, "statistic": res.statistic, "df": list(res.df), "p": res.p}
            test["effect_size"] = res.effect_size
            groups = res.groups
        pairs = pairwise_compare(
            ctx.frame, item, group, against=o.against, test=pairwise_test, top=top or None, adjust=o.adjust
        )
        results.append(
            {
                "name": item,
                "test": test,
                "groups": [{"group": str(k), **row} for k, row in groups.to_dict(orient="index").items()],
                "pairwise": pairs.to_dict(orient="records"),
            }
        )
    adjusted = p_adjust([r["test"]["p"] for r in results], o.adjust)
    for r, p in zip(results, adjusted, strict=True):
        r["test"]["p_adj"] = p
    counts = ctx.frame.groupby(group, sort=True).size()
    ctx.unit_minimum({str(k): int(v) for k, v in counts.items()}, f"a {group} group")
    return envelope(
        ctx,
        int(ctx.frame[group].notna().sum()),
        {
            "group": group,
            "method": method,
            "against": o.against,
            "adjust": o.adjust,
            "top_box": top or None,
            "items": results,
        },
    )


def run_text(ctx: Context) -> dict[str, Any]:
    o = ctx.options
    column = ctx.column(o.text_column, "--text-column")
    assert column is not None  # noqa: S101 - required above
    group = ctx.group_column(o.group, "--group", required=False)
    if o.examples < 0:
        raise AnalyzeError("--examples must not be negative.", ExitCode.USAGE)
    summary = analyze_comments(ctx.frame[column].tolist(), examples=o.examples)
    body: dict[str, Any] = {
        "column": column,
        "polarity": summary.polarity,
        "topics": [{"topic": name, **row} for name, row in summary.topics.to_dict(orient="index").items()],
        "comments": summary.comments.to_dict(orient="records"),
        "n_skipped": summary.n_skipped,
    }
    if group:
        texts = ctx.frame[[column, group]].dropna()
        by_text = dict(zip(summary.comments["text"], summary.comments["polarity"], strict=False))
        rows = []
        for key, part in texts.groupby(group, sort=True):
            labels = pd.Series([by_text.get(t) for t in part[column] if t in by_text])
            counts = labels.value_counts()
            rows.append(
                {"group": str(key), "n": len(labels), **{k: int(counts.get(k, 0)) for k in summary.polarity}}
            )
        body["groups"] = rows
    return envelope(ctx, len(summary.comments), body)
