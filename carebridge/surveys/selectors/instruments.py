"""Reads of instruments, scoped: the library (no hospital) plus the instruments of the user's hospital.

Instruments carry no patient data, so the scope narrows them by hospital only (a ward manager sees the
hospital's questionnaires, not only their department's). A user with an empty scope sees nothing.
"""

from __future__ import annotations

from django.db.models import Count, Max, Q, QuerySet

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.surveys.choices import VersionStatus
from carebridge.surveys.models import Instrument, InstrumentVersion, Item


def _instrument_q(user: Actor, prefix: str = "") -> Q:
    scope = scope_for(user)
    if scope.is_empty:
        return Q(pk__in=[])
    if scope.hospital_ids is None:
        return Q()
    return Q(**{f"{prefix}hospital__isnull": True}) | Q(**{f"{prefix}hospital__in": scope.hospital_ids})


def instrument_list(*, user: Actor, library: bool | None = None) -> QuerySet[Instrument]:
    """Instruments the user may read, with their latest version number and count of published versions.

    ``library`` True: only library instruments; False: only the hospital's own; None: both.
    """
    queryset = Instrument.objects.filter(_instrument_q(user)).select_related("hospital")
    if library is not None:
        queryset = queryset.filter(hospital__isnull=library)
    return queryset.annotate(
        latest_number=Max("versions__number"),
        published_count=Count("versions", filter=Q(versions__status=VersionStatus.PUBLISHED)),
        draft_count=Count("versions", filter=Q(versions__status=VersionStatus.DRAFT)),
    ).order_by("hospital_id", "code")


def version_list(*, user: Actor, instrument: Instrument | None = None) -> QuerySet[InstrumentVersion]:
    """Versions the user may read (newest first), with how many responses point at each."""
    queryset = InstrumentVersion.objects.filter(_instrument_q(user, "instrument__")).select_related(
        "instrument", "created_by"
    )
    if instrument is not None:
        queryset = queryset.filter(instrument=instrument)
    return queryset.annotate(response_count=Count("responses", distinct=True)).order_by(
        "instrument__code", "-number"
    )


def published_versions(*, user: Actor) -> QuerySet[InstrumentVersion]:
    """Published versions the user may read: what a wave can use, or a hospital can copy from."""
    return version_list(user=user).filter(status=VersionStatus.PUBLISHED)


def library_versions(*, user: Actor) -> QuerySet[InstrumentVersion]:
    """The latest published version of each library instrument (the "copy from library" list)."""
    return (
        published_versions(user=user)
        .filter(instrument__hospital__isnull=True)
        .order_by("instrument__code", "-number")
    )


def version_items(*, version: InstrumentVersion) -> QuerySet[Item]:
    """The derived Item rows of a (published) version, in questionnaire order."""
    return Item.objects.filter(version=version).order_by("position")


def latest_draft(*, instrument: Instrument) -> InstrumentVersion | None:
    return instrument.versions.filter(status=VersionStatus.DRAFT).order_by("-number").first()
