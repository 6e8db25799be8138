from rest_framework.routers import SimpleRouter

from carebridge.complaints.api.views.complaints import ComplaintViewSet

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
