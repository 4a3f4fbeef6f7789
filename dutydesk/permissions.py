"""Who may do what: the one place that decides.

Every view is wrapped by `allow(action)`. It sends an anonymous user to the login page, answers 403 to a role the
action is not granted to, and resolves the `team` URL argument to a team the user may see: another team's address
answers 404, so that a 403 never tells whether something exists (STYLE.md).
Object-level rules (may this lead approve this leave?) live as plain predicates in each app's permissions.py and
build on `teams_for`.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed

from dutydesk.models import Role, Team

EVERYONE = frozenset(Role)
DUTY_STAFF = frozenset({Role.AGENT, Role.LEAD})
LEADERS = frozenset({Role.LEAD, Role.SUPERVISOR})
SUPERVISORS = frozenset({Role.SUPERVISOR})
OVERSEERS = frozenset({Role.SUPERVISOR, Role.MANAGER})

# action -> roles granted it (DOMAIN.md, People and roles). Views name an action; nothing else grants access.
ACTIONS: dict[str, frozenset[Role]] = {
    "home.view": EVERYONE,
    "account.password": EVERYONE,
}


def grant(action: str, roles: frozenset[Role]) -> None:
    """Apps register their actions here at import time (roster.permissions, logbook.permissions ...)."""
    if action in ACTIONS and ACTIONS[action] != roles:
        raise ValueError(f"action {action!r} is already granted to other roles")
    ACTIONS[action] = frozenset(roles)


def profile_of(user):
    if not user.is_authenticated:
        return None
    try:
        return user.profile
    except user._meta.model.profile.RelatedObjectDoesNotExist:
        return None


def role_of(user) -> Role | None:
    profile = profile_of(user)
    return Role(profile.role) if profile else None


def teams_for(user):
    """The teams whose pages this user may open: own team, teams overseen, every team for a manager."""
    profile = profile_of(user)
    if profile is None:
        return Team.objects.none()
    if profile.role == Role.MANAGER:
        return Team.objects.all()
    if profile.role in DUTY_STAFF:
        # DOMAIN.md: a person belongs to one team; only supervisors and managers oversee several.
        return Team.objects.filter(id=profile.team_id)
    # One query: the teams overseen come in as a subquery.
    return Team.objects.filter(Q(id=profile.team_id) | Q(id__in=profile.oversees.values("id")))


def visible_teams(request) -> list[Team]:
    """teams_for(request.user) by name, read once per request: `allow` finds the page's team in it and the menus
    and the team switcher list it (dutydesk.navigation)."""
    if not hasattr(request, "_visible_teams"):
        request._visible_teams = list(teams_for(request.user).order_by("name"))
    return request._visible_teams


def supervises(profile, team: Team | int) -> bool:
    """A supervisor of `team`: their own team or one they oversee (the two ways dutydesk.queries.supervisors_of
    finds). The overseen teams are read once per profile object, so a list page asks once, not once per row."""
    if profile is None or profile.role != Role.SUPERVISOR:
        return False
    team_id = team if isinstance(team, int) else team.pk
    if profile.team_id == team_id:
        return True
    if not hasattr(profile, "_overseen_team_ids"):
        profile._overseen_team_ids = set(profile.oversees.values_list("id", flat=True))
    return team_id in profile._overseen_team_ids


def granted(role, action: str) -> bool:
    """The table alone: is `action` granted to `role` (a Role, its value or None)? What `allow` asks of the role,
    and what a menu item or a home section asks before it shows a way to a page behind that action."""
    return role is not None and role in ACTIONS[action]


def can(user, action: str, team: Team | None = None) -> bool:
    if not granted(role_of(user), action):
        return False
    return team is None or teams_for(user).filter(pk=team.pk).exists()


def allow(action: str, methods: tuple[str, ...] = ("GET", "POST")):
    """Decorate a view: only roles granted `action`, only teams the user may see (as request.team),
    only the HTTP `methods` given (405 otherwise, after the role check so that it leaks nothing)."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: grant() it in the app's permissions module")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not granted(role_of(request.user), action):
                raise PermissionDenied
            request.profile = request.user.profile
            if "team" in kwargs:
                team = next((t for t in visible_teams(request) if t.slug == kwargs["team"]), None)
                if team is None:
                    raise Http404
                request.team = team
                # The menus follow the team last looked at (dutydesk.navigation.working_team).
                if request.session.get("working_team") != team.slug:
                    request.session["working_team"] = team.slug
            if request.method not in methods and not (request.method == "HEAD" and "GET" in methods):
                return HttpResponseNotAllowed(methods)
            return view(request, *args, **kwargs)

        wrapped.access_action = action
        wrapped.access_methods = methods
        return wrapped

    return decorator
