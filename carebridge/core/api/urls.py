from django.urls import path
from rest_framework.routers import SimpleRouter

from carebridge.core.api.views.organisation import DepartmentViewSet, TokenView

router = SimpleRouter()
router.register("departments", DepartmentViewSet, basename="department")

urlpatterns = [path("auth/token/", TokenView.as_view(), name="api-token"), *router.urls]
