"""The company holiday calendar: /calendar/2027/ and its edits."""

from django.urls import path

from workcalendar import views

app_name = "workcalendar"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.year_view, name="year"),
    path("<int:year>/days/", views.day_save, name="day-save"),
    path("<int:year>/days/<str:calendar_day>/remove/", views.day_remove, name="day-remove"),
    path("<int:year>/official/", views.mark_official, name="official"),
    path("<int:year>/import/", views.import_file, name="import"),
    path("<int:year>/import/confirm/", views.import_confirm, name="import-confirm"),
]
