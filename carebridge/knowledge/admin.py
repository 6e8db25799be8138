"""Read-only admin pages: entries are edited in the knowledge pages, whose services keep the search index."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from carebridge.knowledge.models import (
    DepartmentProfile,
    Doctor,
    ExternalHospital,
    Faq,
    HospitalProfile,
    Service,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(HospitalProfile)
class HospitalProfileAdmin(ReadOnlyAdmin):
    list_display = ("hospital", "address", "latitude", "longitude", "last_verified_at")


@admin.register(DepartmentProfile)
class DepartmentProfileAdmin(ReadOnlyAdmin):
    list_display = ("department", "hospital", "non_surgical_option", "location", "last_verified_at")
    list_filter = ("hospital",)


@admin.register(Service)
class ServiceAdmin(ReadOnlyAdmin):
    list_display = ("name", "department", "offered_here", "approach", "last_verified_at")
    list_filter = ("hospital", "offered_here", "approach")
    search_fields = ("name", "synonyms")


@admin.register(Doctor)
class DoctorAdmin(ReadOnlyAdmin):
    list_display = ("name", "title", "department", "is_active", "last_verified_at")
    list_filter = ("hospital",)
    search_fields = ("name", "name_initials")


@admin.register(ExternalHospital)
class ExternalHospitalAdmin(ReadOnlyAdmin):
    list_display = ("name", "level", "region", "reputation", "is_active", "last_verified_at")
    list_filter = ("hospital",)
    search_fields = ("name", "services_offered")


@admin.register(Faq)
class FaqAdmin(ReadOnlyAdmin):
    list_display = ("question", "category", "is_active", "last_verified_at")
    list_filter = ("hospital", "category")
    search_fields = ("question", "answer")
