"""Reads of responses, phone lists, imports and recovery triggers, scoped by ``core.scope``.

Responses belong to a hospital and (mostly) a department: hospital-wide users (the quality office, agents,
administrators) see every response of their hospital; department-scoped users only those of their
departments. Breakdowns never show a group smaller than the wave's ``min_report_group``
(:func:`suppress_small_groups`), so an anonymous staff survey cannot single anybody out.

The public answering pages have no user: :func:`invitation_for_token` looks the invitation up by its
token, which is the respondent's credential.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from carebridge.core.models import Hospital
from carebridge.core.scope import restrict, scope_for
from carebridge.core.types import Actor
from carebridge.surveys.choices import ANSWERABLE, Channel
from carebridge.surveys.domain import anonymity
from carebridge.surveys.models import ImportBatch, Invitation, RecoveryCase, RecoveryTrigger, Response, Wave

TOKEN_MAX_LENGTH = 43


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation of a public link, or None (an unknown token looks like any other unknown page)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return (
        Invitation.objects.select_related(
            "wave__version", "wave__hospital", "department", "patient", "encounter"
        )
        .filter(token=token)
        .first()
    )


def response_list(*, user: Actor, hospital: Hospital | None = None) -> QuerySet[Response]:
    """The survey responses ``user`` may see — the one definition, for every app that reads responses.

    Nothing without ``surveys.view_response``; otherwise the responses of the user's hospital, and for
    department-scoped users only those of their departments (``Response.scope_lookups`` through
    ``restrict``). Anonymous responses are included (they carry hospital and department, no person).
    ``hospital`` narrows to one hospital (a report about it). Unordered beyond the model's default
    (newest first); callers add their own filters and ``select_related``.
    """
    queryset = restrict(Response.objects.all(), user, "view")
    if hospital is not None:
        queryset = queryset.filter(hospital=hospital)
    return queryset


def _too_small_anonymous_waves(queryset: QuerySet[Response]) -> list[int]:
    """Anonymous waves with fewer responses in ``queryset`` than their smallest reported group."""
    counts = (
        queryset.filter(wave__anonymous=True)
        .values("wave_id", "wave__min_report_group")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [row["wave_id"] for row in counts if row["n"] < max(row["wave__min_report_group"], 2)]


def response_list_for_display(*, user: Actor) -> QuerySet[Response]:
    """Responses to list one by one: those of an anonymous wave only once it has at least its smallest
    reported group in the user's scope (one or two responses would point at the few who answered)."""
    queryset = response_list(user=user)
    small = _too_small_anonymous_waves(queryset)
    if small:
        queryset = queryset.exclude(wave_id__in=small)
    return queryset.select_related("wave", "version__instrument", "department", "interviewer")


def anonymise(*, user: Actor, responses: Iterable[Response]) -> None:
    """Set ``shown`` on each response of an anonymous wave: the department, month and mode it may show
    (:func:`carebridge.surveys.domain.anonymity.generalise` over the wave's responses in the user's
    scope). Serializers and pages show nothing else of its context; named responses get ``shown = None``."""
    responses = list(responses)
    waves = {r.wave_id: r.wave for r in responses if r.wave is not None and r.wave.anonymous}
    shown: dict[int, anonymity.Shown] = {}
    for wave in waves.values():
        rows = [
            anonymity.Row(pk=pk, department_id=department, day=timezone.localdate(submitted), mode=mode)
            for pk, department, submitted, mode in response_list(user=user)
            .filter(wave=wave)
            .values_list("pk", "department_id", "submitted_at", "mode")
            .order_by("pk")
        ]
        shown.update(anonymity.generalise(rows, k=wave.min_report_group))
    withheld = anonymity.Shown(None, None, None)
    for response in responses:
        anonymous = response.wave_id in waves
        response.shown = shown.get(response.pk, withheld) if anonymous else None  # type: ignore[attr-defined]


