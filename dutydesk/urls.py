from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from dutydesk import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.password_change, name="password_change"),
    path("accounts/password/done/", views.password_change_done, name="password_change_done"),
    path("accounts/sso/", include("dutydesk.sso.provider_urls")),
    path("accounts/", include("dutydesk.sso.urls")),
    path("roster/", include("roster.urls")),
    path("roster/", include("leave.urls")),  # the addresses leave had when it lived in the roster app
    path("market/", include("market.urls")),
    path("logbook/", include("logbook.urls")),
    path("appraisal/", include("appraisal.urls")),
    path("people/", include("people.urls")),
    path("compensation/", include("compensation.urls")),
    path("forecast/", include("forecast.urls")),
    path("calendar/", include("workcalendar.urls")),
    path("notifications/", include("dutydesk.notifications.urls")),
    path("history/", include("dutydesk.audit.urls")),
    path("api/", include("api.urls")),
    path("i18n/setlang/", views.set_language, name="set_language"),
    # The sign-in challenge's pictures (dutydesk/login_throttle.py), shown before anyone is signed in.
    path("captcha/", include("captcha.urls")),
    path("admin/", admin.site.urls),
]
