"""Read-only admin for superusers' support work: every change goes through the people pages and services."""

from django.contrib import admin

from people.models import PersonEvent, QualificationCheck, SupportContact, TrainingInvitation, TrainingSession


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonEvent)
class PersonEventAdmin(ReadOnlyAdmin):
    list_display = ["profile", "kind", "actor", "at", "note"]
    list_filter = ["kind"]
    list_select_related = ["profile", "actor"]


@admin.register(QualificationCheck)
class QualificationCheckAdmin(ReadOnlyAdmin):
    list_display = ["profile", "result", "date", "examiner", "qualified_from"]
    list_filter = ["result", "team"]
    list_select_related = ["profile", "examiner"]


class InvitationInline(admin.TabularInline):
    model = TrainingInvitation
    fields = ["profile", "attendance", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(TrainingSession)
class TrainingSessionAdmin(ReadOnlyAdmin):
    list_display = ["topic", "team", "kind", "starts_at", "cancelled_at"]
    list_filter = ["team", "kind"]
    inlines = [InvitationInline]


@admin.register(SupportContact)
class SupportContactAdmin(ReadOnlyAdmin):
    list_display = ["name", "team", "kind", "phone", "hours"]
    list_filter = ["team", "kind"]
