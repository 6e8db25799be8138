"""Pages of the front desk: the agent's workspace, inquiries, escorts, shift handover and work logs.
Included by ``carebridge/urls.py`` under ``/desk/`` in the ``desk`` namespace, shared with the complaint
pages, so every URL and URL name stayed what it was."""

from django.urls import path

from carebridge.frontdesk.views import escorts, handover, inquiries, worklogs, workspace

urlpatterns = [
    path("", workspace.workspace, name="workspace"),
    path("workspace/counters/", workspace.workspace_counters_view, name="workspace_counters"),
    path("inquiries/", inquiries.inquiry_list_view, name="inquiry_list"),
    path("inquiries/new/", inquiries.inquiry_create, name="inquiry_create"),
    path("inquiries/quick/", inquiries.inquiry_quick, name="inquiry_quick"),
    path("inquiries/statistics/", inquiries.inquiry_statistics_view, name="inquiry_statistics"),
    path("inquiries/<int:pk>/", inquiries.inquiry_detail, name="inquiry_detail"),
    path("escorts/", escorts.escort_list, name="escort_list"),
    path("escorts/new/", escorts.escort_create, name="escort_create"),
    path("escorts/<int:pk>/", escorts.escort_detail, name="escort_detail"),
    path("escorts/<int:pk>/transition/", escorts.escort_transition_view, name="escort_transition"),
    path("handovers/", handover.handover_list_view, name="handover_list"),
    path("handovers/prepare/", handover.handover_prepare_view, name="handover_prepare"),
    path("handovers/<int:pk>/", handover.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/notes/", handover.handover_notes_view, name="handover_notes"),
    path(
        "handovers/<int:pk>/acknowledge/",
        handover.handover_acknowledge_view,
        name="handover_acknowledge",
    ),
    path("worklogs/", worklogs.worklog_list_view, name="worklog_list"),
    path("worklogs/today/", worklogs.worklog_edit, name="worklog_today"),
    path("worklogs/<str:day>/", worklogs.worklog_edit, name="worklog_edit"),
]
