from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "carebridge.complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from carebridge.complaints import hooks  # noqa: F401  (the patient timeline's complaint entries)
