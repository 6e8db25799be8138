from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "carebridge.knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        # Register the living dictionary's demo-data step.
        from carebridge.knowledge.demo import loader  # noqa: F401
