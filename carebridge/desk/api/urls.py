from rest_framework.routers import SimpleRouter

from carebridge.desk.api.views import ComplaintViewSet
from carebridge.desk.api.views_work import EscortViewSet, HandoverViewSet, InquiryViewSet, WorkLogViewSet

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="complaint")
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("escorts", EscortViewSet, basename="escort")
router.register("handovers", HandoverViewSet, basename="handover")
router.register("worklogs", WorkLogViewSet, basename="worklog")

urlpatterns = router.urls
