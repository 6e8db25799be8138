from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "carebridge.followup"
    verbose_name = _("Follow-up and patient relationship")

    def ready(self) -> None:
        # The stay hook, the patient timeline entries, the handover provider of unfinished calls and the
        # demo step.
        from carebridge.followup import (
            carryover,  # noqa: F401
            signals,  # noqa: F401
            timeline,  # noqa: F401
        )
        from carebridge.followup.demo import loader  # noqa: F401  (the demo step: 18 months of follow-up)
