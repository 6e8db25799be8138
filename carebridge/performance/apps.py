from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "carebridge.performance"
    verbose_name = _("Performance")

    def ready(self) -> None:
        from carebridge.performance import hooks  # noqa: F401
