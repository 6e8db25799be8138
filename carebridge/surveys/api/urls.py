"""REST API of the surveys app, under /api/v1/surveys/."""

from __future__ import annotations

from carebridge.surveys.api import instruments, responses, waves

urlpatterns = [*instruments.urls, *waves.urls, *responses.urls]
