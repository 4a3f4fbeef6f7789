"""Admin for superusers' support work: see what was sent, and set up a team's chat robot."""

from django.contrib import admin

from dutydesk.notifications.models import Notification, Outbox, TeamNotificationSettings


@admin.register(TeamNotificationSettings)
class TeamNotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ["team", "webhook_platform", "signin_minutes"]


@admin.register(Outbox)
class OutboxAdmin(admin.ModelAdmin):
    # Read-only: a resend goes through the supervisor's failed-sends page, which keeps exactly-once bookkeeping.
    list_display = ["kind", "channel", "recipient", "team", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "channel", "kind"]
    search_fields = ["key", "subject"]
    list_select_related = ["recipient", "team"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["recipient", "kind", "subject", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["subject", "recipient__name"]
    list_select_related = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
