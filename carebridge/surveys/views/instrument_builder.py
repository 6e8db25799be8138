"""The instrument builder (问卷编辑器): a draft edited node by node with htmx, previewed live.

The page has three panes: the tree of dimensions → indicators → items (edit, add, move, remove), the
editor of one node (or of the weights of a node's children, or of the survey texts), and the live
preview with each item's effective weight in the overall index, next to the JSON. Every change is
made on a copy of the definition (``carebridge.surveys.domain.builder``) and saved through ``draft_update`` /
``draft_set_weights``, which validate the whole definition: a refused change shows every problem and
changes nothing. htmx requests get the workspace partial back; plain form posts a redirect.
"""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebridge.surveys.choices import VersionStatus
from carebridge.surveys.domain.builder import (
    LEVELS,
    NodeNotFound,
    add_node,
    find_node,
    move_node,
    preview,
    remove_node,
    replace_node,
    unused_code,
)
from carebridge.surveys.domain.instruments import localised
from carebridge.surveys.forms.instruments import (
    GroupForm,
    ItemForm,
    JsonForm,
    SurveyTextForm,
    WeightsForm,
    earlier_item_codes,
)
from carebridge.surveys.models import InstrumentVersion
from carebridge.surveys.selectors.instruments import version_list
from carebridge.surveys.services.instruments import WeightLevel, draft_set_weights, draft_update

CHANGE = "surveys.change_instrument"


def _draft(request: HttpRequest, pk: int) -> InstrumentVersion:
    return get_object_or_404(version_list(user=request.user), pk=pk)


def _language() -> str:
    return get_language() or "zh-hans"


