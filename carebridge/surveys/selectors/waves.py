"""Reads of waves and invitations, through the data scope, and the wave dashboard's counts.

Scope: hospital-wide roles (the quality office, agents) see every wave of their hospital;
department-scoped roles (ward managers, department heads) see the waves that cover one of their
departments or the whole hospital, and of those only the invitations of their departments. A wave or
invitation out of scope looks the same as one that does not exist (404).

The dashboard's counts are aggregates of the whole wave (no person in them), shown to whoever may see
the wave, leaders included.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from carebridge.core.masking import mask_phone
from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.surveys.choices import ANSWERABLE, Channel, ExclusionReason, InvitationStatus, MessageKind
from carebridge.surveys.models import DoNotContact, Invitation, Message, Stratum, Wave

S = InvitationStatus


def wave_list(*, user: Actor, action: str = "view") -> QuerySet[Wave]:
    """Waves the user may see (``Wave.scope_lookups``: their hospital's, and for department roles only
    those covering one of their departments or the whole hospital)."""
    return restrict(Wave.objects.all(), user, action)


def wave_list_for_display(*, user: Actor) -> QuerySet[Wave]:
    """The list page: each wave with its invitation and completion counts (one query)."""
    return (
        wave_list(user=user)
        .select_related("version__instrument", "owner")
        .annotate(
            drawn=Count("invitations", distinct=True),
            withdrawn=Count("invitations", filter=Q(invitations__status=S.WITHDRAWN), distinct=True),
            completed=Count("invitations", filter=Q(invitations__status=S.COMPLETED), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def wave_get(*, user: Actor, pk: int) -> Wave:
    """One wave in the user's scope, or 404."""
    wave = (
        wave_list(user=user)
        .select_related("hospital", "version__instrument", "owner")
        .prefetch_related("departments", "strata__department")
        .filter(pk=pk)
        .first()
    )
    if wave is None:
        raise Http404("No such wave in your scope.")
    return wave


def invitation_list(*, user: Actor, wave: Wave) -> QuerySet[Invitation]:
    """The invitations of ``wave`` the user may see (their departments' only, for department roles)."""
    queryset = restrict(Invitation.objects.filter(wave=wave), user, "view")
    return queryset.select_related(
        "patient", "staff", "customer", "department", "ward", "stratum", "encounter"
    ).order_by("department__code", "ward__code", "id")


def qr_card_list(*, user: Actor, wave: Wave, ward_id: int | None = None) -> QuerySet[Invitation]:
    """Invitations handed out on paper (QR channel) that can still be answered, by ward."""
    queryset = invitation_list(user=user, wave=wave).filter(channel=Channel.QR, status__in=ANSWERABLE)
    if ward_id is not None:
        queryset = queryset.filter(ward_id=ward_id)
    return queryset


def invitee_masked(invitation: Invitation) -> str:
    """Who an invitation is for, masked: surname and record-number tail for patients (the ward knows
    them by that), surname and masked phone for staff and customers."""
    if invitation.patient is not None:
        return f"{invitation.patient.name[:1]}** ···{invitation.patient.mrn[-4:]}"
    person = invitation.staff or invitation.customer
    if person is None:
        return ""
    return f"{person.name[:1]}** {mask_phone(person.phone)}".strip()


# --- Response rate ------------------------------------------------------------------------------------

# Invitations that reached nobody yet (still waiting for their sending window) or were taken back before
# sending (withdrawn) are not in a response rate's denominator; failed, expired and opened ones are.
NOT_SENT: frozenset[str] = frozenset({InvitationStatus.PENDING, InvitationStatus.WITHDRAWN})


def response_rate_counts() -> dict[str, Count]:
    """The two aggregates of a response rate over invitations, for ``.aggregate()`` or ``.annotate()``
    (per wave, per department …): ``sent`` (the denominator) and ``completed`` (the numerator)."""
    return {
        "sent": Count("id", filter=~Q(status__in=NOT_SENT)),
        "completed": Count("id", filter=Q(status=InvitationStatus.COMPLETED)),
    }


@dataclass(frozen=True)
class ResponseRate:
    """Completed invitations over invitations that went out (see :func:`wave_response_rate`)."""

    sent: int
    completed: int

    @property
    def rate(self) -> float | None:
        return self.completed / self.sent if self.sent else None


def wave_response_rate(*, wave: Wave, user: Actor | None = None) -> ResponseRate:
    """The response rate of a wave — the one definition (wave page, API, monthly report).

    Numerator: the wave's invitations that are ``completed``. Denominator: the wave's invitations that
    went out, i.e. every invitation except those still ``pending`` (not sent yet) and those
    ``withdrawn`` (taken back before sending, :data:`NOT_SENT`); failed, delivered, opened and expired
    invitations count. Anonymous waves count too (their invitations keep their status, not their
    response). ``rate`` is None while nothing went out. With ``user``, only the invitations in the
    user's scope (``restrict``); without, the whole wave (the dashboard's aggregate, no person in it).
    """
    invitations = Invitation.objects.filter(wave=wave)
    if user is not None:
        invitations = restrict(invitations, user, "view")
    counts = invitations.aggregate(**response_rate_counts())
    return ResponseRate(sent=counts["sent"], completed=counts["completed"])


