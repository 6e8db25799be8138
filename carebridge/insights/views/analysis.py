"""The satisfaction analysis pages (满意度分析): one tab per analysis over a shared selection.

Views are thin: the selection form picks what to analyse in the user's scope,
``selectors.analysis.results.analyse`` computes, a template draws. Fast analyses are computed on the
request and cached for the same key and data version; the slow ones (psychometrics, CSI, drivers) are
background runs — the page shows a finished run's result, the progress of a running one (polled with
htmx), or a button that starts one.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from carebridge.core.types import Actor
from carebridge.insights.choices import RunKind, RunStatus
from carebridge.insights.domain.analysis.kinds import clean_parameters
from carebridge.insights.domain.analysis.selection import Selection
from carebridge.insights.forms.selection import SelectionForm
from carebridge.insights.models import AnalysisRun
from carebridge.insights.selectors.aggregates import MonthRow, overview_months
from carebridge.insights.selectors.analysis.results import COMMENTS_PERMISSION, analyse
from carebridge.insights.selectors.analysis.selection import data_version, responses_for, selection_key
from carebridge.insights.selectors.rates import response_rates
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION
from carebridge.insights.selectors.runs import (
    run_active,
    run_current,
    run_failed_lately,
    run_get,
    run_latest_done,
    run_reusable,
)
from carebridge.insights.services.runs import run_request
from carebridge.lib.stats.errors import StatsInputError
from carebridge.surveys.models import Instrument

logger = logging.getLogger(__name__)
CACHE_SECONDS = 600
# A large selection's figures are computed again at most this often while answers keep arriving.
RECOMPUTE_AFTER = dt.timedelta(minutes=15)

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


@dataclass(frozen=True)
class Analysed:
    """What a fast tab shows: the result for the current answers; or, on a selection too large to analyse
    during the request, the background ``run`` that computes it and the last finished run (``earlier``,
    None before the first), whose figures the page shows meanwhile."""

    result: dict[str, Any] | None
    run: AnalysisRun | None = None
    earlier: AnalysisRun | None = None
    current: bool = True  # the figures are those of the answers as they are now
    error: str = ""


def _cached(user: Actor, selection: Selection, kind: str, parameters: dict[str, Any]) -> Analysed:
    """``analyse`` behind the cache: same analysis, same scope, same answers → same result.

    Above ``INSIGHTS_INLINE_RESPONSES`` responses an analysis that can run in the background
    (``RunKind``) is not computed on the request — at 1,000,000 responses the indexes took 71 s, and every
    new answer made a new data version — but by a run, reused for the same answers."""
    cleaned = clean_parameters(kind, parameters)
    version = data_version(responses_for(user=user, selection=selection))
    examples = "e" if user.has_perm(COMMENTS_PERMISSION) else "c"
    digest = selection_key(user=user, kind=kind, selection=selection, parameters=cleaned)
    key = f"insights:{digest}:{version}:{examples}"
    result = cache.get(key)
    if result is not None:
        return Analysed(result)
    responses = int(version.split(":", 1)[0])
    if kind not in RunKind.values or responses < settings.INSIGHTS_INLINE_RESPONSES:
        result = analyse(user=user, selection=selection, kind=kind, parameters=cleaned)
        cache.set(key, result, CACHE_SECONDS)
        return Analysed(result)
    analysed = _in_background(user, selection, kind, cleaned, digest=digest, version=version)
    if analysed.current and analysed.result is not None:
        cache.set(key, analysed.result, CACHE_SECONDS)
    return analysed


def _in_background(
    user: Actor, selection: Selection, kind: str, cleaned: dict[str, Any], *, digest: str, version: str
) -> Analysed:
    """A large selection: the finished run for the current answers; else the last finished figures
    with, at most, one run computing for the selection at a time (whatever answers it started from) —
    a new one only when none is queued or running and the last figures are ``RECOMPUTE_AFTER`` old,
    so answers arriving all day do not queue a run each. A run that failed lately shows its error
    beside the last figures instead of being asked again at once."""
    exact = run_reusable(key=digest, version=version)
    if exact is not None and exact.status == RunStatus.DONE:
        return Analysed(exact.result)
    earlier = run_latest_done(key=digest)
    figures = earlier.result if earlier is not None else None
    failed = run_failed_lately(key=digest, version=version)
    if failed is not None:
        return Analysed(figures, earlier=earlier, current=False, error=failed.error)
    run = exact or run_active(key=digest)
    due = earlier is None or (earlier.finished_at or timezone.now()) < timezone.now() - RECOMPUTE_AFTER
    if run is None and due:
        run = run_request(user=user, kind=kind, selection=selection, parameters=cleaned)
    return Analysed(figures, run=run, earlier=earlier, current=False)


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
        context.update(_shown(_cached(request.user, selection, kind, parameters or {})))
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
        context.update(_shown(_cached(request.user, selection, "indexes", {})))
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
        analysed = _cached(request.user, selection, "indexes", {"by": by})
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
    return render(request, "insights/_run.html", {"run": run})


@login_required
@permission_required(ANALYSE_PERMISSION, raise_exception=True)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel of a run (polled by htmx until done), then its result."""
    run = run_get(user=request.user, pk=pk)
    return render(request, "insights/_run.html", {"run": run})
