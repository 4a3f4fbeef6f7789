from datetime import date

from django.urls import path, register_converter

from appraisal import views


class MonthConverter:
    """2026-11 in the address, the month's first day in the view."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> date:
        year, month = value.split("-")
        return date(int(year), int(month), 1)

    def to_url(self, value) -> str:
        return value.strftime("%Y-%m") if isinstance(value, date) else str(value)


register_converter(MonthConverter, "appraisal_month")

app_name = "appraisal"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/<appraisal_month:month>/", views.mine_month, name="mine-month"),
    path("mine/<appraisal_month:month>/respond/", views.respond, name="respond"),
    path("versions/<int:appraisal>/finalise/", views.finalise, name="finalise"),
    path("versions/<int:appraisal>/correct/", views.correct, name="correct"),
    path("disputes/<int:dispute>/answer/", views.answer, name="answer"),
    path("<slug:team>/", views.team_home, name="team"),
    path("<slug:team>/evaluations/", views.evaluation_queue, name="evaluations"),
    path("<slug:team>/evaluations/<int:eval_shift>/<int:appraisee>/", views.evaluate, name="evaluate"),
    path("<slug:team>/surveys/", views.surveys, name="surveys"),
    path("<slug:team>/settings/", views.team_settings, name="settings"),
    path("<slug:team>/<appraisal_month:month>/", views.month, name="month"),
    path("<slug:team>/<appraisal_month:month>/export.xlsx", views.export, name="export"),
    path("<slug:team>/<appraisal_month:month>/people/<int:appraisee>/", views.person, name="person"),
]
