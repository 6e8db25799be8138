"""Pages of the interfaces under /interop/: the inbound log (dead letters first) and code mappings."""

from __future__ import annotations

from django.urls import path

from carebridge.interop.views import messages

app_name = "interop"

urlpatterns = [
    path("", messages.message_log, name="messages"),
    path("messages/<int:pk>/", messages.message_detail, name="message_detail"),
    path("messages/<int:pk>/replay/", messages.message_replay_view, name="message_replay"),
    path("mappings/", messages.mappings, name="mappings"),
    path("import/", messages.results_upload, name="results_upload"),
]
