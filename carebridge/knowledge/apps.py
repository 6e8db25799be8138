from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    # No hooks: the living dictionary registers nothing at start-up; its demo step is found by seed_demo.
    name = "carebridge.knowledge"
    verbose_name = _("Knowledge base")
