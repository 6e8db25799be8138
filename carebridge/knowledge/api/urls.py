from django.urls import path

from carebridge.core.api.views.routing import Router
from carebridge.knowledge.api.views.entries import (
    DepartmentProfileViewSet,
    DoctorViewSet,
    ExternalHospitalViewSet,
    FaqViewSet,
    ServiceViewSet,
)
from carebridge.knowledge.api.views.search import KnowledgeSearchView

router = Router()
router.register("knowledge/departments", DepartmentProfileViewSet, basename="knowledge-department")
router.register("knowledge/services", ServiceViewSet, basename="knowledge-service")
router.register("knowledge/doctors", DoctorViewSet, basename="knowledge-doctor")
router.register("knowledge/external-hospitals", ExternalHospitalViewSet, basename="knowledge-external")
router.register("knowledge/faq", FaqViewSet, basename="knowledge-faq")

urlpatterns = [
    path("knowledge/search/", KnowledgeSearchView.as_view(), name="knowledge-search"),
    *router.urls,
]
