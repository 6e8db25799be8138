"""REST API of the surveys app.

``urlpatterns`` are mounted under /api/v1/surveys/; ``public_urlpatterns`` are the public answering
endpoints (no login, rate limited), mounted under /api/public/, separate from the authenticated API.
"""

from __future__ import annotations

from django.urls import path

from carebridge.surveys.api.views import audits, instruments, qualitative, responses, waves
from carebridge.surveys.api.views.public import PublicDraftView, PublicQuestionnaireView, PublicSubmitView

urlpatterns = [*instruments.urls, *waves.urls, *responses.urls, *audits.urls, *qualitative.urls]

public_urlpatterns = [
    path("surveys/<str:token>/", PublicQuestionnaireView.as_view(), name="public-survey"),
    path("surveys/<str:token>/draft/", PublicDraftView.as_view(), name="public-survey-draft"),
    path("surveys/<str:token>/submit/", PublicSubmitView.as_view(), name="public-survey-submit"),
]
