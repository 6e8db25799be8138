"""Configuration API (read-only): ``/api/v1/followup/tiers/``, ``tier-rules/`` and ``policies/`` of the
hospitals in the caller's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from rest_framework import viewsets

from carebridge.followup.api.serializers.config import (
    FollowupPolicySerializer,
    FollowupTierSerializer,
    TierRuleSerializer,
)
from carebridge.followup.models import FollowupPolicy, FollowupTier, TierRule
from carebridge.followup.selectors.config import policy_list, tier_list, tier_rule_list
from carebridge.frontdesk.api.views.common import ActionPermissions


class FollowupTierViewSet(viewsets.ReadOnlyModelViewSet):
    """The tiers of the caller's hospital with their due windows."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.view_followuptier"}
    serializer_class = FollowupTierSerializer
    queryset = FollowupTier.objects.none()

    def get_queryset(self) -> QuerySet[FollowupTier]:
        return tier_list(user=self.request.user)


class TierRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The tier policy: rules in the order they are tried."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.view_tierrule"}
    serializer_class = TierRuleSerializer
    queryset = TierRule.objects.none()

    def get_queryset(self) -> QuerySet[TierRule]:
        return tier_rule_list(user=self.request.user)


class FollowupPolicyViewSet(viewsets.ReadOnlyModelViewSet):
    """Calling hours, redial and escalation rules of the caller's hospital."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "followup.view_followuppolicy"}
    serializer_class = FollowupPolicySerializer
    queryset = FollowupPolicy.objects.none()

    def get_queryset(self) -> QuerySet[FollowupPolicy]:
        return policy_list(user=self.request.user).order_by("id")
