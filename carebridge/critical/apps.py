from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CriticalConfig(AppConfig):
    name = "carebridge.critical"
    verbose_name = _("Critical results")

    def ready(self) -> None:
        from carebridge.critical import hooks  # noqa: F401
