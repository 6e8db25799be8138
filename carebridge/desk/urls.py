from django.urls import path

from carebridge.desk import views, views_escorts, views_handover, views_inquiries, views_workspace

app_name = "desk"
urlpatterns = [
    # The agent's workspace, inquiries, escorts, shift handover and work logs.
    path("", views_workspace.workspace, name="workspace"),
    path("workspace/counters/", views_workspace.workspace_counters_view, name="workspace_counters"),
    path("inquiries/", views_inquiries.inquiry_list_view, name="inquiry_list"),
    path("inquiries/new/", views_inquiries.inquiry_create, name="inquiry_create"),
    path("inquiries/quick/", views_inquiries.inquiry_quick, name="inquiry_quick"),
    path("inquiries/statistics/", views_inquiries.inquiry_statistics_view, name="inquiry_statistics"),
    path("inquiries/<int:pk>/", views_inquiries.inquiry_detail, name="inquiry_detail"),
    path("escorts/", views_escorts.escort_list, name="escort_list"),
    path("escorts/new/", views_escorts.escort_create, name="escort_create"),
    path("escorts/<int:pk>/", views_escorts.escort_detail, name="escort_detail"),
    path("escorts/<int:pk>/transition/", views_escorts.escort_transition_view, name="escort_transition"),
    path("handovers/", views_handover.handover_list_view, name="handover_list"),
    path("handovers/prepare/", views_handover.handover_prepare_view, name="handover_prepare"),
    path("handovers/<int:pk>/", views_handover.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/notes/", views_handover.handover_notes_view, name="handover_notes"),
    path(
        "handovers/<int:pk>/acknowledge/",
        views_handover.handover_acknowledge_view,
        name="handover_acknowledge",
    ),
    path("worklogs/", views_handover.worklog_list_view, name="worklog_list"),
    path("worklogs/today/", views_handover.worklog_edit, name="worklog_today"),
    path("worklogs/<str:day>/", views_handover.worklog_edit, name="worklog_edit"),
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
