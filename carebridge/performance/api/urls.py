"""REST API of the performance app, under /api/v1/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from carebridge.performance.api.views.actions import ActionViewSet

router = SimpleRouter()
router.register("performance/actions", ActionViewSet, basename="performance-action")

urlpatterns = router.urls
