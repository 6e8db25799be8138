from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "carebridge.desk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        # Register the desk's timeline entries, handover item providers and demo-data steps.
        from carebridge.desk import timeline  # noqa: F401
        from carebridge.desk.demo import (
            complaints,  # noqa: F401
            frontdesk,  # noqa: F401
        )
        from carebridge.desk.selectors import handover  # noqa: F401
