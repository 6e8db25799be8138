from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "carebridge.patients"
    verbose_name = _("Customer registry")

    def ready(self) -> None:
        # The registry's timeline entries; demo steps are found by ``seed_demo`` itself.
        from carebridge.patients import hooks  # noqa: F401
