"""The customer satisfaction index model (顾客满意度指数, ACSI/ECSI) by PLS path modelling.

Constructs are the instrument's dimensions, recognised by code: image, expectation, quality, value,
satisfaction, complaints, loyalty (the library's CSI questionnaire uses these codes). The paths are
the ACSI structure (plus the ECSI image paths when there is an image dimension) unless the definition
states its own: ``"model": {"paths": [["quality", "satisfaction"], …]}``. Indicators enter on 0–100
(each item rescaled, reverse-keyed ones flipped), so all blocks share one scale, plspm runs with
``scaled=False`` as the ECSI convention does, and the construct index is plspm's rescaled score
(``stats.pls.csi_index``) on 0–100 directly. Path significance comes from a seeded bootstrap:
a path is significant when its 95 % percentile interval excludes 0.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.common import clean, number
from carebridge.insights.domain.analysis.frame import RATING_TYPES, ResponseFrame
from carebridge.lib.stats.errors import StatsInputError
from carebridge.lib.stats.pls import csi_index, pls_bootstrap, plspm

ROLES: dict[str, tuple[str, ...]] = {
    "image": ("image", "imag", "img"),
    "expectation": ("expectation", "expectations", "expe", "exp"),
    "quality": ("quality", "qual", "perceived_quality", "pq"),
    "value": ("value", "val", "perceived_value", "pv"),
    "satisfaction": ("satisfaction", "sat", "csi"),
    "complaints": ("complaints", "complaint", "comp", "cmp"),
    "loyalty": ("loyalty", "loy"),
}
ACSI_PATHS: tuple[tuple[str, str], ...] = (
    ("image", "expectation"),
    ("image", "satisfaction"),
    ("image", "loyalty"),
    ("expectation", "quality"),
    ("expectation", "value"),
    ("expectation", "satisfaction"),
    ("quality", "value"),
    ("quality", "satisfaction"),
    ("value", "satisfaction"),
    ("satisfaction", "complaints"),
    ("satisfaction", "loyalty"),
    ("complaints", "loyalty"),
)
PLS_MINIMUM_N = 100

Progress = Callable[[int], None]


def csi_structure(frame: ResponseFrame) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """Blocks (dimension code → rating items) and paths (source, target) of the CSI model, or an
    error when the instrument has no recognisable CSI structure."""
    if frame.version is None:
        raise StatsInputError(_("There are no responses to model."))
    blocks = {
        d.code: [c for c in d.items if frame.item(c).item_type in RATING_TYPES and c in frame.scores]
        for d in frame.dimensions
    }
    blocks = {code: items for code, items in blocks.items() if items}
    stated = (frame.version.definition.get("model") or {}).get("paths")
    if isinstance(stated, list):
        paths = [(str(a), str(b)) for a, b in stated if a in blocks and b in blocks]
    else:
        role_of: dict[str, str] = {}
        for code in blocks:
            for role, aliases in ROLES.items():
                if code.lower() in aliases:
                    role_of.setdefault(role, code)
        paths = [(role_of[a], role_of[b]) for a, b in ACSI_PATHS if a in role_of and b in role_of]
    used = {c for path in paths for c in path}
    if len(paths) < 2:
        raise StatsInputError(
            _(
                "This instrument has no CSI model: its dimensions are not expectation, quality, value, "
                "satisfaction, complaints and loyalty, and its definition states no paths."
            )
        )
    return {c: blocks[c] for c in blocks if c in used}, paths


def csi_model(
    frame: ResponseFrame, *, n_boot: int = 200, seed: int = 20240601, progress: Progress | None = None
) -> dict[str, Any]:
    """Estimate the CSI model. Returns ``{"n", "nodes": [{"code", "label", "index", "r2"}], "edges":
    [{"source", "target", "coef", "lower", "upper", "p", "significant"}], "gof", "n_boot",
    "warnings"}`` — the ECharts graph of the CSI page draws exactly this."""
    report = progress or (lambda _percent: None)
    if frame.suppressed(frame.n):
        return {"suppressed": True, "nodes": [], "edges": [], "warnings": []}
    blocks, paths = csi_structure(frame)
    columns = sorted({c for items in blocks.values() for c in items})
    data = frame.scores[columns].dropna()
    warnings: list[str] = []
    if len(data) < PLS_MINIMUM_N:
        warnings.append(
            _("The model rests on %(n)d complete answers; at least %(min)d are advised.")
            % {"n": len(data), "min": PLS_MINIMUM_N}
        )
    report(10)
    boot = pls_bootstrap(data, blocks, paths, scaled=False, n_boot=n_boot, seed=seed, scheme="path")
    report(85)
    result = plspm(data, blocks, paths, scaled=False, scheme="path")
    try:
        index = csi_index(result, scale_min=0.0, scale_max=100.0)["index"].to_dict()
    except StatsInputError as error:
        warnings.append(str(error))
        index = {code: float(data[items].mean(axis=1).mean()) for code, items in blocks.items()}
    r2 = result.r2.to_dict()
    nodes = [
        {
            "code": code,
            "label": frame.dimension_label(code),
            "index": number(index.get(code), 2),
            "r2": number(r2.get(code), 3) if code in {b for _a, b in paths} else None,
        }
        for code in blocks
    ]
    edges = []
    for source, target in paths:
        row = boot.paths.loc[f"{source} -> {target}"]
        lower, upper = float(row["perc_low"]), float(row["perc_high"])
        table = result.inner_model.get(target)
        p = float(table.loc[source, "p"]) if table is not None and source in table.index else None
        edges.append(
            {
                "source": source,
                "target": target,
                "source_label": frame.dimension_label(source),
                "target_label": frame.dimension_label(target),
                "coef": number(row["original"], 3),
                "lower": number(lower, 3),
                "upper": number(upper, 3),
                "p": number(p, 4),
                "significant": bool(lower > 0 or upper < 0),
            }
        )
    return clean(
        {
            "suppressed": False,
            "n": int(result.n),
            "nodes": nodes,
            "edges": edges,
            "gof": number(result.gof, 3),
            "n_boot": n_boot,
            "warnings": warnings,
        }
    )
