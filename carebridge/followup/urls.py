"""Pages of the followup app: the call queue and calls, care plans and touchpoints, the KPIs and the
customer file."""

from __future__ import annotations

from django.urls import path

from carebridge.followup.views import calls, customer, kpis, plans, programmes, stay_plans, ward_programme

app_name = "followup"

urlpatterns = [
    path("", calls.queue, name="queue"),
    path("screen-pop/", calls.screen_pop_view, name="screen_pop"),
    path("calls/<int:pk>/", calls.call_page, name="call"),
    path("calls/<int:pk>/claim/", calls.claim, name="claim"),
    path("calls/<int:pk>/release/", calls.release, name="release"),
    path("calls/<int:pk>/outcome/", calls.call_outcome, name="call_outcome"),
    path("calls/<int:pk>/issues/", calls.call_issue, name="call_issue"),
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/retier/", plans.plan_retier_view, name="plan_retier"),
    path("plans/<int:pk>/midstay/", plans.plan_midstay_view, name="plan_midstay"),
    path("plans/<int:pk>/stay-plan/", stay_plans.stay_plan_agree_view, name="stay_plan_agree"),
    path("stay-plans/", stay_plans.stay_plan_list_page, name="stay_plan_list"),
    path("stay-plans/<int:pk>/items/", stay_plans.stay_item_add_view, name="stay_item_add"),
    path("stay-items/<int:pk>/close/", stay_plans.stay_item_close_view, name="stay_item_close"),
    path("touchpoints/<int:pk>/introduction/", stay_plans.introduction_view, name="introduction"),
    path("manager/", stay_plans.manager_page, name="manager"),
    path("touchpoints/<int:pk>/complete/", plans.touchpoint_complete_view, name="touchpoint_complete"),
    path("touchpoints/<int:pk>/close/", plans.touchpoint_close_view, name="touchpoint_close"),
    path("kpis/", kpis.kpi_dashboard, name="kpi_dashboard"),
    path("kpis/export/", kpis.kpi_export, name="kpi_export"),
    path("kpis/rows/", kpis.kpi_rows_view, name="kpi_rows"),
    path("customers/<int:pk>/", customer.customer_file, name="customer_file"),
    path("programmes/", programmes.programme_list_page, name="programme_list"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/export/", programmes.programme_export, name="programme_export"),
    path("programmes/<int:pk>/enrol/", programmes.programme_enrol_page, name="programme_enrol"),
    path("enrolments/<int:pk>/leave/", programmes.enrolment_leave_page, name="enrolment_leave"),
    path("syncs/", ward_programme.sync_list_page, name="sync_list"),
    path("syncs/new/", ward_programme.sync_new, name="sync_new"),
    path("syncs/<int:pk>/", ward_programme.sync_detail, name="sync_detail"),
    path("meetings/", ward_programme.meeting_list_page, name="meeting_list"),
    path("meetings/new/", ward_programme.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", ward_programme.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", ward_programme.meeting_edit, name="meeting_edit"),
]
