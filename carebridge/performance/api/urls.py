"""REST API of the performance app, under /api/v1/performance/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from carebridge.performance.api.views.actions import ActionViewSet
from carebridge.performance.api.views.scorecards import KpiViewSet, ScorecardViewSet
from carebridge.performance.api.views.standards import (
    ActivityViewSet,
    CourseViewSet,
    FindingViewSet,
    RoundViewSet,
    SessionViewSet,
)

router = SimpleRouter()
router.register("performance/kpis", KpiViewSet, basename="performance-kpi")
router.register("performance/scorecards", ScorecardViewSet, basename="performance-scorecard")
router.register("performance/activities", ActivityViewSet, basename="performance-activity")
router.register("performance/inspections", RoundViewSet, basename="performance-inspection")
router.register("performance/findings", FindingViewSet, basename="performance-finding")
router.register("performance/courses", CourseViewSet, basename="performance-course")
router.register("performance/sessions", SessionViewSet, basename="performance-session")
router.register("performance/actions", ActionViewSet, basename="performance-action")

urlpatterns = router.urls
