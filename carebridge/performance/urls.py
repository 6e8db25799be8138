"""Pages of the performance app."""

from django.urls import path

from carebridge.performance.views import actions

app_name = "performance"
urlpatterns = [
    path("actions/", actions.action_list_page, name="action_list"),
    path("actions/export/", actions.action_export, name="action_export"),
    path("actions/new/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/move/", actions.action_move_page, name="action_move"),
    path("actions/<int:pk>/check/", actions.action_check_page, name="action_check"),
    path("department/", actions.department_page, name="department"),
]
