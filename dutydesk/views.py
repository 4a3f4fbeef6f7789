from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from dutydesk import health
from dutydesk import home as home_pages
from dutydesk.login_throttle import ThrottledAuthenticationForm, ThrottledPasswordChangeForm
from dutydesk.permissions import allow


@allow("home.view")
def home(request):
    # Each role lands on what it needs today; the pieces come from the apps (dutydesk.home).
    return render(request, "home.html", home_pages.context_for(request.profile))


login = auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm, redirect_authenticated_user=True)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
    template_name = "registration/password_change.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


password_change = allow("account.password")(PasswordChangeView.as_view())
password_change_done = allow("account.password")(
    auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html")
)


@never_cache
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; for load balancers and monitors."""
    report = health.report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