def response_get(*, user: Actor, pk: int) -> Response:
    response = (
        response_list_for_display(user=user)
        .select_related("patient", "ward", "stratum")
        # The cases in the order they were opened (the table has no default order).
        .prefetch_related(
            Prefetch(
                "recovery_cases",
                queryset=RecoveryCase.objects.select_related("complaint").order_by("created_at", "id"),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if response is None:
        raise Http404("No such response in your scope.")
    return response


def wave_list_for_responses(*, user: Actor) -> QuerySet[Wave]:
    """Waves of the user's hospital (responses inside them are narrowed by department separately)."""
    return scope_for(user).filter(
        Wave.objects.select_related("version__instrument"), hospital="hospital", department=None
    )


def wave_get_for_responses(*, user: Actor, pk: int) -> Wave:
    wave = wave_list_for_responses(user=user).filter(pk=pk).first()
    if wave is None:
        raise Http404("No such wave in your scope.")
    return wave


def invitation_list(*, user: Actor) -> QuerySet[Invitation]:
    """Invitations the user may work on (``surveys.view_invitation``), by hospital and department."""
    return restrict(Invitation.objects.all(), user, "view")


def phone_list(*, user: Actor, wave: Wave) -> QuerySet[Invitation]:
    """The wave's invitations still to be interviewed by phone (or entered from paper)."""
    return (
        invitation_list(user=user)
        .filter(wave=wave, status__in=ANSWERABLE, channel__in=[Channel.PHONE, Channel.PAPER])
        .select_related("patient", "department", "ward")
        .order_by("send_after", "id")
    )


def invitation_for_entry(*, user: Actor, pk: int) -> Invitation:
    """One invitation in scope for a phone interview or paper entry, or 404."""
    invitation = (
        invitation_list(user=user)
        .select_related("wave__version__instrument", "patient", "department", "encounter")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation in your scope.")
    return invitation


def import_batch_list(*, user: Actor) -> QuerySet[ImportBatch]:
    return restrict(ImportBatch.objects.select_related("wave", "uploaded_by"), user, "view")


def import_batch_get(*, user: Actor, pk: int) -> ImportBatch:
    batch = import_batch_list(user=user).filter(pk=pk).first()
    if batch is None:
        raise Http404("No such import in your scope.")
    return batch


def recovery_trigger_list(*, user: Actor) -> QuerySet[RecoveryTrigger]:
    return restrict(RecoveryTrigger.objects.select_related("instrument"), user, "view").order_by("id")


def recovery_case_list(*, user: Actor) -> QuerySet[RecoveryCase]:
    """Cases opened by responses the user may read."""
    return RecoveryCase.objects.filter(response__in=response_list(user=user)).select_related(
        "complaint", "trigger", "response__department"
    )


@dataclass(frozen=True)
class GroupRow:
    """One group of a breakdown: its label, n and mean index; ``suppressed`` hides n and mean."""

    key: Any
    label: str
    n: int
    mean: float | None
    suppressed: bool = False


def suppress_small_groups(rows: Iterable[GroupRow], *, minimum: int) -> list[GroupRow]:
    """Hide every group with fewer than ``minimum`` responses (n and mean are withheld, not zeroed).

    A single hidden group could be recovered from the total by subtraction, so when exactly one group
    is hidden the next smallest is hidden with it.
    """
    rows = list(rows)
    small = [row for row in rows if row.n < minimum]
    if len(small) == 1:
        shown = sorted((row for row in rows if row.n >= minimum), key=lambda row: row.n)
        small.extend(shown[:1])
    hidden = {id(row) for row in small}
    return [
        GroupRow(row.key, row.label, 0, None, suppressed=True) if id(row) in hidden else row for row in rows
    ]


def response_breakdown(*, user: Actor, wave: Wave) -> list[GroupRow]:
    """Responses of a wave per department (n, mean overall index), small groups suppressed."""
    grouped: Sequence[dict[str, Any]] = list(
        response_list(user=user)
        .filter(wave=wave)
        .values("department_id", "department__name")
        .annotate(n=Count("id"), mean=Avg("score"))
        .order_by("department__name")
    )
    rows = [
        GroupRow(
            key=row["department_id"],
            label=row["department__name"] or "—",
            n=row["n"],
            mean=round(row["mean"], 1) if row["mean"] is not None else None,
        )
        for row in grouped
    ]
    return suppress_small_groups(rows, minimum=wave.min_report_group)
