"""API of work logs (工作日志): one's own and one's team's; POST writes (or re-counts) one's day."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from carebridge.frontdesk.api.serializers.worklogs import WorkLogInputSerializer, WorkLogSerializer
from carebridge.frontdesk.api.views.common import ActionPermissions
from carebridge.frontdesk.models import WorkLog
from carebridge.frontdesk.selectors.worklogs import worklog_list
from carebridge.frontdesk.services.worklogs import worklog_save


class WorkLogViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Work logs (工作日志): one's own, and one's team's with ``desk.review_worklogs``. POST writes (or
    re-counts) the caller's log of a day."""

    permission_classes = [ActionPermissions]
    action_permissions = {"*": "frontdesk.view_worklog", "create": "frontdesk.add_worklog"}
    serializer_class = WorkLogSerializer
    queryset = WorkLog.objects.none()

    def get_queryset(self) -> QuerySet[WorkLog]:
        return worklog_list(user=self.request.user).order_by("-day", "author_id")

    @extend_schema(request=WorkLogInputSerializer, responses={200: WorkLogSerializer})
    def create(self, request: Request) -> Response:
        payload = WorkLogInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        log = worklog_save(actor=request.user, day=data["day"], notes=data.get("notes"))
        return Response(WorkLogSerializer(log).data)
