"""API of the methods beyond questionnaires under /api/v1/surveys/: ``qualitative/`` (interviews and focus
groups, filter ``kind``; notes masked) and ``expert-reviews/`` (items, the experts' ratings and the
content validity: I-CVI, Pc and k* per item, S-CVI/Ave and S-CVI/UA). Scoped by ``restrict()``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.routers import SimpleRouter

from carebridge.core.api.permissions import ModelPermissions
from carebridge.core.masking import mask_text
from carebridge.surveys.models import ExpertReview, QualitativeSession, SessionKind
from carebridge.surveys.selectors.qualitative import review_list, review_validity, session_list


class QualitativeSessionSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", default="")
    facilitator_name = serializers.CharField(source="facilitator.name")
    notes = serializers.SerializerMethodField()
    guide = serializers.SerializerMethodField()

    class Meta:
        model = QualitativeSession
        fields = [
            "id", "kind", "group", "held_on", "title", "department", "department_name", "facilitator",
            "facilitator_name", "participants", "guide", "notes",
        ]  # fmt: skip

    def get_notes(self, obj: QualitativeSession) -> str:
        return mask_text(obj.notes)

    def get_guide(self, obj: QualitativeSession) -> str:
        return mask_text(obj.guide)


class ReviewSerializer(serializers.ModelSerializer):
    ratings = serializers.SerializerMethodField()
    validity = serializers.SerializerMethodField()

    class Meta:
        model = ExpertReview
        fields = ["id", "title", "subject", "held_on", "items", "ratings", "validity"]

    def get_ratings(self, obj: ExpertReview) -> list[dict[str, Any]]:
        return [
            {"expert": r.expert, "expertise": r.expertise, "ratings": r.ratings} for r in obj.ratings.all()
        ]

    def get_validity(self, obj: ExpertReview) -> dict[str, Any] | None:
        validity = review_validity(obj)
        if validity is None:
            return None
        return {
            "s_cvi_ave": round(validity.s_cvi_ave, 4),
            "s_cvi_ua": round(validity.s_cvi_ua, 4),
            "items": [
                {
                    "code": i.item,
                    "experts": i.experts,
                    "agreeing": i.agreeing,
                    "i_cvi": round(i.i_cvi, 4),
                    "pc": round(i.pc, 4),
                    "kappa": round(i.kappa, 4),
                    "rating": i.rating,
                }
                for i in validity.items
            ],
        }


class _ReadOnly(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [ModelPermissions]


@extend_schema(parameters=[OpenApiParameter("kind", str, enum=SessionKind.values)])
class SessionViewSet(_ReadOnly):
    """Structured interviews and focus groups in the caller's scope."""

    serializer_class = QualitativeSessionSerializer
    queryset = QualitativeSession.objects.none()

    def get_queryset(self) -> QuerySet[QualitativeSession]:
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in SessionKind.values:
            raise ValidationError({"kind": [f"one of {', '.join(SessionKind.values)}"]})
        return session_list(user=self.request.user, kind=kind)


class ReviewViewSet(_ReadOnly):
    """Expert-panel reviews with their content validity."""

    serializer_class = ReviewSerializer
    queryset = ExpertReview.objects.none()

    def get_queryset(self) -> QuerySet[ExpertReview]:
        return review_list(user=self.request.user)


router = SimpleRouter()
router.register("surveys/qualitative", SessionViewSet, basename="surveys-qualitative")
router.register("surveys/expert-reviews", ReviewViewSet, basename="surveys-expert-review")
urls = router.urls
