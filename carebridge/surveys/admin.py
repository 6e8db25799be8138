"""Admin pages of the surveys app.

Configuration is edited here (recovery triggers, the do-not-contact list). Everything else is shown
read-only: instruments change through the builder's services (versioning, hashes, immutability once
answered), waves, invitations and responses through theirs (transitions, audit rows, anonymity).
Phone numbers appear masked; invitation tokens are never shown whole (a token answers the survey).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from carebridge.core.masking import mask_phone
from carebridge.surveys.models import (
    Answer,
    DoNotContact,
    Exclusion,
    ImportBatch,
    Instrument,
    InstrumentVersion,
    Invitation,
    Item,
    Message,
    RecoveryCase,
    RecoveryTrigger,
    Response,
    Stratum,
    Wave,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Visible for support and audit; changed only through the app's services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionInline(ReadOnlyInline):
    model = InstrumentVersion
    fields = ["number", "status", "content_hash", "published_at"]


@admin.register(Instrument)
class InstrumentAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "respondent_class", "hospital", "created_at"]
    list_filter = ["kind", "respondent_class", "hospital"]
    search_fields = ["code", "name", "name_en"]
    inlines = [VersionInline]


class ItemInline(ReadOnlyInline):
    model = Item
    fields = [
        "position",
        "code",
        "dimension",
        "indicator",
        "item_type",
        "reverse",
        "weight",
        "overall_weight",
    ]
    show_change_link = False


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(ReadOnlyAdmin):
    list_display = ["instrument", "number", "status", "short_hash", "published_at"]
    list_filter = ["status", "instrument__hospital"]
    list_select_related = ["instrument"]
    search_fields = ["instrument__code", "content_hash"]
    inlines = [ItemInline]

    @admin.display(description=_("content hash"))
    def short_hash(self, obj: InstrumentVersion) -> str:
        return obj.content_hash[:12]


class StratumInline(ReadOnlyInline):
    model = Stratum
    fields = ["key", "label", "department", "target", "quota"]


@admin.register(Wave)
class WaveAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "hospital",
        "version",
        "status",
        "population",
        "sampling",
        "anonymous",
        "created_at",
    ]
    list_filter = ["status", "population", "sampling", "anonymous", "hospital"]
    list_select_related = ["hospital", "version__instrument"]
    search_fields = ["name"]
    inlines = [StratumInline]


@admin.register(Exclusion)
class ExclusionAdmin(ReadOnlyAdmin):
    list_display = ["wave", "reason"]
    list_filter = ["reason"]
    list_select_related = ["wave"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "wave",
        "masked_token",
        "status",
        "channel",
        "department",
        "send_after",
        "completed_at",
    ]
    list_filter = ["status", "channel"]
    list_select_related = ["wave", "department"]
    fields = [
        "wave",
        "status",
        "channel",
        "department",
        "ward",
        "stratum",
        "send_after",
        "sent_at",
        "expires_at",
    ]

    @admin.display(description=_("token"))
    def masked_token(self, obj: Invitation) -> str:
        return f"{obj.token[:4]}…"


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["invitation", "kind", "to_masked", "backend", "status", "sent_at", "delivered_at"]
    list_filter = ["kind", "status", "backend"]


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["id", "version", "wave", "mode", "department", "score", "submitted_at"]
    list_filter = ["mode", "respondent_class", "version__instrument"]
    list_select_related = ["version__instrument", "wave", "department"]
    date_hierarchy = "submitted_at"
    fields = [
        "version",
        "wave",
        "mode",
        "respondent_class",
        "department",
        "language",
        "submitted_at",
        "score",
        "dimension_scores",
        "answers",
    ]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["response", "item", "value", "not_applicable"]
    list_select_related = ["item"]


@admin.register(DoNotContact)
class DoNotContactAdmin(admin.ModelAdmin):
    """Who asked not to be surveyed; the phone number is shown masked in the list."""

    list_display = ["hospital", "patient", "masked_phone", "reason", "added_at"]
    list_filter = ["hospital"]
    raw_id_fields = ["patient", "added_by"]

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: DoNotContact) -> str:
        return mask_phone(obj.phone)


@admin.register(RecoveryTrigger)
class RecoveryTriggerAdmin(admin.ModelAdmin):
    list_display = ["hospital", "instrument", "kind", "item_code", "threshold", "enabled"]
    list_filter = ["hospital", "kind", "enabled"]
    list_editable = ["enabled"]


@admin.register(RecoveryCase)
class RecoveryCaseAdmin(ReadOnlyAdmin):
    list_display = ["response", "trigger", "complaint", "evidence", "created_at"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = [
        "file_name",
        "wave",
        "rows_total",
        "rows_imported",
        "rows_rejected",
        "committed",
        "created_at",
    ]
    list_filter = ["committed"]
