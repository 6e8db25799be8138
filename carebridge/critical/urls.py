"""Pages of critical results: the work queue, a notification, the timeliness dashboard and its rows."""

from django.urls import path

from carebridge.critical.views import dashboard, queue

app_name = "critical"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("rows/", queue.queue_rows, name="queue_rows"),
    path("<int:pk>/", queue.notification_detail, name="notification"),
    path("<int:pk>/claim/", queue.claim, name="claim"),
    path("<int:pk>/release/", queue.release, name="release"),
    path("<int:pk>/attempt/", queue.attempt, name="attempt"),
    path("<int:pk>/reveal/", queue.reveal, name="reveal"),
    path("<int:pk>/sign-off/", queue.sign_off, name="sign_off"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/export/", dashboard.dashboard_export, name="dashboard_export"),
    path("notifications/", dashboard.notification_rows, name="list"),
]
