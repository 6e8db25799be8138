from carebridge.complaints.api.views.complaints import ComplaintViewSet
from carebridge.core.api.views.routing import Router

router = Router()
router.register("complaints", ComplaintViewSet, basename="complaint")

urlpatterns = router.urls
