from django.urls import path

from carebridge.patients.views import access, classification, home, merges, patients

app_name = "patients"
urlpatterns = [
    path("", patients.patient_list, name="list"),
    path("overview/", home.registry_home, name="overview"),
    path("pick/", patients.patient_pick, name="pick"),
    path("new/", patients.patient_create_view, name="create"),
    path("export/", patients.patient_export, name="export"),
    path("classification/", classification.classification, name="classification"),
    path("duplicates/", merges.duplicates, name="duplicates"),
    path("merge/", merges.merge_view, name="merge"),
    path("merges/<int:merge_id>/undo/", merges.unmerge_view, name="unmerge"),
    path("access-log/", access.access_log, name="access_log"),
    path("<int:pk>/", patients.patient_detail, name="detail"),
    path("<int:pk>/edit/", patients.patient_edit_view, name="edit"),
    path("<int:pk>/reveal/", patients.patient_reveal_view, name="reveal"),
]
