"""Leave, swap and emergency-call records in the admin, read-only."""

from django.contrib import admin

from leave.models import EmergencyCall, LeaveRequest, LeaveShift, RequestEvent, SwapRequest


class SupportOnly:
    """Leave, swap and emergency-call records, for support: superusers read them; they change only through
    leave.services, which keeps the request history (RequestEvent) and notifies the people concerned."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RequestEventInline(SupportOnly, admin.TabularInline):
    model = RequestEvent
    fields = ["created_at", "actor", "from_state", "to_state", "note"]
    readonly_fields = fields
    extra = 0
    ordering = ["created_at", "id"]


class LeaveShiftInline(SupportOnly, admin.TabularInline):
    model = LeaveShift
    fields = ["duty_shift", "profile", "is_open", "substitute"]
    readonly_fields = fields
    extra = 0


@admin.register(LeaveRequest)
class LeaveRequestAdmin(SupportOnly, admin.ModelAdmin):
    list_display = ["id", "team", "profile", "kind", "state", "emergency", "created_at", "decided_at"]
    list_filter = ["team", "state", "kind", "emergency"]
    search_fields = ["profile__name", "profile__user__username", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["team", "profile"]
    inlines = [LeaveShiftInline, RequestEventInline]


@admin.register(LeaveShift)
class LeaveShiftAdmin(SupportOnly, admin.ModelAdmin):
    list_display = ["id", "leave", "duty_shift", "profile", "is_open", "substitute"]
    list_filter = ["is_open", "leave__team"]
    search_fields = ["profile__name", "profile__user__username", "substitute__name"]
    list_select_related = ["leave", "duty_shift__shift_type", "profile", "substitute"]


@admin.register(SwapRequest)
class SwapRequestAdmin(SupportOnly, admin.ModelAdmin):
    list_display = [
        "id",
        "team",
        "profile",
        "colleague",
        "give_shift",
        "take_shift",
        "state",
        "created_at",
        "decided_at",
    ]
    list_filter = ["team", "state"]
    search_fields = ["profile__name", "profile__user__username", "colleague__name", "reason"]
    date_hierarchy = "created_at"
    list_select_related = ["team", "profile", "colleague", "give_shift__shift_type", "take_shift__shift_type"]
    inlines = [RequestEventInline]


@admin.register(RequestEvent)
class RequestEventAdmin(SupportOnly, admin.ModelAdmin):
    list_display = ["created_at", "leave", "swap", "actor", "from_state", "to_state"]
    list_filter = ["to_state"]
    search_fields = ["actor__name", "note"]
    date_hierarchy = "created_at"
    list_select_related = ["leave", "swap", "actor"]


@admin.register(EmergencyCall)
class EmergencyCallAdmin(SupportOnly, admin.ModelAdmin):
    list_display = ["id", "team", "profile", "duty_shift", "called_at", "recorded_by", "leave"]
    list_filter = ["team"]
    search_fields = ["profile__name", "profile__user__username", "said"]
    date_hierarchy = "called_at"
    list_select_related = ["team", "profile", "duty_shift__shift_type", "recorded_by", "leave"]
