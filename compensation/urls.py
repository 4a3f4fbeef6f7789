"""Addresses of duty hours and compensation: /compensation/mine/ for one's own, /compensation/<team>/2026-11/
for a team's month."""

from django.urls import path, register_converter

from compensation import views
from dutydesk.months import MonthConverter

register_converter(MonthConverter, "statement_month")

app_name = "compensation"
urlpatterns = [
    path("mine/", views.mine, name="mine"),
    path("mine/<statement_month:month>/", views.mine_month, name="mine-month"),
    path("mine/<statement_month:month>/respond/", views.respond, name="respond"),
    path("company/<statement_month:month>/", views.company, name="company"),
    path("<slug:team>/", views.team, name="team"),
    path("<slug:team>/policy/", views.policy, name="policy"),
    path("<slug:team>/policy/exceptions/<int:member>/remove/", views.exception_remove, name="exception-remove"),
    path("<slug:team>/rewards/", views.rewards, name="rewards"),
    path("<slug:team>/rewards/<int:reward_score>/grant/", views.reward_grant, name="reward-grant"),
    path("<slug:team>/<statement_month:month>/", views.month, name="month"),
    path("<slug:team>/<statement_month:month>/compute/", views.compute, name="compute"),
    path("<slug:team>/<statement_month:month>/finalise/", views.finalise, name="finalise"),
    path("<slug:team>/<statement_month:month>/correct/", views.correct, name="correct"),
    path("<slug:team>/<statement_month:month>/payroll.xlsx", views.export, name="export"),
    path("<slug:team>/<statement_month:month>/people/<int:member>/", views.person, name="person"),
    path("<slug:team>/<statement_month:month>/people/<int:member>/resolve/", views.resolve, name="resolve"),
]
