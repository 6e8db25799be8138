"""The satisfaction analysis pages (满意度分析): one tab per analysis over a shared selection.

Views are thin: the selection form picks what to analyse in the user's scope,
``services.analyses.analysis_request`` computes (or hands a large selection to a background run), a
template draws. Fast analyses are computed on the request and cached for the same key and data version
— above ``INSIGHTS_INLINE_RESPONSES`` responses by a background run, while the last figures are shown;
the slow ones (psychometrics, CSI, drivers) are always background runs — the page shows a finished
run's result, the progress of a running one (polled with htmx), or a button that starts one.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from carebridge.core.types import Actor
from carebridge.insights.domain.analysis.kinds import HEAVY, clean_parameters
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.forms.selection import SelectionForm
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.aggregates import MonthRow, overview_months
from carebridge.insights.selectors.rates import response_rates
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION
from carebridge.insights.selectors.runs import run_current, run_get
from carebridge.insights.services.analyses import Analysed, analysis_request
from carebridge.insights.services.runs import run_request
from carebridge.lib.stats.errors import StatsInputError
from carebridge.surveys.models import Instrument

logger = logging.getLogger(__name__)

UNIT_CHOICES = (("department", _("Departments")), ("ward", _("Wards")), ("hospital", _("Hospitals")))
GROUP_CHOICES = (*UNIT_CHOICES, ("mode", _("Survey mode")), ("month", _("Month")))
LEVEL_CHOICES = (("auto", _("Automatic")), ("dimension", _("Dimensions")), ("item", _("Items")))
ADJUSTER_CHOICES = (
    ("age_band", _("age band")),
    ("sex", _("sex")),
    ("edu", _("education")),
    ("srh", _("self-rated health")),
    ("service_line", _("service line")),
    ("lag_days", _("response lag")),
)

TABS: tuple[tuple[str, Any], ...] = (
    ("overview", _("Overview")),
    ("dimensions", _("Dimensions")),
    ("items", _("Items")),
    ("psychometrics", _("Reliability and validity")),
    ("csi", _("CSI model")),
    ("ipa", _("Importance–performance")),
    ("drivers", _("Key drivers")),
    ("trends", _("Trends")),
    ("benchmark", _("Benchmarking")),
    ("comments", _("Comments")),
    ("ahp", _("AHP weights")),
)


def _shown(analysed: Analysed) -> dict[str, Any]:
    """The template's ``result``; ``updating`` (the run computing now, if any, and the earlier run whose
    figures are shown) when the figures are not those of the current answers; a failed run's error."""
    shown: dict[str, Any] = {"result": analysed.result, "updating": None}
    if not analysed.current and (analysed.run is not None or analysed.earlier is not None):
        shown["updating"] = {"run": analysed.run, "earlier": analysed.earlier}
    if analysed.error:
        shown["error"] = analysed.error
    return shown


def _page_context(request: HttpRequest, tab: str) -> dict[str, Any]:
    form = SelectionForm(request.GET or None, user=request.user, prefer_kind="csi" if tab == "csi" else None)
    query = request.GET.copy()
    return {
        "form": form,
        "selection": form.selection(),
        "tab": tab,
        "tabs": TABS,
        "query": query.urlencode(),
        "instrument": next((i for i in form.instruments if i.pk == form.instrument_id), None),
    }


def _response_rate(user: Actor, selection: Selection) -> dict[str, Any] | None:
    """The selected wave's response rate (``selectors.rates``, the report's definition), or None."""
    if selection.wave_id is None:
        return None
    rates = response_rates(user=user, wave_ids=[selection.wave_id], department_id=selection.department_id)
    if not rates:
        return {"reached": 0, "completed": 0, "rate": None}
    return {"reached": rates[0].sent, "completed": rates[0].completed, "rate": rates[0].rate}


def _render_fast(
    request: HttpRequest, tab: str, kind: str, parameters: dict[str, Any] | None = None, **extra: Any
) -> HttpResponse:
    context = _page_context(request, tab)
    selection = context["selection"]
    if selection is None:
        return render(request, "insights/empty.html", context)
    try:
        context.update(
            _shown(analysis_request(user=request.user, selection=selection, kind=kind, parameters=parameters))
        )
    except StatsInputError as error:
        context["error"] = str(error)
    context.update(extra)
    return render(request, f"insights/{tab}.html", context)


