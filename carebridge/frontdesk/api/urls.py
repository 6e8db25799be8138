from rest_framework.routers import SimpleRouter

from carebridge.frontdesk.api.views.escorts import EscortViewSet
from carebridge.frontdesk.api.views.handover import HandoverViewSet
from carebridge.frontdesk.api.views.inquiries import InquiryViewSet
from carebridge.frontdesk.api.views.worklogs import WorkLogViewSet

router = SimpleRouter()
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("escorts", EscortViewSet, basename="escort")
router.register("handovers", HandoverViewSet, basename="handover")
router.register("worklogs", WorkLogViewSet, basename="worklog")

urlpatterns = router.urls
