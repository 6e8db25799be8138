"""Background jobs of the surveys app (DESIGN §5.4). Thin and idempotent: each calls a service.

Sending claims one invitation at a time under a row lock (``services/invitations.py``), so two workers
never text the same person, and every rule is checked again at the moment of sending. The beat schedule
(in settings) runs them; each may also be run by hand or from a test.
"""

from __future__ import annotations

from celery import shared_task

from carebridge.surveys.choices import PopulationKind, SamplingMethod, WaveStatus
from carebridge.surveys.models import Wave


@shared_task(name="carebridge.surveys.tasks.invitations_send_due")
def invitations_send_due() -> dict[str, int]:
    """Every 5 minutes: send the SMS invitations whose time has come (quiet hours respected)."""
    from carebridge.surveys.services.invitations import invitations_send_due as send

    return send()


@shared_task(name="carebridge.surveys.tasks.invitations_remind_due")
def invitations_remind_due() -> dict[str, int]:
    """Every 15 minutes: send the reminders that are due to people who have not answered."""
    from carebridge.surveys.services.invitations import invitations_remind_due as remind

    return remind()


@shared_task(name="carebridge.surveys.tasks.invitations_expire")
def invitations_expire() -> int:
    """Hourly: expire the invitations whose validity ended (an expired token answers nothing)."""
    from carebridge.surveys.services.invitations import invitations_expire as expire

    return expire()


@shared_task(name="carebridge.surveys.tasks.waves_open_close_due")
def waves_open_close_due() -> dict[str, list[int]]:
    """Every 5 minutes: open and close the waves whose ``opens_at`` / ``closes_at`` have come."""
    from carebridge.surveys.services.waves import waves_open_close_due as open_close

    return open_close()


@shared_task(name="carebridge.surveys.tasks.waves_draw_rolling")
def waves_draw_rolling() -> dict[int, int]:
    """Hourly: add the people who entered the population of each open census wave since its last draw
    (this month's discharges, say). Sampled waves keep the sample they drew."""
    from carebridge.surveys.services.draws import wave_draw

    rolling = Wave.objects.filter(status=WaveStatus.OPEN, sampling=SamplingMethod.CENSUS).exclude(
        population=PopulationKind.OPEN
    )
    return {wave.pk: wave_draw(wave=wave, actor=None).invited for wave in rolling}
