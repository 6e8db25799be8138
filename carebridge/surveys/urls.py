"""Pages of the surveys app.

``urlpatterns`` (namespace ``surveys``) are the authenticated staff pages, mounted at /surveys/;
``public_urlpatterns`` (namespace ``answer``) are the public answering pages (no login), one per
invitation token, mounted at /s/.
"""

from __future__ import annotations

from django.urls import path

from carebridge.surveys.views import audits, instruments, public, qualitative, responses, waves

app_name = "surveys"

urlpatterns = [
    *instruments.urls,
    *waves.urls,
    *responses.urls,
    path("audits/", audits.audit_round_list_page, name="audit_rounds"),
    path("audits/<int:pk>/", audits.audit_round_detail, name="audit_round"),
    path("qualitative/", qualitative.session_list_page, name="sessions"),
    path("expert-reviews/", qualitative.review_list_page, name="reviews"),
    path("qualitative/new/", qualitative.session_new, name="session_new"),
    path("expert-reviews/new/", qualitative.review_new, name="review_new"),
    path("expert-reviews/<int:pk>/", qualitative.review_detail, name="review"),
    path("expert-reviews/<int:pk>/rate/", qualitative.review_rate_view, name="review_rate"),
]

public_urlpatterns = [
    path("<str:token>/", public.answer, name="answer"),
    path("<str:token>/thanks/", public.thanks, name="thanks"),
]
