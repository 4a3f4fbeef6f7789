"""The logbook's rows for superusers' setup and support. Writes with rules (sign-in, handover, review) go through
logbook.services from the pages; the admin is for looking up rows and for the team's checklist."""

from django.contrib import admin

from logbook.models import (
    DisciplineAcknowledgement,
    DisciplineRecord,
    Entry,
    EquipmentItem,
    Handover,
    Logbook,
    PostBreak,
    Report,
)


@admin.register(EquipmentItem)
class EquipmentItemAdmin(admin.ModelAdmin):
    list_display = ["team", "order", "name"]
    list_filter = ["team"]
    search_fields = ["name"]
    ordering = ["team", "order", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the duty-day rules write (search vectors, locked handovers, discipline from sign-ins): the admin
    shows them; changes go through the pages and logbook.services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PostBreakInline(admin.TabularInline):
    model = PostBreak
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Logbook)
class LogbookAdmin(ReadOnlyAdmin):
    list_display = [
        "duty_shift",
        "profile",
        "team",
        "signed_in_at",
        "late_minutes",
        "signed_out_at",
        "submitted_at",
        "accuracy",
    ]
    list_filter = ["team", "accuracy"]
    search_fields = ["profile__name", "profile__user__username"]
    date_hierarchy = "signed_in_at"
    list_select_related = ["duty_shift__shift_type", "profile", "team"]
    raw_id_fields = ["duty_shift", "profile", "reviewed_by"]
    inlines = [PostBreakInline]


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "team", "author", "kind", "category", "status", "promised_reply_at"]
    list_filter = ["team", "kind", "category", "status"]
    search_fields = ["content", "customer_ref", "author__name"]
    date_hierarchy = "created_at"
    list_select_related = ["team", "author"]
    raw_id_fields = ["logbook", "author", "answered_by"]


@admin.register(Handover)
class HandoverAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "team", "outgoing", "incoming", "outgoing_signed_at", "incoming_signed_at"]
    list_filter = ["team"]
    search_fields = ["outgoing__name", "incoming__name", "open_items", "important"]
    list_select_related = ["team", "outgoing", "incoming"]
    raw_id_fields = ["from_shift", "to_shift", "outgoing", "incoming"]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "author", "title"]
    search_fields = ["title", "body", "author__name"]
    list_select_related = ["author"]
    raw_id_fields = ["logbook", "author"]


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(admin.ModelAdmin):
    list_display = ["date", "profile", "kind", "recorded_by"]
    list_filter = ["kind", "profile__team"]
    search_fields = ["profile__name", "note"]
    date_hierarchy = "date"
    list_select_related = ["profile", "recorded_by"]
    raw_id_fields = ["profile", "duty_shift", "recorded_by"]


@admin.register(DisciplineAcknowledgement)
class DisciplineAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["profile", "signed_at", "version"]
    list_filter = ["version"]
    search_fields = ["profile__name", "profile__user__username"]
    list_select_related = ["profile"]