# --- Dashboard ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRate:
    """Invitations and completions of one stratum or department, against its target and quota."""

    key: str
    label: str
    invited: int
    completed: int
    target: int | None = None
    quota: int | None = None

    @property
    def rate(self) -> float | None:
        return self.completed / self.invited if self.invited else None

    @property
    def quota_progress(self) -> float | None:
        return self.completed / self.quota if self.quota else None

    @property
    def target_met(self) -> bool | None:
        return None if self.target is None else self.invited >= self.target


@dataclass(frozen=True)
class WaveStats:
    """The funnel of a wave: drawn → invited → sent → delivered → opened → completed, and who was not."""

    drawn: int
    withdrawn: int
    sent: int
    delivered: int
    failed: int
    opened: int
    completed: int
    expired: int
    pending: int
    # Invitations that went out: the response rate's denominator (:func:`wave_response_rate`).
    reached: int
    excluded: list[tuple[str, str, int]]  # (reason, label, count) in the order of ExclusionReason
    strata: list[GroupRate]
    departments: list[GroupRate]

    @property
    def invited(self) -> int:
        """Invitations that stood: drawn and not withdrawn before reaching the person."""
        return self.drawn - self.withdrawn

    @property
    def excluded_total(self) -> int:
        return sum(count for _reason, _label, count in self.excluded)

    @property
    def response_rate(self) -> float | None:
        """Completed over invitations that went out (:func:`wave_response_rate`)."""
        return ResponseRate(sent=self.reached, completed=self.completed).rate

    def funnel(self) -> list[tuple[str, str, int]]:
        """(key, label, count) of each stage, for the chart and the API."""
        # Read top to bottom, each number is the one above minus what the row after it says left: the people
        # looked at in the draw = excluded + drawn; drawn − withdrawn = invited; sent, delivered, opened
        # and completed narrow down; failed and expired are the invitations that fell out on the way.
        return [
            ("considered", _("Looked at in the draw"), self.drawn + self.excluded_total),
            ("excluded", _("Excluded at the draw"), self.excluded_total),
            ("drawn", _("Drawn"), self.drawn),
            ("withdrawn", _("Withdrawn"), self.withdrawn),
            ("invited", _("Invited"), self.invited),
            ("sent", _("Sent"), self.sent),
            ("delivered", _("Delivered"), self.delivered),
            ("failed", _("Failed"), self.failed),
            ("opened", _("Opened"), self.opened),
            ("completed", _("Completed"), self.completed),
            ("expired", _("Expired"), self.expired),
        ]


def _group_rates(
    invitations: QuerySet[Invitation], field: str, label_field: str
) -> list[tuple[Any, str, int, int]]:
    rows = (
        invitations.exclude(status=S.WITHDRAWN)
        .values(field, label_field)
        .annotate(invited=Count("id"), completed=Count("id", filter=Q(status=S.COMPLETED)))
        .order_by(label_field)
    )
    return [(row[field], row[label_field] or "", row["invited"], row["completed"]) for row in rows]


def wave_stats(*, wave: Wave) -> WaveStats:
    """Counts of the whole wave (a handful of aggregate queries, whatever its size)."""
    invitations = Invitation.objects.filter(wave=wave)
    counts = invitations.aggregate(
        drawn=Count("id"),
        withdrawn=Count("id", filter=Q(status=S.WITHDRAWN)),
        sent=Count("id", filter=Q(sent_at__isnull=False)),
        failed=Count("id", filter=Q(status=S.FAILED)),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        completed=Count("id", filter=Q(status=S.COMPLETED)),
        expired=Count("id", filter=Q(status=S.EXPIRED)),
        pending=Count("id", filter=Q(status=S.PENDING)),
        reached=response_rate_counts()["sent"],
    )
    delivered = (
        Message.objects.filter(invitation__wave=wave, kind=MessageKind.INVITATION, delivered_at__isnull=False)
        .values("invitation_id")
        .distinct()
        .count()
    )
    by_reason = dict(wave.exclusions.values_list("reason").annotate(n=Count("id")).values_list("reason", "n"))
    excluded = [
        (reason.value, str(reason.label), by_reason[reason.value])
        for reason in ExclusionReason
        if by_reason.get(reason.value)
    ]
    per_stratum = {
        key: (invited, completed)
        for key, _l, invited, completed in _group_rates(invitations, "stratum_id", "stratum__label")
    }
    strata = [
        GroupRate(
            key=s.key,
            label=s.label,
            invited=per_stratum.get(s.pk, (0, 0))[0],
            completed=per_stratum.get(s.pk, (0, 0))[1],
            target=s.target,
            quota=s.quota,
        )
        for s in Stratum.objects.filter(wave=wave).order_by("key")
    ]
    departments = [
        GroupRate(key=str(pk or ""), label=label, invited=invited, completed=completed)
        for pk, label, invited, completed in _group_rates(invitations, "department_id", "department__name")
    ]
    return WaveStats(**counts, delivered=delivered, excluded=excluded, strata=strata, departments=departments)


def do_not_contact_list(*, hospital: Any) -> QuerySet[DoNotContact]:
    """The hospital's do-not-contact entries, newest first (the page shows phones masked)."""
    return (
        DoNotContact.objects.filter(hospital=hospital)
        .select_related("patient", "added_by")
        .order_by("-added_at", "-id")
    )
