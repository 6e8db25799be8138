from django.urls import path

from carebridge.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("", views.search, name="search"),
    path("hospital/edit/", views.hospital_profile_edit, name="hospital_edit"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:department_id>/", views.department_detail, name="department"),
    path("departments/<int:department_id>/edit/", views.department_edit, name="department_edit"),
    path("services/", views.service_list, name="services"),
    path("services/new/", views.service_create, name="service_create"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("services/<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("doctors/", views.doctor_list, name="doctors"),
    path("doctors/new/", views.doctor_create, name="doctor_create"),
    path("doctors/<int:pk>/", views.doctor_detail, name="doctor"),
    path("doctors/<int:pk>/edit/", views.doctor_edit, name="doctor_edit"),
    path("external/", views.external_list, name="externals"),
    path("external/new/", views.external_create, name="external_create"),
    path("external/<int:pk>/", views.external_detail, name="external"),
    path("external/<int:pk>/edit/", views.external_edit, name="external_edit"),
    path("faq/", views.faq_list, name="faq_list"),
    path("faq/new/", views.faq_create, name="faq_create"),
    path("faq/<int:pk>/edit/", views.faq_edit, name="faq_edit"),
    path("verify/<str:kind>/<int:pk>/", views.verify, name="verify"),
]
