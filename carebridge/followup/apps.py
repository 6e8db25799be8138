from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "carebridge.followup"
    verbose_name = _("Follow-up and patient relationship")

    def ready(self) -> None:
        # The stay hook, the patient timeline entries and the handover provider of unfinished calls. The
        # demo step is found by seed_demo (core.demo.steps), never imported at start-up.
        from carebridge.followup import hooks  # noqa: F401
