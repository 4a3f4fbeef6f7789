"""Errors as RFC 9457 problem details (application/problem+json), in the caller's language."""

import json

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja.errors import HttpError

CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Bad request"),
    401: gettext_lazy("Not signed in"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    409: gettext_lazy("Conflict"),
    422: gettext_lazy("Invalid input"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}


class Problem(HttpError):
    """Raised by an endpoint: answered as problem JSON with `status`, a translated `detail` and extra members."""

    def __init__(self, status: int, detail: str = "", **extra) -> None:
        super().__init__(status_code=status, message=str(detail))
        self.detail = str(detail)
        self.extra = extra


class RateLimited(Problem):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            429, _("Too many requests with this token; try again in %(seconds)s seconds.") % {"seconds": retry_after}
        )
        self.retry_after = retry_after


def response(request, status: int, detail: str = "", **extra) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status, TITLES[500])),
        "status": status,
        "detail": detail,
        "instance": request.path,
        **extra,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE)
