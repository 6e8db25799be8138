"""Background jobs of the registry. Tasks are thin: they take ids and call a service."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from carebridge.core.models import Hospital
from carebridge.patients.services.quality import registry_quality_check as run_check


@shared_task(name="carebridge.patients.tasks.registry_quality_check")
def registry_quality_check(hospital_id: int | None = None) -> list[int]:
    """Nightly (02:30, beat schedule in settings): check every hospital's registry, or one of them."""
    hospitals = Hospital.objects.all() if hospital_id is None else Hospital.objects.filter(pk=hospital_id)
    broker = "redis" if settings.REDIS_URL else "filesystem"
    return [run_check(hospital=hospital, broker=broker).pk for hospital in hospitals]
