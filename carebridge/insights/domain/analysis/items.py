"""Item distributions (题目分布): counts per answer, top/middle/bottom box and 0–100 means.

Box scores answer the review's complaint that a single "satisfaction rate" hides problems: every scored
item shows the share of favourable (top box), middling and unfavourable (bottom box) answers with
Wilson intervals, oriented so that "top" is always favourable (reverse-keyed items are recoded first).
Boxes: two points on 4-, 5- and 7-point scales; 9–10 against 0–6 on a 0–10 item (the NPS cut);
9–10 against 1–6 on a 1–10 item; yes against no.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from carebridge.insights.domain.analysis.common import clean, number
from carebridge.insights.domain.analysis.frame import ResponseFrame
from carebridge.lib.stats.descriptive import box_scores
from carebridge.surveys.choices import ItemType
from carebridge.surveys.domain.instruments import ItemSpec, localised


def box_points(spec: ItemSpec) -> tuple[int, int]:
    """How many scale points make the top and the bottom box of an item."""
    if spec.item_type == ItemType.SCALE_0_10:
        return 2, 7
    if spec.item_type == ItemType.SCALE_1_10:
        return 2, 6
    if spec.item_type == ItemType.YES_NO:
        return 1, 1
    return 2, 2


def _answer_labels(spec: ItemSpec, language: str, points: list[float]) -> list[str]:
    labels = spec.spec.get("labels")
    texts = None
    if isinstance(labels, dict):
        key = "en" if language.startswith("en") else "zh-hans"
        texts = labels.get(key) or labels.get("zh-hans")
    if isinstance(texts, list) and len(texts) == len(points):
        return [str(t) for t in texts]
    return [f"{p:g}" for p in points]


def item_distributions(frame: ResponseFrame, *, language: str = "zh-hans") -> list[dict[str, Any]]:
    """One entry per scored item of the analysed version, in questionnaire order.

    Each: ``code, label, dimension, type, reverse, n, n_na, points, answer_labels, counts`` (per
    scale point as asked), ``top, middle, bottom`` (shares of favourable / middling / unfavourable
    answers, each ``{share, lower, upper}``), ``mean_100`` (``{estimate, lower, upper}``), ``small``
    (fewer than 30 answers), ``suppressed`` (anonymous wave, group below its minimum).
    """
    out = []
    for spec in frame.items:
        if not spec.scored or spec.code not in frame.values:
            continue
        low, high = spec.scale_min or 0.0, spec.scale_max or 1.0
        raw = frame.values[spec.code]
        keyed = frame.keyed[spec.code].dropna()
        n = int(keyed.size)
        n_na = int(raw.isna().sum())
        points = [float(p) for p in np.arange(low, high + 1)]
        entry: dict[str, Any] = {
            "code": spec.code,
            "label": localised(spec.text, language),
            "dimension": spec.dimension,
            "type": spec.item_type,
            "reverse": spec.reverse,
            "n": n,
            "n_na": n_na,
            "small": n < 30,
            "suppressed": frame.suppressed(n),
            "points": points,
            "answer_labels": _answer_labels(spec, language, points),
        }
        if entry["suppressed"] or n < 2:
            out.append(
                {**entry, "counts": None, "top": None, "middle": None, "bottom": None, "mean_100": None}
            )
            continue
        counts = raw.value_counts()
        top_points, bottom_points = box_points(spec)
        boxes = box_scores(
            pd.DataFrame({"x": keyed}),
            "x",
            scale_min=low,
            scale_max=high,
            top_points=top_points,
            bottom_points=bottom_points,
        )

        def share(interval: Any) -> dict[str, float | None]:
            return {
                "share": number(interval.estimate),
                "lower": number(interval.lower),
                "upper": number(interval.upper),
            }

        out.append(
            {
                **entry,
                "counts": [int(counts.get(p, 0)) for p in points],
                "top": share(boxes.top),
                "middle": share(boxes.middle),
                "bottom": share(boxes.bottom),
                "mean_100": {
                    "estimate": number(boxes.linear_mean_100.estimate),
                    "lower": number(boxes.linear_mean_100.lower),
                    "upper": number(boxes.linear_mean_100.upper),
                },
            }
        )
    return clean(out)
