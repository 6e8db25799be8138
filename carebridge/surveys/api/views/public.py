"""The public answering API (no login), for apps and kiosks: ``/api/public/surveys/<token>/``.

``GET`` the questionnaire in the requested language (``?lang=en``) with the saved draft; ``POST
draft/`` saves answers part-way; ``POST submit/`` submits once. No authentication class runs, so no
session and no CSRF check: the token is the credential. The endpoints have their own throttle (per
address and per token, ``surveys.views.ratelimit``) and none of the authenticated API's permissions.

Answers: ``{"answers": {"q1": 4, "q2": "na", "nps": 9}, "language": "en"}``. Errors: 400 with
``{"errors": {item code: [message]}}`` in the respondent's language; 404 for an unknown token; 409
when the token was answered already; 410 when it expired, was withdrawn or the survey closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from carebridge.surveys.api.serializers.public import (
    PublicAnswersSerializer,
    PublicQuestionnaireSerializer,
    PublicRefusalSerializer,
    PublicResultSerializer,
)
from carebridge.surveys.choices import ResponseMode
from carebridge.surveys.domain import instruments, questionnaire
from carebridge.surveys.models import Invitation, ResponseDraft
from carebridge.surveys.selectors.responses import invitation_for_token
from carebridge.surveys.services.responses import (
    ALREADY_ANSWERED,
    EXPIRED,
    REFUSALS,
    SubmissionRefused,
    draft_save,
    invitation_expire,
    invitation_open,
    normalise_language,
    refusal_reason,
    response_submit,
)
from carebridge.surveys.views import ratelimit


class PublicSurveyThrottle(BaseThrottle):
    """The answering pages' limits, shared with the HTML form (``surveys.views.ratelimit``)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        return not ratelimit.over_limit(request._request, str(view.kwargs.get("token", "")))

    def wait(self) -> float:
        return float(ratelimit.retry_after())


class _PublicView(APIView):
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicSurveyThrottle]

    def _invitation(self, token: str) -> Invitation:
        invitation = invitation_for_token(token=token)
        if invitation is None:
            raise NotFound()
        return invitation

    def _refusal(self, invitation: Invitation, reason: str) -> Response:
        if reason == EXPIRED:
            invitation_expire(invitation=invitation, now=timezone.now())
        code = status.HTTP_409_CONFLICT if reason == ALREADY_ANSWERED else status.HTTP_410_GONE
        return Response({"reason": reason, "detail": str(REFUSALS[reason])}, status=code)

    def _with_answers(
        self, request: Request, token: str, act: Callable[[Invitation, dict[str, Any]], Response]
    ) -> Response:
        """Validate the posted answers, run ``act`` in the respondent's language, and answer a refusal
        with 409/410 and invalid answers with 400 and the errors by field."""
        invitation = self._invitation(token)
        payload = PublicAnswersSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        with translation.override(data["language"]):
            try:
                return act(invitation, data)
            except SubmissionRefused as refused:
                return self._refusal(invitation, refused.reason)
            except ValidationError as invalid:
                errors = (
                    invalid.message_dict if hasattr(invalid, "error_dict") else {"answers": invalid.messages}
                )
                return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)


def _item(spec: instruments.ItemSpec, language: str) -> dict[str, Any]:
    field = questionnaire.fields([spec], language=language, answers={})[0]
    return {
        "code": spec.code,
        "type": spec.item_type,
        "text": field.text,
        "answer_required": spec.required,
        "not_applicable_offered": spec.allows_na,
        "choices": [{"value": choice.value, "label": choice.label} for choice in field.choices],
        "show_if": dict(spec.show_if) if spec.show_if else None,
    }


class PublicQuestionnaireView(_PublicView):
    @extend_schema(
        operation_id="public_survey_retrieve",
        parameters=[OpenApiParameter("lang", str, enum=["zh-hans", "en"], required=False)],
        responses={
            200: PublicQuestionnaireSerializer,
            404: None,
            409: PublicRefusalSerializer,
            410: PublicRefusalSerializer,
        },
        auth=[],
    )
    def get(self, request: Request, token: str) -> Response:
        """The questionnaire in the requested language, with the answers saved so far."""
        invitation = self._invitation(token)
        language = normalise_language(request.query_params.get("lang"))
        now = timezone.now()
        reason = refusal_reason(invitation, now)
        if reason is not None:
            return self._refusal(invitation, reason)
        invitation_open(invitation=invitation, now=now)
        wave = invitation.wave
        definition = wave.version.definition
        draft = ResponseDraft.objects.filter(invitation=invitation).first()
        with translation.override(language):
            body = {
                "title": instruments.localised(definition.get("title"), language),
                "intro": instruments.localised(definition.get("intro"), language),
                "privacy": questionnaire.privacy_notes(
                    hospital_name=wave.hospital.name,
                    anonymous=wave.anonymous,
                    min_report_group=wave.min_report_group,
                ),
                "anonymous": wave.anonymous,
                "language": language,
                "pages": [
                    {
                        "code": page.code,
                        "title": page.title,
                        "items": [_item(spec, language) for spec in page.specs],
                    }
                    for page in questionnaire.pages(definition, language)
                ],
                "draft": draft.answers if draft else {},
                "draft_page": draft.page if draft else 0,
            }
        return Response(body)


class PublicDraftView(_PublicView):
    @extend_schema(
        operation_id="public_survey_draft",
        request=PublicAnswersSerializer,
        responses={
            200: PublicResultSerializer,
            400: None,
            404: None,
            409: PublicRefusalSerializer,
            410: PublicRefusalSerializer,
        },
        auth=[],
    )
    def post(self, request: Request, token: str) -> Response:
        """Save the answers so far; resume later from any device with the same link."""

        def save(invitation: Invitation, data: dict[str, Any]) -> Response:
            draft = draft_save(
                invitation=invitation, answers=data["answers"], page=data["page"], now=timezone.now()
            )
            return Response({"status": "saved", "page": draft.page})

        return self._with_answers(request, token, save)


class PublicSubmitView(_PublicView):
    @extend_schema(
        operation_id="public_survey_submit",
        request=PublicAnswersSerializer,
        responses={
            201: PublicResultSerializer,
            400: None,
            404: None,
            409: PublicRefusalSerializer,
            410: PublicRefusalSerializer,
        },
        auth=[],
    )
    def post(self, request: Request, token: str) -> Response:
        """Submit the answers, once per token."""

        def submit(invitation: Invitation, data: dict[str, Any]) -> Response:
            response_submit(
                invitation=invitation,
                answers=data["answers"],
                language=data["language"],
                mode=ResponseMode.WEB,
                now=timezone.now(),
            )
            return Response({"status": "completed"}, status=status.HTTP_201_CREATED)

        return self._with_answers(request, token, submit)
