"""REST API of critical results, under /api/v1/critical/."""

from __future__ import annotations

from rest_framework.routers import SimpleRouter

from carebridge.critical.api.views.critical import NotificationViewSet, RuleViewSet

router = SimpleRouter()
router.register("critical/rules", RuleViewSet, basename="critical-rule")
router.register("critical/notifications", NotificationViewSet, basename="critical-notification")

urlpatterns = router.urls
