"""API of mystery-patient audits under /api/v1/surveys/: ``audits/`` (rounds, each with its results by
department and service point) and ``audit-visits/`` (filter ``round``). Scoped by ``restrict()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import SimpleRouter

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.masking import mask_text
from carebridge.lib.text import is_id
from carebridge.surveys.models import AuditRound, AuditVisit
from carebridge.surveys.selectors.audits import audit_results, audit_round_list, audit_visit_list


class AuditRoundSerializer(serializers.ModelSerializer):
    results = serializers.SerializerMethodField()

    class Meta:
        model = AuditRound
        fields = ["id", "name", "starts_on", "ends_on", "checklist", "results"]

    def get_results(self, obj: AuditRound) -> dict[str, Any]:
        return audit_results(user=self.context["request"].user, audit_round=obj)


class AuditVisitSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name")
    notes = serializers.SerializerMethodField()

    class Meta:
        model = AuditVisit
        fields = [
            "id",
            "round",
            "department",
            "department_name",
            "service_point",
            "visited_at",
            "auditor",
            "answers",
            "score",
            "notes",
        ]

    def get_notes(self, obj: AuditVisit) -> str:
        return mask_text(obj.notes)


class AuditRoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Mystery-patient rounds with their results."""

    permission_classes = [ModelPermissions]
    serializer_class = AuditRoundSerializer
    queryset = AuditRound.objects.none()

    def get_queryset(self) -> QuerySet[AuditRound]:
        return audit_round_list(user=self.request.user)


@extend_schema(parameters=[OpenApiParameter("round", int)])
class AuditVisitViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Scored visits in the caller's scope."""

    permission_classes = [ModelPermissions]
    serializer_class = AuditVisitSerializer
    queryset = AuditVisit.objects.none()

    def get_queryset(self) -> QuerySet[AuditVisit]:
        wanted = self.request.query_params.get("round", "")
        if wanted and not is_id(wanted):
            raise ValidationError({"round": ["a round id"]})
        rows = audit_visit_list(user=self.request.user)
        return rows.filter(round_id=int(wanted)) if wanted else rows


router = SimpleRouter()
router.register("surveys/audits", AuditRoundViewSet, basename="surveys-audit-round")
router.register("surveys/audit-visits", AuditVisitViewSet, basename="surveys-audit-visit")
urls = router.urls
