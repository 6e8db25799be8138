from django.urls import path

from carebridge.knowledge.views import catalogue, departments, doctors, entries, faq, referrals, search

app_name = "knowledge"
urlpatterns = [
    path("", search.search, name="search"),
    path("hospital/edit/", departments.hospital_profile_edit, name="hospital_edit"),
    path("departments/", departments.department_list, name="departments"),
    path("departments/<int:department_id>/", departments.department_detail, name="department"),
    path("departments/<int:department_id>/edit/", departments.department_edit, name="department_edit"),
    path("services/", catalogue.service_list, name="services"),
    path("services/new/", catalogue.service_create, name="service_create"),
    path("services/<int:pk>/", catalogue.service_detail, name="service"),
    path("services/<int:pk>/edit/", catalogue.service_edit, name="service_edit"),
    path("doctors/", doctors.doctor_list, name="doctors"),
    path("doctors/new/", doctors.doctor_create, name="doctor_create"),
    path("doctors/<int:pk>/", doctors.doctor_detail, name="doctor"),
    path("doctors/<int:pk>/edit/", doctors.doctor_edit, name="doctor_edit"),
    path("external/", referrals.external_list, name="externals"),
    path("external/new/", referrals.external_create, name="external_create"),
    path("external/<int:pk>/", referrals.external_detail, name="external"),
    path("external/<int:pk>/edit/", referrals.external_edit, name="external_edit"),
    path("faq/", faq.faq_list, name="faq_list"),
    path("faq/new/", faq.faq_create, name="faq_create"),
    path("faq/<int:pk>/edit/", faq.faq_edit, name="faq_edit"),
    path("verify/<str:kind>/<int:pk>/", entries.verify, name="verify"),
]
