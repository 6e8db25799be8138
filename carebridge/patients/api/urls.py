from carebridge.core.api.views.routing import Router
from carebridge.patients.api.views.encounters import EncounterViewSet
from carebridge.patients.api.views.patients import PatientViewSet

router = Router()
router.register("patients", PatientViewSet, basename="patient")
router.register("encounters", EncounterViewSet, basename="encounter")

urlpatterns = router.urls
