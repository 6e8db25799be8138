"""Pages of the performance app: the balanced scorecard (issue 15); staff standards, training,
activities and 双创 inspections (issue 16)."""

from django.urls import URLPattern, path

from carebridge.performance.views import (
    actions,
    activities,
    bonus,
    home,
    inspections,
    scorecards,
    staffing,
    training,
)

app_name = "performance"
urlpatterns: list[URLPattern] = [
    # Balanced scorecard (issue 15)
    path("scorecards/", scorecards.scorecard_list, name="scorecards"),
    path("scorecards/bonus/", bonus.bonus_table, name="bonus"),
    path("scorecards/<int:pk>/", scorecards.scorecard_detail, name="scorecard"),
    path("scorecards/<int:pk>/weights/", scorecards.weights_edit, name="weights"),
    path("scorecards/<int:pk>/entries/", scorecards.entry_save, name="entry_save"),
    path("scorecards/<int:pk>/entries/import/", scorecards.entries_import, name="entries_import"),
    path("scorecards/<int:pk>/close/", scorecards.period_close_view, name="period_close"),
    path("scorecards/<int:pk>/correct/", scorecards.period_correct_view, name="period_correct"),
    path("scorecards/<int:pk>/kpis/<int:assignment>/rows/", scorecards.kpi_rows_view, name="kpi_rows"),
    path("kpis/", scorecards.kpi_catalogue, name="kpis"),
    # Staff standards, training, activities and inspections (issue 16)
    path("standards/", home.home, name="home"),
    path("training/courses/", training.courses, name="courses"),
    path("training/sessions/", training.sessions, name="sessions"),
    path("training/sessions/<int:pk>/", training.session_detail, name="session"),
    path("training/statistics/", training.training_statistics, name="training_statistics"),
    path("staff/", staffing.staff, name="staff"),
    path("staff/<int:pk>/", staffing.staff_profile, name="staff_profile"),
    path("rotation/", staffing.rotation, name="rotation"),
    path("activities/", activities.activities, name="activities"),
    path("activities/new/", activities.activity_new, name="activity_new"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity"),
    path("activities/<int:pk>/files/<int:attachment_id>/", activities.activity_file, name="activity_file"),
    path("activities/summary/", activities.activity_summary, name="activity_summary"),
    path("activities/calendar/", activities.calendar, name="calendar"),
    path("inspections/", inspections.rounds, name="rounds"),
    path("inspections/<int:pk>/", inspections.round_detail, name="round"),
    path("findings/", inspections.findings, name="findings"),
    path("findings/mine/", inspections.my_findings, name="my_findings"),
    path("findings/<int:pk>/", inspections.finding_detail, name="finding"),
    path("findings/<int:pk>/photos/<int:photo_id>/", inspections.finding_photo, name="finding_photo"),
    # Improvement actions (issue 21)
    path("actions/", actions.action_list_page, name="action_list"),
    path("actions/export/", actions.action_export, name="action_export"),
    path("actions/new/", actions.action_new, name="action_new"),
    path("actions/<int:pk>/", actions.action_detail, name="action_detail"),
    path("actions/<int:pk>/move/", actions.action_move_page, name="action_move"),
    path("actions/<int:pk>/check/", actions.action_check_page, name="action_check"),
    path("department/", actions.department_page, name="department"),
]
