"""Background jobs of follow-up. Tasks are thin and idempotent: they call a service and return counts.

Beat schedule (settings ``CELERY_BEAT_SCHEDULE``): ``care_plans_ensure`` every 10 minutes,
``claims_release_expired`` every 5 minutes, ``escalations_advance`` every 15 minutes.
"""

from __future__ import annotations

from celery import shared_task


@shared_task(name="carebridge.followup.tasks.care_plans_ensure")
def care_plans_ensure() -> dict[str, int]:
    """Open the plans of stays that have none and discharge plans whose stay has ended."""
    from carebridge.followup.services.plans import care_plans_ensure as ensure

    return ensure()


@shared_task(name="carebridge.followup.tasks.claims_release_expired")
def claims_release_expired() -> int:
    """Return calls whose claim lapsed to the queue."""
    from carebridge.followup.services.queue import claims_release_expired as release

    return release()


@shared_task(name="carebridge.followup.tasks.escalations_advance")
def escalations_advance() -> dict[str, int]:
    """Move unanswered messages on to a visit or letter; close tier B/C calls long past their window."""
    from carebridge.followup.services.calls import escalations_advance as advance

    return advance()
