from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PatientsConfig(AppConfig):
    name = "carebridge.patients"
    verbose_name = _("Customer registry")

    def ready(self) -> None:
        # Register the registry's timeline entries and demo-data steps.
        from carebridge.patients import timeline  # noqa: F401
        from carebridge.patients.demo import loader  # noqa: F401
