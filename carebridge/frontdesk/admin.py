"""Admin pages of the front desk: the shifts (班次). Handovers, escorts and inquiries are handled in the
desk's pages, whose services check, audit and mask."""

from __future__ import annotations

from django.contrib import admin

from carebridge.frontdesk.models import Shift


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    """The desk's shifts (班次); handovers open at each active shift's end."""

    list_display = ["hospital", "code", "name", "starts_at", "ends_at", "is_active"]
    list_filter = ["hospital", "is_active"]
