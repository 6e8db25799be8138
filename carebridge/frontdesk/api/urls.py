from carebridge.core.api.views.routing import Router
from carebridge.frontdesk.api.views.escorts import EscortViewSet
from carebridge.frontdesk.api.views.handover import HandoverViewSet
from carebridge.frontdesk.api.views.inquiries import InquiryViewSet
from carebridge.frontdesk.api.views.worklogs import WorkLogViewSet

router = Router()
router.register("inquiries", InquiryViewSet, basename="inquiry")
router.register("escorts", EscortViewSet, basename="escort")
router.register("handovers", HandoverViewSet, basename="handover")
router.register("worklogs", WorkLogViewSet, basename="worklog")

urlpatterns = router.urls
