"""The indicator system as the AHP editor (层次分析法赋权) sees it: the children of one node and their
weights, and why a judgement matrix is refused (no database access)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.ahp import AhpCheck
from carebridge.surveys.domain.instruments import localised


def inconsistency_message(check: AhpCheck) -> str:
    """Why a matrix is refused, naming the judgements to revisit."""
    text = _(
        "The judgements contradict each other: CR = %(cr).3f ≥ 0.10 (λmax = %(lmax).3f, CI = %(ci).3f, "
        "RI = %(ri).2f for %(n)d criteria)."
    ) % {"cr": check.cr, "lmax": check.lambda_max, "ci": check.ci, "ri": check.ri, "n": len(check.labels)}
    pairs = [
        _("(%(row)s, %(column)s) = %(given)s, where the other judgements imply about %(implied)s")
        % {"row": d.row, "column": d.column, "given": d.given, "implied": d.implied}
        for d in check.disagreements
    ]
    if pairs:
        text += " " + _("Revise first: %(pairs)s.") % {"pairs": "; ".join(pairs)}
    return text


def weight_nodes(definition: dict[str, Any], level: str, parent_code: str | None) -> list[dict[str, Any]]:
    """The children of one node of the indicator system (scored ones only), with their weights:
    ``[{"code", "label", "weight"}]``; empty when the level or parent does not exist."""
    language = get_language() or "zh-hans"
    nodes: list[dict[str, Any]] = []
    dimensions = [d for d in definition.get("dimensions", []) if d.get("scored", True)]
    if level == "dimension":
        nodes = dimensions
    elif level == "indicator":
        nodes = next((d.get("indicators", []) for d in dimensions if d.get("code") == parent_code), [])
    elif level == "item":
        nodes = next(
            (
                i.get("items", [])
                for d in dimensions
                for i in d.get("indicators", [])
                if i.get("code") == parent_code
            ),
            [],
        )
        nodes = [n for n in nodes if n.get("type") not in ("text", "single", "multiple")]
    return [
        {
            "code": n.get("code"),
            "label": localised(n.get("title") or n.get("text"), language) or n.get("code"),
            "weight": n.get("weight", 1),
        }
        for n in nodes
    ]
