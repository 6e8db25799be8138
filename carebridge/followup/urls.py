"""Pages of the followup app."""

from __future__ import annotations

from django.urls import path

from carebridge.followup import views, views_calls

app_name = "followup"

urlpatterns = [
    path("", views_calls.queue, name="queue"),
    path("screen-pop/", views_calls.screen_pop_view, name="screen_pop"),
    path("calls/<int:pk>/", views_calls.call_page, name="call"),
    path("calls/<int:pk>/claim/", views_calls.claim, name="claim"),
    path("calls/<int:pk>/release/", views_calls.release, name="release"),
    path("calls/<int:pk>/outcome/", views_calls.call_outcome, name="call_outcome"),
    path("calls/<int:pk>/issues/", views_calls.call_issue, name="call_issue"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/retier/", views.plan_retier_view, name="plan_retier"),
    path("plans/<int:pk>/midstay/", views.plan_midstay_view, name="plan_midstay"),
    path("touchpoints/<int:pk>/complete/", views.touchpoint_complete_view, name="touchpoint_complete"),
    path("touchpoints/<int:pk>/close/", views.touchpoint_close_view, name="touchpoint_close"),
]

from carebridge.followup import urls_kpis  # noqa: E402

urlpatterns += urls_kpis.urls
