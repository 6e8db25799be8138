from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "carebridge.core"
    verbose_name = _("Organisation and audit")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from carebridge.core.db import fast_timestamps, guard_parameters, keep_long_statements_parsed

        keep_long_statements_parsed()
        connection_created.connect(guard_parameters, dispatch_uid="carebridge-guard-parameters")
        connection_created.connect(fast_timestamps, dispatch_uid="carebridge-fast-timestamps")

        from django.db import models
        from rest_framework import serializers

        from carebridge.core.api.serializers.fields import DateTimeField

        # Every model serializer's date-times: plausible input, RFC 3339 output (see the field).
        serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField
