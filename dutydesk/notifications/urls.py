from django.urls import path

from dutydesk.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.notice_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("<int:notice>/read/", views.mark_read, name="read"),
    path("read-all/", views.mark_all_read, name="read-all"),
    path("preferences/", views.preferences, name="preferences"),
    path("<slug:team>/settings/", views.team_settings, name="team-settings"),
    path("<slug:team>/failed/", views.failed_sends, name="failed"),
    # POST-only, so not under <team>: the message's own team decides (404 for another team's message).
    path("failed/<int:outbox>/resend/", views.resend, name="resend"),
]
