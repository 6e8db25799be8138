from rest_framework.routers import SimpleRouter

from carebridge.patients.api.views.encounters import EncounterViewSet
from carebridge.patients.api.views.patients import PatientViewSet

router = SimpleRouter()
router.register("patients", PatientViewSet, basename="patient")
router.register("encounters", EncounterViewSet, basename="encounter")

urlpatterns = router.urls
