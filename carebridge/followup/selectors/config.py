"""Reads of the follow-up configuration of the hospitals in the user's scope (``restrict()``)."""

from __future__ import annotations

from django.db.models import QuerySet

from carebridge.core.scope import restrict
from carebridge.core.types import Actor
from carebridge.followup.models import FollowupPolicy, FollowupTier, TierRule


def tier_list(*, user: Actor) -> QuerySet[FollowupTier]:
    return restrict(FollowupTier.objects.prefetch_related("windows"), user).order_by("hospital_id", "rank")


def tier_rule_list(*, user: Actor) -> QuerySet[TierRule]:
    return restrict(TierRule.objects.prefetch_related("departments"), user).order_by(
        "hospital_id", "priority", "id"
    )


def policy_list(*, user: Actor) -> QuerySet[FollowupPolicy]:
    return restrict(FollowupPolicy.objects.all(), user)
