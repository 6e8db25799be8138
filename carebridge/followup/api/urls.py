"""REST API of the followup app, under /api/v1/followup/."""

from __future__ import annotations

from django.urls import path

from carebridge.core.api.views.routing import Router
from carebridge.followup.api.views.calls import CallAttemptViewSet, QueueViewSet, TelephonyEventView
from carebridge.followup.api.views.config import FollowupPolicyViewSet, FollowupTierViewSet, TierRuleViewSet
from carebridge.followup.api.views.kpis import KpiRowsView, KpiTableView
from carebridge.followup.api.views.plans import CarePlanViewSet, TouchpointViewSet
from carebridge.followup.api.views.programmes import (
    EnrolmentViewSet,
    MeetingViewSet,
    ProgrammeViewSet,
    StayPlanViewSet,
    SyncViewSet,
)

router = Router()
router.register("followup/plans", CarePlanViewSet, basename="followup-plan")
router.register("followup/touchpoints", TouchpointViewSet, basename="followup-touchpoint")
router.register("followup/queue", QueueViewSet, basename="followup-queue")
router.register("followup/calls", CallAttemptViewSet, basename="followup-call")
router.register("followup/tiers", FollowupTierViewSet, basename="followup-tier")
router.register("followup/tier-rules", TierRuleViewSet, basename="followup-tier-rule")
router.register("followup/policies", FollowupPolicyViewSet, basename="followup-policy")
router.register("followup/programmes", ProgrammeViewSet, basename="followup-programme")
router.register("followup/enrolments", EnrolmentViewSet, basename="followup-enrolment")
router.register("followup/syncs", SyncViewSet, basename="followup-sync")
router.register("followup/meetings", MeetingViewSet, basename="followup-meeting")
router.register("followup/stay-plans", StayPlanViewSet, basename="followup-stay-plan")

urlpatterns = [
    path("followup/telephony/events/", TelephonyEventView.as_view(), name="followup-telephony-events"),
    *router.urls,
    path("followup/kpis/", KpiTableView.as_view(), name="followup-kpis"),
    path("followup/kpis/rows/", KpiRowsView.as_view(), name="followup-kpi-rows"),
]
