"""The main menu. Apps register their entries in AppConfig.ready(); a link shows only to roles granted its action,
so a menu never leads to a 403."""

from dataclasses import dataclass
from typing import Callable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dutydesk.permissions import ACTIONS, role_of


@dataclass(frozen=True)
class NavItem:
    label: str
    action: str
    order: int
    url_name: str
    # For pages under a team: given the request, return the URL kwargs (e.g. the user's own team), or None to hide.
    kwargs: Callable | None = None


MENU: list[NavItem] = [NavItem(_("Home"), "home.view", 0, "home")]


def register(label, action: str, url_name: str, *, order: int = 50, kwargs: Callable | None = None) -> None:
    if any(item.url_name == url_name for item in MENU):
        return
    MENU.append(NavItem(label, action, order, url_name, kwargs))
    MENU.sort(key=lambda item: item.order)


def home_team_kwargs(request) -> dict | None:
    """URL kwargs for the user's own team, or the first team they oversee."""
    from dutydesk.permissions import teams_for

    profile = request.user.profile
    team = profile.team or teams_for(request.user).order_by("name").first()
    return {"team": team.slug} if team else None


def menu_for(request) -> list[dict]:
    role = role_of(request.user)
    if role is None:
        return []
    items = []
    for item in MENU:
        if role not in ACTIONS[item.action]:
            continue
        kwargs = item.kwargs(request) if item.kwargs else {}
        if kwargs is None:
            continue
        url = reverse(item.url_name, kwargs=kwargs)
        active = request.path == url or (item.url_name != "home" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "active": active})
    return items
