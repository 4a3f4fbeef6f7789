"""The one-time activation link: the new person sets their own password (nobody else ever types or sees it)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from people.services.members import needs_activation


def _user(uidb64: str):
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return get_user_model().objects.filter(pk=pk).select_related("profile").first()


@sensitive_post_parameters()
@never_cache
def activate(request, uidb64, token):
    """Public by design (the person has no password yet): the token is the key. Valid once: setting the password
    changes what the token was made from."""
    user = _user(uidb64)
    valid = user is not None and needs_activation(user) and default_token_generator.check_token(user, token)
    if not valid:
        return render(request, "people/activate.html", {"valid": False}, status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("Your password is set. Log in with your login name %(login)s.") % {"login": user.username}
        )
        return redirect("login")
    return render(
        request,
        "people/activate.html",
        {"valid": True, "form": form, "account": user},
        status=400 if form.is_bound else 200,
    )
