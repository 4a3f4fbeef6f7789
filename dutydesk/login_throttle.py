"""Guessing passwords is throttled here, in one place every sign-in form uses, all counted in django-axes' table of
failed attempts (issue #22 item 6: a throttle that cannot be turned against a team):

- one account from one address: AXES_FAILURE_LIMIT failures (5) lock that account from that address for the
  cool-off (15 minutes), django-axes' own lock;
- one account from anywhere: AXES_ACCOUNT_FAILURE_LIMIT failures (20) over all addresses lock that account, so
  guesses spread over many addresses are stopped too. Only the attacked account is locked;
- one address, over many accounts: when AXES_IP_ACCOUNT_LIMIT different accounts (10) failed from it within the
  cool-off, the address is never locked (a call centre signs in from one NAT address, and one person there must not
  lock out everyone). Instead every sign-in from it asks a simple challenge (an arithmetic picture,
  django-simple-captcha) with the password. A correct password with the challenge answered signs in, whoever
  failed before; a password is not even tried until the challenge is answered, so guessing from that address
  needs a person for each guess;
- the password-change form: a wrong current password counts as a failed sign-in of that account, so a session left
  open cannot be used to guess the password behind it.

A success resets only the failures of that account from that address (AXES_RESET_ON_SUCCESS), so an attacker's
own correct sign-in does not wipe the address's count.

For another sign-in form (SSO's local or LDAP password form): take `ChallengeMixin` into it (the form needs the
request as `self.request`, as Django's AuthenticationForm has it) and authenticate through
`django.contrib.auth.authenticate`, which django-axes counts and locks.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from captcha.fields import CaptchaField
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _


def _recent(request):
    attempts = AccessAttempt.objects.all()
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts


def account_failures(request, username: str) -> int:
    """Failed sign-ins of `username` within the cool-off, from every address."""
    if not username:
        return 0
    return _recent(request).filter(username=username).aggregate(total=Sum("failures_since_start"))["total"] or 0


def failed_accounts_from_address(request) -> int:
    """How many different accounts failed to sign in from the request's address within the cool-off."""
    AxesProxyHandler.update_request(request)
    address = getattr(request, "axes_ip_address", None)
    if not address:
        return 0
    rows = _recent(request).filter(ip_address=address, failures_since_start__gt=0)
    return rows.values("username").distinct().count()


def needs_challenge(request) -> bool:
    """Sign-ins from this address must answer a challenge: many different accounts failed from it."""
    return failed_accounts_from_address(request) >= settings.AXES_IP_ACCOUNT_LIMIT


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler (account + address), also locking an account that failed too often from anywhere."""

    def get_failures(self, request, credentials=None) -> int:
        failures = super().get_failures(request, credentials)
        username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD) or (credentials or {}).get("username")
        if account_failures(request, username or "") >= settings.AXES_ACCOUNT_FAILURE_LIMIT:
            # Reported as the account limit reached: axes then refuses and shows the lockout page as usual.
            return max(failures, get_failure_limit(request, credentials))
        return failures


class ChallengeMixin:
    """A sign-in form that asks the challenge when the request's address is under suspicion (`needs_challenge`).
    Until the challenge is answered the password is not tried (so it is neither a success nor a failure)."""

    challenge_message = _(
        "Many sign-ins failed from your network in the last minutes. To keep password guessing slow, answer the "
        "sum in the picture together with your password."
    )

    def add_challenge(self) -> None:
        self.challenged = needs_challenge(self.request)
        if self.challenged:
            self.fields["challenge"] = CaptchaField(
                label=_("Result of the sum in the picture"),
                error_messages={
                    "invalid": _("That is not the result of the sum; try the new one."),
                    "required": _("Answer the sum in the picture."),
                },
            )

    def challenge_answered(self) -> bool:
        return not self.challenged or "challenge" in self.cleaned_data


class ThrottledAuthenticationForm(ChallengeMixin, AuthenticationForm):
    """Django's sign-in form with the challenge when the address is under suspicion."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.add_challenge()

    def clean(self):
        if not self.challenge_answered():
            return self.cleaned_data
        return super().clean()


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
