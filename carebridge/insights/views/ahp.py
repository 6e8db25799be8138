"""The AHP editor (层次分析法赋权): pairwise judgements → weights of a draft version's indicator system.

The analyst picks a draft version, a level (dimensions, the indicators of one dimension, the items of
one indicator) and fills the judgements above the diagonal. "Check" shows the weights and the
consistency ratio; "Apply" sets the weights through ``services.weights.weights_set_by_ahp``, which refuses a
matrix with CR ≥ 0.10 — naming the judgements to revisit — and changes nothing then.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from carebridge.insights.domain.analysis.ahp import ahp_check, matrix_from_upper
from carebridge.insights.domain.weights import inconsistency_message, weight_nodes
from carebridge.insights.forms.ahp import AhpForm
from carebridge.insights.selectors.instruments import draft_versions
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION
from carebridge.insights.services.weights import Level, weights_set_by_ahp
from carebridge.insights.views.analysis import TABS
from carebridge.lib.stats.errors import StatsInputError

LEVELS = (
    ("dimension", _("Dimensions")),
    ("indicator", _("Indicators of a dimension")),
    ("item", _("Items of an indicator")),
)
EDIT_PERMISSION = "surveys.change_instrumentversion"


def _parents(definition: dict[str, Any], level: str) -> list[tuple[str, str]]:
    dimensions = [d for d in definition.get("dimensions", []) if d.get("scored", True)]
    if level == "indicator":
        return [(d["code"], d["code"]) for d in dimensions]
    if level == "item":
        return [
            (i["code"], f"{d['code']} / {i['code']}") for d in dimensions for i in d.get("indicators", [])
        ]
    return []


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def ahp_editor(request: HttpRequest) -> HttpResponse:
    params = request.POST if request.method == "POST" else request.GET
    drafts = list(draft_versions(user=request.user))
    context: dict[str, Any] = {
        "tab": "ahp",
        "tabs": TABS,
        "drafts": drafts,
        "levels": LEVELS,
        "can_edit": request.user.has_perm(EDIT_PERMISSION),
    }
    version = next((v for v in drafts if str(v.pk) == params.get("version")), drafts[0] if drafts else None)
    if version is None:
        return render(request, "insights/ahp.html", context)
    level: Level = cast(Level, params.get("level")) if params.get("level") in dict(LEVELS) else "dimension"
    parents = _parents(version.definition, level)
    parent = (
        params.get("parent")
        if params.get("parent") in dict(parents)
        else (parents[0][0] if parents else None)
    )
    nodes = weight_nodes(version.definition, level, parent)
    labels = [(n["code"], n["label"]) for n in nodes]
    context.update(version=version, level=level, parents=parents, parent=parent, nodes=nodes)
    if not 2 <= len(labels) <= 15:
        context["notice"] = _("AHP compares 2 to 15 criteria; this node has %(n)d.") % {"n": len(labels)}
        return render(request, "insights/ahp.html", context)
    form = AhpForm(request.POST if request.method == "POST" else None, labels=labels)
    context["form"] = form
    if request.method != "POST":
        return render(request, "insights/ahp.html", context)
    if not context["can_edit"]:
        raise PermissionDenied(_("Only the quality office sets weights."))
    if not form.is_valid():
        return render(request, "insights/ahp.html", context, status=400)
    codes = [code for code, _label in labels]
    try:
        matrix = matrix_from_upper(codes, form.upper())
        check = ahp_check(codes, matrix)
    except StatsInputError as error:
        form.add_error(None, str(error))
        return render(request, "insights/ahp.html", context, status=400)
    context["check"] = check
    context["weights"] = [(code, label, check.weights[code]) for code, label in labels]
    if request.POST.get("action") != "apply":
        if not check.consistent:
            context["refusal"] = inconsistency_message(check)
        return render(request, "insights/ahp.html", context)
    try:
        weights_set_by_ahp(
            version=version, actor=request.user, level=level, parent_code=parent, labels=codes, matrix=matrix
        )
    except ValidationError as error:
        context["refusal"] = " ".join(error.messages)
        return render(request, "insights/ahp.html", context, status=400)
    messages.success(request, _("The weights of the draft were set (CR = %(cr).3f).") % {"cr": check.cr})
    query = urlencode({"version": str(version.pk), "level": level, "parent": parent or ""})
    return redirect(f"{request.path}?{query}")
