"""Guessing passwords is throttled in three ways, all counted in django-axes' table of failed attempts:

- one account from one address: AXES_FAILURE_LIMIT failures (5) lock it there for the cool-off (15 minutes);
- one address, whatever the accounts: AXES_IP_FAILURE_LIMIT failures (30) lock the address, so guesses spread
  over many user names are stopped too. Higher than the first: a team's PCs often share one office address;
- the password-change form: a wrong current password counts as a failed sign-in of that account, so a session left
  open cannot be used to guess the password behind it.

A success resets only the failures of that account from that address (AXES_RESET_ON_SUCCESS), so an attacker's
own correct sign-in does not wipe the address's count.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler, also locking an address that failed too often across accounts."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT:
            # Reported as the account limit reached: axes then refuses and shows the lockout page as usual.
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request) -> int:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's form; a wrong current password is a failed sign-in, and a locked account may not try again."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        credentials = {"username": self.user.get_username()}
        AxesProxyHandler.update_request(self.request)
        if AxesProxyHandler.is_locked(self.request, credentials):
            raise forms.ValidationError(
                _(
                    "Too many wrong passwords. Wait 15 minutes and try again, or ask your supervisor to reset your "
                    "password."
                ),
                code="locked",
            )
        try:
            return super().clean_old_password()
        except forms.ValidationError:
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise
