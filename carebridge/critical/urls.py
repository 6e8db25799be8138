app_name = "critical"
urlpatterns: list = []
