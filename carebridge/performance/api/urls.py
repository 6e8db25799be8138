"""REST API of the performance app, under /api/v1/performance/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from carebridge.performance.api.views.scorecards import KpiViewSet, ScorecardViewSet

router = SimpleRouter()
router.register("performance/kpis", KpiViewSet, basename="performance-kpi")
router.register("performance/scorecards", ScorecardViewSet, basename="performance-scorecard")

urlpatterns = router.urls
