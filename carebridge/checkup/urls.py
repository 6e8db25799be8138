"""Pages of the checkup centre under /checkup/, and the public report pages (``public_urlpatterns``,
namespace ``checkup_report``, under /r/, no login: the one-time link a person opens on a phone)."""

from __future__ import annotations

from django.urls import path

from carebridge.checkup.views import (
    catalogue,
    customers,
    flow,
    groupreports,
    records,
    reports,
    results,
    review,
    statistics,
    visits,
)

app_name = "checkup"

urlpatterns = [
    path("", visits.visit_day, name="home"),
    path("items/", catalogue.items, name="items"),
    path("packages/", catalogue.packages, name="packages"),
    path("visits/", visits.visit_day, name="visit_day"),
    path("visits/new/", visits.visit_new, name="visit_new"),
    path("visits/<int:pk>/", visits.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/check-in/", visits.visit_check_in_view, name="visit_check_in"),
    path("visits/<int:pk>/leave/", visits.visit_leave_view, name="visit_leave"),
    path("visits/<int:pk>/meal/", visits.visit_meal_view, name="visit_meal"),
    path("visits/<int:pk>/cancel/", visits.visit_cancel_view, name="visit_cancel"),
    path("visits/<int:pk>/escort/", visits.visit_escort_view, name="visit_escort"),
    path("visits/<int:pk>/move/", flow.visit_move, name="visit_move"),
    path("visits/<int:pk>/orders/<int:order_pk>/waive/", visits.order_waive_view, name="order_waive"),
    path("visits/<int:pk>/guide-sheet/", visits.guide_sheet, name="guide_sheet"),
    path("visits/<int:pk>/questionnaire/", visits.visit_questionnaire, name="visit_questionnaire"),
    path("visits/<int:pk>/rooms/<int:room_pk>/results/", results.result_entry, name="result_entry"),
    path("visits/<int:pk>/rooms/<int:room_pk>/sign/", results.room_sign_view, name="room_sign"),
    path("visits/<int:pk>/review/", review.workstation, name="workstation"),
    path("visits/<int:pk>/review/seen/", review.examiner_saw, name="examiner_saw"),
    path("visits/<int:pk>/review/adopt/", review.adopt_suggestions, name="adopt_suggestions"),
    path("visits/<int:pk>/review/findings/", review.finding_new, name="finding_new"),
    path("visits/<int:pk>/review/findings/<int:line_pk>/", review.finding_edit, name="finding_edit"),
    path("visits/<int:pk>/review/sign/", review.sign, name="sign"),
    path("visits/<int:pk>/review/risk/", review.risk_override, name="risk_override"),
    path("visits/<int:pk>/review/unsign/", review.unsign, name="unsign"),
    path("visits/<int:pk>/release/", review.release, name="release"),
    path("visits/<int:pk>/report.pdf", review.report_pdf_view, name="report_pdf"),
    path("review/", review.review_list, name="review_list"),
    path("advice/", review.advice_rules, name="advice_rules"),
    path("advice/new/", review.advice_rule_edit, name="advice_rule_new"),
    path("advice/<int:pk>/", review.advice_rule_edit, name="advice_rule_edit"),
    path("records/<int:patient_pk>/", records.record, name="health_record"),
    path("rooms/", flow.rooms, name="rooms"),
    path("rooms/<int:pk>/", flow.room_detail, name="room_detail"),
    path("rooms/<int:pk>/queue/", flow.room_panel, name="room_panel"),
    path("queue/<int:pk>/call/", flow.queue_call_view, name="queue_call"),
    path("queue/<int:pk>/finish/", flow.queue_finish_view, name="queue_finish"),
    path("board/", flow.board_page, name="board"),
    path("board/panel/", flow.board_panel, name="board_panel"),
    path("groups/", customers.groups, name="groups"),
    path("groups/new/", customers.group_new, name="group_new"),
    path("groups/<int:pk>/", customers.group_detail, name="group_detail"),
    path("groups/<int:pk>/contracts/new/", customers.contract_new, name="contract_new"),
    path("contracts/<int:pk>/roster/", customers.contract_import, name="contract_import"),
    path("contracts/<int:pk>/book/", customers.contract_book, name="contract_book"),
    path("roster-imports/<int:pk>/", customers.roster_import_report, name="roster_import_report"),
    path("group-reports/", groupreports.report_list, name="group_reports"),
    path("groups/<int:pk>/report/", groupreports.report_page, name="group_report"),
    path("groups/<int:pk>/report.pdf", groupreports.report_pdf, name="group_report_pdf"),
    path("groups/<int:pk>/report.xlsx", groupreports.report_xlsx, name="group_report_xlsx"),
    path("groups/<int:pk>/report/advice/", groupreports.advice_save, name="group_report_advice"),
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("statistics/rows/", statistics.statistics_rows, name="statistics_rows"),
]

public_urlpatterns = [
    path("<str:token>/", reports.report, name="report"),
    path("<str:token>/report.pdf", reports.report_pdf_public, name="report_pdf"),
]
