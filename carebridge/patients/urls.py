from django.urls import path

from carebridge.patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create_view, name="create"),
    path("export/", views.patient_export, name="export"),
    path("classification/", views.classification, name="classification"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("merge/", views.merge_view, name="merge"),
    path("merges/<int:merge_id>/undo/", views.unmerge_view, name="unmerge"),
    path("access-log/", views.access_log, name="access_log"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit_view, name="edit"),
    path("<int:pk>/reveal/", views.patient_reveal_view, name="reveal"),
]
