"""Reads of the insights pages' pickers: the instruments and waves a user may analyse, and the drafts
whose weights the AHP editor may set."""

from __future__ import annotations

from django.db.models import Case, OuterRef, QuerySet, Subquery, Value, When

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION, responses_visible
from carebridge.surveys.choices import InstrumentKind, VersionStatus
from carebridge.surveys.models import Instrument, InstrumentVersion, Wave


def instruments_for_analysis(*, user: Actor) -> QuerySet[Instrument]:
    """Instruments with at least one response the user may analyse: the inpatient and outpatient
    experience surveys first (the measures leaders ask for), then the rest by code."""
    if not user.has_perm(ANALYSE_PERMISSION):
        return Instrument.objects.none()
    # One response looked up per version (the responses' version index), not a DISTINCT over every
    # response; a scalar subquery, because PostgreSQL hashes every response for an EXISTS (issue 18),
    # ordered as the (version, submitted_at) index so that it is an index probe.
    first = (
        responses_visible(user=user).filter(version=OuterRef("pk")).order_by("submitted_at").values("pk")[:1]
    )
    versions = (
        InstrumentVersion.objects.annotate(first_response=Subquery(first))
        .filter(first_response__isnull=False)
        .values("instrument_id")
    )
    first_kind = Case(
        When(kind=InstrumentKind.INPATIENT, then=Value(0)),
        When(kind=InstrumentKind.OUTPATIENT, then=Value(1)),
        default=Value(2),
    )
    answered = Instrument.objects.filter(id__in=versions)
    return answered.order_by(first_kind, "code")


def waves_for_analysis(*, user: Actor, instrument_id: int) -> QuerySet[Wave]:
    return scope_for(user).filter(
        Wave.objects.filter(version__instrument_id=instrument_id), hospital="hospital", department=None
    )


def draft_versions(*, user: Actor) -> QuerySet[InstrumentVersion]:
    """Draft versions of the user's hospital's instruments: the ones whose weights can be set."""
    if not user.has_perm("surveys.change_instrumentversion"):
        return InstrumentVersion.objects.none()
    scope = scope_for(user)
    return scope.filter(
        InstrumentVersion.objects.filter(status=VersionStatus.DRAFT).select_related("instrument"),
        hospital="instrument__hospital",
        department=None,
    ).order_by("instrument__code", "-number")
