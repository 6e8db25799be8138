from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckupConfig(AppConfig):
    name = "carebridge.checkup"
    verbose_name = _("Health-checkup centre")

    def ready(self) -> None:
        from carebridge.checkup import hooks  # noqa: F401
