"""Reads of the insights app, scoped: what may be analysed, the current run of an analysis, the drafts
whose weights the AHP editor may set, and a wave's response rate."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from carebridge.core.scope import scope_for
from carebridge.insights.analysis.kinds import clean_parameters
from carebridge.insights.analysis.selection import (
    ANALYSE_PERMISSION,
    Selection,
    data_version,
    responses_for,
    scope_signature,
    selection_key,
)
from carebridge.insights.choices import RunStatus
from carebridge.insights.models import AnalysisRun
from carebridge.insights.services.runs import STALE_AFTER
from carebridge.surveys.choices import InstrumentKind, InvitationStatus, VersionStatus
from carebridge.surveys.domain.instruments import localised
from carebridge.surveys.models import Instrument, InstrumentVersion, Invitation, Response, Wave


def instruments_for_analysis(*, user: Any) -> QuerySet[Instrument]:
    """Instruments with at least one response the user may analyse: the inpatient and outpatient
    experience surveys first (the measures leaders ask for), then the rest by code."""
    if not user.has_perm(ANALYSE_PERMISSION):
        return Instrument.objects.none()
    responses = scope_for(user).filter(Response.objects.all(), hospital="hospital", department="department")
    ids = responses.order_by().values("version__instrument_id").distinct()
    first = Case(
        When(kind=InstrumentKind.INPATIENT, then=Value(0)),
        When(kind=InstrumentKind.OUTPATIENT, then=Value(1)),
        default=Value(2),
    )
    return Instrument.objects.filter(id__in=ids).order_by(first, "code")


def waves_for_analysis(*, user: Any, instrument_id: int) -> QuerySet[Wave]:
    return scope_for(user).filter(
        Wave.objects.filter(version__instrument_id=instrument_id), hospital="hospital", department=None
    )


def run_current(
    *, user: Any, kind: str, selection: Selection, parameters: dict[str, Any] | None = None
) -> AnalysisRun | None:
    """The run a request would reuse (same key and data; not failed, not stale), or None."""
    cleaned = clean_parameters(kind, parameters)
    key = selection_key(user=user, kind=kind, selection=selection, parameters=cleaned)
    version = data_version(responses_for(user=user, selection=selection))
    fresh_since = timezone.now() - STALE_AFTER
    return (
        AnalysisRun.objects.filter(selection_hash=key, data_version=version)
        .exclude(status=RunStatus.FAILED)
        .exclude(status__in=[RunStatus.QUEUED, RunStatus.RUNNING], created_at__lt=fresh_since)
        .order_by("-created_at")
        .first()
    )


def run_get(*, user: Any, pk: int) -> AnalysisRun:
    """A run the user may read: one whose requester had exactly the user's data scope; else 404."""
    run = AnalysisRun.objects.filter(pk=pk).select_related("requested_by").first()
    if run is None or not user.has_perm(ANALYSE_PERMISSION):
        raise Http404("No such analysis run.")
    if run.requested_by_id != user.pk:
        requester = run.requested_by
        if requester is None or scope_signature(scope_for(requester)) != scope_signature(scope_for(user)):
            raise Http404("No such analysis run.")
    return run


def draft_versions(*, user: Any) -> QuerySet[InstrumentVersion]:
    """Draft versions of the user's hospital's instruments: the ones whose weights can be set."""
    if not user.has_perm("surveys.change_instrumentversion"):
        return InstrumentVersion.objects.none()
    scope = scope_for(user)
    return scope.filter(
        InstrumentVersion.objects.filter(status=VersionStatus.DRAFT).select_related("instrument"),
        hospital="instrument__hospital",
        department=None,
    ).order_by("instrument__code", "-number")


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


def response_rate(*, user: Any, selection: Selection) -> dict[str, Any] | None:
    """Completed over reached invitations of the selected wave in the user's scope (None without a
    wave): reached = sent, delivered, opened, completed or expired (not pending, failed, withdrawn)."""
    if selection.wave_id is None:
        return None
    invitations = scope_for(user).filter(
        Invitation.objects.filter(wave_id=selection.wave_id),
        hospital="wave__hospital",
        department="department",
    )
    if selection.department_id is not None:
        invitations = invitations.filter(department_id=selection.department_id)
    reached = invitations.exclude(
        status__in=[InvitationStatus.PENDING, InvitationStatus.FAILED, InvitationStatus.WITHDRAWN]
    ).count()
    completed = invitations.filter(status=InvitationStatus.COMPLETED).count()
    return {"reached": reached, "completed": completed, "rate": completed / reached if reached else None}
