"""Pages of the performance app."""

from django.urls import URLPattern, path

from carebridge.performance.views import actions, bonus, scorecards

app_name = "performance"
urlpatterns: list[URLPattern] = [
    # Balanced scorecard (issue 15)
    path("scorecards/", scorecards.scorecard_list, name="scorecards"),
    path("scorecards/bonus/", bonus.bonus_table, name="bonus"),
    path("scorecards/<int:pk>/", scorecards.scorecard_detail, name="scorecard"),
    path("scorecards/<int:pk>/weights/", scorecards.weights_edit, name="weights"),
    path("scorecards/<int:pk>/entries/", scorecards.entry_save, name="entry_save"),
    path("scorecards/<int:pk>/close/", scorecards.period_close_view, name="period_close"),
    path("scorecards/<int:pk>/correct/", scorecards.period_correct_view, name="period_correct"),
    path("scorecards/<int:pk>/kpis/<int:assignment>/rows/", scorecards.kpi_rows_view, name="kpi_rows"),
    path("kpis/", scorecards.kpi_catalogue, name="kpis"),
    # Improvement actions (issue 21)
    path("actions/", actions.action_list_page, name="action_list"),
    path("actions/export/", actions.action_export, name="action_export"),
    path("actions/new/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/move/", actions.action_move_page, name="action_move"),
    path("actions/<int:pk>/check/", actions.action_check_page, name="action_check"),
    path("department/", actions.department_page, name="department"),
]
