"""The response rate (应答率) on the insights pages and the monthly report, counted with the one
definition of :mod:`carebridge.surveys.selectors.waves` (``response_rate_counts``, also behind the wave
page): :func:`response_rates` applies it per wave, in the user's data scope (optionally one department):

* numerator — invitations **completed** (answered);
* denominator — invitations that **went out to someone**: every status except ``pending`` (still
  waiting for its sending window) and ``withdrawn`` (taken back before it reached the person); that is
  sent, delivered, failed, opened, completed and expired. A failed delivery stays in the denominator:
  the person was drawn and invited and did not answer (AAPOR counts non-contacts as non-response).

The rate is numerator ÷ denominator (None when nothing went out); over several waves the report pools
the counts (:func:`pooled_rate`). Anonymous waves keep no link from a response to its invitation, so
only the invitations' statuses count, never the responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Count

from carebridge.core.scope import scope_for
from carebridge.core.types import Actor
from carebridge.insights.selectors.responses import ANALYSE_PERMISSION, responses_visible
from carebridge.surveys.models import Invitation, Wave
from carebridge.surveys.selectors.waves import response_rate_counts


@dataclass(frozen=True)
class WaveRate:
    """One wave's invitations that went out (``sent``), those completed, and its responses in scope."""

    wave: Wave
    sent: int
    completed: int
    responses: int

    @property
    def rate(self) -> float | None:
        return self.completed / self.sent if self.sent else None

    @property
    def rate_pct(self) -> float | None:
        return None if self.rate is None else self.rate * 100


def response_rates(
    *, user: Actor, wave_ids: Iterable[int], department_id: int | None = None
) -> list[WaveRate]:
    """Per wave (in id order): invitations that went out, those completed, and responses, counted in the
    user's scope — nothing without ``surveys.analyse_surveys`` — and in ``department_id`` when given."""
    scope = scope_for(user)
    waves = list(
        scope.filter(Wave.objects.filter(pk__in=list(wave_ids)), hospital="hospital", department=None)
    )
    invitations = Invitation.objects.filter(wave__in=waves)
    responses = responses_visible(user=user).filter(wave__in=waves)
    if department_id is not None:
        invitations = invitations.filter(department_id=department_id)
        responses = responses.filter(department_id=department_id)
    if not user.has_perm(ANALYSE_PERMISSION):
        invitations = invitations.none()
    invitations = scope.filter(invitations, hospital="wave__hospital", department="department")
    counts = {row["wave"]: row for row in invitations.values("wave").annotate(**response_rate_counts())}
    answered = {row["wave"]: row["n"] for row in responses.values("wave").annotate(n=Count("id"))}
    return [
        WaveRate(
            wave=wave,
            sent=counts.get(wave.pk, {}).get("sent", 0),
            completed=counts.get(wave.pk, {}).get("completed", 0),
            responses=answered.get(wave.pk, 0),
        )
        for wave in sorted(waves, key=lambda w: w.pk)
    ]


def pooled_rate(rates: Sequence[WaveRate]) -> float | None:
    """Completed over sent, summed over the waves (None when nothing went out)."""
    sent = sum(r.sent for r in rates)
    return sum(r.completed for r in rates) / sent if sent else None
