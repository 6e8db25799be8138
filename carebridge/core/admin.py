"""Admin pages of the organisation: hospitals, departments, wards, staff and their scope, the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from carebridge.core.models import AuditEvent, CalendarDay, Department, Hospital, Region, Staff, Ward


@admin.register(Hospital)
class HospitalAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "type", "region"]
    search_fields = ["code", "name"]
    raw_id_fields = ["region"]


class WardInline(admin.TabularInline):
    model = Ward
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind", "hospital", "parent", "is_active"]
    list_filter = ["hospital", "kind", "is_active"]
    search_fields = ["code", "name", "name_en"]
    inlines = [WardInline]


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "kind", "hospital", "home_department", "user", "is_active"]
    list_filter = ["hospital", "kind", "is_active"]
    search_fields = ["name", "user__username"]
    filter_horizontal = ["departments"]
    raw_id_fields = ["user"]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services, never edited."""

    list_display = ["at", "actor", "action", "object_type", "object_id", "summary"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_id", "summary", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Holidays and adjusted working days; warns about coming years nobody has entered yet."""

    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def changelist_view(self, request: Any, extra_context: dict[str, Any] | None = None) -> Any:
        from django.contrib import messages
        from django.utils import timezone
        from django.utils.translation import gettext as _

        from carebridge.core.deadlines import WorkCalendar

        this_year = timezone.localdate().year
        for year in WorkCalendar.from_database().uncovered_years([this_year, this_year + 1]):
            messages.warning(
                request,
                _(
                    "The holidays of %(year)s are not known yet: enter them here, or "
                    "deadlines will count every Monday to Friday."
                )
                % {"year": year},
            )
        return super().changelist_view(request, extra_context)
