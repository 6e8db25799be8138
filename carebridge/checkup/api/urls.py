"""REST API of the checkup centre, under /api/v1/checkup/."""

from __future__ import annotations

from django.urls import path

from carebridge.checkup.api.views.catalogue import GroupViewSet, ItemViewSet, PackageViewSet
from carebridge.checkup.api.views.flow import RoomViewSet
from carebridge.checkup.api.views.groupreports import GroupReportPdfView, GroupReportView, GroupReportXlsxView
from carebridge.checkup.api.views.visits import VisitReportPdfView, VisitViewSet
from carebridge.core.api.views.routing import Router

router = Router()
router.register("checkup/items", ItemViewSet, basename="checkup-item")
router.register("checkup/packages", PackageViewSet, basename="checkup-package")
router.register("checkup/groups", GroupViewSet, basename="checkup-group")
router.register("checkup/visits", VisitViewSet, basename="checkup-visit")
router.register("checkup/rooms", RoomViewSet, basename="checkup-room")

urlpatterns = [
    path("checkup/groups/<int:pk>/report/", GroupReportView.as_view(), name="checkup-group-report"),
    path("checkup/groups/<int:pk>/report.pdf", GroupReportPdfView.as_view(), name="checkup-group-report-pdf"),
    path(
        "checkup/groups/<int:pk>/report.xlsx", GroupReportXlsxView.as_view(), name="checkup-group-report-xlsx"
    ),
    path("checkup/visits/<int:pk>/report.pdf", VisitReportPdfView.as_view(), name="checkup-visit-report-pdf"),
    *router.urls,
]
