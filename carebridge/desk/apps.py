from django.apps import AppConfig


class DeskConfig(AppConfig):
    """Migration history only (see the package docstring); no models, no views, no start-up work."""

    name = "carebridge.desk"
    label = "desk"
