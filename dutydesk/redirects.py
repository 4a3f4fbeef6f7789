"""Where a form sends the person back to: one `next` rule for every view (no open redirect).

A page may post `next` (the address it was on) so that an action returns there. Only an address on this site is
followed; anything else (another host, a scheme such as javascript:, "//evil.example") falls back to the
view's own default.
"""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """The posted (or queried) `next` address if it is one of this site's, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
