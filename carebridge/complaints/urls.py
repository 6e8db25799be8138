"""Pages of complaints. Included by ``carebridge/urls.py`` under ``/desk/`` in the ``desk`` namespace,
shared with the front desk's pages, so every URL and URL name stayed what it was."""

from django.urls import path

from carebridge.complaints.views import complaints as views

urlpatterns = [
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/suggest/", views.complaint_suggest, name="complaint_suggest"),
    path("complaints/overdue/", views.overdue_queue, name="complaint_overdue"),
    path("complaints/statistics/", views.complaint_statistics, name="complaint_statistics"),
    path("complaints/export/", views.complaint_export, name="complaint_export"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
    path("complaints/<int:pk>/transition/", views.complaint_transition_view, name="complaint_transition"),
    path("complaints/<int:pk>/classify/", views.complaint_classify_view, name="complaint_classify"),
    path("complaints/<int:pk>/notes/", views.complaint_note_view, name="complaint_note"),
    path("complaints/<int:pk>/recovery/", views.complaint_recovery_view, name="complaint_recovery"),
    path("complaints/<int:pk>/feedback/", views.complaint_feedback_view, name="complaint_feedback"),
    path("complaints/<int:pk>/attachments/", views.complaint_attach_view, name="complaint_attach"),
    path(
        "complaints/<int:pk>/attachments/<int:attachment_id>/",
        views.attachment_download,
        name="complaint_attachment",
    ),
]
