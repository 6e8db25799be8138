"""API of the methods beyond questionnaires under /api/v1/surveys/: ``qualitative/`` (interviews and focus
groups, filter ``kind``; notes masked) and ``expert-reviews/`` (items, the experts' ratings and the
content validity: I-CVI, Pc and k* per item, S-CVI/Ave and S-CVI/UA). Scoped by ``restrict()``. ``POST``
records a session (of the caller's hospital, or of a department of their scope: 403 for another) or opens
a review; ``expert-reviews/{id}/rate/`` records one expert's ratings. Writes go through the services; bad
input answers 400 with field errors."""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from carebridge.core.api.permissions import ModelPermissions, ModelViewPermission
from carebridge.core.masking import mask_text
from carebridge.core.models import Staff
from carebridge.core.selectors.organisation import departments_in_scope, staff_hospital
from carebridge.core.validators import COUNT_MAX
from carebridge.lib.stats.cvi import SCALE
from carebridge.lib.text import ID_MAX
from carebridge.surveys.models import ExpertReview, QualitativeSession, RespondentGroup, SessionKind
from carebridge.surveys.selectors.qualitative import (
    review_get,
    review_list,
    review_validity,
    session_get,
    session_list,
)
from carebridge.surveys.services.qualitative import review_create, review_rate, session_record


def _raise(error: DjangoValidationError) -> NoReturn:
    raise ValidationError(error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages})


class QualitativeSessionInputSerializer(serializers.Serializer):
    """Record an interview or focus group; ``department`` empty for a hospital-wide one."""

    kind = serializers.ChoiceField(choices=SessionKind.choices)
    group = serializers.ChoiceField(choices=RespondentGroup.choices)
    held_on = serializers.DateField()
    title = serializers.CharField(max_length=200)
    department = serializers.IntegerField(min_value=0, max_value=ID_MAX, required=False, allow_null=True)
    facilitator = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.filter(is_active=True))
    participants = serializers.IntegerField(min_value=1, max_value=COUNT_MAX, default=1)
    guide = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField()


class ReviewItemInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=16)
    text = serializers.CharField(max_length=500)


class ReviewInputSerializer(serializers.Serializer):
    """Open an expert-panel review of ``items`` (unique codes)."""

    title = serializers.CharField(max_length=200)
    subject = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    held_on = serializers.DateField()
    items = serializers.ListField(child=ReviewItemInputSerializer(), min_length=1, max_length=100)


class RatingInputSerializer(serializers.Serializer):
    """One expert's ratings: item code → 1, 2, 3 or 4, for every item of the review."""

    expert = serializers.CharField(max_length=64)
    expertise = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    ratings = serializers.DictField(child=serializers.ChoiceField(choices=list(SCALE)))


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
            {"expert": mask_text(r.expert), "expertise": mask_text(r.expertise), "ratings": r.ratings}
            for r in obj.ratings.all()
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
class SessionViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Structured interviews and focus groups in the caller's scope."""

    serializer_class = QualitativeSessionSerializer
    queryset = QualitativeSession.objects.none()

    def get_queryset(self) -> QuerySet[QualitativeSession]:
        kind = self.request.query_params.get("kind", "")
        if kind and kind not in SessionKind.values:
            raise ValidationError({"kind": [f"one of {', '.join(SessionKind.values)}"]})
        return session_list(user=self.request.user, kind=kind)

    @extend_schema(request=QualitativeSessionInputSerializer, responses={201: QualitativeSessionSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = QualitativeSessionInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        department = None
        if data.get("department") is not None:
            department = (
                departments_in_scope(user=request.user)
                .filter(pk=data["department"])
                .select_related("hospital")
                .first()
            )
            if department is None:
                raise PermissionDenied("Not a department of your scope.")
        data["department"] = department
        hospital = department.hospital if department else staff_hospital(user=request.user)
        try:
            session = session_record(hospital=hospital, actor=request.user, **data)
        except DjangoValidationError as error:
            _raise(error)
        return Response(
            QualitativeSessionSerializer(session_get(user=request.user, pk=session.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class ReviewViewSet(mixins.CreateModelMixin, _ReadOnly):
    """Expert-panel reviews with their content validity."""

    serializer_class = ReviewSerializer
    queryset = ExpertReview.objects.none()

    def get_queryset(self) -> QuerySet[ExpertReview]:
        return review_list(user=self.request.user)

    @extend_schema(request=ReviewInputSerializer, responses={201: ReviewSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        payload = ReviewInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            review = review_create(
                hospital=staff_hospital(user=request.user), actor=request.user, **payload.validated_data
            )
        except DjangoValidationError as error:
            _raise(error)
        return Response(
            ReviewSerializer(review_get(user=request.user, pk=review.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=RatingInputSerializer, responses=ReviewSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelViewPermission])
    def rate(self, request: Request, pk: str | None = None) -> Response:
        """Record one expert's ratings of every item; the validity in the answer includes them."""
        if not request.user.has_perm("surveys.change_expertreview"):
            raise PermissionDenied
        review = self.get_object()
        payload = RatingInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            review_rate(review=review, actor=request.user, **payload.validated_data)
        except DjangoValidationError as error:
            _raise(error)
        return Response(ReviewSerializer(review_get(user=request.user, pk=review.pk)).data)


router = SimpleRouter()
router.register("surveys/qualitative", SessionViewSet, basename="surveys-qualitative")
router.register("surveys/expert-reviews", ReviewViewSet, basename="surveys-expert-review")
urls = router.urls
