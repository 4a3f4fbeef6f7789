"""The site's own 400/403/404/500 pages, also under DEBUG=True (`make run`), unless a developer asks for Django's.

With DEBUG on, Django answers an error with its technical page: in English, and a 404 lists every URL pattern of
the site to whoever opened the address, a signed-in agent included (issue #27 point 9). This middleware answers
with the same pages a production site shows (templates/40x.html, 500.html, in the reader's language) unless the
request is a developer's explicit debug request: `DEBUG_PAGES` is on (only possible with DEBUG) and the person
signed in is staff. With DEBUG off it does nothing: Django already uses our pages.
"""

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.core.signals import got_request_exception
from django.http import Http404
from django.views import defaults

log = logging.getLogger("django.request")


def explicit_debug(request) -> bool:
    """A developer's explicit debug request: Django's technical pages are wanted and this person may read them."""
    if not (settings.DEBUG and getattr(settings, "DEBUG_PAGES", False)):
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class SiteErrorPages:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.status_code == 404
            and getattr(request, "resolver_match", None) is None
            and settings.DEBUG
            and not explicit_debug(request)
        ):
            # No URL pattern matched: Django built its technical 404 (the list of patterns) outside any view.
            return defaults.page_not_found(request, Http404())
        return response

    def process_exception(self, request, exception):
        if not settings.DEBUG or explicit_debug(request):
            return None  # Django's own handling: our templates without DEBUG, its technical pages with it
        if isinstance(exception, Http404):
            return defaults.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return defaults.permission_denied(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return defaults.bad_request(request, exception)
        # An error in our code: logged as Django logs it, the signal sent (the test client re-raises on it).
        log.error("Internal Server Error: %s", request.path, exc_info=exception, extra={"request": request})
        got_request_exception.send(sender=None, request=request)
        return defaults.server_error(request)