def _render(
    request: HttpRequest,
    version: InstrumentVersion,
    *,
    editor: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The whole page, or only the workspace for htmx; ``editor`` is the open form, if any."""
    definition = version.definition
    context = {
        "version": version,
        "instrument": version.instrument,
        "groups": preview(definition, _language()),
        "title": localised(definition.get("title"), _language()),
        "intro": localised(definition.get("intro"), _language()),
        "definition_json": json.dumps(definition, ensure_ascii=False, indent=2),
        "json_form": JsonForm(initial={"definition": json.dumps(definition, ensure_ascii=False, indent=2)}),
        "editor": editor,
        "problems": problems or [],
    }
    htmx = getattr(request, "htmx", False)
    template = "surveys/instrument_builder_workspace.html" if htmx else "surveys/instrument_builder.html"
    return render(request, template, context, status=status)


def _saved(request: HttpRequest, version: InstrumentVersion) -> HttpResponse:
    if getattr(request, "htmx", False):
        return _render(request, version)
    return redirect("surveys:version_builder", pk=version.pk)


@login_required
@permission_required(CHANGE, raise_exception=True)
def version_builder(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft(request, pk)
    if version.status != VersionStatus.DRAFT:
        return redirect("surveys:version_detail", pk=pk)
    return _render(request, version)


def _node_editor(
    request: HttpRequest, version: InstrumentVersion, data: Any = None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The form for the node named in the query (``level``, ``code`` or ``parent`` for a new one)."""
    definition = version.definition
    level = request.GET.get("level", "")
    code = request.GET.get("code") or None
    parent = request.GET.get("parent") or None
    if level == "survey":
        initial = SurveyTextForm.initial_for(definition)
        return {
            "form": SurveyTextForm(data, initial=initial),
            "level": level,
            "code": None,
            "parent": None,
        }, None
    if level not in LEVELS:
        raise NodeNotFound(level)
    original = find_node(definition, level, code) if code else None
    if original is None and level != "dimension":
        find_node(definition, "dimension" if level == "indicator" else "indicator", parent or "")
    if level == "item":
        earlier = earlier_item_codes(definition, code)
        initial = ItemForm.initial_for(original or {"code": unused_code(definition, "q"), "type": "likert"})
        form: Any = ItemForm(data, initial=initial, earlier_codes=earlier)
    else:
        prefix = "d" if level == "dimension" else "i"
        initial = GroupForm.initial_for(original or {"code": unused_code(definition, prefix)})
        form = GroupForm(data, initial=initial, level=level)
    return {"form": form, "level": level, "code": code, "parent": parent}, original


@login_required
@permission_required(CHANGE, raise_exception=True)
def builder_node(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the editor of one node; POST: save it (a new node is appended to its parent)."""
    version = _draft(request, pk)
    try:
        editor, original = _node_editor(request, version, request.POST if request.method == "POST" else None)
    except NodeNotFound:
        return _render(
            request, version, problems=[_("That part of the questionnaire no longer exists.")], status=404
        )
    if request.method != "POST":
        return _render(request, version, editor=editor)
    form = editor["form"]
    if not form.is_valid():
        return _render(request, version, editor=editor, status=400)
    level, code = editor["level"], editor["code"]
    if level == "survey":
        definition = form.apply(version.definition)
    elif code:
        definition = replace_node(version.definition, level, code, form.node(original))
    else:
        fresh = form.node()
        if level != "item":
            child = "indicator" if level == "dimension" else "item"
            fresh[{"dimension": "indicators", "indicator": "items"}[level]] = [_placeholder(child, version)]
        definition = add_node(version.definition, level, editor["parent"], fresh)
    try:
        draft_update(version=version, actor=request.user, definition=definition)
    except ValidationError as exc:
        return _render(request, version, editor=editor, problems=exc.messages, status=400)
    return _saved(request, version)


def _placeholder(level: str, version: InstrumentVersion) -> dict[str, Any]:
    """A first child for a new group (a group needs at least one), to be edited next."""
    item = {
        "code": unused_code(version.definition, "q"),
        "type": "likert",
        "points": 5,
        "text": {"zh-hans": "新问题", "en": "New question"},
    }
    if level == "item":
        return item
    return {
        "code": unused_code(version.definition, "i"),
        "title": {"zh-hans": "新指标", "en": "New indicator"},
        "weight": 1,
        "items": [item],
    }


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def builder_op(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a node up or down, or remove it."""
    version = _draft(request, pk)
    op, level, code = request.POST.get("op"), request.POST.get("level", ""), request.POST.get("code", "")
    try:
        if op == "up":
            definition = move_node(version.definition, level, code, -1)
        elif op == "down":
            definition = move_node(version.definition, level, code, 1)
        elif op == "remove":
            definition = remove_node(version.definition, level, code)
        else:
            return _render(request, version, problems=[_("Unknown action.")], status=400)
    except NodeNotFound:
        return _render(
            request, version, problems=[_("That part of the questionnaire no longer exists.")], status=404
        )
    try:
        draft_update(version=version, actor=request.user, definition=definition)
    except ValidationError as exc:
        return _render(request, version, problems=exc.messages, status=400)
    return _saved(request, version)


def _children(version: InstrumentVersion, level: str, parent: str | None) -> list[tuple[str, str, float]]:
    definition = version.definition
    language = _language()
    if level == "dimension":
        nodes = definition.get("dimensions", [])
    elif level == "indicator":
        nodes = find_node(definition, "dimension", parent or "").get("indicators", [])
    else:
        nodes = find_node(definition, "indicator", parent or "").get("items", [])
    return [
        (n.get("code", ""), localised(n.get("title") or n.get("text"), language), n.get("weight", 1))
        for n in nodes
    ]


@login_required
@permission_required(CHANGE, raise_exception=True)
def builder_weights(request: HttpRequest, pk: int) -> HttpResponse:
    """The weights of the children of one node, edited side by side (``draft_set_weights``)."""
    version = _draft(request, pk)
    level, parent = request.GET.get("level", ""), request.GET.get("parent") or None
    if level not in LEVELS:
        return _render(request, version, problems=[_("Unknown level.")], status=400)
    try:
        children = _children(version, level, parent)
    except NodeNotFound:
        return _render(
            request, version, problems=[_("That part of the questionnaire no longer exists.")], status=404
        )
    form = WeightsForm(request.POST if request.method == "POST" else None, children=children)
    editor = {"form": form, "level": level, "parent": parent, "weights": True}
    if request.method != "POST":
        return _render(request, version, editor=editor)
    if not form.is_valid():
        return _render(request, version, editor=editor, status=400)
    try:
        draft_set_weights(
            version=version,
            actor=request.user,
            level=cast(WeightLevel, level),
            parent_code=parent,
            weights=form.weights(),
        )
    except ValidationError as exc:
        return _render(request, version, editor=editor, problems=exc.messages, status=400)
    return _saved(request, version)


@login_required
@permission_required(CHANGE, raise_exception=True)
@require_POST
def builder_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Replace the whole definition with edited JSON (for power users; validated like any change)."""
    version = _draft(request, pk)
    form = JsonForm(request.POST)
    if not form.is_valid():
        return _render(
            request, version, problems=[str(e) for e in form.errors.get("definition", [])], status=400
        )
    try:
        draft_update(version=version, actor=request.user, definition=form.cleaned_data["definition"])
    except ValidationError as exc:
        return _render(request, version, problems=exc.messages, status=400)
    return _saved(request, version)


urls: list[URLPattern] = [
    path("versions/<int:pk>/builder/", version_builder, name="version_builder"),
    path("versions/<int:pk>/builder/node/", builder_node, name="builder_node"),
    path("versions/<int:pk>/builder/op/", builder_op, name="builder_op"),
    path("versions/<int:pk>/builder/weights/", builder_weights, name="builder_weights"),
    path("versions/<int:pk>/builder/json/", builder_json, name="builder_json"),
]
