"""Who is calling: the bearer token, checked against its hash, rate-limited per token, and the caller's language."""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils import translation
from ninja.security import HttpBearer

from api import queries, rules, services
from api.problems import RateLimited


def _limit(token) -> None:
    """A fixed window per token in the shared cache (Redis): atomic increments, so two workers count together."""
    limit, seconds = settings.API_RATE_LIMIT, settings.API_RATE_WINDOW_SECONDS
    number, left = rules.rate_window(time.time(), seconds)
    key = f"api:rate:{token.digest[:24]}:{number}"  # the digest: unique for good, where ids may come again
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=seconds + 1)
        count = 1
    if count > limit:
        raise RateLimited(left)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ddk_...`: a personal or a service token, not revoked, of an active person."""

    def authenticate(self, request, token):
        found = queries.token_for(token)
        if found is None:
            return None
        if found.profile_id is not None and not found.profile.user.is_active:
            return None
        # Accept-Language first (LocaleMiddleware has taken it); else the token's person's language.
        if "HTTP_ACCEPT_LANGUAGE" not in request.META and found.profile_id and found.profile.language:
            translation.activate(found.profile.language)
            request.LANGUAGE_CODE = translation.get_language()
        _limit(found)
        services.note_use(found)
        return found
