from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "carebridge.surveys"
    verbose_name = _("Satisfaction surveys")

    def ready(self) -> None:
        # Register the surveys' demo-data step (seed_demo step 50).
        from carebridge.surveys.demo import loader  # noqa: F401
