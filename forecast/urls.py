"""/forecast/<team>/2027-01/: the month's suggested headcounts; the import and the team's target beside it."""

from django.urls import path, register_converter

from dutydesk.months import MonthConverter
from forecast import views

register_converter(MonthConverter, "forecast_month")

app_name = "forecast"
urlpatterns = [
    path("<slug:team>/", views.index, name="index"),
    path("<slug:team>/import/", views.import_volume, name="import"),
    path("<slug:team>/target/", views.target, name="target"),
    path("<slug:team>/<forecast_month:month>/", views.month, name="month"),
    path("<slug:team>/<forecast_month:month>/apply/", views.apply, name="apply"),
]
