from django.contrib import admin

from carebridge.interop.models import CodeMapping, Sender


@admin.register(Sender)
class SenderAdmin(admin.ModelAdmin):
    list_display = ("facility", "name", "hospital", "account", "is_active")


@admin.register(CodeMapping)
class CodeMappingAdmin(admin.ModelAdmin):
    list_display = ("system", "code", "item", "hospital")
    raw_id_fields = ("item",)
