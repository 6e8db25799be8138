from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "carebridge.interop"
    verbose_name = _("Interfaces (HL7 v2, FHIR)")

    def ready(self) -> None:
        from carebridge.interop import hooks  # noqa: F401
