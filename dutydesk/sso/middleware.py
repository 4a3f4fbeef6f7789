"""The sign-in buttons post to us and we redirect to the provider's authorise page; the Content-Security-Policy's
form-action governs that redirect too, so the sign-in pages also allow the enabled providers' authorise hosts."""

from urllib.parse import urlsplit

from dutydesk.sso import platforms, queries
from dutydesk.sso.models import Provider

AUTHORISE_HOSTS: dict[str, tuple[str, str]] = {
    Provider.WECOM: ("wecom", "login"),
    Provider.DINGTALK: ("dingtalk", "login"),
    Provider.FEISHU: ("feishu", "open"),
}


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def authorise_origins() -> list[str]:
    found = []
    for row in queries.enabled_providers():
        if row.provider in AUTHORISE_HOSTS:
            found.append(origin(platforms.host(*AUTHORISE_HOSTS[row.provider])))
        elif row.provider == Provider.OIDC:
            found.append(origin(row.server_url))
    return sorted({o for o in found if o})


class ProviderFormActionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/accounts/") and "text/html" in response.get("Content-Type", ""):
            origins = authorise_origins()
            if origins:
                update = dict(getattr(response, "_csp_update", None) or {})
                update["form-action"] = [*update.get("form-action", []), *origins]
                response._csp_update = update
        return response
