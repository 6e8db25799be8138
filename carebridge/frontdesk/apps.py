from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontdeskConfig(AppConfig):
    name = "carebridge.frontdesk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from carebridge.frontdesk import hooks  # noqa: F401  (the matters a shift hands over)
