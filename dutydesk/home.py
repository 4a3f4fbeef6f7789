"""What each role sees first. Apps register sections in AppConfig.ready(): a provider takes the profile and returns
(template name, context dict), or None to show nothing."""

from typing import Callable

from dutydesk.models import Role

_PROVIDERS: list[tuple[int, Callable]] = []


def register(provider: Callable, *, order: int = 50) -> None:
    if all(existing is not provider for _, existing in _PROVIDERS):
        _PROVIDERS.append((order, provider))
        _PROVIDERS.sort(key=lambda item: item[0])


def context_for(profile) -> dict:
    sections = []
    for _, provider in _PROVIDERS:
        section = provider(profile)
        if section is not None:
            template, data = section
            sections.append({"template": template, "data": data})
    return {"profile": profile, "role": Role(profile.role), "sections": sections}
