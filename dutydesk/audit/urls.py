from django.urls import path

from dutydesk.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("search/", views.search, name="search"),
    path("<slug:team>/", views.team_history, name="team"),
]
