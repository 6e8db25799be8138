from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "carebridge.surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        # Registrations only (the outbox result handler of the survey SMS); the demo step is found by
        # seed_demo in demo/loader.py.
        from carebridge.surveys import hooks  # noqa: F401
