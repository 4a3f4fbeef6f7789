"""Read-mostly admin for superusers' support work; every change goes through the appraisal pages and services."""

from django.contrib import admin

from appraisal.models import AgentScore, DailyEvaluation, MonthlyAppraisal, SurveyResult, TeamAppraisalSettings


class ReadOnlyAdmin(admin.ModelAdmin):
    # Scores, evaluations and surveys feed finalised appraisals (R-APP-2): changing them here would bypass the
    # versions that keep every correction with its reason.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TeamAppraisalSettings)
class TeamAppraisalSettingsAdmin(admin.ModelAdmin):
    list_display = ["team"]


@admin.register(MonthlyAppraisal)
class MonthlyAppraisalAdmin(ReadOnlyAdmin):
    list_display = ["team", "month", "version", "is_current", "status", "computed_at", "finalised_at"]
    list_filter = ["team", "status", "is_current"]
    date_hierarchy = "month"


@admin.register(AgentScore)
class AgentScoreAdmin(ReadOnlyAdmin):
    list_display = ["profile", "appraisal", "status", "composite", "band", "rank", "reward_flag", "review_flag"]
    list_filter = ["appraisal__team", "band", "status"]
    search_fields = ["profile__name"]
    list_select_related = ["profile", "appraisal__team"]


@admin.register(DailyEvaluation)
class DailyEvaluationAdmin(ReadOnlyAdmin):
    list_display = ["profile", "duty_shift", "evaluator", "inquiry", "complaint", "business", "records", "attitude"]
    list_filter = ["duty_shift__team"]
    search_fields = ["profile__name", "comment"]
    list_select_related = ["profile", "evaluator", "duty_shift__shift_type"]


@admin.register(SurveyResult)
class SurveyResultAdmin(ReadOnlyAdmin):
    list_display = ["profile", "date", "scale", "score", "satisfied", "source"]
    list_filter = ["team", "scale", "source"]
    search_fields = ["profile__name", "key"]
    list_select_related = ["profile"]
