"""Admin pages of the registry: read-only views for support; changes go through the registry's own pages.

Patient records are edited in the registry UI (services validate, audit and mask); here an administrator
may look up configuration-like rows (tags, data-quality reports) and browse the access log.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from carebridge.core.masking import mask_phone
from carebridge.patients.models import Customer, DataQualityReport, PatientAccessLog, PatientMerge, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(PatientAccessLog)
class PatientAccessLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "patient", "action", "channel", "reason", "ip_address"]
    list_filter = ["action", "channel"]
    search_fields = ["user__username", "patient__mrn"]
    date_hierarchy = "at"
    list_select_related = ["user", "patient"]


@admin.register(PatientMerge)
class PatientMergeAdmin(ReadOnlyAdmin):
    list_display = ["merged_at", "survivor", "duplicate", "merged_by", "reason", "unmerged_at"]
    list_select_related = ["survivor", "duplicate", "merged_by"]


@admin.register(DataQualityReport)
class DataQualityReportAdmin(ReadOnlyAdmin):
    list_display = ["run_at", "hospital", "patients", "broker"]


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    """Customers other than patients (family, payers, authorities, media …); phones shown masked in lists."""

    list_display = ["name", "customer_class", "organisation", "masked_phone", "patient", "hospital"]
    list_filter = ["customer_class", "hospital"]
    search_fields = ["name", "organisation"]
    raw_id_fields = ["patient"]

    @admin.display(description=_("phone"))
    def masked_phone(self, customer: Customer) -> str:
        return mask_phone(customer.phone)
