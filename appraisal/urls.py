from django.urls import path, register_converter

from appraisal import views
from dutydesk.months import MonthConverter

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
