"""Pages of the surveys app (authenticated staff), mounted at /surveys/."""

from __future__ import annotations

from carebridge.surveys.views import instruments, responses, waves

app_name = "surveys"

urlpatterns = [*instruments.urls, *waves.urls, *responses.urls]
