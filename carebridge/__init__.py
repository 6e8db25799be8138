"""CareBridge (连心桥): a hospital's customer-service and patient-experience platform."""

from carebridge.celery import app as celery_app

__all__ = ["celery_app"]
