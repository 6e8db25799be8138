from django.urls import path

from carebridge.core.api.views.organisation import DepartmentViewSet, TokenView
from carebridge.core.api.views.routing import Router

router = Router()
router.register("departments", DepartmentViewSet, basename="department")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token"), *router.urls]
