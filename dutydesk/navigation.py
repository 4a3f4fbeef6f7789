"""The main menu. Apps register their entries in AppConfig.ready(); a link shows only to roles granted its action,
so a menu never leads to a 403."""

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from dutydesk.permissions import granted, role_of, visible_teams


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


def working_team(request):
    """The team the menus point to: the team of the page being shown, else the last team page visited (kept in the
    session by permissions.allow), else the user's own team, else the first team they may see."""
    team = getattr(request, "team", None)
    if team is not None:
        return team
    visible = visible_teams(request)
    chosen = request.session.get(SESSION_TEAM_KEY)
    profile = request.user.profile
    return (
        next((t for t in visible if t.slug == chosen), None)
        or next((t for t in visible if t.pk == profile.team_id), None)
        or (visible[0] if visible else None)
    )


SESSION_TEAM_KEY = "working_team"


def home_team_kwargs(request) -> dict | None:
    """URL kwargs for the working team (see working_team)."""
    team = working_team(request)
    return {"team": team.slug} if team else None


def team_switcher(request) -> dict | None:
    """For people who see several teams (managers, supervisors of more than one team): one link per team, to the
    same page for that team when the page is a team's, else to the first team page of the menu."""
    teams = visible_teams(request)
    if len(teams) < 2:
        return None
    current = working_team(request)
    match = getattr(request, "resolver_match", None)
    role = role_of(request.user)
    fallback = next((item for item in MENU if item.kwargs is home_team_kwargs and granted(role, item.action)), None)
    choices = []
    for team in teams:
        if match is not None and "team" in match.kwargs:
            url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "team": team.slug})
        elif fallback is not None:
            url = reverse(fallback.url_name, kwargs={"team": team.slug})
        else:
            continue
        choices.append({"name": team.name, "url": url, "active": current is not None and team.pk == current.pk})
    return {"current": current, "choices": choices} if choices else None


@lru_cache(maxsize=4096)
def _address(url_name: str, kwargs: tuple, urlconf: str, prefix: str) -> str:
    """reverse() of a menu link, remembered: every page shows the same dozen links, and reversing them was a
    millisecond of each page (issue 22 item 8). The URL conf and the script prefix are in the key (a test's
    override_settings, a site served under a path); the slugs make the rest."""
    return reverse(url_name, urlconf=urlconf, kwargs=dict(kwargs))


def menu_for(request) -> list[dict]:
    role = role_of(request.user)
    if role is None:
        return []
    items = []
    for item in MENU:
        if not granted(role, item.action):
            continue
        kwargs = item.kwargs(request) if item.kwargs else {}
        if kwargs is None:
            continue
        url = _address(
            item.url_name, tuple(sorted(kwargs.items())), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
        )
        under = request.path == url or (item.url_name != "home" and request.path.startswith(url))
        items.append({"label": item.label, "url": url, "active": False, "under": under})
    # One item is highlighted: the one whose address is the longest start of the page's (审批 under 排班表's
    # /roster/<team>/ is 审批's /roster/<team>/requests/, not both).
    under = [entry for entry in items if entry.pop("under")]
    if under:
        max(under, key=lambda entry: len(entry["url"]))["active"] = True
    return items
