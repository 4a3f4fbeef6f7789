from django.contrib.auth import views as auth_views
from django.http import JsonResponse
from django.shortcuts import render
from django.views import i18n
from django.views.decorators.cache import never_cache

from dutydesk import health, language_choice
from dutydesk import home as home_pages
from dutydesk.login_throttle import ThrottledAuthenticationForm, ThrottledPasswordChangeForm
from dutydesk.permissions import allow, profile_of


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


def set_language(request):
    """Django's language switch (public: the login page has it too); a signed-in person's choice is also kept for
    what is written to them later, such as e-mailed notices (issue #27 point 3)."""
    response = i18n.set_language(request)
    profile = profile_of(request.user) if request.method == "POST" else None
    if profile is not None and response.status_code == 302:
        language_choice.chosen(profile=profile, language=request.POST.get("language", ""))
    return response
