"""The public answering pages (no login): one per invitation token, under /s/."""

from __future__ import annotations

from django.urls import path

from carebridge.surveys import public_views

app_name = "answer"

urlpatterns = [
    path("<str:token>/", public_views.answer, name="answer"),
    path("<str:token>/thanks/", public_views.thanks, name="thanks"),
]
