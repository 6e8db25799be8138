"""Pages of the performance app."""

from django.urls import URLPattern

app_name = "performance"
urlpatterns: list[URLPattern] = []
