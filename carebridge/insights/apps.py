from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "carebridge.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from carebridge.insights import hooks  # noqa: F401 - connects the receivers
