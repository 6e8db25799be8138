from django.urls import path

from carebridge.core.views import home as views

app_name = "core"
urlpatterns = [path("", views.home, name="home")]