def _parameters(request: HttpRequest, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        if name == "adjusters" and "adjusters_set" in request.GET:
            out[name] = request.GET.getlist("adjusters")
        elif name in request.GET:
            out[name] = request.GET[name]
    return out


def _months(user: Actor, selection: Selection, instrument: Instrument | None) -> list[MonthRow]:
    """The instrument's last 12 months (``selectors.aggregates``: closed months from the monthly
    aggregate), for a user whose staff record names the hospital."""
    staff = getattr(user, "staff", None)
    if instrument is None or staff is None:
        return []
    return overview_months(
        user=user, hospital=staff.hospital, instrument=instrument, department_id=selection.department_id
    )


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def overview(request: HttpRequest) -> HttpResponse:
    context = _page_context(request, "overview")
    selection = context["selection"]
    if selection is None:
        return render(request, "insights/empty.html", context)
    try:
        context.update(_shown(analysis_request(user=request.user, selection=selection, kind="indexes")))
    except StatsInputError as error:
        context["error"] = str(error)
    context["response_rate"] = _response_rate(request.user, selection)
    context["months"] = _months(request.user, selection, context["instrument"])
    if selection.wave_id is not None:
        try:
            context["wave_url"] = reverse("surveys:wave_detail", args=[selection.wave_id])
        except NoReverseMatch:
            context["wave_url"] = None
    return render(request, "insights/overview.html", context)


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def dimensions(request: HttpRequest) -> HttpResponse:
    context = _page_context(request, "dimensions")
    selection = context["selection"]
    if selection is None:
        return render(request, "insights/empty.html", context)
    by = request.GET.get("by", "department")
    context["by_choices"] = GROUP_CHOICES
    try:
        analysed = analysis_request(
            user=request.user, selection=selection, kind="indexes", parameters={"by": by}
        )
    except StatsInputError as error:
        context["error"] = str(error)
        return render(request, "insights/dimensions.html", context)
    context.update(_shown(analysed), by=by)
    return render(request, "insights/dimensions.html", context)


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def items(request: HttpRequest) -> HttpResponse:
    return _render_fast(request, "items", "distributions")


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def trends(request: HttpRequest) -> HttpResponse:
    return _render_fast(request, "trends", "trends")


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def ipa(request: HttpRequest) -> HttpResponse:
    return _render_fast(request, "ipa", "ipa", _parameters(request, ("level", "importance")))


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def benchmark(request: HttpRequest) -> HttpResponse:
    parameters = _parameters(request, ("by", "adjusters", "mode", "p_adjust"))
    cleaned = clean_parameters("benchmark", parameters) if _valid("benchmark", parameters) else {}
    return _render_fast(
        request,
        "benchmark",
        "benchmark",
        parameters,
        chosen=cleaned,
        unit_choices=UNIT_CHOICES,
        adjuster_choices=ADJUSTER_CHOICES,
    )


def _valid(kind: str, parameters: dict[str, Any]) -> bool:
    try:
        clean_parameters(kind, parameters)
    except StatsInputError:
        return False
    return True


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def comments(request: HttpRequest) -> HttpResponse:
    return _render_fast(request, "comments", "comments")


def _render_heavy(request: HttpRequest, tab: str, parameters: dict[str, Any] | None = None) -> HttpResponse:
    context = _page_context(request, tab)
    selection = context["selection"]
    if selection is None:
        return render(request, "insights/empty.html", context)
    try:
        context["run"] = run_current(user=request.user, kind=tab, selection=selection, parameters=parameters)
    except StatsInputError as error:
        context["error"] = str(error)
    context["kind"] = tab
    context["result_template"] = _result_template(tab)
    context["parameters"] = clean_parameters(tab, parameters) if _valid(tab, parameters or {}) else {}
    context["level_choices"] = LEVEL_CHOICES
    return render(request, f"insights/{tab}.html", context)


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def psychometrics(request: HttpRequest) -> HttpResponse:
    return _render_heavy(request, "psychometrics")


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def csi(request: HttpRequest) -> HttpResponse:
    return _render_heavy(request, "csi")


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def drivers(request: HttpRequest) -> HttpResponse:
    return _render_heavy(request, "drivers", _parameters(request, ("level",)))


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    """Start (or reuse) the background run of a page's analysis; answers with the progress panel."""
    form = SelectionForm(request.POST, user=request.user)
    selection = form.selection()
    kind = request.POST.get("kind", "")
    parameters = {k: request.POST[k] for k in ("level",) if k in request.POST}
    if selection is None:
        return render(request, "insights/_run.html", {"error": _("No responses to analyse.")}, status=400)
    try:
        run = run_request(user=request.user, kind=kind, selection=selection, parameters=parameters)
    except ValidationError as error:
        return render(request, "insights/_run.html", {"error": " ".join(error.messages)}, status=400)
    return _run_panel(request, run)


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel of a run (polled by htmx until done), then its result."""
    return _run_panel(request, run_get(user=request.user, pk=pk))


def _run_panel(request: HttpRequest, run: AnalysisRun) -> HttpResponse:
    """A run's panel: its progress, its error, or once done its result."""
    return render(request, "insights/_run.html", {"run": run, "result_template": _result_template(run.kind)})


def _result_template(kind: str) -> str:
    """A finished run's result: drawn in full for the slow analyses; for a fast tab's large selection, a
    prompt to reload the page, which then shows the new figures."""
    return f"insights/results/{kind}.html" if kind in HEAVY else "insights/results/ready.html"
