"""The public answering endpoints (no login, rate limited), separate from the authenticated API."""

from __future__ import annotations

from django.urls import path

from carebridge.surveys.api.public import PublicDraftView, PublicQuestionnaireView, PublicSubmitView

urlpatterns = [
    path("surveys/<str:token>/", PublicQuestionnaireView.as_view(), name="public-survey"),
    path("surveys/<str:token>/draft/", PublicDraftView.as_view(), name="public-survey-draft"),
    path("surveys/<str:token>/submit/", PublicSubmitView.as_view(), name="public-survey-submit"),
]
